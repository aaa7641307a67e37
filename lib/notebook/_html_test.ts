import assert from "node:assert/strict";
import { _escapeHtml, _htmlTable, _inJupyterKernel, _textTable } from "./_html.ts";

Deno.test("_escapeHtml escapes the five characters that matter in bodies and attributes", () => {
  assert.equal(
    _escapeHtml(`<a href="x">Tom & 'Jerry'</a>`),
    "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;",
  );
});

Deno.test("_htmlTable escapes every cell, aligns numbers right, sets totals apart", () => {
  const html = _htmlTable({
    caption: "Preflight <b>",
    header: ["judge", "requests"],
    rows: [["<script>", "1,000"]],
    footer: [["total", "1,000"]],
    numeric: [false, true],
    notes: ["note: a & b"],
  });
  assert.ok(!html.includes("<script>") && html.includes("&lt;script&gt;"));
  assert.ok(html.includes("Preflight &lt;b&gt;"));
  assert.match(html, /<td style="[^"]*text-align:right">1,000<\/td>/);
  assert.match(html, /<td style="[^"]*text-align:left">&lt;script&gt;<\/td>/);
  assert.match(html, /border-top:1px solid currentColor;font-weight:600">total</);
  assert.ok(html.includes("note: a &amp; b"));
  assert.equal((html.match(/<tr>/g) ?? []).length, 3);
});

Deno.test("_htmlTable leaves out an empty header", () => {
  const html = _htmlTable({
    caption: "Summary",
    header: ["", ""],
    rows: [["a", "b"]],
    numeric: [false, false],
  });
  assert.ok(!html.includes("<thead>"));
});

Deno.test("_inJupyterKernel is false outside deno jupyter", () => {
  assert.equal(_inJupyterKernel(), false);
});

Deno.test("_textTable aligns columns, and rules a table with totals", () => {
  const table = {
    caption: "Plan",
    header: ["judge", "requests"],
    rows: [["a", "1,000"], ["bb", "2"]],
    footer: [["total", "1,002"]],
    numeric: [false, true],
    notes: ["note: x"],
  };
  assert.equal(
    _textTable(table),
    ["Plan", "judge  requests", "a         1,000", "bb            2", "total     1,002", "note: x"]
      .join("\n"),
  );
  assert.equal(
    _textTable(table, { ruled: true }),
    [
      "Plan",
      "",
      "judge  requests",
      "─────  ────────",
      "a         1,000",
      "bb            2",
      "─────  ────────",
      "total     1,002",
      "",
      "note: x",
    ].join("\n"),
  );
});
