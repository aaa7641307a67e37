import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { countBy } from "./count_by.ts";

Deno.test("countBy() counts groups, largest first, ties by name", () => {
  const df = pl.DataFrame({ study: ["b", "a", "b", "c", "a"], model: ["x", "x", "y", "x", "x"] });
  assert.deepEqual(countBy(df, "study").toRecords(), [
    { study: "a", n: 2 },
    { study: "b", n: 2 },
    { study: "c", n: 1 },
  ]);
  assert.deepEqual(countBy(df, "study", "model").toRecords()[0], { study: "a", model: "x", n: 2 });
});

Deno.test("countBy() needs a column", () => {
  assert.throws(() => countBy(pl.DataFrame({ a: [1] })), /name at least one column/);
});
