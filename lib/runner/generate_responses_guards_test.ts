import assert from "node:assert/strict";
import type { TaskKey } from "../data/task_key.ts";
import { loadEntries } from "../data/load_dataset.ts";
import { startScriptedServer } from "../testing/scripted_server.ts";
import type { BenchmarkConfig } from "./config.ts";
import { type GenerateOptions, generateResponses } from "./generate_responses.ts";
import { lockJudge, RunLockedError } from "./run_lock.ts";
import {
  _assertNoKeyPieces,
  _authenticationError,
  _filesUnder,
  _rewriteAsRejected,
  _startHostileServer,
} from "./_hostile_server_test_support.ts";

const quiet: GenerateOptions = { study: "brodeur*", progress: "silent", log: () => {} };

function config(
  base_url: string,
  output_dir: string,
  task: TaskKey,
  extra: Partial<BenchmarkConfig> = {},
): BenchmarkConfig {
  return {
    mode: "generate",
    output_dir,
    tasks: [task],
    models: [{ name: "med42", provider: "openai-compatible", model_id: "med42", base_url }],
    threads: { "openai-compatible": 2 },
    repeats: 1,
    budget: {},
    ...extra,
  };
}

/** Every record of every generation ledger under a folder. */
async function records(dir: string): Promise<Record<string, unknown>[]> {
  const files = await _filesUnder(dir);
  return [...files].filter(([path]) => path.endsWith(".jsonl"))
    .flatMap(([, text]) => text.split("\n").filter((line) => line !== ""))
    .map((line) => JSON.parse(line));
}

Deno.test("generateResponses() twice at once on one folder: one run generates, the other stops at once", async () => {
  await using server = startScriptedServer({ faults: [{ kind: "latency", ms: 5 }] });
  const dir = await Deno.makeTempDir({ prefix: "preceptron-gen-" });
  const settings = config(server.baseURL, dir, "cpc_bond");
  const [a, b] = await Promise.allSettled([
    generateResponses(settings, quiet),
    generateResponses(settings, quiet),
  ]);
  const done = [a, b].filter((r) => r.status === "fulfilled");
  const refused = [a, b].filter((r) => r.status === "rejected");
  assert.deepEqual([done.length, refused.length], [1, 1]);
  const error = (refused[0] as PromiseRejectedResult).reason;
  assert.ok(error instanceof RunLockedError, String(error));
  assert.match(error.message, new RegExp(`pid ${Deno.pid} on .*candidate "med42"`));
  assert.equal(server.counts.chat, 16, "one request per case, none paid twice");
  assert.equal((await records(dir)).length, 16);
  // The lock went with its run; a judging run's lock of the same name blocks nothing here.
  await using _judging = await lockJudge(dir, "med42");
  const again = await generateResponses(settings, quiet);
  assert.deepEqual([again.generated, again.cached, server.counts.chat], [0, 16, 16]);
});

Deno.test("generateResponses() stops at the first rejected key, records nothing for it, and a re-run generates everything", async () => {
  const good = "sk-proj-GENgood0123456789abcdefABCDEF";
  const wrong = "sk-proj-GENwrong9876543210zyxwvuZYXWV";
  await using server = _startHostileServer({ acceptKey: good });
  const dir = await Deno.makeTempDir({ prefix: "preceptron-gen-" });
  const settings = config(server.baseURL, dir, "cpc_bond");
  const lines: string[] = [];
  const log = (line: string) => lines.push(line);
  const error = await _authenticationError(() =>
    generateResponses(settings, { ...quiet, log, keys: { PRECEPTRON_API_KEY: wrong } })
  );
  assert.match(error.message, /candidate "med42".*HTTP 401.*fix PRECEPTRON_API_KEY/s);
  assert.match(error.message, /re-run generates them; the 0 generation\(s\)/);
  assert.ok(server.chat <= 2, `${server.chat} requests after the first 401`);
  assert.deepEqual(await records(dir), [], "nothing recorded for a rejected key");
  const fixed = await generateResponses(settings, {
    ...quiet,
    log,
    keys: { PRECEPTRON_API_KEY: good },
  });
  assert.deepEqual([fixed.generated, fixed.cached, fixed.failed], [16, 0, {}]);
  const told = [...lines, error.message, error.stack ?? ""];
  await _assertNoKeyPieces([wrong, good], dir, told);
});

Deno.test("generateResponses() treats a rejected key recorded by an older run as not generated", async () => {
  await using server = startScriptedServer();
  const dir = await Deno.makeTempDir({ prefix: "preceptron-gen-" });
  const settings = config(server.baseURL, dir, "cpc_bond");
  await generateResponses(settings, quiet);
  const path = `${dir}/generations/med42_cpc_bond.jsonl`;
  await _rewriteAsRejected(path, "generation", ["text"]);
  const again = await generateResponses(settings, quiet);
  assert.deepEqual([again.generated, again.cached, again.entries.length], [16, 0, 16]);
  assert.equal(server.counts.chat, 32);
});

Deno.test("generateResponses() never writes or logs a key a server echoes in replies", async () => {
  const key = "sk-proj-GENechoQRSTUVWXmnopqrstGHIJKL";
  await using server = _startHostileServer({ acceptKey: key, echoKeyInContent: true });
  const dir = await Deno.makeTempDir({ prefix: "preceptron-gen-" });
  const lines: string[] = [];
  const summary = await generateResponses(config(server.baseURL, dir, "r_idea"), {
    ...quiet,
    log: (line) => lines.push(line),
    keys: { PRECEPTRON_API_KEY: key },
  });
  assert.deepEqual([summary.generated, summary.failed], [12, {}]);
  assert.match([...(await _filesUnder(dir)).values()].join(""), /your key \*{3,} works/);
  await _assertNoKeyPieces([key], dir, [...lines, JSON.stringify(summary)]);
});

for (
  const [what, usage] of [
    ["negative", { prompt_tokens: -30_000_000, completion_tokens: 10 }],
    ["absurdly large", { prompt_tokens: 1e30, completion_tokens: 10 }],
    ["null or missing", { prompt_tokens: null }],
  ] as const
) {
  Deno.test(`generateResponses() counts an estimate for ${what} token usage, within the budget`, async () => {
    await using server = _startHostileServer({ usage });
    const dir = await Deno.makeTempDir({ prefix: "preceptron-gen-" });
    const lines: string[] = [];
    const capped = config(server.baseURL, dir, "cpc_management", {
      threads: { "openai-compatible": 1 },
      budget: { max_tokens: 2_000 },
    });
    const summary = await generateResponses(capped, { ...quiet, log: (l) => lines.push(l) });
    assert.match(summary.stopped ?? "", /^budget: max_tokens 2,000 reached/);
    assert.ok(summary.input_tokens > 0 && summary.generated < 20, JSON.stringify(summary));
    assert.equal(server.chat, summary.generated, "every paid request is recorded");
    const written = await records(dir);
    assert.equal(written.length, summary.generated);
    for (const record of written) {
      assert.equal(record.usage_estimated, true);
      const counted = (record.generation as { usage: { input_tokens: number } }).usage;
      assert.ok(counted.input_tokens > 0);
    }
    assert.ok(lines.some((line) => /candidate "med42".*usage that cannot be right/.test(line)));
  });
}

Deno.test("generateResponses() with dryRun creates nothing on disk: no folder, no ledger, no lock", async () => {
  await using server = startScriptedServer();
  const parent = await Deno.makeTempDir({ prefix: "preceptron-gen-" });
  const dir = `${parent}/not-yet`;
  const dry = await generateResponses(config(server.baseURL, dir, "cpc_bond"), {
    ...quiet,
    dryRun: true,
  });
  assert.deepEqual([dry.dry_run, dry.remaining, server.counts.requests], [true, 16, 0]);
  await assert.rejects(() => Deno.stat(dir), Deno.errors.NotFound);
  // With ledgers there already (a torn last line too), a dry run reads them and changes nothing.
  await generateResponses(config(server.baseURL, dir, "cpc_bond"), quiet);
  await Deno.writeTextFile(`${dir}/generations/med42_cpc_bond.jsonl`, '{"key":"torn', {
    append: true,
  });
  const before = await _filesUnder(dir);
  const again = await generateResponses(config(server.baseURL, dir, "cpc_bond"), {
    ...quiet,
    dryRun: true,
  });
  assert.deepEqual([again.cached, again.remaining], [16, 0]);
  assert.deepEqual(await _filesUnder(dir), before);
});

Deno.test("generateResponses() refuses a run of more than MAX_WORK_ITEMS before it allocates", async () => {
  const dir = await Deno.makeTempDir({ prefix: "preceptron-gen-" });
  const [entry] = (await loadEntries()).entries.filter((e) => e.benchmark === "cpc_bond");
  const entries = Array.from({ length: 60_000 }, (_, i) => ({
    ...entry!,
    id: `e${i}`,
    case_id: `c${i}`,
  }));
  const two = config("http://127.0.0.1:9/v1", `${dir}/out`, "cpc_bond", { repeats: 100 });
  two.models = [two.models[0]!, { ...two.models[0]!, name: "meditron" }];
  await assert.rejects(
    () => generateResponses(two, { progress: "silent", log: () => {}, entries }),
    /would plan 12,000,000 generations \(2 candidate\(s\) × 60,000 cases × 100 repeat/,
  );
  await assert.rejects(() => Deno.stat(`${dir}/out`), Deno.errors.NotFound);
});
