import assert from "node:assert/strict";
import { generateSample } from "../sample/generate_sample.ts";
import { startScriptedServer } from "../testing/scripted_server.ts";
import type { BenchmarkConfig } from "./config.ts";
import type { ModelConfig } from "../judge/model_config.ts";
import { loadTrials } from "../trials/load_trials.ts";
import { runBenchmark } from "./run_benchmark.ts";

const quiet = { progress: "silent" as const, log: () => {} };

/** The scripted server's judge. */
function scriptedJudge(base_url: string): ModelConfig {
  return { name: "scripted", provider: "openai-compatible", model_id: "scripted", base_url };
}

/** Two tasks, two judges (the offline lexical one and the scripted one), two repeats. */
function config(output_dir: string, base_url: string): BenchmarkConfig {
  return {
    output_dir,
    tasks: ["cpc_bond", "cpc_management"],
    models: [
      { name: "lexical", provider: "offline", model_id: "lexical" },
      scriptedJudge(base_url),
    ],
    threads: { "openai-compatible": 4 },
    repeats: 2,
    budget: {},
  };
}

/** One task, the scripted judge alone, one repeat. */
function scriptedOnly(
  output_dir: string,
  base_url: string,
  task: BenchmarkConfig["tasks"][number],
  extra: Partial<BenchmarkConfig> = {},
): BenchmarkConfig {
  return {
    ...config(output_dir, base_url),
    tasks: [task],
    models: [scriptedJudge(base_url)],
    repeats: 1,
    ...extra,
  };
}

Deno.test("runBenchmark() judges every judge × task × entry × repeat once, then sends nothing", async () => {
  await using server = startScriptedServer();
  const dir = await Deno.makeTempDir({ prefix: "preceptron-run-" });
  const first = await runBenchmark(config(dir, server.baseURL), quiet);
  // The shipped sample has 70 cpc_bond and 30 cpc_management entries; 2 judges × 2 repeats.
  assert.equal(first.judged, (70 + 30) * 2 * 2);
  assert.equal(first.cached, 0);
  assert.equal(server.counts.chat, (70 + 30) * 2);
  const again = await runBenchmark(config(dir, server.baseURL), quiet);
  assert.deepEqual([again.judged, again.cached], [0, 400]);
  assert.equal(server.counts.chat, (70 + 30) * 2, "a re-run sends zero requests");
  const trials = await loadTrials(dir);
  assert.equal(trials.height, 400);
  assert.deepEqual(
    [...new Set(trials.getColumn("judge").toArray() as string[])].sort(),
    ["lexical", "scripted"],
  );
});

Deno.test("runBenchmark() sends one request for entries with the same content", async () => {
  await using server = startScriptedServer();
  const dir = await Deno.makeTempDir({ prefix: "preceptron-run-" });
  const [entry] = generateSample({ size: "small" }).filter((e) => e.benchmark === "cpc_bond");
  // A second participant who wrote the very same answer: same key, so one judgement serves both.
  const entries = [entry!, { ...entry!, id: `${entry!.id}-twin` }];
  const options = { ...quiet, entries };
  const only = scriptedOnly(dir, server.baseURL, "cpc_bond");
  const first = await runBenchmark(only, options);
  assert.deepEqual([first.judged, first.cached, server.counts.chat], [1, 1, 1]);
  const again = await runBenchmark(only, options);
  assert.deepEqual([again.judged, again.cached, server.counts.chat], [0, 2, 1]);
  // Both entries have their trial — the same judgement — and a re-run writes nothing more.
  const trials = await loadTrials(dir);
  assert.deepEqual(trials.getColumn("entry_id").toArray(), [entry!.id, `${entry!.id}-twin`]);
  const [a, b] = trials.getColumn("score").toArray();
  assert.equal(a, b);
  const lines = (await Deno.readTextFile(`${dir}/scripted_cpc_bond.jsonl`)).trim().split("\n");
  assert.equal(lines.length, 2);
});

Deno.test("runBenchmark() stopped by its budget copies the twins of what it judged, and a re-run the rest", async () => {
  await using server = startScriptedServer();
  const dir = await Deno.makeTempDir({ prefix: "preceptron-run-" });
  const sample = generateSample({ size: "small" }).filter((e) => e.benchmark === "cpc_bond");
  // Three answers, each followed by a participant who wrote the very same one.
  const entries = sample.slice(0, 3).flatMap((e) => [e, { ...e, id: `${e.id}-twin` }]);
  const only = scriptedOnly(dir, server.baseURL, "cpc_bond", {
    threads: { "openai-compatible": 1 },
    budget: { max_requests: 2 },
  });
  const partial = await runBenchmark(only, { ...quiet, entries });
  assert.match(partial.stopped ?? "", /^budget: max_requests 2/);
  assert.deepEqual([partial.judged, server.counts.chat], [2, 2]);
  const written = async () =>
    (await Deno.readTextFile(`${dir}/scripted_cpc_bond.jsonl`)).trim().split("\n")
      .map((line) => JSON.parse(line).entry_id);
  const ids = entries.map((e) => e.id);
  assert.deepEqual(await written(), ids.slice(0, 4), "the judged two and their twins");
  const rest = await runBenchmark({ ...only, budget: {} }, { ...quiet, entries });
  assert.deepEqual([rest.judged, rest.cached, server.counts.chat], [1, 5, 3]);
  assert.deepEqual(await written(), ids);
});

Deno.test("runBenchmark() gives an entry the judgement its twin already has, without a request", async () => {
  await using server = startScriptedServer();
  const dir = await Deno.makeTempDir({ prefix: "preceptron-run-" });
  const [entry] = generateSample({ size: "small" }).filter((e) => e.benchmark === "r_idea");
  const twin = { ...entry!, id: `${entry!.id}-twin` };
  const only = scriptedOnly(dir, server.baseURL, "r_idea");
  // A run that knew only the first entry (or was killed before the twin's record was written).
  await runBenchmark(only, { ...quiet, entries: [entry!] });
  assert.equal(server.counts.chat, 1);
  const later = await runBenchmark(only, { ...quiet, entries: [entry!, twin] });
  assert.deepEqual([later.judged, later.cached, server.counts.chat], [0, 2, 1]);
  const trials = await loadTrials(dir);
  assert.deepEqual(trials.getColumn("entry_id").toArray(), [entry!.id, twin.id]);
  assert.equal(trials.getColumn("key").toArray()[0], trials.getColumn("key").toArray()[1]);
});

Deno.test("runBenchmark() refuses a cached score off its entry's own scale, naming file and line", async () => {
  await using server = startScriptedServer();
  const dir = await Deno.makeTempDir({ prefix: "preceptron-run-" });
  const entry = generateSample({ size: "small" }).find((e) =>
    e.benchmark === "management_reasoning"
  )!;
  const only = scriptedOnly(dir, server.baseURL, "management_reasoning");
  await runBenchmark(only, { ...quiet, entries: [entry] });
  const path = `${dir}/scripted_management_reasoning.jsonl`;
  const record = JSON.parse(await Deno.readTextFile(path));
  record.judgement.score = (entry.max_score ?? 20) + 7; // a whole number, but above this entry's max
  await Deno.writeTextFile(path, JSON.stringify(record) + "\n");
  await assert.rejects(
    () => runBenchmark(only, { ...quiet, entries: [entry] }),
    new RegExp(`scripted_management_reasoning.jsonl line 1: score .* is outside 0\\.\\.`),
  );
});
