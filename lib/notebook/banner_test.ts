import assert from "node:assert/strict";
import { Banner, banner } from "./banner.ts";

Deno.test("banner() is a warning by default and reads as one line of text", () => {
  const b = banner("Offline.", "No API key is set.");
  assert.ok(b instanceof Banner);
  assert.equal(b.tone, "warning");
  assert.equal(String(b), "⚠ Offline. No API key is set.");
  assert.equal(String(banner("Dataset:", "x.json", "note")), "ℹ Dataset: x.json");
});

Deno.test("banner() displays in Jupyter as a coloured box with the same text", () => {
  const warning = banner("Synthetic data.", "Generated, not physician scores.");
  // The Deno kernel looks the method up by this symbol.
  const display = (warning as unknown as Record<symbol, () => Record<string, string>>)[
    Symbol.for("Jupyter.display")
  ]!;
  const bundle = display.call(warning);
  assert.deepEqual(bundle, warning.displayBundle());
  assert.equal(bundle["text/plain"], String(warning));
  assert.match(bundle["text/html"]!, /^<div role="note" style="border-left:4px solid #b45309;/);
  assert.match(bundle["text/html"]!, /<strong>Synthetic data\.<\/strong> Generated, not/);
  const note = banner("Dataset:", "x", "note").displayBundle();
  assert.match(note["text/html"]!, /border-left:4px solid #1d4ed8;background:#dbeafe/);
});

Deno.test("banner() escapes HTML in the title and text", () => {
  const html = banner("<b>A & B</b>", "x < y > z").displayBundle()["text/html"]!;
  assert.match(html, /<strong>&lt;b&gt;A &amp; B&lt;\/b&gt;<\/strong> x &lt; y &gt; z<\/div>$/);
  assert.doesNotMatch(html, /<b>/);
});
