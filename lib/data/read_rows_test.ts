import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { join } from "node:path";
import { describeProblem } from "./dataset_error.ts";
import { readRows } from "./read_rows.ts";
import { STRAY_QUOTE_CSV } from "./_test_support.ts";

async function file(name: string, content: string | Uint8Array): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "preceptron-read-" });
  const path = join(dir, name);
  if (typeof content === "string") await Deno.writeTextFile(path, content);
  else await Deno.writeFile(path, content);
  return path;
}

Deno.test("readRows() reads a JSON array and locates rows by index", async () => {
  const { rows, problems } = await readRows(await file("d.json", '[{"id":"a"},{"id":"b"}]'));
  assert.deepEqual(problems, []);
  assert.deepEqual(rows, [
    { where: "index 0", value: { id: "a" } },
    { where: "index 1", value: { id: "b" } },
  ]);
});

Deno.test("readRows() reports a truncated JSON array instead of reading part of it", async () => {
  const { rows, problems } = await readRows(
    await file("d.json", '[{"id":"a","grade":3},{"id":"b","gra'),
  );
  assert.equal(rows.length, 0);
  assert.equal(problems.length, 1);
  assert.match(describeProblem(problems[0]!), /^file: not valid JSON .*the file looks truncated$/);
});

Deno.test("readRows() rejects JSON that is not an array of entries", async () => {
  const { problems } = await readRows(await file("d.json", '{"entries": []}'));
  assert.equal(
    describeProblem(problems[0]!),
    "file: expected a JSON array of entries, got an object",
  );
});

Deno.test("readRows() reads JSON Lines stored in a .json file", async () => {
  const { rows } = await readRows(await file("d.json", '{"id":"a"}\n{"id":"b"}\n'));
  assert.deepEqual(rows.map((r) => r.where), ["line 1", "line 2"]);
});

Deno.test("readRows() reports every bad JSON line and a truncated last line", async () => {
  const text = '{"id":"a"}\nnot json\n\n{"id":"c"}\n{"id":"d","resp';
  const { rows, problems } = await readRows(await file("d.jsonl", text));
  assert.deepEqual(rows.map((r) => r.where), ["line 1", "line 4"]);
  assert.deepEqual(problems.map((p) => p.where), ["line 2", "line 5"]);
  assert.doesNotMatch(problems[0]!.message, /truncated/);
  assert.match(problems[1]!.message, /the file looks truncated here/);
});

Deno.test("readRows() reads CSV with quoted commas, quotes and newlines, numbers and JSON cells", async () => {
  const csv = [
    "id,grade,max_score,response,rubric,final_diagnosis",
    'a,4.5,5,"1. Pheo, likely\n2. ""Thyroid"" storm","{""items"":[{""id"":1,""points"":2}]}",',
    "b,x,5,plain,,Gout",
  ].join("\r\n") + "\r\n";
  const { rows, problems } = await readRows(await file("d.csv", csv));
  assert.deepEqual(problems, []);
  assert.deepEqual(rows, [
    {
      where: "line 2",
      value: {
        id: "a",
        grade: 4.5,
        max_score: 5,
        response: '1. Pheo, likely\n2. "Thyroid" storm',
        rubric: { items: [{ id: 1, points: 2 }] },
      },
    },
    // A non-numeric grade stays text, so validation can name it.
    {
      where: "line 4",
      value: { id: "b", grade: "x", max_score: 5, response: "plain", final_diagnosis: "Gout" },
    },
  ]);
});

Deno.test("readRows() reports CSV rows of the wrong width, bad JSON cells and a truncated quote", async () => {
  const csv = 'id,grades,response\na,"[1,2]",ok\nb,[1,,x\nc,"[3]"\nd,[4],"never closed\n';
  const { rows, problems } = await readRows(await file("d.csv", csv));
  assert.deepEqual(rows.map((r) => r.where), ["line 2"]);
  assert.deepEqual(problems.map(describeProblem), [
    "line 3: 4 cells where the header has 3",
    "line 4: 2 cells where the header has 3",
    "line 5: a quoted cell is never closed; the file looks truncated",
  ]);
});

Deno.test("readRows() reads Parquet, with nested rater lists, and rejects a truncated file", async () => {
  // nodejs-polars cannot build list-of-struct columns from JS values, so aggregate them,
  // as a pandas or pyarrow export of per-rater scores would store them.
  const long = pl.DataFrame({ id: ["a", "b"], rater: ["p1", "p2"], score: [4, 2] });
  const df = pl.DataFrame({ id: ["a", "b"], grade: [4, 2], rubric: ['{"items":[]}', null] })
    .join(long.groupBy("id").agg(pl.struct([pl.col("rater"), pl.col("score")]).alias("grades")), {
      on: "id",
    })
    .sort("id");
  const path = await file("d.parquet", "");
  df.writeParquet(path);
  const { rows, problems } = await readRows(path);
  assert.deepEqual(problems, []);
  assert.deepEqual(rows, [
    {
      where: "row 1",
      value: { id: "a", grade: 4, grades: [{ rater: "p1", score: 4 }], rubric: { items: [] } },
    },
    { where: "row 2", value: { id: "b", grade: 2, grades: [{ rater: "p2", score: 2 }] } },
  ]);

  const bytes = await Deno.readFile(path);
  const truncated = await file("t.parquet", bytes.slice(0, Math.floor(bytes.length / 2)));
  const broken = await readRows(truncated);
  assert.equal(broken.rows.length, 0);
  assert.match(describeProblem(broken.problems[0]!), /^file: not a readable Parquet file/);
});

Deno.test("readRows() refuses an extension it cannot read, naming the ones it can", async () => {
  await assert.rejects(
    readRows(await file("d.xlsx", "")),
    /cannot tell the format from the extension "\.xlsx"; expected one of \.json, \.jsonl/,
  );
});

Deno.test("readRows() rejects a CSV row whose text after a closing quote would hide the next rows", async () => {
  const { rows, problems } = await readRows(await file("d.csv", STRAY_QUOTE_CSV));
  assert.deepEqual(rows.map((r) => [r.where, (r.value as { id: string }).id]), [
    ["line 3", "b"],
    ["line 5", "d"],
  ]);
  assert.deepEqual(problems.map((p) => p.where), ["line 2", "line 4"]);
});

Deno.test("readRows() rejects a Parquet row whose JSON cell does not parse", async () => {
  const path = await file("d.parquet", "");
  pl.DataFrame({
    id: ["a", "b", "c"],
    rubric: ['{"items": [1,2', '{"items": []}', "[1 pt] names the diagnosis"],
    grades: ['[{"rater": "p1", "score": 3}]', '[{"rater": "p1", "score": 4}', null],
  }).writeParquet(path);
  const { rows, problems } = await readRows(path);
  // Row 1's rubric and row 2's grades are broken JSON: neither row loads without the field.
  assert.deepEqual(rows, [
    { where: "row 3", value: { id: "c", rubric: "[1 pt] names the diagnosis" } },
  ]);
  assert.deepEqual(problems.map((p) => [p.where, p.field]), [["row 1", "rubric"], [
    "row 2",
    "grades",
  ]]);
  assert.match(problems[0]!.message, /^not valid JSON/);
});

Deno.test("readRows() reports a CSV header with empty or repeated names as a file problem", async () => {
  const repeated = await readRows(await file("d.csv", "id,grade,response,grade\na,9,x,4\n"));
  assert.deepEqual(repeated.rows, []);
  assert.deepEqual(repeated.problems.map(describeProblem), [
    'file: the header names "grade" more than once',
  ]);
  const unnamed = await readRows(await file("d.csv", ",id,grade\n0,a,4\n"));
  assert.deepEqual(unnamed.rows, []);
  assert.match(describeProblem(unnamed.problems[0]!), /^file: column 1 of the header has no name/);
});

Deno.test("readRows() ignores a byte-order mark at the start of JSON and JSON Lines", async () => {
  const json = await readRows(await file("d.json", '\ufeff[{"id":"a"}]'));
  assert.deepEqual(json, { rows: [{ where: "index 0", value: { id: "a" } }], problems: [] });
  const jsonl = await readRows(await file("d.jsonl", '\ufeff{"id":"a"}\n{"id":"b"}\n'));
  assert.deepEqual(jsonl.problems, []);
  assert.deepEqual(jsonl.rows.map((r) => r.value), [{ id: "a" }, { id: "b" }]);
});

Deno.test("readRows() reads Python's bare NaN and Infinity as numbers, not as a broken file", async () => {
  const text = '[{"id":"a","grade":NaN,"response":"NaN, Infinity"},' +
    '{"id":"b","grade":-Infinity,"max_score":Infinity}]';
  const { rows, problems } = await readRows(await file("d.json", text));
  assert.deepEqual(problems, []);
  assert.deepEqual(rows.map((r) => r.value), [
    { id: "a", grade: NaN, response: "NaN, Infinity" },
    { id: "b", grade: -Infinity, max_score: Infinity },
  ]);
  const lines = await readRows(await file("d.jsonl", '{"id":"a","grade":NaN}\n{"id":"b"}\n'));
  assert.deepEqual(lines.rows.map((r) => r.value), [{ id: "a", grade: NaN }, { id: "b" }]);
  // Other faults are still reported, with JSON.parse's own message.
  const broken = await readRows(await file("e.jsonl", '{"id":"a","grade":NaN,}\n'));
  assert.match(describeProblem(broken.problems[0]!), /^line 1: not valid JSON/);
});

Deno.test("readRows() reads only plain decimal numbers as CSV grades", async () => {
  const csv = "id,grade,max_score\na,0x4,5\nb,0b1,1e2\nc, -2.5 ,.5\nd,Infinity,+3\n";
  const { rows } = await readRows(await file("d.csv", csv));
  assert.deepEqual(rows.map((r) => r.value), [
    { id: "a", grade: "0x4", max_score: 5 },
    { id: "b", grade: "0b1", max_score: 100 },
    { id: "c", grade: -2.5, max_score: 0.5 },
    { id: "d", grade: "Infinity", max_score: 3 },
  ]);
});

Deno.test("readRows() keeps a CSV text rubric that opens with a bracket, but not broken grades", async () => {
  const csv = [
    "id,rubric,grades",
    "a,[1 pt] names the diagnosis,",
    'b,"{""items"": [1,",',
    'c,,"[{""rater"": ""p1"", ""score"": 4"',
  ].join("\n") + "\n";
  const { rows, problems } = await readRows(await file("d.csv", csv));
  assert.deepEqual(rows, [{
    where: "line 2",
    value: { id: "a", rubric: "[1 pt] names the diagnosis" },
  }]);
  assert.deepEqual(problems.map((p) => [p.where, p.field]), [["line 3", "rubric"], [
    "line 4",
    "grades",
  ]]);
});

Deno.test("readRows() gives Parquet dates and times as ISO text", async () => {
  const path = await file("d.parquet", "");
  pl.DataFrame({
    id: ["a"],
    at: [new Date("2024-01-02T03:04:05Z")],
  })
    .withColumn(pl.lit("2024-03-04").str.strptime(pl.Date, "%Y-%m-%d").alias("day"))
    .writeParquet(path);
  const { rows } = await readRows(path);
  assert.deepEqual(rows[0]?.value, {
    id: "a",
    at: "2024-01-02T03:04:05.000Z",
    day: "2024-03-04",
  });
});

// ---------------------------------------------------------------------------------------------
// Strict decoding: bytes that are not UTF-8 are a problem, never U+FFFD in the text.
// ---------------------------------------------------------------------------------------------

const utf8 = (text: string) => new TextEncoder().encode(text);
/** Text with each "é" written as the Latin-1 byte 0xE9 (not UTF-8). */
const latin1 = (text: string) => Uint8Array.from(text, (c) => c === "é" ? 0xe9 : c.charCodeAt(0));
/** Text as UTF-16 code units, little- or big-endian, with a byte-order mark. */
function utf16(text: string, endian: "le" | "be"): Uint8Array {
  const out = new Uint8Array(2 + text.length * 2);
  const view = new DataView(out.buffer);
  view.setUint16(0, 0xfeff, endian === "le");
  for (let i = 0; i < text.length; i++) {
    view.setUint16(2 + 2 * i, text.charCodeAt(i), endian === "le");
  }
  return out;
}

Deno.test("readRows() rejects Latin-1 bytes in JSON, naming the entry's index, id and byte offset", async () => {
  const text = '[\n{"id": "a", "response": "ok"},\n{"id": "b", "response": "café"}\n]\n';
  const { rows, problems, unreadable } = await readRows(await file("d.json", latin1(text)));
  assert.equal(rows.length, 0);
  assert.equal(unreadable, true);
  assert.equal(problems.length, 1);
  const offset = text.indexOf("é");
  assert.equal(problems[0]!.where, "index 1");
  assert.equal(problems[0]!.id, "b");
  assert.match(problems[0]!.message, new RegExp(`byte 0xE9 at byte offset ${offset}\\b`));
  assert.match(problems[0]!.message, /Latin-1 or Windows-1252/);
  assert.doesNotMatch(problems[0]!.message, /truncated/);
});

Deno.test("readRows() rejects Latin-1 bytes in JSON Lines and CSV, naming the record's line, id and byte offset", async () => {
  for (
    const [name, text, where] of [
      ["d.jsonl", '{"id": "a", "response": "ok"}\n{"id": "b", "response": "fievre é"}\n', "line 2"],
      ["d.csv", 'id,response\na,"two\nlines"\nb,"café"\n', "line 4"],
    ] as const
  ) {
    const { rows, problems } = await readRows(await file(name, latin1(text)));
    assert.equal(rows.length, 0, name);
    assert.deepEqual([problems[0]!.where, problems[0]!.id], [where, "b"]);
    assert.match(problems[0]!.message, new RegExp(`byte offset ${text.indexOf("é")}\\b`));
  }
});

Deno.test("readRows() names UTF-16 files (little- and big-endian, with or without a BOM)", async () => {
  const text = '[{"id": "a"}]';
  for (
    const [name, bytes, pattern] of [
      ["le.json", utf16(text, "le"), /UTF-16 \(little-endian.*FF FE\); save it as UTF-8/],
      ["be.jsonl", utf16(text, "be"), /UTF-16 \(big-endian.*FE FF\); save it as UTF-8/],
      ["nobom.csv", utf16("id,grade\na,1\n", "le").subarray(2), /looks like UTF-16 .* NUL/],
    ] as const
  ) {
    const { rows, problems, unreadable } = await readRows(await file(name, bytes));
    assert.equal(rows.length, 0, name);
    assert.equal(unreadable, true, name);
    assert.equal(problems[0]!.where, "file", name);
    assert.match(problems[0]!.message, pattern, name);
    assert.doesNotMatch(problems[0]!.message, /truncated/, name);
  }
});

Deno.test("readRows() names an HTML page saved in place of the data", async () => {
  const page = "<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body>…</body></html>\n";
  for (const name of ["d.json", "d.jsonl", "d.csv"]) {
    const { rows, problems } = await readRows(await file(name, page));
    assert.equal(rows.length, 0, name);
    assert.match(problems[0]!.message, /an HTML page, not data/, name);
    assert.doesNotMatch(problems[0]!.message, /truncated/, name);
  }
  const { problems } = await readRows(await file("d.json", "  <html lang=en><body></body></html>"));
  assert.match(problems[0]!.message, /an HTML page/);
});

Deno.test("readRows() reports a file cut inside a multi-byte character as truncated", async () => {
  const bytes = utf8('{"id": "a", "response": "café"}\n{"id": "b", "response": "caf');
  const cut = new Uint8Array([...bytes, 0xc3]);
  const { problems } = await readRows(await file("d.jsonl", cut));
  assert.equal(problems[0]!.where, "line 2");
  assert.match(problems[0]!.message, new RegExp(`byte offset ${bytes.length}\\b.*truncated`));
});

Deno.test("readRows() accepts and strips a UTF-8 byte-order mark in JSON, JSON Lines and CSV", async () => {
  const bom = (text: string) => new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(text)]);
  for (
    const [name, text] of [
      ["d.json", '[{"id": "é"}]'],
      ["d.jsonl", '{"id": "é"}\n'],
      ["d.csv", "id\né\n"],
    ] as const
  ) {
    const { rows, problems } = await readRows(await file(name, bom(text)));
    assert.deepEqual(problems, [], name);
    assert.deepEqual(rows.map((r) => r.value), [{ id: "é" }], name);
  }
});
