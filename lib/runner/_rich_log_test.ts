import assert from "node:assert/strict";
import { _richLog } from "./_rich_log.ts";

Deno.test("_richLog sends the text to the log outside a notebook", async () => {
  const lines: string[] = [];
  await _richLog(undefined, (line) => lines.push(line))("the text", "<table></table>");
  assert.deepEqual(lines, ["the text"]);
});

Deno.test("_richLog keeps the caller's own log even where a notebook could show HTML", async () => {
  const lines: string[] = [];
  const custom = (line: string) => lines.push(line);
  await _richLog(custom, custom)("text", "<b>html</b>");
  assert.deepEqual(lines, ["text"]);
});
