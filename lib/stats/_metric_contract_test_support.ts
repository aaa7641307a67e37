/**
 * Test support: the checks every judge–physician error and agreement-share metric passes, so
 * that each metric's own test file keeps only its hand-worked values.
 *
 * @module
 */

import assert from "node:assert/strict";
import { assertClose } from "./_assert_close.ts";
import fixtures from "./fixtures/errors.json" with { type: "json" };

/** The metrics recorded in `fixtures/errors.json`, by their function name. */
export type ErrorFixtureMetric =
  | "meanAbsoluteError"
  | "rootMeanSquaredError"
  | "meanBias"
  | "exactAgreement"
  | "withinOneAgreement";

/**
 * Registers a metric's two contract tests: it matches the numpy values of every case in
 * `fixtures/errors.json` (to 1e-12), and it rejects empty, unequal and non-finite input with
 * the package's one wording (`_validate.ts`), naming the function and the argument.
 *
 * @param name The metric's function name, which is also its field in the fixtures.
 * @param metric The metric, on (judge, physician) scores.
 */
export function testErrorMetricContract(
  name: ErrorFixtureMetric,
  metric: (judge: number[], physician: number[]) => number,
): void {
  Deno.test(`${name}() matches numpy on every fixture (Bond half points, 0-10, one pair)`, () => {
    for (const c of fixtures.cases) {
      assertClose(metric(c.judge, c.physician), c[name], 1e-12, c.name);
    }
  });

  Deno.test(`${name}() rejects empty, unequal and non-finite input, naming the argument`, () => {
    assert.throws(() => metric([], []), new RegExp(`${name}\\(\\): judge is empty`));
    assert.throws(() => metric([1, 2], [1]), /judge has 2 values but physician has 1/);
    assert.throws(() => metric([1], [NaN]), /physician\[0\] is NaN/);
  });
}
