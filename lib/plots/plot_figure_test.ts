import assert from "node:assert/strict";
import * as Plot from "@observablehq/plot";
import { fixtureTrials } from "./_fixtures.ts";
import { figure } from "./figure.ts";
import { modelBoxplot } from "./model_boxplot.ts";
import { plotDocument } from "./plot_document.ts";
import { mergePlotOptions } from "./plot_figure.ts";
import { saveFigure } from "./save_figure.ts";

Deno.test("a kit figure takes Plot options: a mark added, a scale overridden, the rest kept", () => {
  const plain = modelBoxplot(fixtureTrials());
  const extended = modelBoxplot(fixtureTrials(), {
    plot: { marks: [Plot.frame({ stroke: "red" })], y: { label: "my label" } },
  });
  assert.doesNotMatch(plain.svg, /stroke="red"/);
  assert.match(extended.svg, /stroke="red"/);
  assert.match(extended.svg, />my label</);
  // The figure's own y options survive the override of its label.
  const own = plain.spec?.y as Record<string, unknown>, merged = extended.spec?.y as typeof own;
  assert.deepEqual(Object.keys(merged).sort(), [...new Set([...Object.keys(own), "label"])].sort());
  assert.deepEqual(merged.domain, own.domain);
  assert.equal(merged.label, "my label");
  assert.equal(extended.spec?.marks?.length, (plain.spec?.marks?.length ?? 0) + 1);
  // The spec renders again with Plot itself.
  const again = Plot.plot({ ...plain.spec, document: plotDocument() });
  assert.match(again.outerHTML, /^<(svg|figure)/);
});

Deno.test("mergePlotOptions() replaces non-scale options and keeps both mark lists in order", () => {
  const a = Plot.dot([[1, 1]]), b = Plot.ruleX([0]);
  const merged = mergePlotOptions({ width: 400, marks: [a], color: { legend: true } }, {
    width: 600,
    marks: [b],
    color: { scheme: "blues" },
  });
  assert.equal(merged.width, 600);
  assert.deepEqual(merged.marks, [a, b]);
  assert.deepEqual(merged.color, { legend: true, scheme: "blues" });
});

Deno.test("figure() redraws Plot's legends as SVG above the plot", () => {
  const swatches = Plot.plot({
    document: plotDocument(),
    color: { legend: true },
    marks: [Plot.dot([{ x: 1, c: "physicians" }, { x: 2, c: "models" }], { x: "x", fill: "c" })],
  });
  assert.match(swatches.outerHTML, /^<figure/);
  const fig = figure(swatches, { caption: "Legend." });
  assert.match(fig.svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.match(fig.svg, />physicians<\/text>/);
  assert.match(fig.svg, />models<\/text>/);
  assert.doesNotMatch(fig.svg, /<figure|<span|<div/);
  const ramp = Plot.plot({
    document: plotDocument(),
    color: { legend: true, type: "quantize" },
    marks: [Plot.dot([{ x: 1, c: 1 }, { x: 2, c: 5 }], { x: "x", fill: "c" })],
  });
  assert.match(figure(ramp).svg, /-ramp"/);
});

Deno.test("saveFigure() takes a raw Plot element and a physical width", async () => {
  const dir = await Deno.makeTempDir();
  const element = Plot.dot([[1, 2], [2, 3]]).plot({ document: plotDocument() });
  // 85 mm at 300 dpi: round(85 / 25.4 × 300) = 1004 pixels.
  await saveFigure(element, `${dir}/column.png`, { width: "85mm", dpi: 300 });
  const png = await Deno.readFile(`${dir}/column.png`);
  const view = new DataView(png.buffer, png.byteOffset);
  assert.equal(view.getUint32(16), 1004); // the IHDR width
  await saveFigure(element, `${dir}/column.svg`, { width: "3.35in" });
  assert.match(await Deno.readTextFile(`${dir}/column.svg`), /^<svg[^>]*width="85.09mm"/);
  await assert.rejects(() => saveFigure(element, `${dir}/x.png`, { width: "85 furlongs" }), /85mm/);
  await assert.rejects(() => saveFigure(element, `${dir}/x.png`, { width: "1m" }), /got "1m"/);
  await assert.rejects(() => saveFigure(element, `${dir}/x.png`, { dpi: 0 }), /dpi must be/);
});
