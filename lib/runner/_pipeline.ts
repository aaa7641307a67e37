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
import { Budget, cacheSaving, costOf } from "./budget.ts";
import { type BenchmarkConfig, loadConfig, parseConfig } from "./config.ts";
import { type ModelConfig, priceShare } from "../judge/model_config.ts";
import { Ledger, ledgerPath } from "../ledger/ledger.ts";
import type { PoolEvent, ProviderPool } from "./provider_pool.ts";
import {
  formatSummary,
  type ProgressReporter,
  progressReporter,
  type ProgressState,
  summaryHtml,
} from "./progress.ts";
import { type JudgeLock, lockJudge } from "../ledger/run_lock.ts";
import type { RunOptions, RunSummary } from "./run_options.ts";
import { _thousands as count } from "./_format.ts";
import { _isAuthFailure, type _LedgerFormat, type _LedgerLine } from "../ledger/_ledger_formats.ts";
import { type _RichLog, _richLog } from "./_rich_log.ts";
import { _providerPools, _retryOptions, _runQueues } from "./_run_queues.ts";

/** The most (model × item × repeat) slots one run plans: more is refused before allocating. */
export const MAX_WORK_ITEMS = 10_000_000;

/** What one request gave, as the pipeline reads it: a judgement or a generation. */
export interface _Result {
  status: string;
  reason?: string;
  detail?: string;
  raw: string | null;
  usage?: Usage;
}

/** What a model's worker is built from. */
export interface _WorkerContext {
  settings: BenchmarkConfig;
  keys: Readonly<Record<string, string | undefined>>;
  retry: RetryOptions;
}

/** One work item: a unit for one model and repeat, with its slot, key and ledger. */
export interface _Item<U, W, Rec extends _LedgerLine> {
  model: ModelConfig;
  worker: W;
  unit: U;
  task: TaskKey;
  repeat: number;
  slot: number;
  key: string;
  ledger: Ledger<Rec>;
}

// What a slot needs; 0 (unset) when nothing: not one of the run's tasks, lacks its inputs, or a
// key planned already.
export const _QUEUED = 1; // to be sent in this run
export const _CACHED = 2; // in the ledger from an earlier run
export const _SHARES = 3; // the key of a queued slot before it: a copy of that one's result

/** What the plan found, slot by slot (slot = model × units × repeats + unit × repeats + repeat). */
export interface _Plan<U, W, Rec extends _LedgerLine> {
  settings: BenchmarkConfig;
  /** What each model works on: entries to judge, or cases to answer. */
  units: readonly U[];
  /** Per slot: 0, `_QUEUED`, `_CACHED` or `_SHARES`. */
  needs: Uint8Array;
  perModel: number;
  cached: number;
  /** Slots to send. */
  total: number;
  /** Cached slots whose unit lacks its own record of the key's current result. */
  copies: { slot: number; from: Rec }[];
  /** The `_SHARES` slots of each queued slot that has some. */
  sharers: Map<number, number[]>;
  /** The item of a slot, made when asked for (the run keeps no item per slot). */
  itemAt(slot: number): _Item<U, W, Rec>;
}

/** What a run reports of its count, for `AuthenticationError`: `judged` or `generated`. */
export type _Summary = RunSummary & ({ judged: number } | { generated: number });

/** The plan as told before anything is sent, and the token estimate to set beside the summary. */
export interface _Told {
  text: string;
  html: string;
  estimate?: { inputTokens: number; outputTokens: number };
}

/** One kind of work: only what differs between judging entries and generating responses. */
export interface _WorkKind<U, W, Res extends _Result, Rec extends _LedgerLine, S extends _Summary> {
  /** What the models are: `"judge"` or `"candidate"`. */
  role: "judge" | "candidate";
  /** What the units are, in messages: `"entries"`, `"cases"`. */
  unitWord: string;
  /** The progress label's first word: `"benchmark"`, `"generate"`. */
  label: string;
  format: _LedgerFormat<Rec>;
  /** The folder of the ledgers and the models' locks. */
  folder(outputDir: string): string;
  /** Refuses a config this kind cannot run. */
  check(settings: BenchmarkConfig): void;
  units(settings: BenchmarkConfig, source: readonly Entry[], log: (line: string) => void): U[];
  worker(model: ModelConfig, context: _WorkerContext): W;
  /** A unit's task, or `undefined` to skip it. */
  task(unit: U, settings: BenchmarkConfig): TaskKey | undefined;
  /** A slot's ledger key. */
  key(worker: W, unit: U, task: TaskKey, repeat: number): string;
  /**
   * Whose record a unit's is (the entry id), for a kind where every unit keeps its own record
   * of a result it shares with another unit (judging: each entry has its trial). Without it, a
   * key shared by several units is planned once.
   */
  owner?(unit: U): string;
  /** Refuses a cached result that does not fit its unit. */
  checkCached?(ledger: Ledger<Rec>, key: string, unit: U): void;
  /**
   * Sends a `batch: true` model's queued items through its provider's batch engine instead of
   * the pool, recording each result with `record` as it is collected and telling its progress
   * through `log`, the run's redacting log (judging only).
   */
  sendBatch?(
    settings: BenchmarkConfig,
    model: ModelConfig,
    items: readonly _Item<U, W, Rec>[],
    record: (item: _Item<U, W, Rec>, result: Res) => Promise<void>,
    budget: Budget,
    log: (line: string) => void,
  ): Promise<string | undefined>;
  /** Sends one item's request and reads its reply; never throws for a provider's failure. */
  send(item: _Item<U, W, Rec>): Promise<Res>;
  /** The prompt's length in characters, for a usage estimate. */
  promptChars(item: _Item<U, W, Rec>): number;
  record(item: _Item<U, W, Rec>, result: Res, usageEstimated: boolean): Rec;
  /** The plan, told before anything is sent. */
  told(plan: _Plan<U, W, Rec>): Promise<_Told> | _Told;
  /** The run's summary: what every run sums up, and what this kind adds (once all is recorded). */
  summary(
    plan: _Plan<U, W, Rec>,
    run: RunSummary,
    counts: { made: number; succeeded: number },
  ): Promise<S> | S;
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
    const { models, repeats } = settings;
    // Refused before anything is allocated or written.
    if (models.length * units.length * repeats > MAX_WORK_ITEMS) {
      throw new RangeError(
        `this run would plan ${count(models.length * units.length * repeats)} ` +
          `${kind.format.made}s (${models.length} ${kind.role}(s) × ${count(units.length)} ` +
          `${kind.unitWord} × ${repeats} repeat(s)), more than the ${count(MAX_WORK_ITEMS)} one ` +
          `run takes: lower repeats, choose fewer studies, or split the ${kind.role}s over several runs`,
      );
    }
    const context = { settings, keys, retry: _retryOptions(settings) };
    const workers = models.map((model) => kind.worker(model, context));
    return await new Pipeline(kind, settings, options, log, started).run(units, workers);
  } catch (error) {
    if (error instanceof Error) {
      error.message = redact(error.message);
      if (error.stack !== undefined) error.stack = redact(error.stack);
    }
    throw error;
  }
}

/** Adds one recorded result to the run's tally, and returns its cost (`null` without a price). */
function tally(state: ProgressState, model: ModelConfig, made: _Result): number | null {
  const { usage, status, reason } = made;
  // A batch model's usage is billed at the batch price.
  const share = priceShare(model);
  const priced = usage ? costOf(usage, model.price) : null;
  const cost = priced === null ? null : priced * share;
  state.done++;
  state.inputTokens += usage?.input_tokens ?? 0;
  state.outputTokens += usage?.output_tokens ?? 0;
  state.cachedInputTokens! += usage?.cached_input_tokens ?? 0;
  state.cacheSaving! += usage ? cacheSaving(usage, model.price) * share : 0;
  if (cost !== null) state.cost = (state.cost ?? 0) + cost;
  if (status === "failed" && reason !== undefined) {
    state.failed++;
    state.failuresByReason[reason] = (state.failuresByReason[reason] ?? 0) + 1;
  }
  return cost;
}

/** More tokens than any one request can use today (context windows are a few million). */
const MAX_REQUEST_TOKENS = 10_000_000;

/** One run of one kind of work, from its locks to its summary. */
class Pipeline<U, W, Res extends _Result, Rec extends _LedgerLine, S extends _Summary> {
  readonly #ledgers = new Map<string, Ledger<Rec>>(); // by model name and task
  readonly #pools: { poolFor: (provider: string) => ProviderPool; events: PoolEvent[] };
  readonly #rich: _RichLog;
  /** The first request whose key the provider rejected: the run's failure. */
  #rejected: { item: _Item<U, W, Rec>; result: Res } | undefined;
  /** The models whose server reported implausible usage, told once each. */
  readonly #warned = new Set<string>();

  constructor(
    readonly kind: _WorkKind<U, W, Res, Rec, S>,
    readonly settings: BenchmarkConfig,
    readonly options: RunOptions,
    readonly log: (line: string) => void,
    readonly started: number,
  ) {
    this.#pools = _providerPools(settings.threads, log);
    this.#rich = _richLog(options.log, log);
  }

  /**
   * Takes each model's lock (not in a dry run, which creates nothing), plans and sends; closes
   * the ledgers and releases the locks however it ends.
   */
  async run(units: readonly U[], workers: readonly W[]): Promise<S> {
    const locks: JudgeLock[] = [];
    try {
      if (this.options.dryRun !== true) {
        const folder = this.kind.folder(this.settings.output_dir);
        for (const model of this.settings.models) {
          locks.push(await lockJudge(folder, model.name, { role: this.kind.role }));
        }
      }
      return await this.#send(await this.#plan(units, workers));
    } finally {
      for (const ledger of this.#ledgers.values()) await ledger.close();
      for (const lock of locks) await lock.release();
    }
  }

  /** A model's ledger of a task, opened on first use (read only in a dry run). */
  async #ledger(model: ModelConfig, task: TaskKey): Promise<Ledger<Rec>> {
    const id = `${model.name}\u0000${task}`;
    let ledger = this.#ledgers.get(id);
    if (!ledger) {
      const path = ledgerPath(this.kind.folder(this.settings.output_dir), model.name, task);
      const readOnly = this.options.dryRun === true;
      ledger = await Ledger.open(path, { readOnly, format: this.kind.format });
      if (ledger.torn > 0) this.log(`${path}: ignored a torn last line from an interrupted run`);
      this.#ledgers.set(id, ledger);
    }
    return ledger;
  }

  /**
   * Works out what each slot needs. Keeps a byte and a key per slot; the work items are made as
   * the pools ask for them. Units whose key another queued unit has (two respondents who wrote
   * the same answer) share its request.
   */
  async #plan(units: readonly U[], workers: readonly W[]): Promise<_Plan<U, W, Rec>> {
    const { kind, settings } = this;
    const repeats = settings.repeats;
    const perModel = units.length * repeats;
    const needs = new Uint8Array(settings.models.length * perModel); // 0 unless set
    const keys: string[] = new Array(needs.length);
    const tasks = units.map((unit) => kind.task(unit, settings));
    const retryFailed = this.options.retryFailed === true;
    const copies: { slot: number; from: Rec }[] = [];
    const sharers = new Map<number, number[]>();
    let [cached, total] = [0, 0];
    for (const [m, model] of settings.models.entries()) {
      const planned = new Map<Ledger<Rec>, Map<string, number>>(); // key → its first slot
      for (const [u, unit] of units.entries()) {
        const task = tasks[u];
        if (task === undefined) continue;
        const ledger = await this.#ledger(model, task);
        let seen = planned.get(ledger);
        if (!seen) planned.set(ledger, seen = new Map());
        for (let repeat = 0; repeat < repeats; repeat++) {
          const slot = m * perModel + u * repeats + repeat;
          const key = keys[slot] = kind.key(workers[m]!, unit, task, repeat);
          const first = seen.get(key);
          if (first !== undefined) {
            if (kind.owner) {
              needs[slot] = _SHARES; // a copy of the queued slot's result, for this unit
              cached++;
              const twins = sharers.get(first);
              if (twins) twins.push(slot);
              else sharers.set(first, [slot]);
            }
          } else if (ledger.needed(key, { retryFailed })) {
            needs[slot] = _QUEUED;
            seen.set(key, slot);
            total++;
          } else {
            kind.checkCached?.(ledger, key, unit);
            needs[slot] = _CACHED;
            cached++;
            // The key's result, for a unit that does not have it yet (or has an older one).
            if (!kind.owner) seen.set(key, slot);
            else if (!ledger.hasCurrent(key, kind.owner(unit))) {
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
      const ledger = this.#ledgers.get(`${model.name}\u0000${task}`)!;
      return { model, worker, unit, task, repeat: slot % repeats, slot, key: keys[slot]!, ledger };
    };
    return { settings, units, needs, perModel, cached, total, copies, sharers, itemAt };
  }

  /** The plan told, then (unless a dry run) every queued slot sent and recorded, and the summary. */
  async #send(plan: _Plan<U, W, Rec>): Promise<S> {
    const { kind, options, log, settings } = this;
    const dryRun = options.dryRun === true;
    const told = await kind.told(plan);
    await this.#rich(told.text, told.html);
    // The run's tally: the progress shown as it goes, and the sums of the summary.
    const state: ProgressState = {
      total: plan.total + plan.cached,
      done: 0,
      cached: plan.cached,
      failed: 0,
      failuresByReason: {},
      inputTokens: 0,
      outputTokens: 0,
      cachedInputTokens: 0,
      cacheSaving: 0,
      cost: null,
      startedAt: performance.now(),
      label: redact(`${kind.label} → ${settings.output_dir}`),
      work: kind.role === "candidate" ? "generating" : "judging",
    };
    const reporter = progressReporter(dryRun ? "silent" : options.progress ?? "auto");
    const stopped = dryRun ? undefined : await this.#sendQueued(plan, state, reporter);
    reporter.finish(state);
    if (dryRun) log("dry run: nothing was sent, nothing was written");
    const summary = await kind.summary(plan, {
      output_dir: settings.output_dir,
      cached: plan.cached,
      failed: state.failuresByReason,
      input_tokens: state.inputTokens,
      output_tokens: state.outputTokens,
      cached_input_tokens: state.cachedInputTokens!,
      cost: state.cost,
      cache_saving: state.cacheSaving!,
      wall_ms: 0,
      remaining: plan.total - state.done,
      pool_events: this.#pools.events,
      dry_run: dryRun,
    }, { made: state.done, succeeded: state.done - state.failed });
    summary.wall_ms = performance.now() - this.started;
    if (dryRun) return summary;
    if (this.#rejected !== undefined) {
      const { item, result } = this.#rejected;
      throw new AuthenticationError(item.model, result, summary);
    }
    if (stopped !== undefined) {
      summary.stopped = stopped;
      log(
        `stopped early (${stopped}); ${summary.remaining} ${kind.format.made}(s) remain — ` +
          "rerun to continue",
      );
    }
    const end = {
      ...state,
      wallMs: summary.wall_ms,
      ...(told.estimate === undefined ? {} : { estimate: told.estimate }),
    };
    await this.#rich(formatSummary(end), summaryHtml(end));
    return summary;
  }

  /**
   * Sends the queued slots — a batch model's through its batch engine, the others through their
   * providers' pools (none with `collect`) — and records each result as it arrives, with a copy
   * for each slot that shares its key. A rejected key (401, 403, `invalid_api_key`) is the run's
   * failure: nothing is recorded for it, no new request starts, and the caller throws
   * `AuthenticationError` once those in flight are recorded.
   *
   * @returns Why the run stopped early, if it did.
   */
  async #sendQueued(
    plan: _Plan<U, W, Rec>,
    state: ProgressState,
    reporter: ProgressReporter,
  ): Promise<string | undefined> {
    const { kind, options, settings } = this;
    const copy = (slot: number, from: Res) => {
      const item = plan.itemAt(slot);
      return item.ledger.append(kind.record(item, from, false));
    };
    await Promise.all(
      plan.copies.map(({ slot, from }) => copy(slot, kind.format.outcome(from) as Res)),
    );
    plan.copies.length = 0;
    const budget = new Budget(settings.budget);
    const halt = new AbortController();
    const record = async (item: _Item<U, W, Rec>, made: Res) => {
      if (_isAuthFailure(made)) {
        this.#rejected ??= { item, result: made };
        return halt.abort();
      }
      const { result, estimated } = this.#checkedUsage(item, made);
      // Its copies join the same write. A result never made (the run stopped first) is not copied.
      await Promise.all([
        item.ledger.append(kind.record(item, result, estimated)),
        ...(plan.sharers.get(item.slot) ?? []).map((slot) => copy(slot, result)),
      ]);
      budget.record(result.usage, tally(state, item.model, result));
      reporter.update(state);
    };
    const batched = (m: number) =>
      settings.models[m]!.batch === true && kind.sendBatch !== undefined;
    const models = [...settings.models.keys()];
    const batches = models.filter(batched).map((m) =>
      kind.sendBatch!(
        settings,
        settings.models[m]!,
        [...this.#queued(plan, [m])],
        record,
        budget,
        this.log,
      )
    );
    // The live models' items by provider, made as the pools ask for them.
    const queues = new Map<string, Iterable<_Item<U, W, Rec>>>();
    const provider = (m: number) => settings.models[m]!.provider;
    const live = models.filter((m) =>
      options.collect !== true && !batched(m) &&
      plan.needs.subarray(m * plan.perModel, (m + 1) * plan.perModel).includes(_QUEUED)
    );
    for (const p of new Set(live.map(provider))) {
      queues.set(p, this.#queued(plan, live.filter((m) => provider(m) === p)));
    }
    const signal = options.signal === undefined
      ? halt.signal
      : AbortSignal.any([options.signal, halt.signal]);
    const stopped = await Promise.all([
      // In-flight requests are not aborted by `signal`: they may be paid for already.
      _runQueues(queues, {
        poolFor: this.#pools.poolFor,
        budget,
        signal,
        send: (item) => kind.send(item),
        record,
      }),
      ...batches,
    ]);
    return stopped.find((reason) => reason !== undefined);
  }

  /** The queued items of these models (by index), made as they are asked for. */
  *#queued(plan: _Plan<U, W, Rec>, models: readonly number[]): Generator<_Item<U, W, Rec>> {
    for (const m of models) {
      for (let slot = m * plan.perModel; slot < (m + 1) * plan.perModel; slot++) {
        if (plan.needs[slot] === _QUEUED) yield plan.itemAt(slot);
      }
    }
  }

  /**
   * A reply's usage, checked before it is recorded and counted. Token usage as a server reports
   * it must be whole numbers from 0 to `MAX_REQUEST_TOKENS`: negative, fractional, non-numeric
   * or absurd numbers would let a run overspend its budget (or stop it), so they are replaced
   * by an estimate from the prompt's and reply's lengths (characters ÷ 4), and the first time a
   * model's server reports such usage the run says so in the log.
   */
  #checkedUsage(item: _Item<U, W, Rec>, made: Res): { result: Res; estimated: boolean } {
    if (made.usage === undefined) return { result: made, estimated: false };
    const { input_tokens, output_tokens, cached_input_tokens } = made.usage;
    const valid = (value: unknown): value is number =>
      typeof value === "number" && Number.isInteger(value) && value >= 0 &&
      value <= MAX_REQUEST_TOKENS;
    const bad = Object.entries({ input_tokens, output_tokens, cached_input_tokens })
      .filter(([name, value]) =>
        !valid(value) && (name !== "cached_input_tokens" || value !== undefined)
      )
      .map(([name, value]) => `${name} ${String(value)}`);
    if (bad.length === 0) return { result: made, estimated: false };
    const usage: Usage = {
      input_tokens: valid(input_tokens) ? input_tokens : Math.ceil(this.kind.promptChars(item) / 4),
      output_tokens: valid(output_tokens) ? output_tokens : Math.ceil((made.raw?.length ?? 0) / 4),
    };
    if (!this.#warned.has(item.model.name)) {
      this.#warned.add(item.model.name);
      this.log(
        `${this.kind.role} "${item.model.name}": the server reported token usage that cannot ` +
          `be right (${bad.join(", ")}); counting an estimate (characters / 4) instead, marked ` +
          "usage_estimated in the ledger",
      );
    }
    return { result: { ...made, usage }, estimated: true };
  }
}
