/**
 * `runBenchmark()`: score every entry of the chosen tasks with every configured judge —
 * resumable, cached in the ledger, at each provider's allowed concurrency, with progress.
 *
 * @module
 */

import type { Benchmark } from "../data/benchmark.ts";
import type { Entry } from "../data/entry.ts";
import { readDataset } from "../data/load_dataset.ts";
import { lexicalJudge } from "../judge/baseline_judge.ts";
import { constantJudge } from "../judge/constant_judge.ts";
import type { Judge } from "../judge/judge.ts";
import type { FailureReason, Judgement } from "../judge/judgement.ts";
import type { RetryOptions } from "../judge/retry.ts";
import { envKeys, judgeFor } from "../judge/providers.ts";
import { getTask, missingInputs } from "../tasks/tasks.ts";
import type { Task, TaskInputs } from "../tasks/task.ts";
import { Budget, costOf } from "./budget.ts";
import { type BenchmarkConfig, loadConfig, type ModelConfig, parseConfig } from "./config.ts";
import { judgementKey } from "./judgement_key.ts";
import { Ledger, LedgerError, ledgerPath, type LedgerRecord } from "./ledger.ts";
import { AuthenticationError } from "./authentication_error.ts";
import { type JudgeLock, lockJudge } from "./run_lock.ts";
import { _isAuthFailure } from "./_record_checks.ts";
import { type _UsageCheck, _usageCheck } from "./_usage.ts";
import { redact } from "../judge/redact.ts";
import { _redactError, _refuseOversizedRun, _registerKeys } from "./_run_guards.ts";

export { MAX_WORK_ITEMS } from "./_run_guards.ts";
import { scoreProblem } from "../tasks/scale.ts";
import {
  entryInputs,
  formatPreflight,
  preflight,
  preflightHtml,
  type PreflightRow,
} from "./preflight.ts";
import { formatSummary, progressReporter, summaryHtml } from "./progress.ts";
import { _richLog } from "./_rich_log.ts";
import { _KeyColumn } from "./_key_column.ts";
import { _describeStudy, _studyMatcher, type StudyMatch } from "./_studies.ts";
import { _providerPools, _retryOptions, _runQueues, _RunTally } from "./_run_queues.ts";
import { type PoolEvent, ProviderPool } from "./provider_pool.ts";

/** How to run. */
export interface RunBenchmarkOptions {
  /** Credentials by environment-variable name (e.g. from `loadKeysFile`); default: the environment. */
  keys?: Readonly<Record<string, string | undefined>>;
  /** Print the preflight estimate and stop before sending anything. */
  dryRun?: boolean;
  /** Re-judge permanent failures (invalid replies) too; transient ones are always retried. */
  retryFailed?: boolean;
  /** Progress display (default `"auto"`: in place in a notebook, a redrawn line in a terminal). */
  progress?: "auto" | "terminal" | "notebook" | "silent";
  /** Where messages go (preflight, pool changes, summary); default `console.log`. */
  log?: (line: string) => void;
  /**
   * Stops the run: no new requests start; those in flight finish and are recorded (they may
   * already be paid for). What was judged stays in the ledger.
   */
  signal?: AbortSignal;
  /** Judges to use instead of building them from the config, by model `name`. */
  judges?: Readonly<Record<string, Judge>>;
  /** Entries to score instead of loading `dataset_path`. */
  entries?: readonly Entry[];
  /** The studies whose entries to score, instead of the config's `studies` (e.g. `"brodeur*"`). */
  study?: StudyMatch;
}

/** What a run did. */
export interface BenchmarkSummary {
  /** The output folder holding the ledgers. */
  output_dir: string;
  /** The preflight estimate, per judge and task. */
  preflight: PreflightRow[];
  /** Judgements made in this run (scored or failed). */
  judged: number;
  /**
   * Items already in the ledger, or with the same key (the same content) as another item of
   * the run: not sent again.
   */
  cached: number;
  /** Failed judgements made in this run, by reason. */
  failed: Partial<Record<FailureReason, number>>;
  /** Tokens used in this run. */
  input_tokens: number;
  output_tokens: number;
  /** Cost in this run, where prices are configured. */
  cost: number | null;
  /** Wall time in milliseconds. */
  wall_ms: number;
  /** Items not judged because the run stopped early (budget or cancellation). */
  remaining: number;
  /** Why the run stopped early, if it did. */
  stopped?: string;
  /** Concurrency changes per provider (on 429s and recovery). */
  pool_events: PoolEvent[];
  /** Whether this was a dry run (nothing sent). */
  dry_run: boolean;
}

// What a (judge, entry, repeat) slot needs.
const SKIP = 0; // not one of the run's tasks, or lacks the task's inputs
const QUEUED = 1; // to be judged in this run
const CACHED = 2; // judged in an earlier run
const SHARES = 3; // the same key as a queued item before it: a copy of that one's judgement

interface WorkItem {
  model: ModelConfig;
  judge: Judge;
  task: Task;
  entry: Entry;
  inputs: TaskInputs;
  repeat: number;
  key: string;
  ledger: Ledger;
}

/**
 * Runs a benchmark: every (judge × task × entry × repeat), skipping what the ledger already
 * holds, at each provider's `threads` (lowered on 429s, raised again after successes), within
 * the budget, with live progress, writing each judgement to `{output_dir}/{name}_{task}.jsonl`
 * as it arrives. Stop it at any moment (Ctrl-C, `signal`, a budget cap): a re-run picks up
 * where it stopped and pays for nothing twice.
 *
 * @param config A config object, or the path of a YAML config (PrecepTron's `config.yaml` works).
 * @param options Keys, dry run, retry policy, progress, cancellation.
 * @returns The summary of the run.
 * @throws {ConfigError} For a bad config; {DatasetError} for a bad dataset; an Error naming
 *   the variable to set when a provider's key is missing.
 *
 * @example
 * ```ts
 * import { runBenchmark } from "./run_benchmark.ts";
 * import assert from "node:assert/strict";
 *
 * const output_dir = await Deno.makeTempDir();
 * const summary = await runBenchmark({
 *   output_dir,
 *   tasks: ["cpc_management"],
 *   models: [{ name: "lexical", provider: "offline", model_id: "lexical" }],
 *   threads: {},
 *   repeats: 1,
 *   budget: {},
 * }, { progress: "silent", log: () => {} });
 * assert.equal(summary.judged, 30); // the shipped sample's test plans
 * const again = await runBenchmark({
 *   output_dir,
 *   tasks: ["cpc_management"],
 *   models: [{ name: "lexical", provider: "offline", model_id: "lexical" }],
 *   threads: {},
 *   repeats: 1,
 *   budget: {},
 * }, { progress: "silent", log: () => {} });
 * assert.deepEqual([again.judged, again.cached], [0, 30]);
 * ```
 */
export async function runBenchmark(
  config: BenchmarkConfig | string,
  options: RunBenchmarkOptions = {},
): Promise<BenchmarkSummary> {
  const started = performance.now();
  const rawLog = options.log ?? ((line: string) => console.log(line));
  // Every line told, and every error thrown, passes the one redaction point.
  const log = (line: string) => rawLog(redact(line));
  try {
    const settings = await _settings(config);
    const keys = options.keys ?? envKeys();
    _registerKeys(keys);
    const entries = await _entries(settings, options, log);
    const { poolFor, events: poolEvents } = _providerPools(settings.threads, log);
    const judges = new Map<string, Judge>();
    const retry = _retryOptions(settings);
    for (const model of settings.models) {
      judges.set(
        model.name,
        options.judges?.[model.name] ??
          buildJudge(model, settings, keys, retry, poolFor(model.provider)),
      );
    }
    const run: _Run = { settings, options, log, judges, entries, poolFor, poolEvents, started };
    return await _runLocked(run);
  } catch (error) {
    throw _redactError(error);
  }
}

/** What the phases of a run share. */
interface _Run {
  settings: BenchmarkConfig;
  options: RunBenchmarkOptions;
  log: (line: string) => void;
  judges: Map<string, Judge>;
  entries: readonly Entry[];
  poolFor: (provider: string) => ProviderPool;
  poolEvents: PoolEvent[];
  started: number;
}

async function _settings(config: BenchmarkConfig | string): Promise<BenchmarkConfig> {
  const settings = typeof config === "string"
    ? await loadConfig(config)
    : parseConfig(JSON.stringify(config));
  if (settings.mode === "generate") {
    // Its models are candidates to run over the cases, not judges: scoring with them is wrong.
    throw new Error(
      "runBenchmark(): this config has mode: generate; run it with generateResponses() " +
        "(deno task benchmark does), then score its generated_entries.json with a judging config",
    );
  }
  return settings;
}

async function _entries(
  settings: BenchmarkConfig,
  options: RunBenchmarkOptions,
  log: (line: string) => void,
): Promise<readonly Entry[]> {
  const loaded = options.entries ??
    (await readDataset(settings.dataset_path, { onProgress: log })).entries;
  const study = options.study ?? settings.studies;
  const chosen = _studyMatcher(study, loaded, "runBenchmark()");
  const entries = study === undefined ? loaded : loaded.filter((entry) => chosen(entry.study));
  if (study !== undefined) {
    log(`studies ${_describeStudy(study)}: ${entries.length} of ${loaded.length} entries`);
  }
  return entries;
}

/**
 * Takes each judge's lock (not in a dry run, which creates nothing), opens the ledgers, plans
 * and sends; closes the ledgers and releases the locks however it ends.
 */
async function _runLocked(run: _Run): Promise<BenchmarkSummary> {
  const { settings, log } = run;
  const dryRun = run.options.dryRun === true;
  _refuseOversizedRun({
    makes: "judgements",
    models: settings.models.length,
    modelWord: "judge",
    items: run.entries.length,
    itemWord: "entries",
    repeats: settings.repeats,
  });
  const locks: JudgeLock[] = [];
  const ledgers = new Map<string, Ledger>();
  try {
    if (!dryRun) {
      for (const model of settings.models) {
        locks.push(await lockJudge(settings.output_dir, model.name));
      }
    }
    const ledgerOf = new Map<string, Ledger>(); // by judge and task: no path to build per entry
    const ledgerFor = async (model: ModelConfig, task: Benchmark) => {
      const known = ledgerOf.get(`${model.name}\u0000${task}`);
      if (known) return known;
      const path = ledgerPath(settings.output_dir, model.name, task);
      let ledger = ledgers.get(path);
      if (!ledger) {
        ledger = await Ledger.open(path, { readOnly: dryRun });
        if (ledger.torn > 0) log(`${path}: ignored a torn last line from an interrupted run`);
        ledgers.set(path, ledger);
      }
      ledgerOf.set(`${model.name}\u0000${task}`, ledger);
      return ledger;
    };
    const planned = await _plan(run, ledgerFor, ledgerOf);
    return await _send(run, planned);
  } finally {
    for (const ledger of ledgers.values()) await ledger.close();
    for (const lock of locks) await lock.release();
  }
}

/** What the plan found: each slot's need and key, and the work items made from them. */
interface _Planned {
  needs: Uint8Array;
  keys: _KeyColumn;
  queuedByProvider: Map<string, number>;
  cached: number;
  copies: { slot: number; from: LedgerRecord }[];
  plan: { model: ModelConfig; judge: Judge }[];
  perModel: number;
  itemAt: (slot: number) => WorkItem;
}

/**
 * Works out what each (judge, entry, repeat) slot needs. Keeps only a byte and a key per slot;
 * the work items are made as the pools ask for them, so a run's memory does not grow with the
 * dataset beyond those 33 bytes. A cached score is checked against its entry's own scale.
 */
async function _plan(
  run: _Run,
  ledgerFor: (model: ModelConfig, task: Benchmark) => Promise<Ledger>,
  ledgerOf: Map<string, Ledger>,
): Promise<_Planned> {
  const { settings, entries, options } = run;
  const tasks = new Set<Benchmark>(settings.tasks);
  const perModel = entries.length * settings.repeats;
  const slots = settings.models.length * perModel;
  const needs = new Uint8Array(slots).fill(SKIP); // or QUEUED, CACHED, SHARES
  const keys = new _KeyColumn(slots);
  const queuedByProvider = new Map<string, number>();
  let cached = 0;
  // Cached items whose entry lacks its own record of the key's judgement (its twin was judged).
  const copies: { slot: number; from: LedgerRecord }[] = [];
  const plan = settings.models.map((model) => ({ model, judge: run.judges.get(model.name)! }));
  for (const [m, { model, judge }] of plan.entries()) {
    const judgeParts = {
      provider: judge.provider,
      model: judge.model,
      parameters: { ...(judge.parameters ?? {}) },
    };
    // The same for every entry: read once per judge (and task), not per entry.
    const promptHashes = new Map<Benchmark, string>();
    const promptHash = (task: Task) => {
      let hash = promptHashes.get(task.key);
      if (hash === undefined) {
        hash = judge.promptHash?.(task) ?? task.promptHash;
        promptHashes.set(task.key, hash);
      }
      return hash;
    };
    // Entries with the same content (two participants who wrote the same answer) have the
    // same key: one request judges them all, and each still gets its own record (a copy of
    // the judgement, for nothing), so that every entry has its trial.
    const queuedKeys = new Map<Ledger, Set<string>>();
    for (const [e, entry] of entries.entries()) {
      if (!tasks.has(entry.benchmark)) continue;
      const task = getTask(entry.benchmark);
      const inputs = entryInputs(entry);
      if (missingInputs(task, inputs).length > 0) continue;
      const ledger = await ledgerFor(model, task.key);
      let queued = queuedKeys.get(ledger);
      if (!queued) queuedKeys.set(ledger, queued = new Set());
      for (let repeat = 0; repeat < settings.repeats; repeat++) {
        const slot = m * perModel + e * settings.repeats + repeat;
        const key = judgementKey({
          task: task.key,
          inputs,
          judge: judgeParts,
          promptHash: promptHash(task),
          repeat,
        });
        keys.set(slot, key);
        if (queued.has(key)) {
          needs[slot] = SHARES;
          cached++;
        } else if (!ledger.needsJudging(key, { retryFailed: options.retryFailed ?? false })) {
          _checkCachedScore(ledger, key, task, inputs, entry);
          needs[slot] = CACHED;
          cached++;
          // The key's judgement, for an entry that does not have it yet (or has an older one).
          if (!ledger.hasCurrent(key, entry.id)) copies.push({ slot, from: ledger.get(key)! });
        } else {
          needs[slot] = QUEUED;
          queued.add(key);
          queuedByProvider.set(model.provider, (queuedByProvider.get(model.provider) ?? 0) + 1);
        }
      }
    }
  }
  const itemAt = (slot: number): WorkItem => {
    const { model, judge } = plan[Math.floor(slot / perModel)]!;
    const entry = entries[Math.floor((slot % perModel) / settings.repeats)]!;
    const task = getTask(entry.benchmark);
    return {
      model,
      judge,
      task,
      entry,
      inputs: entryInputs(entry),
      repeat: slot % settings.repeats,
      key: keys.get(slot),
      ledger: ledgerOf.get(`${model.name}\u0000${task.key}`)!,
    };
  };
  return { needs, keys, queuedByProvider, cached, copies, plan, perModel, itemAt };
}

/** A cached score off its entry's own scale (a management rubric's max) is never trusted. */
function _checkCachedScore(
  ledger: Ledger,
  key: string,
  task: Task,
  inputs: TaskInputs,
  entry: Entry,
): void {
  const found = ledger.scoreOf(key);
  if (found === undefined || Number.isNaN(found.score)) return;
  const problem = scoreProblem(found.score, task.scale(inputs));
  if (problem === undefined) return;
  throw new LedgerError(
    `${ledger.path} line ${found.line}: score ${problem} for entry ${entry.id}; the ledger ` +
      "was edited or mixed up — fix or remove that line (its judgement will be made again)",
  );
}

/** The preflight, then (unless a dry run) every queued item sent and recorded. */
async function _send(run: _Run, planned: _Planned): Promise<BenchmarkSummary> {
  const { settings, options, log, entries } = run;
  const { needs, perModel, cached, queuedByProvider } = planned;
  const modelIndex = new Map(settings.models.map((model, m) => [model.name, m]));
  const estimate = preflight(settings, entries, {
    isCached: (judgeName, _task, _entry, repeat, e) => {
      const slot = modelIndex.get(judgeName)! * perModel + e * settings.repeats + repeat;
      return needs[slot] === CACHED || needs[slot] === SHARES;
    },
  });
  await _richLog(options.log, log)(formatPreflight(estimate), preflightHtml(estimate));
  const total = [...queuedByProvider.values()].reduce((n, q) => n + q, 0);
  const summary: BenchmarkSummary = {
    output_dir: settings.output_dir,
    preflight: estimate.rows,
    judged: 0,
    cached,
    failed: {},
    input_tokens: 0,
    output_tokens: 0,
    cost: null,
    wall_ms: 0,
    remaining: total,
    pool_events: run.poolEvents,
    dry_run: options.dryRun === true,
  };
  if (options.dryRun) {
    log("dry run: nothing was sent, nothing was written");
    summary.wall_ms = performance.now() - run.started;
    return summary;
  }
  return await _sendQueued(run, planned, summary, total);
}

/** Appends a work item's judgement to its ledger. */
function _append(item: WorkItem, judgement: Judgement, usageEstimated = false): Promise<void> {
  return item.ledger.append({
    key: item.key,
    judge: item.model.name,
    task: item.task.key,
    entry_id: item.entry.id,
    repeat: item.repeat,
    judgement,
    time: new Date().toISOString(),
    ...(usageEstimated ? { usage_estimated: true as const } : {}),
  });
}

/**
 * Sends the queued items through the providers' pools and records each judgement as it
 * arrives. A rejected key (401, 403, `invalid_api_key`) is the run's failure: nothing is
 * recorded for it, no new request starts, and the run throws `AuthenticationError`.
 */
async function _sendQueued(
  run: _Run,
  planned: _Planned,
  summary: BenchmarkSummary,
  total: number,
): Promise<BenchmarkSummary> {
  const { settings, options, log } = run;
  const { copies, itemAt } = planned;
  await Promise.all(copies.map(({ slot, from }) => _append(itemAt(slot), from.judgement)));
  copies.length = 0;

  const budget = new Budget(settings.budget);
  const tally = new _RunTally(
    total,
    planned.cached,
    redact(`benchmark → ${settings.output_dir}`),
    progressReporter(options.progress ?? "auto"),
  );
  const sharing = _sharing(planned);
  const halt = new AbortController();
  let rejected: { item: WorkItem; judgement: Judgement } | undefined;
  const checkUsage = _usageCheck("judge", log);
  const record = async (item: WorkItem, made: Judgement) => {
    if (_isAuthFailure(made)) {
      rejected ??= { item, judgement: made };
      halt.abort();
      sharing.settle(item, undefined);
      return;
    }
    const { judgement, estimated } = _withCheckedUsage(item, made, checkUsage);
    try {
      await _append(item, judgement, estimated);
    } catch (error) {
      sharing.settle(item, undefined);
      throw error;
    }
    sharing.settle(item, judgement);
    const cost = judgement.usage ? costOf(judgement.usage, item.model.price) : null;
    budget.record(judgement.usage, cost);
    summary.judged++;
    tally.count({
      usage: judgement.usage,
      cost,
      failure: judgement.status === "failed" ? judgement.reason : undefined,
    });
  };
  const stopped = await _runQueues(sharing.queues, {
    poolFor: run.poolFor,
    threads: (provider) => settings.threads[provider] ?? 8,
    budget,
    signal: options.signal === undefined
      ? halt.signal
      : AbortSignal.any([options.signal, halt.signal]),
    send: (item) => item.judge.judge(item.task, item.inputs),
    overloaded: (judgement) =>
      judgement.status === "failed" && judgement.reason === "retries_exhausted",
    latency: (judgement) => judgement.attempts === 1 ? judgement.latency_ms : undefined,
    record,
    unsent: (item) => sharing.settle(item, undefined),
  });
  await sharing.finish();
  Object.assign(summary, tally.finish(), { wall_ms: performance.now() - run.started });
  if (rejected !== undefined) {
    throw new AuthenticationError(rejected.item.model, rejected.judgement, summary);
  }
  if (stopped !== undefined) {
    summary.stopped = stopped;
    log(`stopped early (${stopped}); ${summary.remaining} judgement(s) remain — rerun to continue`);
  }
  const final = { ...tally.state, wallMs: summary.wall_ms };
  await _richLog(run.options.log, log)(formatSummary(final), summaryHtml(final));
  return summary;
}

/** A judgement with its usage checked: invalid usage becomes an estimate (and is told once). */
function _withCheckedUsage(
  item: WorkItem,
  judgement: Judgement,
  checkUsage: _UsageCheck,
): { judgement: Judgement; estimated: boolean } {
  const checked = checkUsage(item.model.name, judgement.usage, () => {
    const prompt = item.task.prompt(item.inputs);
    return { prompt: prompt.system.length + prompt.user.length, reply: judgement.raw?.length ?? 0 };
  });
  if (!checked.estimated) return { judgement, estimated: false };
  const { usage: _, ...rest } = judgement;
  const fixed = { ...rest, ...(checked.usage ? { usage: checked.usage } : {}) } as Judgement;
  return { judgement: fixed, estimated: true };
}

/**
 * The queues of work items by provider, and the judgements shared between items with the same
 * key: an item that shares its key with one before it gets a copy of that one's judgement,
 * once it is made (a judgement that was never made, because the run stopped, resolves to
 * undefined).
 */
function _sharing(planned: _Planned): {
  queues: Map<string, Iterable<WorkItem>>;
  settle: (item: WorkItem, judgement: Judgement | undefined) => void;
  finish: () => Promise<void>;
} {
  const { needs, perModel, plan, itemAt } = planned;
  const inFlight = new Map<string, PromiseWithResolvers<Judgement | undefined>>();
  const copying = new Set<Promise<void>>();
  const copyFailures: unknown[] = [];
  const copy = (item: WorkItem, judgement: Promise<Judgement | undefined> | Judgement) => {
    const written = Promise.resolve(judgement)
      .then((made) => made && _append(item, made))
      .catch((error) => void copyFailures.push(error))
      .finally(() => copying.delete(written));
    copying.add(written);
  };
  // The items of a provider, made when its pool asks for the next one.
  const work = function* (provider: string): Generator<WorkItem> {
    for (const [m, { model }] of plan.entries()) {
      if (model.provider !== provider) continue;
      for (let slot = m * perModel; slot < (m + 1) * perModel; slot++) {
        if (needs[slot] === QUEUED) {
          const item = itemAt(slot);
          inFlight.set(`${item.ledger.path}\u0000${item.key}`, Promise.withResolvers());
          yield item;
        } else if (needs[slot] === SHARES) {
          const item = itemAt(slot);
          const pending = inFlight.get(`${item.ledger.path}\u0000${item.key}`);
          copy(item, pending?.promise ?? item.ledger.get(item.key)!.judgement);
        }
      }
    }
  };
  const queues = new Map<string, Iterable<WorkItem>>();
  for (const provider of planned.queuedByProvider.keys()) queues.set(provider, work(provider));
  return {
    queues,
    settle: (item, judgement) => {
      const shared = `${item.ledger.path}\u0000${item.key}`;
      inFlight.get(shared)?.resolve(judgement);
      inFlight.delete(shared);
    },
    finish: async () => {
      while (copying.size > 0) await Promise.all(copying);
      if (copyFailures.length > 0) throw copyFailures[0];
    },
  };
}

function buildJudge(
  model: ModelConfig,
  config: BenchmarkConfig,
  keys: Readonly<Record<string, string | undefined>>,
  retry: RetryOptions,
  pool: ProviderPool,
): Judge {
  if (model.provider === "offline") {
    if (model.model_id === "lexical") return lexicalJudge();
    const constant = /^constant:(-?\d+(?:\.\d+)?)$/.exec(model.model_id);
    if (constant) return constantJudge(Number(constant[1]), { name: model.name });
    throw new Error(
      `models: ${model.name}: the offline provider has model_id "lexical" or "constant:<score>", ` +
        `not ${JSON.stringify(model.model_id)}`,
    );
  }
  const temperature = model.temperature ?? config.temperature;
  const seed = model.seed ?? config.seed;
  const maxTokens = model.max_tokens ?? config.max_tokens;
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
      retry,
      // A 429 slows the whole provider down, not just this request.
      onRetry: (error) => {
        if (error.status === 429) pool.rateLimited(error.retryAfterMs);
      },
    },
    keys,
  );
}
