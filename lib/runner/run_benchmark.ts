/**
 * `runBenchmark()`: score every entry of the chosen tasks with every configured judge —
 * resumable, cached in the ledger, at each provider's allowed concurrency, with progress. The
 * judge work item of the one pipeline: entry → judgement.
 *
 * @module
 */

import { taskInputs } from "../tasks/task_inputs.ts";
import type { TaskKey } from "../data/task_key.ts";
import type { Entry } from "../data/entry.ts";
import { lexicalJudge } from "../judge/baseline_judge.ts";
import { constantJudge } from "../judge/constant_judge.ts";
import type { Judge } from "../judge/judge.ts";
import type { FailureReason, Judgement } from "../judge/judgement.ts";
import { judgeFor } from "../judge/providers.ts";
import { scoreProblem } from "../tasks/scale.ts";
import { getTask, missingInputs } from "../tasks/tasks.ts";
import type { BenchmarkConfig } from "./config.ts";
import type { ModelConfig } from "../judge/model_config.ts";
import { judgementKey } from "../ledger/judgement_key.ts";
import { type Ledger, LedgerError, type LedgerRecord } from "../ledger/ledger.ts";
import {
  formatPreflight,
  loadTokenCounters,
  preflight,
  preflightHtml,
  type PreflightResult,
  type PreflightRow,
} from "./preflight.ts";
import type { RunOptions, RunSummary } from "./run_options.ts";
import { _describeStudy, _studyMatcher } from "./_studies.ts";
import { _JUDGEMENTS } from "../ledger/_ledger_formats.ts";
import { _judgeInBatches } from "./_batch_judging.ts";
import { readBatchRecords } from "../batch/batch_records.ts";
import type { BatchLimit } from "../judge/batch_limits.ts";
import {
  _CACHED,
  type _Plan,
  _runPipeline,
  _SHARES,
  type _WorkerContext,
  type _WorkKind,
} from "./_pipeline.ts";

export { MAX_WORK_ITEMS } from "./_pipeline.ts";

/** How to run: keys, dry run, retry policy, progress, cancellation, entries, studies, batches. */
export interface RunBenchmarkOptions extends RunOptions {
  /** How often to poll a live batch, in milliseconds (default 30,000). */
  batchPollMs?: number;
  /** Smaller batch limits than the provider's (`BATCH_LIMITS`), for tests. */
  batchLimit?: BatchLimit;
}

/** What a run did. */
export interface BenchmarkSummary extends RunSummary<FailureReason> {
  /** The preflight estimate, per judge and task. */
  preflight: PreflightRow[];
  /** Judgements made in this run (scored or failed). */
  judged: number;
}

/**
 * Runs a benchmark: every (judge × task × entry × repeat), skipping what the ledger already
 * holds, at each provider's `threads` (lowered on 429s, raised again after successes), within
 * the budget, with live progress, writing each judgement to `{output_dir}/{name}_{task}.jsonl`
 * as it arrives. Stop it at any moment (Ctrl-C, `signal`, a budget cap): a re-run picks up
 * where it stopped and pays for nothing twice.
 *
 * Entries with the same content (two participants who wrote the same answer) have the same
 * key: one request judges them all, and each still gets its own record (a copy of the
 * judgement, for nothing), so that every entry has its trial. A cached score off its entry's
 * own scale (a management rubric's max) is never trusted. Each judge's ledgers are locked for
 * the run (`lockJudge`); a rejected key (401, 403, `invalid_api_key`) stops the run, records
 * nothing for that request and throws `AuthenticationError`; implausible token usage is
 * recorded as an estimate (`usage_estimated: true`) that the budget counts; `dryRun` reads the
 * ledgers and creates nothing on disk. In a notebook, the preflight and the summary show as
 * tables.
 *
 * @param config A config object, or the path of a YAML config (PrecepTron's `config.yaml` works).
 * @param options Keys, dry run, retry policy, progress, cancellation.
 * @returns The summary of the run.
 * @throws {ConfigError} For a bad config; {DatasetError} for a bad dataset; an Error naming
 *   the variable to set when a provider's key is missing; {RunLockedError} when another run
 *   holds a judge's ledgers; {AuthenticationError} when a provider rejects a key; {RangeError}
 *   for a run over `MAX_WORK_ITEMS`.
 *
 * @example
 * ```ts
 * import { runBenchmark } from "./run_benchmark.ts";
 * import assert from "node:assert/strict";
 *
 * const config = {
 *   output_dir: await Deno.makeTempDir(),
 *   tasks: ["cpc_management" as const],
 *   models: [{ name: "lexical", provider: "offline", model_id: "lexical" }],
 *   threads: {},
 *   repeats: 1,
 *   budget: {},
 * };
 * const summary = await runBenchmark(config, { progress: "silent", log: () => {} });
 * assert.equal(summary.judged, 30); // the shipped sample's test plans
 * const again = await runBenchmark(config, { progress: "silent", log: () => {} });
 * assert.deepEqual([again.judged, again.cached], [0, 30]);
 * ```
 */
export function runBenchmark(
  config: BenchmarkConfig | string,
  options: RunBenchmarkOptions = {},
): Promise<BenchmarkSummary> {
  return _runPipeline(judging(options), config, options);
}

/** A judge, and what its keys are made of. */
interface JudgeWorker {
  judge: Judge;
  /** The judge as the provider sees it (not its display name). */
  parts: { provider: string; model: string; parameters: Record<string, unknown> };
  /** Its prompt hash per task of the run: the same for every entry, read once. */
  promptHashes: Map<TaskKey, string>;
}

/** The judge work item: an entry (× judge × repeat) → a judgement in `{name}_{task}.jsonl`. */
function judging(
  options: RunBenchmarkOptions,
): _WorkKind<Entry, JudgeWorker, Judgement, LedgerRecord, BenchmarkSummary> {
  let estimate: PreflightRow[] = [];
  return {
    role: "judge",
    unitWord: "entries",
    label: "benchmark",
    format: _JUDGEMENTS,
    folder: (outputDir) => outputDir,
    check(settings) {
      if (settings.mode !== "generate") return;
      // Its models are candidates to run over the cases, not judges: scoring with them is wrong.
      throw new Error(
        "runBenchmark(): this config has mode: generate; run it with generateResponses() " +
          "(deno task benchmark does), then score its generated_entries.json with a judging config",
      );
    },
    units(settings, source, log) {
      const study = options.study ?? settings.studies;
      if (study === undefined) return [...source];
      const chosen = _studyMatcher(study, source, "runBenchmark()");
      const entries = source.filter((entry) => chosen(entry.study));
      log(`studies ${_describeStudy(study)}: ${entries.length} of ${source.length} entries`);
      return entries;
    },
    worker(model, context) {
      const judge = buildJudge(model, context);
      const { provider, model: id, parameters } = judge;
      const hash = (key: TaskKey) => judge.promptHash?.(getTask(key)) ?? getTask(key).promptHash;
      return {
        judge,
        parts: { provider, model: id, parameters: { ...(parameters ?? {}) } },
        promptHashes: new Map(context.settings.tasks.map((key) => [key, hash(key)])),
      };
    },
    task(entry, settings) {
      if (!settings.tasks.includes(entry.benchmark)) return undefined;
      const task = getTask(entry.benchmark);
      return missingInputs(task, taskInputs(entry)).length > 0 ? undefined : task.key;
    },
    key: (worker, entry, task, repeat) =>
      judgementKey({
        task,
        inputs: taskInputs(entry),
        judge: worker.parts,
        promptHash: worker.promptHashes.get(task)!,
        repeat,
      }),
    owner: (entry) => entry.id,
    checkCached: checkCachedScore,
    sendBatch: (settings, model, items, record, budget, log) =>
      _judgeInBatches(settings.output_dir, model, items, record, { ...options, budget, log }),
    send: (item) => item.worker.judge.judge(getTask(item.task), taskInputs(item.unit)),
    promptChars(item) {
      const prompt = getTask(item.task).prompt(taskInputs(item.unit));
      return prompt.system.length + prompt.user.length;
    },
    record: (item, judgement, usageEstimated) => ({
      key: item.key,
      judge: item.model.name,
      task: item.task,
      entry_id: item.unit.id,
      repeat: item.repeat,
      judgement,
      time: new Date().toISOString(),
      ...(usageEstimated ? { usage_estimated: true as const } : {}),
    }),
    async told(plan) {
      const result = await preflightOf(plan, options.collect === true);
      estimate = result.rows;
      const { input_tokens: inputTokens, output_tokens: outputTokens } = result.totals;
      return {
        text: formatPreflight(result),
        html: preflightHtml(result),
        estimate: { inputTokens, outputTokens },
      };
    },
    summary: (_plan, run, { made }) => ({ ...run, preflight: estimate, judged: made }),
  };
}

/**
 * The preflight of a plan: each judge's own tokenizer where the kit has one, else an estimate;
 * a batch judge's items that live batches of earlier runs hold are collected, not sent. With
 * `collect`, the run sends nothing, which the first note says.
 */
async function preflightOf(
  plan: _Plan<Entry, JudgeWorker, LedgerRecord>,
  collect: boolean,
): Promise<PreflightResult> {
  const { settings, units } = plan;
  const modelIndex = new Map(settings.models.map((model, m) => [model.name, m]));
  const slotOf = (judgeName: string, e: number, repeat: number) =>
    modelIndex.get(judgeName)! * plan.perModel + e * settings.repeats + repeat;
  const held = new Map<string, Set<string>>();
  for (const model of settings.models.filter((model) => model.batch)) {
    const live = (await readBatchRecords(settings.output_dir, model.name))
      .filter((record) => record.state !== "collected" && record.state !== "abandoned");
    held.set(model.name, new Set(live.flatMap((record) => record.keys)));
  }
  const result = preflight(settings, units, {
    counters: await loadTokenCounters(settings),
    isCached: (judgeName, _task, _entry, repeat, e) => {
      const need = plan.needs[slotOf(judgeName, e, repeat)];
      return need === _CACHED || need === _SHARES;
    },
    inBatch: (judgeName, _task, _entry, repeat, e) =>
      held.get(judgeName)?.has(plan.itemAt(slotOf(judgeName, e, repeat)).key) === true,
  });
  if (collect) {
    result.notes.unshift(
      `collect: this run only collects live batches; the ${result.totals.requests} ` +
        "requests counted here are not sent",
    );
  }
  return result;
}

/** A cached score off its entry's own scale (a management rubric's max) is never trusted. */
function checkCachedScore(ledger: Ledger<LedgerRecord>, key: string, entry: Entry): void {
  const found = ledger.scoreOf(key);
  if (found === undefined || Number.isNaN(found.score)) return;
  const problem = scoreProblem(found.score, getTask(entry.benchmark).scale(taskInputs(entry)));
  if (problem === undefined) return;
  throw new LedgerError(
    `${ledger.path} line ${found.line}: score ${problem} for entry ${entry.id}; the ledger ` +
      "was edited or mixed up — fix or remove that line (its judgement will be made again)",
  );
}

/** The judge of a `models:` entry: an offline baseline, or an LLM over its provider. */
function buildJudge(model: ModelConfig, { settings, keys, retry }: _WorkerContext): Judge {
  if (model.provider === "offline") {
    if (model.model_id === "lexical") return lexicalJudge();
    const constant = /^constant:(-?\d+(?:\.\d+)?)$/.exec(model.model_id);
    if (constant) return constantJudge(Number(constant[1]), { name: model.name });
    throw new Error(
      `models: ${model.name}: the offline provider has model_id "lexical" or "constant:<score>", ` +
        `not ${JSON.stringify(model.model_id)}`,
    );
  }
  const temperature = model.temperature ?? settings.temperature;
  const seed = model.seed ?? settings.seed;
  const maxTokens = model.max_tokens ?? settings.max_tokens;
  return judgeFor(
    {
      provider: model.provider,
      model_id: model.model_id,
      name: model.name,
      ...(model.base_url === undefined ? {} : { base_url: model.base_url }),
    },
    {
      ...(temperature === undefined ? {} : { temperature }),
      ...(seed === undefined ? {} : { seed }),
      ...(maxTokens === undefined ? {} : { maxTokens }),
      // No onRetry: the provider's pool sees every request of a `makeClient` client, 429s too.
      retry,
    },
    keys,
  );
}
