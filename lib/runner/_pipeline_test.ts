/**
 * The guarantees of the one pipeline, checked for both kinds of work that go through it:
 * judging (`runBenchmark`) and generating (`generateResponses`).
 *
 * @module
 */

import assert from "node:assert/strict";
import type { TaskKey } from "../data/task_key.ts";
import { loadEntries } from "../data/load_dataset.ts";
import { startScriptedServer } from "../testing/scripted_server.ts";
import { loadTrials } from "../trials/load_trials.ts";
import type { BenchmarkConfig } from "./config.ts";
import type { ModelConfig } from "../judge/model_config.ts";
import { generateResponses, type GenerationSummary } from "./generate_responses.ts";
import { runBenchmark } from "./run_benchmark.ts";
import type { RunOptions, RunSummary } from "./run_options.ts";
import { abortAtRequest, tempDir } from "./_fixtures_test_support.ts";
import {
  _assertNoKeyPieces,
  _authenticationError,
  _filesUnder,
  _rewriteAsRejected,
  _startHostileServer,
} from "./_hostile_server_test_support.ts";

type Count = "judged" | "generated";
type Summary = RunSummary & Partial<Record<Count, number>>;

/** One kind of work: how to run it, and what to expect of it. */
interface Kind {
  name: "runBenchmark()" | "generateResponses()";
  run(config: BenchmarkConfig, options: RunOptions): Promise<Summary>;
  /** What the kind's config says beside its models. */
  mode: Partial<BenchmarkConfig>;
  /** The name of its model, as the scripted server answers it. */
  model: "scripted" | "med42";
  /** A second model to run beside the first. */
  second(first: ModelConfig): ModelConfig;
  quiet: RunOptions;
  count: Count;
  /** What one model works on per task in the shipped sample: entries, or Brodeur cases. */
  items: Record<"cpc_bond" | "cpc_management" | "r_idea", number>;
  /** As messages name the model, and what it makes. */
  role: "judge" | "candidate";
  made: "judgement" | "generation";
  verb: "judges" | "generates";
  unitWord: "entries" | "cases";
  ledger(dir: string, task: TaskKey): string;
  /** A record's result field, and the fields a failure lacks. */
  result: "judgement" | "generation";
  answer: string[];
  /** The text of the files a run that recorded nothing leaves. */
  nothing: string;
  /** API keys of this kind's own: one kind's registered secret must not hide a leak of the other's. */
  keys: { good: string; wrong: string; echo: string };
  /** A token cap that stops a cpc_management run part way. */
  tokenCap: number;
  /** The preflight's row of the first model for a task of `n` items × `repeats`, none cached. */
  planRow(task: TaskKey, n: number, repeats: number): RegExp;
  /** What the folder gives its user: trials, or generated entries. */
  results(summary: Summary, dir: string): Promise<number>;
}

const KINDS: Kind[] = [
  {
    name: "runBenchmark()",
    run: runBenchmark,
    mode: {},
    model: "scripted",
    second: () => ({ name: "lexical", provider: "offline", model_id: "lexical" }),
    quiet: { progress: "silent", log: () => {} },
    count: "judged",
    // The shipped sample's entries: 70 diagnoses, 30 test plans, 48 research ideas.
    items: { cpc_bond: 70, cpc_management: 30, r_idea: 48 },
    role: "judge",
    made: "judgement",
    verb: "judges",
    unitWord: "entries",
    ledger: (dir, task) => `${dir}/scripted_${task}.jsonl`,
    result: "judgement",
    answer: ["score", "justification"],
    nothing: "",
    keys: {
      good: "sk-proj-GOODkey0123456789abcdefABCDEF",
      wrong: "sk-proj-WRONGkey9876543210zyxwvuZYXWV",
      echo: "sk-proj-ECHOkeyQRSTUVWXmnopqrstGHIJKL",
    },
    // Each prompt is some 440 tokens.
    tokenCap: 5_000,
    planRow: (task, n, repeats) =>
      new RegExp(
        `scripted +openai-compatible +scripted +${task} +${n * repeats} +0 +0 +${n * repeats}`,
      ),
    results: async (_summary, dir) => (await loadTrials(dir)).height,
  },
  {
    name: "generateResponses()",
    run: generateResponses,
    mode: { mode: "generate" },
    model: "med42",
    second: (first) => ({ ...first, name: "meditron" }),
    quiet: { study: "brodeur*", progress: "silent", log: () => {} },
    count: "generated",
    // The distinct cases of the shipped sample's Brodeur studies.
    items: { cpc_bond: 16, cpc_management: 20, r_idea: 12 },
    role: "candidate",
    made: "generation",
    verb: "generates",
    unitWord: "cases",
    ledger: (dir, task) => `${dir}/generations/med42_${task}.jsonl`,
    result: "generation",
    answer: ["text"],
    // The entries file, rewritten at the end of every run.
    nothing: "[]\n",
    keys: {
      good: "sk-proj-GENgood0123456789abcdefABCDEF",
      wrong: "sk-proj-GENwrong9876543210zyxwvuZYXWV",
      echo: "sk-proj-GENechoQRSTUVWXmnopqrstGHIJKL",
    },
    tokenCap: 2_000,
    planRow: (task, n, repeats) => new RegExp(`med42 +${task} +${n} +0 +${n * repeats}`),
    results: (summary) => Promise.resolve((summary as GenerationSummary).entries.length),
  },
];

/** One model of the kind's, at the scripted server; one task, one repeat. */
function config(
  kind: Kind,
  base_url: string,
  output_dir: string,
  task: TaskKey,
  extra: Partial<BenchmarkConfig> = {},
): BenchmarkConfig {
  const model = { name: kind.model, provider: "openai-compatible", model_id: kind.model, base_url };
  return {
    ...kind.mode,
    output_dir,
    tasks: [task],
    models: [model],
    threads: { "openai-compatible": 4 },
    repeats: 1,
    budget: {},
    ...extra,
  };
}

/** The model as messages name it: `judge "scripted"`, `candidate "med42"`. */
function who(kind: Kind): string {
  return `${kind.role} "${kind.model}"`;
}

/** A config with the kind's second model beside its first. */
function withSecond(kind: Kind, config: BenchmarkConfig): BenchmarkConfig {
  return { ...config, models: [config.models[0]!, kind.second(config.models[0]!)] };
}

/** Two models, two tasks (cpc_bond and cpc_management), two repeats. */
function wide(kind: Kind, base_url: string, output_dir: string): BenchmarkConfig {
  const tasks: TaskKey[] = ["cpc_bond", "cpc_management"];
  return withSecond(kind, config(kind, base_url, output_dir, "cpc_bond", { tasks, repeats: 2 }));
}

/** Every record of every ledger under a folder. */
async function records(dir: string): Promise<Record<string, unknown>[]> {
  const files = await _filesUnder(dir);
  return [...files].filter(([path]) => path.endsWith(".jsonl"))
    .flatMap(([, text]) => text.split("\n").filter((line) => line !== ""))
    .map((line) => JSON.parse(line));
}

for (const kind of KINDS) {
  const { count, items } = kind;

  Deno.test(`${kind.name} stops at the first rejected key, records nothing for it, and a re-run ${kind.verb} everything`, async () => {
    const { good, wrong } = kind.keys;
    await using server = _startHostileServer({ acceptKey: good });
    await using dir = await tempDir();
    const settings = config(kind, server.baseURL, dir.path, "cpc_management", {
      threads: { "openai-compatible": 2 },
    });
    const lines: string[] = [];
    const log = (line: string) => lines.push(line);
    const error = await _authenticationError(() =>
      kind.run(settings, { ...kind.quiet, log, keys: { PRECEPTRON_API_KEY: wrong } })
    );
    assert.match(error.message, new RegExp(`${who(kind)}.*HTTP 401.*fix PRECEPTRON_API_KEY`, "s"));
    assert.match(error.message, new RegExp(`re-run ${kind.verb} them; the 0 ${kind.made}\\(s\\)`));
    // At most one request per worker went out: the run stopped at the first 401.
    assert.ok(server.chat <= 2, `${server.chat} requests after the first 401`);
    assert.deepEqual(await records(dir.path), [], "nothing recorded for a rejected key");
    const written = [...(await _filesUnder(dir.path)).values()].join("");
    assert.equal(written, kind.nothing, "nothing recorded for a rejected key");
    const fixed = await kind.run(settings, {
      ...kind.quiet,
      log,
      keys: { PRECEPTRON_API_KEY: good },
    });
    assert.deepEqual([fixed[count], fixed.cached, fixed.failed], [items.cpc_management, 0, {}]);
    // Whatever was written or told: no trace of either key.
    const told = [...lines, error.message, error.stack ?? ""];
    await _assertNoKeyPieces([wrong, good], dir.path, told);
  });

  Deno.test(`${kind.name} treats a rejected key recorded by an older run as not done`, async () => {
    await using server = startScriptedServer();
    await using dir = await tempDir();
    const settings = config(kind, server.baseURL, dir.path, "cpc_management");
    await kind.run(settings, kind.quiet);
    // What runs wrote before: every item a permanent failure with a 401.
    await _rewriteAsRejected(kind.ledger(dir.path, "cpc_management"), kind.result, kind.answer);
    const again = await kind.run(settings, kind.quiet);
    const n = items.cpc_management;
    assert.deepEqual([again[count], again.cached, again.failed], [n, 0, {}]);
    assert.equal(await kind.results(again, dir.path), n);
    assert.equal(server.counts.chat, 2 * n);
  });

  Deno.test(`${kind.name} never writes or logs a key a server echoes back in a 200 reply`, async () => {
    const key = kind.keys.echo;
    await using server = _startHostileServer({ acceptKey: key, echoKeyInContent: true });
    await using dir = await tempDir();
    const lines: string[] = [];
    const summary = await kind.run(config(kind, server.baseURL, dir.path, "r_idea"), {
      ...kind.quiet,
      log: (line) => lines.push(line),
      keys: { PRECEPTRON_API_KEY: key },
    });
    assert.deepEqual([summary[count], summary.failed], [items.r_idea, {}]);
    assert.match([...(await _filesUnder(dir.path)).values()].join(""), /your key \*{3,} works/);
    await _assertNoKeyPieces([key], dir.path, [...lines, JSON.stringify(summary)]);
  });

  for (
    const [what, usage] of [
      ["negative", { prompt_tokens: -30_000_000, completion_tokens: 10 }],
      ["non-numeric", { prompt_tokens: "lots", completion_tokens: { n: 1 } }],
      ["absurdly large", { prompt_tokens: 1e30, completion_tokens: 10 }],
      // Unknown counts are not real zeros: a run that read them as 0 ran past the budget.
      ["null or missing", { prompt_tokens: null }],
    ] as const
  ) {
    Deno.test(`${kind.name} counts an estimate for ${what} token usage, within the budget, and records every result`, async () => {
      await using server = _startHostileServer({ usage });
      await using dir = await tempDir();
      const lines: string[] = [];
      const capped = config(kind, server.baseURL, dir.path, "cpc_management", {
        threads: { "openai-compatible": 1 },
        budget: { max_tokens: kind.tokenCap },
      });
      const summary = await kind.run(capped, { ...kind.quiet, log: (line) => lines.push(line) });
      // The cap stops the run part way, as real usage would.
      const cap = kind.tokenCap.toLocaleString("en-US");
      assert.match(summary.stopped ?? "", new RegExp(`^budget: max_tokens ${cap} reached`));
      const made = summary[count]!;
      assert.ok(summary.input_tokens > 0 && made < items.cpc_management, JSON.stringify(summary));
      assert.equal(server.chat, made, "every paid request is recorded");
      const written = await records(dir.path);
      assert.equal(written.length, made);
      for (const record of written) {
        assert.equal(record.usage_estimated, true);
        const counted = (record[kind.result] as { usage: { input_tokens: number } }).usage;
        assert.ok(counted.input_tokens > 0);
      }
      const warning = new RegExp(`${who(kind)}: .*token usage that cannot be right.*estimate`);
      assert.ok(lines.some((line) => warning.test(line)));
    });
  }

  Deno.test(`${kind.name} with dryRun prints the preflight and sends nothing`, async () => {
    await using server = startScriptedServer();
    await using dir = await tempDir();
    const lines: string[] = [];
    const summary = await kind.run(wide(kind, server.baseURL, dir.path), {
      ...kind.quiet,
      dryRun: true,
      log: (line) => lines.push(line),
    });
    const all = 2 * 2 * (items.cpc_bond + items.cpc_management);
    assert.deepEqual(
      [summary.dry_run, summary[count], summary.remaining, server.counts.requests],
      [true, 0, all, 0],
    );
    assert.match(lines.join("\n"), kind.planRow("cpc_bond", items.cpc_bond, 2));
    assert.match(lines.join("\n"), /dry run: nothing was sent/);
  });

  Deno.test(`${kind.name} with dryRun creates nothing on disk: no folder, no ledger, no lock`, async () => {
    await using server = startScriptedServer();
    await using parent = await tempDir();
    const dir = `${parent.path}/not-yet`;
    // Most of the ledgers of two models × two tasks never exist.
    const both = wide(kind, server.baseURL, dir);
    const all = 2 * 2 * (items.cpc_bond + items.cpc_management);
    const dry = await kind.run(both, { ...kind.quiet, dryRun: true });
    assert.deepEqual([dry.dry_run, dry.remaining, server.counts.requests], [true, all, 0]);
    await assert.rejects(() => Deno.stat(dir), Deno.errors.NotFound);
    // With ledgers there already (a torn last line too), a dry run reads them and changes nothing.
    await kind.run(config(kind, server.baseURL, dir, "cpc_bond"), kind.quiet);
    await Deno.writeTextFile(kind.ledger(dir, "cpc_bond"), '{"key":"torn', { append: true });
    const before = await _filesUnder(dir);
    const again = await kind.run(both, { ...kind.quiet, dryRun: true });
    assert.deepEqual([again.cached, again.remaining], [items.cpc_bond, all - items.cpc_bond]);
    assert.deepEqual(await _filesUnder(dir), before);
  });

  Deno.test(`${kind.name} refuses a run of more than MAX_WORK_ITEMS before it allocates`, async () => {
    await using dir = await tempDir();
    const [entry] = (await loadEntries()).entries.filter((e) => e.benchmark === "cpc_bond");
    const entries = Array.from({ length: 60_000 }, (_, i) => ({
      ...entry!,
      id: `e${i}`,
      case_id: `c${i}`,
    }));
    const two = withSecond(
      kind,
      config(kind, "http://127.0.0.1:9/v1", `${dir.path}/out`, "cpc_bond", { repeats: 100 }),
    );
    await assert.rejects(
      () => kind.run(two, { progress: "silent", log: () => {}, entries }),
      new RegExp(
        `would plan 12,000,000 ${kind.made}s \\(2 ${kind.role}\\(s\\) × 60,000 ${kind.unitWord} × ` +
          "100 repeat\\(s\\)\\), more than the 10,000,000 one run takes",
      ),
    );
    await assert.rejects(() => Deno.stat(`${dir.path}/out`), Deno.errors.NotFound);
  });

  Deno.test(`${kind.name} stops on its signal, records the request in flight, and resumes`, async () => {
    const controller = new AbortController();
    await using server = startScriptedServer({ onRequest: abortAtRequest(controller, 4) });
    await using dir = await tempDir();
    const settings = config(kind, server.baseURL, dir.path, "cpc_management", {
      threads: { "openai-compatible": 1 },
    });
    const stopped = await kind.run(settings, { ...kind.quiet, signal: controller.signal });
    assert.equal(stopped.stopped, "cancelled");
    // 4 made (the 4th in flight when the signal came, and recorded); no new one started.
    const n = items.cpc_management;
    assert.deepEqual([stopped[count], stopped.remaining, server.counts.chat], [4, n - 4, 4]);
    assert.equal(await kind.results(stopped, dir.path), 4);
    const rest = await kind.run(settings, kind.quiet);
    assert.deepEqual([rest[count], rest.cached, server.counts.chat], [n - 4, 4, n]);
    assert.equal(await kind.results(rest, dir.path), n);
  });

  Deno.test(`${kind.name} stops cleanly at a budget cap and a re-run finishes the rest`, async () => {
    await using server = startScriptedServer();
    await using dir = await tempDir();
    const capped = config(kind, server.baseURL, dir.path, "cpc_bond", {
      tasks: ["cpc_bond", "cpc_management"],
      budget: { max_requests: 25 },
    });
    const all = items.cpc_bond + items.cpc_management;
    const partial = await kind.run(capped, kind.quiet);
    assert.match(partial.stopped ?? "", /^budget: max_requests 25/);
    assert.deepEqual([partial[count], partial.remaining, server.counts.chat], [25, all - 25, 25]);
    assert.equal(await kind.results(partial, dir.path), 25);
    const rest = await kind.run({ ...capped, budget: {} }, kind.quiet);
    assert.deepEqual([rest[count], rest.cached], [all - 25, 25]);
    assert.equal(server.counts.chat, all, "nothing was paid for twice");
  });
}
