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

Deno.test("benchmark CLI judges only the config's studies, or those of --study", async () => {
  const dir = await Deno.makeTempDir();
  const path = join(dir, "judge.yaml");
  await Deno.writeTextFile(
    path,
    "output_dir: trials\ntasks: [cpc_bond]\nstudies: [brodeur2025_cpc]\n" +
      "models:\n  - { name: base, provider: offline, model_id: lexical }\n",
  );
  // The shipped sample's cpc_bond entries, counted from the file itself.
  const sample = JSON.parse(
    await Deno.readTextFile(new URL("../data/preceptron-sample.json", import.meta.url)),
  ) as { study: string; benchmark: string }[];
  const count = (test: (study: string) => boolean) =>
    sample.filter((e) => e.benchmark === "cpc_bond" && test(e.study)).length;
  const ledger = join(dir, "trials", "base_cpc_bond.jsonl");
  const lines = async () => (await Deno.readTextFile(ledger)).trim().split("\n").length;

  const first = await run(["--config", path, "--quiet"]);
  assert.equal(first.status, 0, first.out);
  const cpc = count((s) => s === "brodeur2025_cpc");
  assert.ok(cpc > 0);
  assert.match(first.out, new RegExp(`studies \\["brodeur2025_cpc"\\]: ${cpc} of 360 entries`));
  assert.equal(await lines(), cpc);

  const buckley = await run(["--config", path, "--study", "buckley*", "--quiet"]);
  assert.equal(buckley.status, 0, buckley.out);
  assert.equal(await lines(), cpc + count((s) => s.startsWith("buckley")));

  const typo = await run(["--config", path, "--study", "bukley2025", "--quiet"]);
  assert.equal(typo.status, 1);
  assert.match(typo.out, /no entries with study "bukley2025"; present: .*buckley2025/);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("deno task benchmark --detach submits a batch judge's batches and exits; --collect collects them", async () => {
  const { startBatchImitation } = await import("../lib/testing/batch_imitation.ts");
  await using imitation = startBatchImitation({ seed: 5, advanceAfterPolls: Infinity });
  const dir = await Deno.makeTempDir();
  const configPath = join(dir, "batch.yaml");
  await Deno.writeTextFile(
    configPath,
    [
      `output_dir: ${join(dir, "out")}`,
      "tasks: [cpc_management]",
      "models:",
      "  - { name: batched, provider: openai-compatible, model_id: scripted, " +
      `base_url: "${imitation.baseURL}", batch: true }`,
    ].join("\n"),
  );
  Deno.env.set("PRECEPTRON_API_KEY", "sk-test-cli-batch");
  try {
    assert.equal(await main(["--config", configPath, "--quiet", "--detach"]), 0);
    assert.equal(imitation.counts.batchesCreated.openai, 1);
    assert.equal(imitation.counts.itemsAnswered, 30, "submitted, not collected");
    imitation.control.finish();
    assert.equal(await main(["--config", configPath, "--quiet", "--collect"]), 0);
    const lines = (await Deno.readTextFile(join(dir, "out", "batched_cpc_management.jsonl")))
      .trim().split("\n");
    assert.equal(lines.length, 30);
    assert.equal(imitation.counts.batchesCreated.openai, 1, "nothing submitted twice");
  } finally {
    Deno.env.delete("PRECEPTRON_API_KEY");
  }
});
