import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { trialsDir } from "./trials_dir.ts";

Deno.test("trialsDir() is out/trials/<name> under the project root, whatever the working folder", () => {
  const root = fileURLToPath(new URL("../../", import.meta.url));
  assert.equal(trialsDir("validate-judge"), join(root, "out", "trials", "validate-judge"));
  const here = Deno.cwd();
  try {
    Deno.chdir(join(root, "lib"));
    assert.equal(trialsDir("validate-judge"), join(root, "out", "trials", "validate-judge"));
  } finally {
    Deno.chdir(here);
  }
});

Deno.test("trialsDir() refuses names that would leave out/trials", () => {
  for (const name of ["", ".", "..", "../x", "a/b", "a\\b", "name with spaces"]) {
    assert.throws(() => trialsDir(name), RangeError, name);
  }
});
