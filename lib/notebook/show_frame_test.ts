import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { _frameBundle, FrameDisplay, showFrame } from "./show_frame.ts";
import { registerSecret } from "../judge/redact.ts";

Deno.test("showFrame() displays with its own options, through the kernel's symbol", () => {
  const frame = pl.DataFrame({ i: Array.from({ length: 100 }, (_, i) => i * 1.23456) });
  const shown = showFrame(frame, { maxRows: -1, digits: 2 });
  assert.ok(shown instanceof FrameDisplay);
  const display = (shown as unknown as Record<symbol, () => Record<string, string>>)[
    Symbol.for("Jupyter.display")
  ]!;
  const bundle = display.call(shown);
  assert.deepEqual(Object.keys(bundle).sort(), ["text/html", "text/plain"]);
  assert.match(bundle["text/plain"]!, /^100 rows × 1 column\n/);
  assert.match(bundle["text/plain"]!, /│ 1\.2 │/);
  assert.equal(bundle["text/html"]!.match(/<tr>/g)?.length, 101, "a header row and every row");
});

Deno.test("showFrame() checks its options when displayed", () => {
  const shown = showFrame(pl.DataFrame({ x: [1] }), { digits: 0 });
  assert.throws(() => shown.bundle(), RangeError);
});

Deno.test("a frame's display passes the one redaction point", () => {
  const key = "sk-proj-FrameLeakK3y0123456789abcdef";
  registerSecret(key);
  const bundle = _frameBundle(pl.DataFrame({ detail: [`HTTP 401: key ${key}`] }));
  for (const text of Object.values(bundle)) assert.ok(!text.includes("FrameLeakK3y"), text);
});
