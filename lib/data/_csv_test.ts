import assert from "node:assert/strict";
import { parseCsv } from "./_csv.ts";

Deno.test("parseCsv() tracks the starting line of records whose cells span lines", () => {
  const { records, problems } = parseCsv('a,b,\n"x\n""y""",2,"z"w\r\n\n3');
  assert.deepEqual(problems, []);
  assert.deepEqual(records, [
    { line: 1, cells: ["a", "b", ""] },
    { line: 2, cells: ['x\n"y"', "2", "zw"] },
    { line: 5, cells: ["3"] },
  ]);
});

Deno.test("parseCsv() reports an unclosed quote at the line it opens on", () => {
  const { records, problems } = parseCsv('\ufeffid\n"b\nc');
  assert.deepEqual(records, [{ line: 1, cells: ["id"] }]);
  assert.deepEqual(problems, [
    { where: "line 2", message: "a quoted cell is never closed; the file looks truncated" },
  ]);
});
