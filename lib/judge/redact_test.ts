import assert from "node:assert/strict";
import { redact } from "./redact.ts";

Deno.test("redact() removes known secrets and key-shaped strings", () => {
  const key = "my-custom-gateway-key-1234";
  assert.equal(redact(`401: key ${key} rejected`, [key]), "401: key *** rejected");
  assert.equal(
    redact("Incorrect API key provided: sk-proj-****abcd1234", []),
    "Incorrect API key provided: ***",
  );
  assert.equal(redact("Authorization: Bearer abc.def-ghi_jkl", []), "Authorization: ***");
  assert.equal(redact("token hf_AbCdEfGh12345 refused", []), "token *** refused");
  assert.equal(redact("nothing secret here", [undefined, ""]), "nothing secret here");
});
