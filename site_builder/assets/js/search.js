// Site search: the header's box searches a Pagefind index made at build time
// (site_builder/search.py). Nothing of Pagefind loads until the reader first focuses the box
// or presses "/"; without JavaScript the box stays hidden.
const form = document.querySelector("form[data-search]");
const MAX_RESULTS = 8;

if (form) {
  const box = form.querySelector("input[type=search]");
  const list = form.querySelector("[data-results]");
  const status = form.querySelector("[data-search-status]");
  let engine = null;
  let asked = 0;

  // The index's entry module, preloaded with its integrity value, then imported: the import
  // uses the checked copy.
  const load = () => engine ??= (async () => {
    const url = new URL(form.dataset.search, document.baseURI).href;
    const link = Object.assign(document.createElement("link"), { rel: "modulepreload", href: url });
    link.integrity = form.dataset.searchIntegrity;
    document.head.append(link);
    const pagefind = await import(url);
    await pagefind.options({ excerptLength: 22 });
    return pagefind;
  })();

  // A page, linked at its best-matching section when Pagefind found one.
  const item = (result) => {
    const best = result.sub_results?.find((sub) => sub.url !== result.url) ?? result;
    const li = document.createElement("li");
    const title = best === result ? result.meta.title : `${result.meta.title}: ${best.title}`;
    const link = Object.assign(document.createElement("a"), { href: best.url, textContent: title });
    const excerpt = document.createElement("p");
    excerpt.innerHTML = best.excerpt;        // Pagefind's text of our own pages, with <mark> around the hits
    li.append(link, excerpt);
    return li;
  };

  const search = async () => {
    const query = box.value.trim();
    const ticket = ++asked;
    if (!query) { list.replaceChildren(); status.textContent = ""; return; }
    try {
      const found = await (await load()).debouncedSearch(query, {}, 200);
      if (found === null || ticket !== asked) return;          // a newer query is on its way
      const results = await Promise.all(found.results.slice(0, MAX_RESULTS).map((r) => r.data()));
      if (ticket !== asked) return;
      list.replaceChildren(...results.map(item));
      const n = found.results.length;
      status.textContent = n ? `${n} page${n === 1 ? "" : "s"} found${n > MAX_RESULTS ? `, the first ${MAX_RESULTS} shown` : ""}.`
                             : "Nothing found.";
    } catch (err) {
      status.textContent = "Search could not load.";
      console.warn("Search could not load:", err);
    }
  };

  form.hidden = false;
  form.addEventListener("submit", (event) => event.preventDefault());
  box.addEventListener("focus", () => { load().catch(() => {}); }, { once: true });
  box.addEventListener("input", search);
  box.addEventListener("keydown", (event) => {
    if (event.key === "Escape") { box.value = ""; search(); box.blur(); }
  });
  document.addEventListener("keydown", (event) => {
    const typing = event.target.closest?.("input, textarea, select, [contenteditable], .cm-editor");
    if (event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      box.focus();
    }
  });
}
