import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { frameText } from "./frame_text.ts";

Deno.test("frameText() draws a polars-style box: names, dtypes, aligned cells", () => {
  const frame = pl.DataFrame([
    pl.Series("judge", ["gpt", "a much longer judge name"], pl.Utf8),
    pl.Series("n", [12, 3], pl.Int64),
    pl.Series("r", [0.6485651735537545, null], pl.Float64),
  ]);
  assert.equal(
    frameText(frame),
    [
      "2 rows × 3 columns",
      "┌──────────────────────────┬─────┬────────┐",
      "│ judge                    ┆   n ┆      r │",
      "│ ---                      ┆ --- ┆    --- │",
      "│ str                      ┆ i64 ┆    f64 │",
      "╞══════════════════════════╪═════╪════════╡",
      "│ gpt                      ┆  12 ┆ 0.6486 │",
      "│ a much longer judge name ┆   3 ┆   null │",
      "└──────────────────────────┴─────┴────────┘",
    ].join("\n"),
  );
});

Deno.test("frameText() clips long text and flattens line breaks", () => {
  const frame = pl.DataFrame({ t: ["line one\nline two", "x".repeat(50)] });
  const lines = frameText(frame, { maxChars: 10 }).split("\n");
  assert.equal(lines[6], "│ line one … │");
  assert.equal(lines[7], "│ xxxxxxxxx… │");
  assert.match(frameText(frame), new RegExp(`│ ${"x".repeat(31)}… │`));
  assert.throws(() => frameText(frame, { maxChars: 1 }), RangeError);
});

Deno.test("frameText() rounds floats for display only: 4 significant digits by default", () => {
  const values = [2.2083333333333335, 123456.789, 0.000012346, 1e20, -0.5, 7, Infinity, NaN];
  const frame = pl.DataFrame({ x: values });
  const cells = frameText(frame).split("\n").slice(6, -1).map((l) => l.slice(2, -2).trim());
  assert.deepEqual(cells, ["2.208", "123457", "1.235e-5", "1e+20", "-0.5", "7", "inf", "NaN"]);
  assert.equal(frame.getColumn("x").toArray()[0], 2.2083333333333335, "the frame is unchanged");
});

Deno.test("frameText() shows head and tail of a long frame with a … row and says so", () => {
  const frame = pl.DataFrame({ i: Array.from({ length: 360 }, (_, i) => i) });
  const lines = frameText(frame, { maxRows: 4 }).split("\n");
  assert.equal(lines[0], "360 rows × 1 column · showing 4 of 360 rows (first 2, last 2)");
  assert.deepEqual(lines.slice(6, -1).map((l) => l.slice(2, -2).trim()), [
    "0",
    "1",
    "…",
    "358",
    "359",
  ]);
  assert.equal(frameText(frame).split("\n").length, 1 + 5 + 21 + 1, "20 rows and a … row");
});

Deno.test("frameText() of empty frames shows the shape", () => {
  assert.equal(frameText(pl.DataFrame()), "0 rows × 0 columns");
  const empty = pl.DataFrame({ a: [] as number[] });
  assert.match(frameText(empty), /^0 rows × 1 column\n┌/);
});

Deno.test("frameText() labels dates, lists, structs and booleans", () => {
  const frame = pl.DataFrame({
    when: [new Date(Date.UTC(2024, 0, 2, 3, 4, 5))],
    tags: [["a", "b"]],
    item: [{ id: 1 }],
    ok: [true],
  }).withColumns(pl.col("when").cast(pl.Date).alias("day"));
  const text = frameText(frame);
  assert.match(text, /datetime\[ms\]\s+┆ list\[str\] ┆ struct\[1\] ┆ bool ┆ date/);
  assert.match(text, /2024-01-02 03:04:05 ┆ \["a","b"\]\s+┆ \{"id":1\}\s+┆ true ┆ 2024-01-02/);
});
