// The reader's theme, "light" or "dark" (none: the system's), put on <html> before the page
// paints: a classic script in <head>, so a chosen theme shows from the first frame. site.js
// offers the choice; the stylesheet does the rest (color-scheme and light-dark()).
try {
  const chosen = localStorage.getItem("theme");
  if (chosen === "light" || chosen === "dark") document.documentElement.dataset.theme = chosen;
} catch { /* storage blocked: the system's theme */ }
