/**
 * The one pipeline that judging and generating runs go through: plan every (model × unit ×
 * repeat) slot against the ledgers, tell the plan, send what is missing through each
 * provider's pool within the budget, record every result as it arrives, and sum it up. The two
 * kinds of work — a judge work item (entry → judgement) and a generate work item (case →
 * generated response) — supply only what differs (`_WorkKind`).
 *
 * @module
 */

import type { TaskKey } from "../data/task_key.ts";
import type { Entry } from "../data/entry.ts";
import { loadEntries } from "../data/load_dataset.ts";
import type { Usage } from "../judge/judgement.ts";
import { envKeys } from "../judge/providers.ts";
import { redact, registerSecret } from "../judge/redact.ts";
import type { RetryOptions } from "../judge/retry.ts";
import { AuthenticationError } from "../judge/authentication_error.ts";
import { Budget, costOf } from "./budget.ts";
import { type BenchmarkConfig, loadConfig, type ModelConfig, parseConfig } from "./config.ts";
import { Ledger, ledgerPath } from "./ledger.ts";
import type { PoolEvent, ProviderPool } from "./provider_pool.ts";
import { progressReporter, type ProgressState } from "./progress.ts";
import { type JudgeLock, lockJudge } from "./run_lock.ts";
import type { RunOptions, RunSummary } from "./run_options.ts";
import { _isAuthFailure, type _LedgerFormat, type _LedgerLine } from "./_ledger_formats.ts";
import { type _RichLog, _richLog } from "./_rich_log.ts";
import { _providerPools, _retryOptions, _runQueues, _RunTally } from "./_run_queues.ts";

/** The most (model × item × repeat) slots one run plans: more is refused before allocating. */
export const MAX_WORK_ITEMS = 10_000_000;

/** What one request gave, as the pipeline reads it: a judgement or a generation. */
export interface _Result {
  status: string;
  reason?: string;
  detail?: string;
  raw: string | null;
  usage?: Usage;
  attempts: number;
  latency_ms: number;
}

/** A run under way, as the kinds' hooks see it. */
export interface _Run<U, W> {
  settings: BenchmarkConfig;
  options: RunOptions;
  /** The run's log: every line passes `redact()`. */
  log: (line: string) => void;
  /** Shows a table: HTML in a notebook, text elsewhere. */
  rich: _RichLog;
  /** What each model works on: entries to judge, or cases to answer. */
  units: readonly U[];
  /** Per model, in config order: a judge, or a candidate. */
  workers: readonly W[];
  poolFor: (provider: string) => ProviderPool;
  poolEvents: PoolEvent[];
  started: number;
}

/** What a model's worker is built from. */
export interface _WorkerContext {
  settings: BenchmarkConfig;
  keys: Readonly<Record<string, string | undefined>>;
  retry: RetryOptions;
  pool: ProviderPool;
}

/** One work item: a unit for one model and repeat, with its key and its ledger. */
export interface _Item<U, W, Rec extends _LedgerLine> {
  model: ModelConfig;
  worker: W;
  unit: U;
  task: TaskKey;
  repeat: number;
  key: string;
  ledger: Ledger<Rec>;
}

/** What a slot needs. */
export const _SKIP = 0; // not one of the run's tasks, lacks its inputs, or a key planned already
export const _QUEUED = 1; // to be sent in this run
export const _CACHED = 2; // in the ledger from an earlier run
export const _SHARES = 3; // the key of a queued slot before it: a copy of that one's result

/** What the plan found, slot by slot (slot = model × units × repeats + unit × repeats + repeat). */
export interface _Plan<U, W, Rec extends _LedgerLine> {
  /** Per slot: `_SKIP`, `_QUEUED`, `_CACHED` or `_SHARES`. */
  needs: Uint8Array;
  perModel: number;
  cached: number;
  /** Slots to send. */
  total: number;
  /** Cached slots whose unit lacks its own record of the key's current result. */
  copies: { slot: number; from: Rec }[];
  /** The item of a slot, made when asked for (the run keeps no item per slot). */
  itemAt(slot: number): _Item<U, W, Rec>;
}

/** What every run sums up, and what each kind reports of it (`judged` or `generated`). */
export type _Totals = RunSummary & { made: number; succeeded: number };
export type _Summary = RunSummary & ({ judged: number } | { generated: number });

/** One kind of work: only what differs between judging entries and generating responses. */
export interface _WorkKind<U, W, Res extends _Result, Rec extends _LedgerLine, S extends _Summary> {
  /** What the models are: `"judge"` or `"candidate"`. */
  role: "judge" | "candidate";
  /** What the units are, in messages: `"entries"`, `"cases"`. */
  unitWord: string;
  /** The progress label's first word: `"benchmark"`, `"generate"`. */
  label: string;
  /** The kind of ledger record. */
  format: _LedgerFormat<Rec>;
  /**
   * Whether every unit keeps its own record of a result it shares with another unit (judging:
   * each entry has its trial); otherwise a key shared by several units is planned once.
   */
  ownRecords: boolean;
  /** The folder of the ledgers and the models' locks. */
  folder(outputDir: string): string;
  /** Refuses a config this kind cannot run. */
  check(settings: BenchmarkConfig): void;
  /** The units, from the source entries. */
  units(settings: BenchmarkConfig, source: readonly Entry[], log: (line: string) => void): U[];
  /** A model's worker (judge or candidate). */
  worker(model: ModelConfig, context: _WorkerContext): W;
  /** A unit's task, or `undefined` to skip it. */
  task(unit: U): TaskKey | undefined;
  /** A slot's ledger key. */
  key(worker: W, unit: U, task: TaskKey, repeat: number): string;
  /** Whose record a unit's is (the entry id). */
  owner(unit: U): string;
  /** Refuses a cached result that does not fit its unit. */
  checkCached?(ledger: Ledger<Rec>, key: string, unit: U): void;
  /** Sends one item's request and reads its reply; never throws for a provider's failure. */
  send(item: _Item<U, W, Rec>): Promise<Res>;
  /** The prompt's length in characters, for a usage estimate. */
  promptChars(item: _Item<U, W, Rec>): number;
  /** An item's ledger record. */
  record(item: _Item<U, W, Rec>, result: Res, usageEstimated: boolean): Rec;
  /** The plan, told before anything is sent: `[text, html]`. */
  told(run: _Run<U, W>, plan: _Plan<U, W, Rec>): Promise<[string, string]>;
  /** The run's summary, from its totals (once everything sent is recorded). */
  summary(run: _Run<U, W>, plan: _Plan<U, W, Rec>, totals: _Totals): Promise<S>;
  /** The summary, told at the end: `[text, html]`. */
  toldSummary(summary: S, state: ProgressState & { wallMs: number }): [string, string];
}

/**
 * Runs one kind of work over a config: everything both kinds share, from reading the config to
 * the summary. Every line told passes `redact()`, and so does every error thrown.
 *
 * @param kind What differs.
 * @param config A config object, or the path of a YAML config.
 * @param options Keys, dry run, retry policy, progress, log, cancellation, source entries.
 * @returns The kind's summary.
 * @throws As `runBenchmark` and `generateResponses` say.
 */
export async function _runPipeline<
  U,
  W,
  Res extends _Result,
  Rec extends _LedgerLine,
  S extends _Summary,
>(
  kind: _WorkKind<U, W, Res, Rec, S>,
  config: BenchmarkConfig | string,
  options: RunOptions,
): Promise<S> {
  const started = performance.now();
  const rawLog = options.log ?? ((line: string) => console.log(line));
  const log = (line: string) => rawLog(redact(line));
  try {
    const settings = typeof config === "string"
      ? await loadConfig(config)
      : parseConfig(JSON.stringify(config));
    kind.check(settings);
    const keys = options.keys ?? envKeys();
    // Keys from a --keys file are not in the environment: redact() must know them.
    for (const [name, value] of Object.entries(keys)) {
      if (/(KEY|TOKEN|SECRET|PASSWORD)$/.test(name)) registerSecret(value);
    }
    const source = options.entries ??
      (await loadEntries(settings.dataset_path, { onProgress: log })).entries;
    const units = kind.units(settings, source, log);
    refuseOversizedRun(kind, settings.models.length, units.length, settings.repeats);
    const { poolFor, events } = _providerPools(settings.threads, log);
    const retry = _retryOptions(settings);
    const workers = settings.models.map((model) =>
      kind.worker(model, { settings, keys, retry, pool: poolFor(model.provider) })
    );
    const rich = _richLog(options.log, log);
    const run = {
      settings,
      options,
      log,
      rich,
      units,
      workers,
      poolFor,
      poolEvents: events,
      started,
    };
    return await locked(kind, run);
  } catch (error) {
    if (error instanceof Error) {
      error.message = redact(error.message);
      if (error.stack !== undefined) error.stack = redact(error.stack);
    }
    throw error;
  }
}

/** Refuses a run of more than `MAX_WORK_ITEMS` slots, before anything is allocated or written. */
function refuseOversizedRun(
  kind: { role: string; unitWord: string; format: { made: string } },
  models: number,
  units: number,
  repeats: number,
): void {
  const slots = models * units * repeats;
  if (slots <= MAX_WORK_ITEMS) return;
  const n = (value: number) => value.toLocaleString("en-US");
  throw new RangeError(
    `this run would plan ${n(slots)} ${kind.format.made}s (${models} ${kind.role}(s) × ` +
      `${n(units)} ${kind.unitWord} × ${repeats} repeat(s)), more than the ` +
      `${n(MAX_WORK_ITEMS)} one run takes: lower repeats, choose fewer studies, or split the ` +
      `${kind.role}s over several runs`,
  );
}

/**
 * Takes each model's lock (not in a dry run, which creates nothing), opens the ledgers as the
 * plan needs them, plans and sends; closes the ledgers and releases the locks however it ends.
 */
async function locked<U, W, Res extends _Result, Rec extends _LedgerLine, S extends _Summary>(
  kind: _WorkKind<U, W, Res, Rec, S>,
  run: _Run<U, W>,
): Promise<S> {
  const { settings, log } = run;
  const dryRun = run.options.dryRun === true;
  const folder = kind.folder(settings.output_dir);
  const locks: JudgeLock[] = [];
  const ledgers = new Map<string, Ledger<Rec>>(); // by model name and task
  try {
    if (!dryRun) {
      for (const model of settings.models) {
        locks.push(await lockJudge(folder, model.name, { role: kind.role }));
      }
    }
    const ledgerFor = async (model: ModelConfig, task: TaskKey) => {
      let ledger = ledgers.get(`${model.name}\u0000${task}`);
      if (!ledger) {
        const path = ledgerPath(folder, model.name, task);
        ledger = await Ledger.open(path, { readOnly: dryRun, format: kind.format });
        if (ledger.torn > 0) log(`${path}: ignored a torn last line from an interrupted run`);
        ledgers.set(`${model.name}\u0000${task}`, ledger);
      }
      return ledger;
    };
    const plan = await planSlots(
      kind,
      run,
      ledgerFor,
      (model, task) => ledgers.get(`${model.name}\u0000${task}`)!,
    );
    return await send(kind, run, plan);
  } finally {
    for (const ledger of ledgers.values()) await ledger.close();
    for (const lock of locks) await lock.release();
  }
}

/**
 * Works out what each slot needs. Keeps a byte and a key per slot; the work items are made as
 * the pools ask for them. Units whose key another queued unit has (two respondents who wrote
 * the same answer) share its request.
 */
async function planSlots<U, W, Res extends _Result, Rec extends _LedgerLine, S extends _Summary>(
  kind: _WorkKind<U, W, Res, Rec, S>,
  run: _Run<U, W>,
  ledgerFor: (model: ModelConfig, task: TaskKey) => Promise<Ledger<Rec>>,
  ledgerOf: (model: ModelConfig, task: TaskKey) => Ledger<Rec>,
): Promise<_Plan<U, W, Rec>> {
  const { settings, units, workers } = run;
  const repeats = settings.repeats;
  const perModel = units.length * repeats;
  const needs = new Uint8Array(settings.models.length * perModel); // _SKIP unless set
  const keys: string[] = new Array(needs.length);
  const tasks = units.map((unit) => kind.task(unit));
  const retryFailed = run.options.retryFailed === true;
  let cached = 0;
  let total = 0;
  const copies: { slot: number; from: Rec }[] = [];
  for (const [m, model] of settings.models.entries()) {
    const planned = new Map<Ledger<Rec>, Set<string>>();
    for (const [u, unit] of units.entries()) {
      const task = tasks[u];
      if (task === undefined) continue;
      const ledger = await ledgerFor(model, task);
      let seen = planned.get(ledger);
      if (!seen) planned.set(ledger, seen = new Set());
      for (let repeat = 0; repeat < repeats; repeat++) {
        const slot = m * perModel + u * repeats + repeat;
        const key = keys[slot] = kind.key(workers[m]!, unit, task, repeat);
        if (seen.has(key)) {
          if (kind.ownRecords) {
            needs[slot] = _SHARES; // a copy of the queued slot's result, for this unit
            cached++;
          }
          continue;
        }
        if (ledger.needed(key, { retryFailed })) {
          needs[slot] = _QUEUED;
          seen.add(key);
          total++;
        } else {
          if (!kind.ownRecords) seen.add(key);
          kind.checkCached?.(ledger, key, unit);
          needs[slot] = _CACHED;
          cached++;
          // The key's result, for a unit that does not have it yet (or has an older one).
          if (kind.ownRecords && !ledger.hasCurrent(key, kind.owner(unit))) {
            copies.push({ slot, from: ledger.get(key)! });
          }
        }
      }
    }
  }
  const itemAt = (slot: number): _Item<U, W, Rec> => {
    const m = Math.floor(slot / perModel);
    const u = Math.floor((slot % perModel) / repeats);
    const [model, worker, unit, task] = [settings.models[m]!, workers[m]!, units[u]!, tasks[u]!];
    const [repeat, key] = [slot % repeats, keys[slot]!];
    return { model, worker, unit, task, repeat, key, ledger: ledgerOf(model, task) };
  };
  return { needs, perModel, cached, total, copies, itemAt };
}

/** The plan told, then (unless a dry run) every queued slot sent and recorded, and the summary. */
async function send<U, W, Res extends _Result, Rec extends _LedgerLine, S extends _Summary>(
  kind: _WorkKind<U, W, Res, Rec, S>,
  run: _Run<U, W>,
  plan: _Plan<U, W, Rec>,
): Promise<S> {
  const { settings, options, log } = run;
  await run.rich(...await kind.told(run, plan));
  const totals: _Totals = {
    output_dir: settings.output_dir,
    made: 0,
    succeeded: 0,
    cached: plan.cached,
    failed: {},
    input_tokens: 0,
    output_tokens: 0,
    cost: null,
    wall_ms: 0,
    remaining: plan.total,
    pool_events: run.poolEvents,
    dry_run: options.dryRun === true,
  };
  if (options.dryRun) {
    log("dry run: nothing was sent, nothing was written");
    totals.wall_ms = performance.now() - run.started;
    return await kind.summary(run, plan, totals);
  }
  const tally = new _RunTally(
    plan.total,
    plan.cached,
    redact(`${kind.label} → ${settings.output_dir}`),
    progressReporter(options.progress ?? "auto"),
  );
  const { stopped, rejected } = await sendQueued(kind, run, plan, totals, tally);
  Object.assign(totals, tally.finish());
  const summary = await kind.summary(run, plan, totals);
  summary.wall_ms = performance.now() - run.started;
  if (rejected !== undefined) {
    throw new AuthenticationError(rejected.item.model, rejected.result as never, summary);
  }
  if (stopped !== undefined) {
    summary.stopped = stopped;
    log(
      `stopped early (${stopped}); ${summary.remaining} ${kind.format.made}(s) remain — ` +
        "rerun to continue",
    );
  }
  await run.rich(...kind.toldSummary(summary, { ...tally.state, wallMs: summary.wall_ms }));
  return summary;
}

/**
 * Sends the queued slots through the providers' pools and records each result as it arrives,
 * its usage checked (an implausible one becomes a marked estimate). A rejected key (401, 403,
 * `invalid_api_key`) is the run's failure: nothing is recorded for it, no new request starts,
 * and the caller throws `AuthenticationError` once those in flight are recorded.
 */
async function sendQueued<U, W, Res extends _Result, Rec extends _LedgerLine, S extends _Summary>(
  kind: _WorkKind<U, W, Res, Rec, S>,
  run: _Run<U, W>,
  plan: _Plan<U, W, Rec>,
  totals: _Totals,
  tally: _RunTally,
): Promise<{ stopped?: string; rejected?: { item: _Item<U, W, Rec>; result: Res } }> {
  const { settings, options } = run;
  const copy = (item: _Item<U, W, Rec>, from: Rec) =>
    item.ledger.append(kind.record(item, kind.format.outcome(from) as Res, false));
  await Promise.all(plan.copies.map(({ slot, from }) => copy(plan.itemAt(slot), from)));
  plan.copies.length = 0;
  const budget = new Budget(settings.budget);
  const sharing = shareResults(kind, run, plan);
  const halt = new AbortController();
  let rejected: { item: _Item<U, W, Rec>; result: Res } | undefined;
  const checkUsage = usageCheck(kind.role, run.log);
  const record = async (item: _Item<U, W, Rec>, made: Res) => {
    if (_isAuthFailure(made)) {
      rejected ??= { item, result: made };
      halt.abort();
      return sharing.settle(item, undefined);
    }
    const checked = checkUsage(item.model.name, made.usage, () => ({
      prompt: kind.promptChars(item),
      reply: made.raw?.length ?? 0,
    }));
    const result = checked.estimated ? withUsage(made, checked.usage) : made;
    try {
      await item.ledger.append(kind.record(item, result, checked.estimated));
    } catch (error) {
      sharing.settle(item, undefined);
      throw error;
    }
    sharing.settle(item, result);
    const cost = result.usage ? costOf(result.usage, item.model.price) : null;
    budget.record(result.usage, cost);
    totals.made++;
    if (result.status !== "failed") totals.succeeded++;
    tally.count({
      usage: result.usage,
      cost,
      failure: result.status === "failed" ? result.reason : undefined,
    });
  };
  const stopped = await _runQueues(sharing.queues, {
    poolFor: run.poolFor,
    threads: (provider) => settings.threads[provider] ?? 8,
    budget,
    signal: options.signal === undefined
      ? halt.signal
      : AbortSignal.any([options.signal, halt.signal]),
    // In-flight requests are not aborted by `signal`: they may be paid for already.
    send: (item) => kind.send(item),
    record,
    unsent: (item) => sharing.settle(item, undefined),
  });
  await sharing.finish();
  return { ...(stopped === undefined ? {} : { stopped }), ...(rejected ? { rejected } : {}) };
}

/**
 * The queues of work items by provider, made as the pools ask for them, and the results shared
 * between slots with the same key: a `_SHARES` slot gets a copy of its queued twin's result once
 * it is made (a result never made, because the run stopped, is not copied).
 */
function shareResults<U, W, Res extends _Result, Rec extends _LedgerLine, S extends _Summary>(
  kind: _WorkKind<U, W, Res, Rec, S>,
  run: _Run<U, W>,
  plan: _Plan<U, W, Rec>,
): {
  queues: Map<string, Iterable<_Item<U, W, Rec>>>;
  settle: (item: _Item<U, W, Rec>, result: Res | undefined) => void;
  finish: () => Promise<void>;
} {
  const { needs, perModel, itemAt } = plan;
  const inFlight = new Map<string, PromiseWithResolvers<Res | undefined>>();
  const copying = new Set<Promise<void>>();
  const failures: unknown[] = [];
  const id = (item: _Item<U, W, Rec>) => `${item.ledger.path}\u0000${item.key}`;
  const copy = (item: _Item<U, W, Rec>, result: Promise<Res | undefined> | Res | undefined) => {
    const written = Promise.resolve(result)
      .then((made) => made && item.ledger.append(kind.record(item, made, false)))
      .catch((error) => void failures.push(error))
      .finally(() => copying.delete(written));
    copying.add(written);
  };
  const work = function* (provider: string): Generator<_Item<U, W, Rec>> {
    for (const [m, model] of run.settings.models.entries()) {
      if (model.provider !== provider) continue;
      for (let slot = m * perModel; slot < (m + 1) * perModel; slot++) {
        if (needs[slot] === _QUEUED) {
          const item = itemAt(slot);
          inFlight.set(id(item), Promise.withResolvers());
          yield item;
        } else if (needs[slot] === _SHARES) {
          const item = itemAt(slot);
          const from = item.ledger.get(item.key);
          copy(item, inFlight.get(id(item))?.promise ?? (from && kind.format.outcome(from) as Res));
        }
      }
    }
  };
  const queues = new Map<string, Iterable<_Item<U, W, Rec>>>();
  for (const [m, model] of run.settings.models.entries()) {
    const slots = needs.subarray(m * perModel, (m + 1) * perModel);
    if (!queues.has(model.provider) && slots.includes(_QUEUED)) {
      queues.set(model.provider, work(model.provider));
    }
  }
  return {
    queues,
    settle: (item, result) => {
      inFlight.get(id(item))?.resolve(result);
      inFlight.delete(id(item));
    },
    finish: async () => {
      while (copying.size > 0) await Promise.all(copying);
      if (failures.length > 0) throw failures[0];
    },
  };
}

/** A result with its usage replaced (by an estimate), or without one. */
function withUsage<Res extends _Result>(result: Res, usage: Usage | undefined): Res {
  const { usage: _, ...rest } = result;
  return { ...rest, ...(usage ? { usage } : {}) } as Res;
}

/** More tokens than any one request can use today (context windows are a few million). */
const MAX_REQUEST_TOKENS = 10_000_000;

/**
 * The usage check a run applies to every reply before it is recorded and counted. Token usage
 * as a server reports it must be whole numbers from 0 to `MAX_REQUEST_TOKENS`: negative,
 * fractional, non-numeric or absurd numbers would let a run overspend its budget (or stop it),
 * so they are replaced by an estimate from the prompt's and reply's lengths (characters ÷ 4),
 * and the first time a model's server reports such usage the run says so in the log.
 */
function usageCheck(role: string, log: (line: string) => void) {
  const warned = new Set<string>();
  const valid = (value: unknown): value is number =>
    typeof value === "number" && Number.isInteger(value) && value >= 0 &&
    value <= MAX_REQUEST_TOKENS;
  return (
    name: string,
    reported: Usage | undefined,
    lengths: () => { prompt: number; reply: number },
  ): { usage: Usage | undefined; estimated: boolean } => {
    if (reported === undefined) return { usage: undefined, estimated: false };
    const { input_tokens, output_tokens, cached_input_tokens } = reported;
    let usage: Usage = reported;
    const bad: string[] = [];
    if (!valid(input_tokens) || !valid(output_tokens)) {
      const { prompt, reply } = lengths();
      for (const [field, value] of Object.entries({ input_tokens, output_tokens })) {
        if (!valid(value)) bad.push(`${field} ${String(value)}`);
      }
      usage = {
        input_tokens: valid(input_tokens) ? input_tokens : Math.ceil(prompt / 4),
        output_tokens: valid(output_tokens) ? output_tokens : Math.ceil(reply / 4),
      };
    } else if (cached_input_tokens !== undefined && !valid(cached_input_tokens)) {
      bad.push(`cached_input_tokens ${String(cached_input_tokens)}`);
      usage = { input_tokens, output_tokens };
    }
    if (bad.length === 0) return { usage, estimated: false };
    if (!warned.has(name)) {
      warned.add(name);
      log(
        `${role} "${name}": the server reported token usage that cannot be right ` +
          `(${bad.join(", ")}); counting an estimate (characters / 4) instead, marked ` +
          "usage_estimated in the ledger",
      );
    }
    return { usage, estimated: true };
  };
}
