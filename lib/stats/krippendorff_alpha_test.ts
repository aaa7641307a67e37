import assert from "node:assert/strict";
import { krippendorffAlpha } from "./krippendorff_alpha.ts";
import { assertClose } from "./_assert_close.ts";
import fixtures from "./fixtures/krippendorff_alpha.json" with { type: "json" };

const LEVELS = ["nominal", "ordinal", "interval", "ratio"] as const;

Deno.test("krippendorffAlpha() reproduces Krippendorff's (2011) worked example to 3 decimals", () => {
  // Coders A–D × units 1–12 as printed in the paper; `_` is a missing rating.
  const _ = null;
  const coders = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, _, _, _],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, _, 3],
    [_, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, _],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, _],
  ];
  const units = coders[0]!.map((_v, u) => coders.map((c) => c[u]!));
  const published = { nominal: 0.743, ordinal: 0.815, interval: 0.849, ratio: 0.797 };
  for (const level of LEVELS) {
    assert.equal(
      krippendorffAlpha(units, { level }).toFixed(3),
      published[level].toFixed(3),
      level,
    );
  }
});

Deno.test("krippendorffAlpha() matches an independent pairwise computation on every fixture", () => {
  // The fixtures' references sum δ² over pairs of values (make_fixtures.py), no coincidence matrix.
  for (const c of fixtures.cases) {
    for (const level of LEVELS) {
      assertClose(krippendorffAlpha(c.units, { level }), c[level], 1e-9, `${c.name}, ${level}`);
    }
  }
});

Deno.test("krippendorffAlpha() is NaN without two ratings on a unit or without variation", () => {
  for (const level of LEVELS) {
    assert.ok(Number.isNaN(krippendorffAlpha([[null, null], [null, null]], { level })), level);
    assert.ok(Number.isNaN(krippendorffAlpha([[1, null], [null, 2]], { level })), level);
    assert.ok(Number.isNaN(krippendorffAlpha([[3, 3, 3], [3, 3, null]], { level })), level);
  }
  // Perfect agreement with variation is 1.
  assert.equal(krippendorffAlpha([[1, 1], [2, 2], [4, 4, null]], { level: "interval" }), 1);
});

Deno.test("krippendorffAlpha() ignores units with a single rating", () => {
  const base = [[1, 2, 2], [3, 3, null], [2, 1, 1]];
  const level = "ordinal";
  assert.equal(
    krippendorffAlpha([...base, [5, null, null]], { level }),
    krippendorffAlpha(base, { level }),
  );
});

Deno.test("krippendorffAlpha() rejects empty input, bad ratings and bad options", () => {
  assert.throws(() => krippendorffAlpha([], { level: "nominal" }), /ratings is empty/);
  assert.throws(
    () => krippendorffAlpha([[1, NaN]], { level: "nominal" }),
    /ratings\[0\]\[1\] is NaN; use a finite number, or null for a missing rating/,
  );
  assert.throws(
    () => krippendorffAlpha([[1, -1]], { level: "ratio" }),
    /ratio level needs values ≥ 0/,
  );
  assert.throws(
    // @ts-expect-error: an unknown level is a caller error worth a clear message.
    () => krippendorffAlpha([[1, 2]], { level: "cardinal" }),
    /options.level must be one of nominal, ordinal, interval, ratio, got "cardinal"/,
  );
});

Deno.test("krippendorffAlpha() at the interval level: the sums of squares on complete data equal the coincidence matrix", () => {
  const complete = [[1, 2, 2], [3, 3, 4], [2, 1, 1], [5, 4, 5], [0, 1, 0.5]];
  // A unit rated once changes nothing, but sends the data down the coincidence-matrix path.
  const withMissing = [...complete, [3, null, null]];
  const level = "interval";
  const a = krippendorffAlpha(complete, { level }), b = krippendorffAlpha(withMissing, { level });
  assert.ok(Math.abs(a - b) < 1e-12, `${a} vs ${b}`);
});
