import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { isSynthetic } from "../lib/data/is_synthetic.ts";
import { loadDataset } from "../lib/data/load_dataset.ts";
import { parseSampleDataArgs, sampleData } from "./sample_data.ts";

const SCRIPT = fileURLToPath(new URL("sample_data.ts", import.meta.url));

/** Runs the CLI as a user would, with only the permissions its task grants. */
async function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const result = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-read", "--allow-write", SCRIPT, ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: result.code, stdout: decode(result.stdout), stderr: decode(result.stderr) };
}

Deno.test("sample_data.ts writes a sample that loadDataset() reads, marked synthetic", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sample_data_test_" });
  try {
    const out = join(dir, "sample.json");
    const { code, stdout, stderr } = await runCli(["--seed", "7", "--out", out]);
    assert.equal(code, 0, stderr);
    assert.match(stdout, /^SYNTHETIC PrecepTron sample/);
    assert.match(stdout, new RegExp(`wrote ${out.replaceAll(".", "\\.")} \\(`));
    const total = Number(/^total\s+(\d+)/m.exec(stdout)?.[1]);
    const frame = await loadDataset(out);
    assert.equal(frame.height, total);
    assert.equal(isSynthetic(frame), true);
    assert.equal(new Set(frame.getColumn("benchmark").toArray()).size, 6);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("sample_data.ts writes JSON Lines for .jsonl and .ndjson, the same entries as JSON", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sample_data_test_" });
  try {
    const paths = ["s.json", "s.jsonl", "s.ndjson"].map((name) => join(dir, name));
    for (const path of paths) await sampleData(["--seed", "3", "--out", path], () => {});
    const [json, jsonl, ndjson] = await Promise.all(paths.map((p) => Deno.readTextFile(p)));
    const entries = JSON.parse(json!) as unknown[];
    for (const lines of [jsonl!, ndjson!]) {
      assert.deepEqual(lines.trimEnd().split("\n").map((line) => JSON.parse(line)), entries);
    }
    const frames = await Promise.all(paths.map((p) => loadDataset(p)));
    assert.deepEqual(frames[2]!.toRecords(), frames[0]!.toRecords());
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("sample_data.ts explains a bad option and exits 2", async () => {
  const { code, stderr } = await runCli(["--size", "huge"]);
  assert.equal(code, 2);
  assert.match(stderr, /--size must be small or full, got "huge"\nusage: /);
  assert.throws(() => parseSampleDataArgs(["--scale", "x"]), /--scale needs a number, got "x"/);
  assert.throws(() => parseSampleDataArgs(["--out"]), /--out needs a value/);
});
