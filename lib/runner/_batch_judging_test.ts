import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import type { BatchProvider } from "../judge/batch_limits.ts";
import { readBatchRecords } from "../batch/batch_records.ts";
import { startBatchImitation } from "../testing/batch_imitation.ts";
import { startScriptedServer } from "../testing/scripted_server.ts";
import type { BenchmarkConfig } from "./config.ts";
import { runBenchmark } from "./run_benchmark.ts";

const KEYS = {
  OPENAI_API_KEY: "sk-test-batch-run",
  ANTHROPIC_API_KEY: "sk-ant-batch-run",
  AZURE_OPENAI_API_KEY: "azure-test-batch-run",
  OPENAI_API_VERSION: "2024-10-21",
};
const PRICE = { input_per_million: 2, output_per_million: 8 };
const LIMIT = { requests: 40, bytes: 10_000_000 };
/** cpc_management's 30 entries in the shipped sample × 2 repeats, in 40-request chunks. */
const [REQUESTS, CHUNKS] = [60, 2];
const quiet = {
  progress: "silent" as const,
  log: () => {},
  keys: KEYS,
  batchPollMs: 1,
  batchLimit: LIMIT,
};

function config(provider: BatchProvider, output_dir: string, base_url: string, batch: boolean) {
  return {
    output_dir,
    tasks: ["cpc_management"],
    models: [{
      name: "judge",
      provider: provider === "openai" ? "openai-compatible" : provider,
      model_id: "scripted",
      base_url,
      price: PRICE,
      ...(batch ? { batch: true } : {}),
    }],
    threads: {},
    repeats: 2,
    budget: {},
  } as BenchmarkConfig;
}

/** Where a server answers the provider's client: OpenAI's base URL, or the bare origin. */
function urlFor(provider: BatchProvider, server: { baseURL: string; anthropicBaseURL: string }) {
  return provider === "openai" ? server.baseURL : server.anthropicBaseURL;
}

/** Every ledger line's key and outcome, sorted; fails on a key written twice. */
async function ledger(dir: string): Promise<string[]> {
  const text = await Deno.readTextFile(`${dir}/judge_cpc_management.jsonl`);
  const lines = text.trim().split("\n").map((line) => JSON.parse(line));
  const keys = lines.map((line) => line.key);
  assert.equal(new Set(keys).size, keys.length, "a judgement was written twice");
  return lines.map((line) => `${line.key} ${line.judgement.status} ${line.judgement.score}`).sort();
}

/** The same judge, live, against a scripted server with the imitation's seed. */
async function liveLedger(provider: BatchProvider) {
  await using server = startScriptedServer({ seed: 5 });
  const url = urlFor(provider, server);
  const dir = await Deno.makeTempDir();
  const summary = await runBenchmark(config(provider, dir, url, false), quiet);
  return { lines: await ledger(dir), cost: summary.cost! };
}

for (const provider of ["openai", "azure", "anthropic"] as const) {
  Deno.test(`runBenchmark() with batch: true detaches, collects, and writes a live run's ledger (${provider})`, async () => {
    await using imitation = startBatchImitation({ seed: 5, limits: { [provider]: LIMIT } });
    const url = urlFor(provider, imitation);
    const dir = await Deno.makeTempDir();
    const batched = config(provider, dir, url, true);
    const detached = await runBenchmark(batched, { ...quiet, detach: true });
    assert.equal(imitation.counts.batchesCreated[provider], CHUNKS);
    assert.equal(detached.judged + detached.remaining, REQUESTS);
    const records = await readBatchRecords(dir, "judge");
    assert.ok(records.some((record) => record.state === "live"), "batches recorded as live");
    const told: string[] = [];
    const collected = await runBenchmark(batched, {
      ...quiet,
      collect: true,
      log: (line) => told.push(line),
    });
    // The preflight counts what the live batches hold as collected, not sent.
    const sum = (field: "in_batches" | "requests") =>
      collected.preflight.reduce((total, row) => total + (row[field] ?? 0), 0);
    assert.ok(detached.remaining > 0);
    assert.deepEqual([sum("in_batches"), sum("requests")], [detached.remaining, 0]);
    assert.match(told.join("\n"), /collect: this run only collects live batches/);
    assert.match(told.join("\n"), /requests wait in live batches of an earlier run/);
    assert.equal(detached.judged + collected.judged, REQUESTS);
    assert.equal(collected.remaining, 0);
    const again = await runBenchmark(batched, quiet);
    assert.deepEqual([again.judged, again.cached], [0, REQUESTS]);
    assert.equal(imitation.counts.batchesCreated[provider], CHUNKS, "nothing submitted twice");
    const live = await liveLedger(provider);
    assert.deepEqual(await ledger(dir), live.lines);
    // Usage as the live run's, billed at the default batch discount (0.5).
    const cost = (detached.cost ?? 0) + (collected.cost ?? 0);
    assert.ok(Math.abs(cost - live.cost / 2) < 1e-12, `${cost} vs ${live.cost} / 2`);
  });

  Deno.test(`runBenchmark() with batch: true resumes after kill -9 while polling: each entry judged once (${provider})`, async () => {
    await using imitation = startBatchImitation({
      seed: 5,
      limits: { [provider]: LIMIT },
      advanceAfterPolls: Infinity, // the batches wait until the test moves them on
    });
    const url = urlFor(provider, imitation);
    const dir = await Deno.makeTempDir();
    const batched = config(provider, dir, url, true);
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        fileURLToPath(new URL("./_batch_child_test_support.ts", import.meta.url)),
        JSON.stringify({ config: batched, keys: KEYS, batchPollMs: 5, batchLimit: LIMIT }),
      ],
      stdout: "null",
      stderr: "null",
    }).spawn();
    // Kill it once every chunk is live and it has polled them.
    for (let i = 0; imitation.counts.polls[provider] < CHUNKS * 2; i++) {
      assert.ok(i < 3000, "the child never polled its batches");
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    child.kill("SIGKILL");
    await child.status;
    assert.equal(imitation.counts.batchesCreated[provider], CHUNKS);
    imitation.control.finish();
    const resumed = await runBenchmark(batched, quiet);
    assert.equal(resumed.judged, REQUESTS);
    assert.equal(imitation.counts.batchesCreated[provider], CHUNKS, "a live batch was resubmitted");
    assert.deepEqual(await ledger(dir), (await liveLedger(provider)).lines);
  });
}

Deno.test("runBenchmark() with batch: true submits no more than budget.max_requests, and says it stopped", async () => {
  await using imitation = startBatchImitation({ seed: 5, limits: { openai: LIMIT } });
  const dir = await Deno.makeTempDir();
  const batched = {
    ...config("openai", dir, imitation.baseURL, true),
    budget: { max_requests: 25 },
  };
  const summary = await runBenchmark(batched, quiet);
  assert.equal(summary.judged, 25);
  assert.equal(summary.remaining, REQUESTS - 25);
  assert.match(summary.stopped ?? "", /^budget: /);
  assert.equal(imitation.counts.batchesCreated.openai, 1, "25 requests fit one 40-request chunk");
  assert.equal((await ledger(dir)).length, 25);
});
