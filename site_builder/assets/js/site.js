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
// Offline reading: a service worker at the site's root keeps this build's pages and assets
// (and, once a demo has started Python, the Python runtime and weights) in a versioned cache.
// Pure progressive enhancement: without it, or with JavaScript off, the site works the same
// online. The footer says when the site is saved.
if ("serviceWorker" in navigator && window.isSecureContext) {
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
  navigator.serviceWorker.register(new URL("sw.js", root), { scope: root.pathname })
    .then(() => navigator.serviceWorker.ready)
    .then((registration) => registration.active?.postMessage({ type: "status" }))
    .catch((error) => console.warn("offline reading is not available:", error.message));
}
