// python-scratchpad: a notebook cell. Code runs in the page's Python worker; nothing leaves the browser.
export async function mount(root, python) {
  const live = root.querySelector(".demo-live");
  const example = root.querySelector(".cell-code code")?.textContent ?? "";
  const printedAtBuild = root.querySelector(".demo-static .cell-output")?.textContent ?? "";
  const id = `${root.id}-code`;
  live.innerHTML = `
    <label for="${id}" class="demo-toolbar">Python code (Ctrl+Enter runs it)</label>
    <textarea id="${id}" spellcheck="false" autocapitalize="off"></textarea>
    <div class="demo-toolbar"><button type="button" data-run>Run</button><span data-timing></span></div>
    <pre class="cell-output" aria-live="polite" aria-label="Output"></pre>`;
  const code = live.querySelector("textarea");
  const output = live.querySelector(".cell-output");
  const timing = live.querySelector("[data-timing]");
  code.value = example;
  code.rows = Math.min(24, example.split("\n").length + 1);   // the whole example in view

  // output wider than the cell scrolls sideways: then the keyboard can reach it (WCAG 2.1.1)
  const reachable = () => {
    if (output.scrollWidth > output.clientWidth) output.setAttribute("tabindex", "0");
    else output.removeAttribute("tabindex");
  };
  if ("ResizeObserver" in window) new ResizeObserver(reachable).observe(output);

  async function run() {
    const started = performance.now();
    const cell = await python.call("py_runtime.demos.python_scratchpad", "run_cell", { code: code.value });
    output.classList.toggle("error", Boolean(cell.error));
    output.textContent = cell.stdout + (cell.result ?? "") + (cell.error ?? "");
    reachable();
    timing.textContent = `ran in ${(performance.now() - started).toFixed(1)} ms`;
  }
  live.querySelector("[data-run]").addEventListener("click", run);
  code.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); run(); }
  });
  // The example runs the face-swap model, a second or so in Pyodide: the cell is ready at once,
  // showing what CPython printed for it at build time, and runs here when the reader asks.
  output.textContent = printedAtBuild;
  reachable();
  timing.textContent = "printed when the site was built; Run runs it here";
  root.querySelector(".demo-static").hidden = true;
  live.hidden = false;
}
