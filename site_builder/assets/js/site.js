// Marks the in-page contents entry of the section being read. Pure progressive enhancement.
const links = new Map();
for (const a of document.querySelectorAll('.page-toc a[href^="#"]')) {
  const target = document.getElementById(decodeURIComponent(a.hash.slice(1)));
  if (target) links.set(target, a);
}
if (links.size && "IntersectionObserver" in window) {
  let current = null;
  const observer = new IntersectionObserver((entries) => {
    for (const entry of entries) {
      if (!entry.isIntersecting) continue;
      if (current) current.removeAttribute("aria-current");
      current = links.get(entry.target);
      current.setAttribute("aria-current", "true");
    }
  }, { rootMargin: "0px 0px -70% 0px" });
  for (const heading of links.keys()) observer.observe(heading);
}
// A link to a demo's state (#demo-NAME?smile=0.8: a demo's "Copy link to this view", see
// demos/kit.js) names no element, so the browser does not scroll: bring the demo it names into
// view, on load and when the link changes. Near the viewport the demo starts and reads its state
// from the link (one already live starts again: demos.js). `#demo-NAME` alone works as ever.
function scrollToLinkedDemo() {
  const hash = location.hash;
  const at = hash.indexOf("?");
  if (at < 2 || document.getElementById(hash.slice(1))) return;
  document.getElementById(hash.slice(1, at))?.scrollIntoView({ block: "start" });
}
scrollToLinkedDemo();
addEventListener("hashchange", scrollToLinkedDemo);
// A display formula or a code block wider than the column scrolls sideways: while it does, it
// is in the tab order (tabindex 0), so a keyboard can reach it and scroll it with the arrow
// keys (WCAG 2.1.1). One that fits is not, so the tab order has no stops that do nothing.
const scrollers = document.querySelectorAll(".math-display, pre");
if (scrollers.length && "ResizeObserver" in window) {
  const scrolls = new ResizeObserver((entries) => {
    for (const { target } of entries) {
      if (target.scrollWidth > target.clientWidth) target.setAttribute("tabindex", "0");
      else target.removeAttribute("tabindex");
    }
  });
  for (const scroller of scrollers) scrolls.observe(scroller);
}
// The theme button cycles the system's theme, light and dark, and remembers the choice
// (js/theme.js applies it on the next page before it paints). Browsers without CSS
// light-dark() follow the system only, so they are not offered the button.
const themeButton = document.querySelector("[data-theme-toggle]");
if (themeButton && CSS.supports("color", "light-dark(#000, #fff)")) {
  const THEMES = ["system", "light", "dark"];
  const root = document.documentElement;
  const show = () => { themeButton.textContent = `Theme: ${root.dataset.theme || "system"}`; };
  themeButton.hidden = false;
  show();
  themeButton.addEventListener("click", () => {
    const next = THEMES[(THEMES.indexOf(root.dataset.theme || "system") + 1) % THEMES.length];
    if (next === "system") delete root.dataset.theme;
    else root.dataset.theme = next;
    try {
      if (next === "system") localStorage.removeItem("theme");
      else localStorage.setItem("theme", next);
    } catch { /* storage blocked: the choice lasts for this page */ }
    show();
  });
}
// Citation cards: on hover or focus a citation number shows its reference, copied once from
// the list entry it links to (which is also its accessible description, with or without this).
const showCard = (event) => {
  const link = event.target.closest?.(".cite-link");
  if (!link || link.nextElementSibling?.classList.contains("cite-card")) return;
  const entry = document.getElementById(link.getAttribute("href").slice(1));
  if (!entry) return;
  const card = Object.assign(document.createElement("span"), { className: "cite-card", textContent: entry.textContent });
  card.setAttribute("aria-hidden", "true");         // the link already reads it as its description
  link.after(card);
};
document.addEventListener("pointerover", showCard);
document.addEventListener("focusin", showCard);
// "Cite this": the button copies the BibTeX beside it (shown only where the clipboard works;
// without JavaScript the text is there to select).
for (const button of document.querySelectorAll("[data-copy]")) {
  if (!navigator.clipboard) continue;
  button.hidden = false;
  button.addEventListener("click", async () => {
    const text = button.parentElement.querySelector("pre").textContent;
    try {
      await navigator.clipboard.writeText(text);
      button.textContent = "Copied";
    } catch {
      button.textContent = "Select the text to copy it";
    }
    setTimeout(() => { button.textContent = "Copy BibTeX"; }, 2000);
  });
}
// Offline reading: a service worker at the site's root keeps this build's pages and assets,
// then the Python runtime and weights, in a versioned cache, so that once a reader has opened
// the site every chapter and demo works with the network cut. Pure progressive enhancement:
// without it, or with JavaScript off, the site works the same online. It starts only when the
// page has loaded, the browser is idle and no demo is starting (demos.js sets
// <html data-demos>), so its downloads and SHA-256 checks never slow the first demo down.
// A reader who asked to save data gets the runtime kept only once they have started Python.
// The footer says when the site is saved.
const settled = () => new Promise((resolve) => {
  if (document.documentElement.dataset.demos === "loading") {
    document.addEventListener("demos-idle", () => settled().then(resolve), { once: true });
  } else {
    resolve();
  }
});
const loaded = () => new Promise((resolve) => {
  if (document.readyState === "complete") resolve();
  else addEventListener("load", () => resolve(), { once: true });
});
const idle = () => new Promise((resolve) => {
  if ("requestIdleCallback" in window) requestIdleCallback(() => resolve(), { timeout: 3000 });
  else setTimeout(resolve, 200);
});

async function keepForOffline() {
  const root = new URL("../../", import.meta.url);          // this file is <root>/assets/js/site.*.js
  const footer = document.querySelector(".site-footer p");
  const note = document.createElement("span");
  note.className = "offline-note";
  const show = ({ pages, runtime }) => {
    document.documentElement.dataset.offline = runtime ? "all" : pages ? "pages" : "none";
    note.textContent = runtime ? " · Saved for reading offline, demos included."
      : pages ? " · Saved for reading offline." : "";
    if (footer && !note.isConnected) footer.append(note);
  };
  navigator.serviceWorker.addEventListener("message", ({ data }) => {
    if (data?.type === "offline-status") show(data);
  });
  navigator.serviceWorker.startMessages();
  await loaded();
  await idle();
  await settled();
  performance.mark("offline:register");
  await navigator.serviceWorker.register(new URL("sw.js", root), { scope: root.pathname });
  const registration = await navigator.serviceWorker.ready;
  registration.active?.postMessage({ type: "status" });
  const pythonStarted = document.documentElement.dataset.demos !== undefined;
  if (navigator.connection?.saveData && !pythonStarted) return;
  await settled();
  registration.active?.postMessage({ type: "cache-runtime" });
}

if ("serviceWorker" in navigator && window.isSecureContext) {
  keepForOffline().catch((error) => console.warn("offline reading is not available:", error.message));
}
