import assert from "node:assert/strict";
import { parseCsv } from "./_csv.ts";
import { STRAY_QUOTE_CSV } from "./_test_support.ts";

Deno.test("parseCsv() tracks the starting line of records whose cells span lines", () => {
  const { records, problems } = parseCsv('a,b,\n"x\n""y""",2,"z"\r\n\n3,,');
  assert.deepEqual(problems, []);
  assert.deepEqual(records, [
    { line: 1, cells: ["a", "b", ""] },
    { line: 2, cells: ['x\n"y"', "2", "z"] },
    { line: 5, cells: ["3", "", ""] },
  ]);
});

Deno.test("parseCsv() counts a lone CR inside a quoted cell as a line break", () => {
  const { records } = parseCsv('id,text\ra,"two\rlines"\rb,x\r');
  assert.deepEqual(records.map((r) => r.line), [1, 2, 4]);
});

Deno.test("parseCsv() reports an unclosed quote at the line it opens on", () => {
  const { records, problems } = parseCsv('\ufeffid\n"b\nc');
  assert.deepEqual(records, [{ line: 1, cells: ["id"] }]);
  assert.deepEqual(problems, [
    { where: "line 2", message: "a quoted cell is never closed; the file looks truncated" },
  ]);
});

Deno.test("parseCsv() reports text after a closing quote instead of keeping it", () => {
  const { records, problems } = parseCsv('id,text\na,"quoted" answer\nb,fine\n');
  assert.deepEqual(records, [{ line: 1, cells: ["id", "text"] }, {
    line: 3,
    cells: ["b", "fine"],
  }]);
  assert.deepEqual(problems, [{
    where: "line 2",
    message: 'unexpected text after a closing quote: " answer"; ' +
      'a quote inside a quoted cell must be doubled ("")',
  }]);
});

Deno.test("parseCsv() does not let a stray quote swallow the rows after it", () => {
  const { records, problems } = parseCsv(STRAY_QUOTE_CSV);
  // The stray quote on line 2 runs on to line 4; lines 3 and 4 are then read again.
  assert.deepEqual(records.map((r) => r.cells[0]), ["id", "b", "d"]);
  assert.deepEqual(records.map((r) => r.line), [1, 3, 5]);
  assert.deepEqual(problems.map((p) => p.where), ["line 2", "line 4"]);
  assert.match(problems[0]!.message, /after a closing quote on line 4: "quoted\\" answer"/);
  assert.match(problems[0]!.message, /runs from line 2 to line 4, so lines 3–4 are read again/);
});

Deno.test("parseCsv() reads again the lines of a multi-line record of the wrong width", () => {
  const csv = 'id,grade,response\na,4,"stray\nb,3,ok\nc,2,x",extra\nd,5,"x"\n';
  const { records, problems } = parseCsv(csv);
  assert.deepEqual(records.map((r) => r.cells[0]), ["id", "b", "d"]);
  assert.deepEqual(problems.map((p) => [p.where, p.message.split(";")[0]]), [
    ["line 2", "4 cells where the header has 3"],
    ["line 4", "4 cells where the header has 3"],
  ]);
});

Deno.test("parseCsv() reports a header it cannot read as a problem with the file", () => {
  const { records, problems } = parseCsv('"id"x,grade\na,1\n');
  assert.deepEqual(records, []);
  assert.equal(problems[0]?.where, "file");
  assert.match(problems[0]!.message, /^the header \(line 1\) cannot be read: unexpected text/);
});
