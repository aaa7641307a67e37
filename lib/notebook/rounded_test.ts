import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { rounded } from "./rounded.ts";

Deno.test("rounded() rounds float columns only, and keeps nulls, NaN and column order", () => {
  const frame = pl.DataFrame([
    pl.Series("judge", ["a", "b", "c"], pl.Utf8),
    pl.Series("n", [1, 2, 3], pl.Int64),
    pl.Series("r", [0.12345, null, NaN], pl.Float64),
    pl.Series("mae", [2.5, 1 / 3, 10], pl.Float64),
  ]);
  const out = rounded(frame, 2);
  assert.deepEqual(out.columns, ["judge", "n", "r", "mae"]);
  assert.deepEqual(out.getColumn("judge").toArray(), ["a", "b", "c"]);
  assert.deepEqual(out.getColumn("n").toArray(), [1, 2, 3]);
  assert.ok(out.getColumn("n").dtype.equals(pl.Int64), "integers stay integers");
  const r = out.getColumn("r").toArray() as (number | null)[];
  assert.equal(r[0], 0.12);
  assert.equal(r[1], null);
  assert.ok(Number.isNaN(r[2]));
  assert.deepEqual(out.getColumn("mae").toArray(), [2.5, 0.33, 10]);
  // The input is unchanged.
  assert.equal(frame.getColumn("r").toArray()[0], 0.12345);
});

Deno.test("rounded() refuses a digits count it cannot honour", () => {
  const frame = pl.DataFrame({ x: [1.5] });
  for (const digits of [-1, 1.5, 16, NaN]) assert.throws(() => rounded(frame, digits), RangeError);
});
