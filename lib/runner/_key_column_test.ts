import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { _KeyColumn } from "./_key_column.ts";

Deno.test("_KeyColumn keeps SHA-256 hex keys by position and gives them back unchanged", () => {
  const keys = Array.from(
    { length: 50 },
    (_, i) => createHash("sha256").update(`key ${i}`).digest("hex"),
  );
  const column = new _KeyColumn(keys.length + 1);
  keys.forEach((key, i) => column.set(i, key));
  keys.forEach((key, i) => assert.equal(column.get(i), key));
  assert.equal(column.get(keys.length), "0".repeat(64), "a position never set");
});

Deno.test("_KeyColumn refuses what is not a 64-character lower-case hex key", () => {
  const column = new _KeyColumn(1);
  for (const bad of ["k1", "A".repeat(64), "g".repeat(64), "0".repeat(63)]) {
    assert.throws(() => column.set(0, bad), /not a 64-hex judgement key/);
  }
});
