import assert from "node:assert/strict";
import { join } from "node:path";
import { startScriptedServer } from "../lib/testing/scripted_server.ts";
import { main } from "./benchmark.ts";

/** Runs `main` with console output captured (it prints the plan, the summary and the file). */
async function run(args: string[]): Promise<{ status: number; out: string }> {
  const lines: string[] = [];
  const log = console.log;
  const error = console.error;
  console.log = (...parts: unknown[]) => lines.push(parts.join(" "));
  console.error = (...parts: unknown[]) => lines.push(parts.join(" "));
  try {
    return { status: await main(args), out: lines.join("\n") };
  } finally {
    console.log = log;
    console.error = error;
  }
}

Deno.test("benchmark CLI runs a mode: generate config over the chosen studies", async () => {
  await using server = startScriptedServer();
  const dir = await Deno.makeTempDir();
  const path = join(dir, "gen.yaml");
  await Deno.writeTextFile(
    path,
    [
      "mode: generate",
      "output_dir: generated",
      "tasks: [cpc_bond, cpc_management]",
      "models:",
      `  - { name: med42, provider: openai-compatible, model_id: med42, base_url: "${server.baseURL}" }`,
      "",
    ].join("\n"),
  );
  const dry = await run(["--config", path, "--study", "brodeur*", "--dry-run", "--quiet"]);
  assert.equal(dry.status, 0);
  assert.equal(server.counts.requests, 0);
  assert.match(dry.out, /total requests: 36/); // 16 CPC cases + 20 test-plan cases

  const first = await run([
    "--config",
    path,
    "--study",
    "brodeur2025_cpc,brodeur2025_testplan",
    "--quiet",
  ]);
  assert.equal(first.status, 0, first.out);
  const entriesPath = join(dir, "generated", "generated_entries.json");
  assert.match(
    first.out,
    new RegExp(`wrote ${entriesPath.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`),
  );
  const entries = JSON.parse(await Deno.readTextFile(entriesPath)) as { model: string }[];
  assert.deepEqual([entries.length, server.counts.chat], [36, 36]);
  assert.ok(entries.every((e) => e.model === "med42"));

  const again = await run(["--config", path, "--study", "brodeur*", "--quiet"]);
  assert.deepEqual([again.status, server.counts.chat], [0, 36]);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("benchmark CLI rejects --study for a judging config", async () => {
  const dir = await Deno.makeTempDir();
  const path = join(dir, "judge.yaml");
  await Deno.writeTextFile(
    path,
    "output_dir: trials\nmodels:\n  - { name: base, provider: offline, model_id: lexical }\n",
  );
  const result = await run(["--config", path, "--study", "brodeur*", "--quiet"]);
  assert.equal(result.status, 1);
  assert.match(result.out, /--study applies to mode: generate configs/);
  await Deno.remove(dir, { recursive: true });
});
