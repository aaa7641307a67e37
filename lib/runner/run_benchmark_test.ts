import assert from "node:assert/strict";
import { generateSample } from "../sample/generate_sample.ts";
import { startScriptedServer } from "../testing/scripted_server.ts";
import type { BenchmarkConfig, ModelConfig } from "./config.ts";
import { loadTrials } from "../trials/load_trials.ts";
import { runBenchmark } from "./run_benchmark.ts";
import { abortAtRequest } from "./_fixtures_test_support.ts";
import {
  _assertNoKeyPieces,
  _authenticationError,
  _filesUnder,
  _rewriteAsRejected,
  _startHostileServer,
} from "./_hostile_server_test_support.ts";

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

Deno.test("runBenchmark() stops cleanly at a budget cap and a re-run finishes the rest", async () => {
  await using server = startScriptedServer();
  const dir = await Deno.makeTempDir({ prefix: "preceptron-run-" });
  const capped: BenchmarkConfig = {
    ...config(dir, server.baseURL),
    models: [scriptedJudge(server.baseURL)],
    repeats: 1,
    budget: { max_requests: 25 },
  };
  const partial = await runBenchmark(capped, quiet);
  assert.match(partial.stopped ?? "", /^budget: max_requests/);
  assert.equal(partial.judged, 25);
  assert.equal(partial.remaining, 100 - 25);
  const rest = await runBenchmark({ ...capped, budget: {} }, quiet);
  assert.deepEqual([rest.judged, rest.cached], [75, 25]);
  assert.equal(server.counts.chat, 100, "nothing was paid for twice");
});

Deno.test("runBenchmark() with dryRun prints the preflight and sends nothing", async () => {
  await using server = startScriptedServer();
  const dir = await Deno.makeTempDir({ prefix: "preceptron-run-" });
  const lines: string[] = [];
  const summary = await runBenchmark(config(dir, server.baseURL), {
    dryRun: true,
    progress: "silent",
    log: (line) => lines.push(line),
  });
  assert.equal(summary.dry_run, true);
  assert.equal(summary.judged, 0);
  assert.equal(server.counts.chat, 0);
  assert.match(lines.join("\n"), /dry run: nothing was sent/);
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

Deno.test("runBenchmark() stops on its signal, records the request in flight, and resumes", async () => {
  const controller = new AbortController();
  await using server = startScriptedServer({ onRequest: abortAtRequest(controller, 4) });
  const dir = await Deno.makeTempDir({ prefix: "preceptron-run-" });
  const settings = scriptedOnly(dir, server.baseURL, "cpc_management", {
    threads: { "openai-compatible": 1 },
  });
  const stopped = await runBenchmark(settings, { ...quiet, signal: controller.signal });
  assert.equal(stopped.stopped, "cancelled");
  // The shipped sample's 30 test plans: 4 answered (the 4th in flight when the signal came).
  assert.deepEqual([stopped.judged, stopped.remaining, server.counts.chat], [4, 26, 4]);
  const rest = await runBenchmark(settings, quiet);
  assert.deepEqual([rest.judged, rest.cached, server.counts.chat], [26, 4, 30]);
});

Deno.test("runBenchmark() stops at the first rejected key, records nothing for it, and a re-run judges everything", async () => {
  const good = "sk-proj-GOODkey0123456789abcdefABCDEF";
  const wrong = "sk-proj-WRONGkey9876543210zyxwvuZYXWV";
  await using server = _startHostileServer({ acceptKey: good });
  const dir = await Deno.makeTempDir({ prefix: "preceptron-run-" });
  const only = scriptedOnly(dir, server.baseURL, "cpc_management", {
    threads: { "openai-compatible": 2 },
  });
  const lines: string[] = [];
  const log = (line: string) => lines.push(line);
  const error = await _authenticationError(() =>
    runBenchmark(only, { progress: "silent", log, keys: { PRECEPTRON_API_KEY: wrong } })
  );
  assert.match(error.message, /judge "scripted".*HTTP 401.*fix PRECEPTRON_API_KEY/s);
  // At most one request per worker went out: the run stopped at the first 401.
  assert.ok(server.chat <= 2, `${server.chat} requests after the first 401`);
  const written = await _filesUnder(dir);
  assert.equal([...written.values()].join(""), "", "nothing recorded for a rejected key");
  const fixed = await runBenchmark(only, { ...quiet, keys: { PRECEPTRON_API_KEY: good } });
  assert.deepEqual([fixed.judged, fixed.cached, fixed.failed], [30, 0, {}]);
  // Whatever was written or told: no trace of either key.
  const told = [...lines, error.message, error.stack ?? ""];
  await _assertNoKeyPieces([wrong, good], dir, told);
});

Deno.test("runBenchmark() treats a rejected key recorded by an older run as not judged", async () => {
  await using server = startScriptedServer();
  const dir = await Deno.makeTempDir({ prefix: "preceptron-run-" });
  const only = scriptedOnly(dir, server.baseURL, "cpc_management");
  await runBenchmark(only, quiet);
  const path = `${dir}/scripted_cpc_management.jsonl`;
  // What runs wrote before: every item a permanent failure with a 401.
  await _rewriteAsRejected(path, "judgement", ["score", "justification"]);
  const again = await runBenchmark(only, quiet);
  assert.deepEqual([again.judged, again.cached, again.failed], [30, 0, {}]);
  assert.equal(server.counts.chat, 60);
});

Deno.test("runBenchmark() never writes or logs a key a server echoes back in a 200 reply", async () => {
  const key = "sk-proj-ECHOkeyQRSTUVWXmnopqrstGHIJKL";
  await using server = _startHostileServer({ acceptKey: key, echoKeyInContent: true });
  const dir = await Deno.makeTempDir({ prefix: "preceptron-run-" });
  const lines: string[] = [];
  const summary = await runBenchmark(scriptedOnly(dir, server.baseURL, "r_idea"), {
    progress: "silent",
    log: (line) => lines.push(line),
    keys: { PRECEPTRON_API_KEY: key },
  });
  assert.deepEqual([summary.judged, summary.failed], [48, {}]); // the sample's 48 research ideas
  assert.match([...(await _filesUnder(dir)).values()].join(""), /your key \*{3,} works/);
  await _assertNoKeyPieces([key], dir, [...lines, JSON.stringify(summary)]);
});

for (
  const [what, usage] of [
    ["negative", { prompt_tokens: -30_000_000, completion_tokens: 10 }],
    ["non-numeric", { prompt_tokens: "lots", completion_tokens: { n: 1 } }],
    ["absurdly large", { prompt_tokens: 1e30, completion_tokens: 10 }],
    // Unknown counts are not real zeros: a judge that read them as 0 ran past the budget.
    ["null or missing", { prompt_tokens: null }],
  ] as const
) {
  Deno.test(`runBenchmark() counts an estimate for ${what} token usage, within the budget, and records every judgement`, async () => {
    await using server = _startHostileServer({ usage });
    const dir = await Deno.makeTempDir({ prefix: "preceptron-run-" });
    const lines: string[] = [];
    const capped = scriptedOnly(dir, server.baseURL, "cpc_management", {
      threads: { "openai-compatible": 1 },
      budget: { max_tokens: 5_000 },
    });
    const summary = await runBenchmark(capped, {
      progress: "silent",
      log: (line) => lines.push(line),
    });
    // Each prompt is some 440 tokens: the cap stops the run part way, as real usage would.
    assert.match(summary.stopped ?? "", /^budget: max_tokens 5,000 reached/);
    assert.ok(summary.input_tokens > 0 && summary.judged < 30, JSON.stringify(summary));
    assert.equal(server.chat, summary.judged, "every paid request is recorded");
    const records = (await Deno.readTextFile(`${dir}/scripted_cpc_management.jsonl`))
      .trim().split("\n").map((line) => JSON.parse(line));
    assert.equal(records.length, summary.judged);
    for (const record of records) {
      assert.equal(record.usage_estimated, true);
      assert.ok(record.judgement.usage.input_tokens > 0);
    }
    assert.ok(lines.some((line) => /token usage that cannot be right.*estimate/.test(line)));
  });
}

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

Deno.test("runBenchmark() with dryRun creates nothing on disk: no folder, no ledger, no lock", async () => {
  await using server = startScriptedServer();
  const parent = await Deno.makeTempDir({ prefix: "preceptron-run-" });
  const dir = `${parent}/not-yet`;
  const summary = await runBenchmark(config(dir, server.baseURL), { ...quiet, dryRun: true });
  assert.equal(summary.dry_run, true);
  await assert.rejects(() => Deno.stat(dir), Deno.errors.NotFound);
  // With ledgers there already (a torn last line too), a dry run reads them and changes nothing.
  await runBenchmark(scriptedOnly(dir, server.baseURL, "cpc_bond"), quiet);
  const path = `${dir}/scripted_cpc_bond.jsonl`;
  await Deno.writeTextFile(path, '{"key":"torn', { append: true });
  const before = await _filesUnder(dir);
  const dry = await runBenchmark(config(dir, server.baseURL), { ...quiet, dryRun: true });
  assert.equal(dry.cached, 70);
  assert.deepEqual(await _filesUnder(dir), before);
});

Deno.test("runBenchmark() refuses a run of more than MAX_WORK_ITEMS before it allocates", async () => {
  const dir = await Deno.makeTempDir({ prefix: "preceptron-run-" });
  const [entry] = generateSample({ size: "small" });
  const entries = Array.from({ length: 200_000 }, (_, i) => ({ ...entry!, id: `e${i}` }));
  await assert.rejects(
    () =>
      runBenchmark({
        output_dir: `${dir}/out`,
        tasks: [],
        models: Array.from({ length: 2 }, (_, i) => ({
          name: `j${i}`,
          provider: "offline",
          model_id: "lexical",
        })),
        threads: {},
        repeats: 30,
        budget: {},
      }, { ...quiet, entries }),
    /would plan 12,000,000 judgements .* more than the 10,000,000 one run takes/,
  );
  await assert.rejects(() => Deno.stat(`${dir}/out`), Deno.errors.NotFound);
});
