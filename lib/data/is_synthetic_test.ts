import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { isSynthetic } from "./is_synthetic.ts";

Deno.test("isSynthetic() is true only when a row carries synthetic: true", () => {
  assert.equal(isSynthetic(pl.DataFrame({ synthetic: [false, true] })), true);
  assert.equal(isSynthetic(pl.DataFrame({ synthetic: [false, null] })), false);
  assert.equal(isSynthetic(pl.DataFrame({ id: [] })), false);
});
