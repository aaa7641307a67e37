import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { _isSyntheticMark, isSynthetic } from "./is_synthetic.ts";

Deno.test("isSynthetic() is true only when a row carries synthetic: true", () => {
  assert.equal(isSynthetic(pl.DataFrame({ synthetic: [false, true] })), true);
  assert.equal(isSynthetic(pl.DataFrame({ synthetic: [false, null] })), false);
  assert.equal(isSynthetic(pl.DataFrame({ id: [] })), false);
});

Deno.test("isSynthetic() reads the mark back from a CSV file, where it is text", async () => {
  const path = await Deno.makeTempFile({ suffix: ".csv" });
  pl.DataFrame({ id: ["a", "b"], synthetic: [true, true] }).writeCSV(path);
  const frame = pl.readCSV(path, { inferSchemaLength: 0 }); // every column as text
  assert.deepEqual(frame.getColumn("synthetic").toArray(), ["true", "true"]);
  assert.equal(isSynthetic(frame), true);
  assert.equal(isSynthetic(pl.DataFrame({ synthetic: ["false", ""] })), false);
});

Deno.test('_isSyntheticMark() takes true or the text "true", nothing else', () => {
  assert.deepEqual(
    [true, "true", " TRUE ", false, "false", "", 1, null, undefined].map(_isSyntheticMark),
    [true, true, true, false, false, false, false, false, false],
  );
});
