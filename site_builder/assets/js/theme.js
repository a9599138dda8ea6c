// The reader's theme, "light" or "dark" (none: the system's), put on <html> before the page
// paints: a classic script in <head>, so a chosen theme shows from the first frame. site.js
// offers the choice; the stylesheet does the rest (color-scheme and light-dark()).
// It also marks that scripts run (data-scripts), so that the stylesheet keeps room for the search box
// and the theme button, which the deferred modules reveal: the header does not grow under the reader.
document.documentElement.dataset.scripts = "on";
try {
  const chosen = localStorage.getItem("theme");
  if (chosen === "light" || chosen === "dark") document.documentElement.dataset.theme = chosen;
} catch { /* storage blocked: the system's theme */ }
