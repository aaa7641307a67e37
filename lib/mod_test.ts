import assert from "node:assert/strict";
import * as preceptron from "./mod.ts";

Deno.test("mod.ts exports the statistic as blandAltman and the figure as plots.blandAltman", () => {
  const stat = preceptron.blandAltman([2, 3], [1, 2]);
  assert.equal(stat.bias, 1);
  assert.equal(preceptron.plots.blandAltman, preceptron.blandAltmanPlot);
  assert.equal(preceptron.plots.judgeScatter, preceptron.judgeScatter);
});

Deno.test("mod.ts exports the public API the architecture names", () => {
  for (
    const name of ["loadDataset", "score", "runBenchmark", "loadTrials", "plots", "saveFigure"]
  ) {
    assert.ok(name in preceptron, name);
  }
});
