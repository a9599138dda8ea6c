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
