/**
 * Test helper: numeric comparison against reference fixtures (where NaN is recorded as null).
 *
 * @module
 */

import assert from "node:assert/strict";

/**
 * Asserts that `actual` is within `tolerance` of `expected`, treating a `null` or `NaN`
 * expectation as "must be NaN".
 *
 * @param actual The computed value.
 * @param expected The reference value; `null` stands for NaN in the JSON fixtures.
 * @param tolerance The largest absolute difference allowed.
 * @param label What is compared, for the failure message.
 * @throws {AssertionError} When the values differ by more than `tolerance`.
 *
 * @example
 * ```ts
 * import { assertClose } from "./_assert_close.ts";
 *
 * assertClose(0.1 + 0.2, 0.3, 1e-12, "sum");
 * assertClose(NaN, null, 1e-12, "undefined statistic");
 * ```
 */
export function assertClose(
  actual: number,
  expected: number | null,
  tolerance: number,
  label: string,
): void {
  if (expected === null || Number.isNaN(expected)) {
    assert.ok(Number.isNaN(actual), `${label}: expected NaN, got ${actual}`);
    return;
  }
  if (actual === expected) return; // also covers matching infinities
  assert.ok(
    Math.abs(actual - expected) <= tolerance,
    `${label}: expected ${expected}, got ${actual} (difference ${
      Math.abs(actual - expected)
    } > ${tolerance})`,
  );
}
