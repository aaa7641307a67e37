import assert from "node:assert/strict";
import * as Plot from "@observablehq/plot";
import { figure } from "./figure.ts";
import { plotDocument } from "./plot_document.ts";
import { registerSecret } from "../judge/redact.ts";

Deno.test("figure() makes standalone SVG and grows it to hold the wrapped caption", () => {
  const element = Plot.dot([[1, 2]]).plot({ document: plotDocument(), width: 300, height: 200 });
  const caption = "A caption long enough that it has to wrap onto a second line at this width, " +
    "and then a third.";
  const fig = figure(element, { caption });
  assert.match(fig.svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.equal(fig.width, 300);
  assert.equal(fig.height, 200 + 3 * 16 + 12);
  assert.match(fig.svg, /height="260"/);
  assert.match(fig.svg, /viewBox="0 0 300 260"/);
  assert.equal((fig.svg.match(/<text x="8"/g) ?? []).length, 3);
});

Deno.test("figure() escapes the caption and displays as SVG in the kernel", () => {
  const fig = figure(Plot.dot([[1, 2]]).plot({ document: plotDocument() }), {
    caption: "a < b & c",
  });
  assert.match(fig.svg, /a &lt; b &amp; c/);
  const bundle = fig.displayBundle();
  assert.equal(bundle["image/svg+xml"], fig.svg);
});

Deno.test("figure() takes Plot's <figure> wrapper: the plot kept, Plot's caption dropped for its own", () => {
  const wrapped = Plot.dot([[1, 2]]).plot({ document: plotDocument(), caption: "Plot's own" });
  assert.match(wrapped.outerHTML, /^<figure/);
  const fig = figure(wrapped, { caption: "The kit's" });
  assert.match(fig.svg, /^<svg/);
  assert.doesNotMatch(fig.svg, /Plot's own|<figcaption/);
  assert.match(fig.svg, /The kit's/);
  assert.throws(() => figure({ outerHTML: "<div>x</div>" }), /expected an <svg> or a <figure>/);
});

Deno.test("a figure's display passes the one redaction point", () => {
  const key = "sk-proj-FigureLeakK3y0123456789abc";
  registerSecret(key);
  const fig = figure(Plot.dot([[1, 2]]).plot({ document: plotDocument() }), {
    caption: `judged with ${key}`,
  });
  for (const text of Object.values(fig.displayBundle())) {
    assert.ok(!text.includes("FigureLeakK3y"), text);
  }
});
