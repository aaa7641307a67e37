import assert from "node:assert/strict";
import { flags } from "./_flags.ts";

Deno.test("flags() reads --name=value and --name value, and names a missing value", () => {
  const read: [string, string][] = [];
  for (const flag of flags(["--a=1", "--b", "2"], "usage: x")) read.push([flag.name, flag.value()]);
  assert.deepEqual(read, [["--a", "1"], ["--b", "2"]]);
  assert.throws(() => {
    for (const flag of flags(["--c"], "usage: x")) flag.value();
  }, /--c needs a value\nusage: x/);
  assert.throws(() => {
    for (const flag of flags(["--d="], "usage: x")) flag.value();
  }, /--d needs a value/);
});
