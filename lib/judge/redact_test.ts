import assert from "node:assert/strict";
import { displayUrl, redact, registerSecret } from "./redact.ts";

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

Deno.test("redact() removes a secret's pieces, its unprefixed core and its encodings", () => {
  const key = "sk-proj-Zx81QmP0aB7tLr4Kw9Vn";
  const core = key.slice("sk-proj-".length);
  const b64 = btoa(key), bearer = btoa(`Bearer ${key}`), coreB64 = btoa(core);
  for (
    const leak of [
      key,
      core, // without its prefix
      encodeURIComponent("Zx81Qm P0aB7tLr4Kw9Vn").replace("%20", ""), // URL-encoded
      b64,
      b64.replace(/=+$/, ""),
      bearer,
      coreB64,
      "P0aB7tLr", // an 8-character piece
      "QmP0aB7tLr4K", // a longer piece
    ]
  ) {
    const out = redact(`server said: ${leak} (end)`, [key]);
    assert.ok(!out.includes(leak), `${leak} leaked: ${out}`);
    assert.match(out, /^server said: \*\*\* \(end\)$/);
  }
  // A 7-character piece is too short to tell from ordinary text.
  assert.equal(redact("P0aB7tL", [key]), "P0aB7tL");
});

Deno.test("redact() knows the environment's keys without being told, but not short values", () => {
  const name = "PRECEPTRON_TEST_API_KEY";
  Deno.env.set(name, "env-secret-9f8e7d6c5b4a");
  Deno.env.set("PRECEPTRON_TEST_SHORT_KEY", "none");
  try {
    assert.equal(redact("echo env-secret-9f8e7d6c5b4a"), "echo ***");
    assert.equal(redact("echo 9f8e7d6c5b4a"), "echo ***");
    assert.equal(redact("none of it"), "none of it");
  } finally {
    Deno.env.delete(name);
    Deno.env.delete("PRECEPTRON_TEST_SHORT_KEY");
  }
});

Deno.test("registerSecret() makes every later redact() remove that secret", () => {
  registerSecret("registered-secret-4242");
  assert.equal(redact("a registered-secret-4242 b"), "a *** b");
});

Deno.test("displayUrl() shows origin and path only", () => {
  assert.equal(displayUrl("http://alice:hunter2@127.0.0.1:8000/v1/"), "http://127.0.0.1:8000/v1/");
  assert.equal(
    displayUrl("https://h.example/data.parquet?X-Amz-Signature=deadbeef&X-Amz-Credential=x"),
    "https://h.example/data.parquet",
  );
  assert.equal(displayUrl("hf:owner/name"), "hf:owner/name");
});

Deno.test("redact() removes two keys that share a prefix, whole, whichever comes first", () => {
  const a = "sk-proj-ABCDEFGHIJKLMNOP", b = "sk-proj-ECHOQRSTUVWXYZ12";
  for (const text of [`${b} and ${a}`, `${a}${b}`, `x${b.slice(3)}y`]) {
    const out = redact(text, [a, b]);
    assert.doesNotMatch(out, /ECHO|ABCD|QRST/, `${text} -> ${out}`);
  }
});
