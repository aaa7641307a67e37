import assert from "node:assert/strict";
import * as Plot from "@observablehq/plot";
import { plotDocument } from "./plot_document.ts";

Deno.test("plotDocument() returns one shared document with a head and a body", () => {
  const document = plotDocument();
  assert.equal(plotDocument(), document);
  assert.ok(document.head);
  assert.ok(document.body);
  assert.equal(document.createElement("div").tagName.toLowerCase(), "div");
});

Deno.test("plotDocument() lets Plot render an SVG outside a browser", () => {
  const svg = Plot.dot([[1, 2], [3, 4]]).plot({
    document: plotDocument(),
    width: 200,
    height: 100,
  });
  assert.equal(svg.tagName.toLowerCase(), "svg");
  assert.match(svg.outerHTML, /^<svg[^>]* viewBox="0 0 200 100"/);
  assert.equal((svg.outerHTML.match(/<circle /g) ?? []).length, 2);
});
