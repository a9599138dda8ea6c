// LaTeX to MathML with Temml, for site_builder/typeset.py: one process per build.
//
//   node temml.mjs TEMML_MODULE
//
// TEMML_MODULE is the pinned package's ES module (node_modules/temml/dist/temml.mjs). Reads
// one JSON line per batch on stdin, [[latex, display], ...], and answers each with one JSON
// line on stdout, [{"mathml": ...} or {"error": ...}, ...], in the same order; exits at the
// end of its input. The TeX source is kept as an `application/x-tex` annotation.
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";

const { default: temml } = await import(pathToFileURL(process.argv[2]).href);

function typeset([latex, display]) {
  try {
    return { mathml: temml.renderToString(latex, { displayMode: display, annotate: true, xml: true,
                                                   throwOnError: true, trust: false }) };
  } catch (err) {
    // A ParseError's message ends with the source, underlined: keep the first line.
    const message = String(err && err.message || err).trim().split("\n")[0].replace(/:\s*$/, "");
    return { error: `${err && err.name || "Error"}: ${message}` };
  }
}

for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
  if (line.trim()) process.stdout.write(JSON.stringify(JSON.parse(line).map(typeset)) + "\n");
}
