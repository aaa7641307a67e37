/**
 * What judging and generating runs share: sending queued requests through each provider's
 * pool within the budget, and counting what came back for the progress display and summary.
 *
 * @module
 */

import type { Usage } from "../judge/judgement.ts";
import type { RetryOptions } from "../judge/retry.ts";
import type { BenchmarkConfig } from "./config.ts";
import type { Budget } from "./budget.ts";
import { type PoolEvent, ProviderPool } from "./provider_pool.ts";
import type { ProgressReporter, ProgressState } from "./progress.ts";

/** What one answered request cost and how it ended, for the tally. */
export interface _Outcome {
  /** Tokens, where the provider reported them. */
  usage?: Usage | undefined;
  /** Its cost in the model's price unit, or `null` without a price. */
  cost: number | null;
  /** The failure reason, when it failed. */
  failure?: string | undefined;
}

/**
 * The counts of a run as it goes: the progress state shown while it runs, and the sums the
 * summary reports at the end.
 */
export class _RunTally {
  /** The progress state passed to the reporter on each change. */
  readonly state: ProgressState;
  /** Failed requests by reason. */
  readonly failed: Record<string, number> = {};
  /** Items still to do. */
  remaining: number;
  readonly #reporter: ProgressReporter;

  /**
   * @param queued Items to send in this run.
   * @param cached Items found done (not sent).
   * @param label What is running, for the display.
   * @param reporter Where progress goes.
   */
  constructor(queued: number, cached: number, label: string, reporter: ProgressReporter) {
    this.remaining = queued;
    this.#reporter = reporter;
    this.state = {
      total: queued + cached,
      done: 0,
      cached,
      failed: 0,
      failuresByReason: {},
      inputTokens: 0,
      outputTokens: 0,
      cost: null,
      startedAt: performance.now(),
      label,
    };
  }

  /** Counts one answered request and redraws the progress (throttled). */
  count(outcome: _Outcome): void {
    const state = this.state;
    this.remaining--;
    state.done++;
    if (outcome.usage) {
      state.inputTokens += outcome.usage.input_tokens;
      state.outputTokens += outcome.usage.output_tokens;
    }
    if (outcome.cost !== null) state.cost = (state.cost ?? 0) + outcome.cost;
    if (outcome.failure !== undefined) {
      this.failed[outcome.failure] = (this.failed[outcome.failure] ?? 0) + 1;
      state.failed++;
      state.failuresByReason[outcome.failure] = (state.failuresByReason[outcome.failure] ?? 0) +
        1;
    }
    this.#reporter.update(state);
  }

  /**
   * Draws the final state.
   *
   * @returns The run's sums, as the summaries name them.
   */
  finish(): {
    failed: Record<string, number>;
    input_tokens: number;
    output_tokens: number;
    cost: number | null;
    remaining: number;
  } {
    this.#reporter.finish(this.state);
    return {
      failed: this.failed,
      input_tokens: this.state.inputTokens,
      output_tokens: this.state.outputTokens,
      cost: this.state.cost,
      remaining: this.remaining,
    };
  }
}

/** How `_runQueues` sends and records. */
export interface _RunQueuesOptions<Item, Result> {
  /** The pool of a provider. */
  poolFor: (provider: string) => ProviderPool;
  /** The most workers a provider's queue gets (its configured `threads`). */
  threads: (provider: string) => number;
  /** Checked before each request starts. */
  budget: Budget;
  /** Stops new requests (those in flight finish and are recorded). */
  signal?: AbortSignal | undefined;
  /** Sends one item's request. */
  send: (item: Item) => Promise<Result>;
  /** Records a result (ledger, tally). */
  record: (item: Item, result: Result) => Promise<void>;
  /** Told of an item taken from its queue but not sent, because the budget ran out. */
  unsent?: (item: Item) => void;
}

/**
 * Sends every queued item, one group of workers per provider, each request through the
 * provider's pool; stops starting new ones when `signal` aborts or the budget is spent.
 * Requests in flight are never aborted: they may be paid for already, so they finish and are
 * recorded.
 *
 * @param queues Items by provider, in order: iterables read only as workers are free, so items
 *   can be made on demand.
 * @param options Pools, budget, signal and the send/record callbacks.
 * @returns Why the run stopped early (`"cancelled"`, `"budget: …"`), or `undefined`.
 */
export async function _runQueues<Item, Result>(
  queues: ReadonlyMap<string, Iterable<Item>>,
  options: _RunQueuesOptions<Item, Result>,
): Promise<string | undefined> {
  let stopped: string | undefined;
  await Promise.all([...queues].map(async ([provider, queue]) => {
    const pool = options.poolFor(provider);
    const items = queue[Symbol.iterator]();
    const worker = async () => {
      while (stopped === undefined) {
        if (options.signal?.aborted) {
          stopped ??= "cancelled";
          return;
        }
        const next = items.next();
        if (next.done) return;
        const item = next.value;
        if (!options.budget.tryStart()) {
          stopped ??= `budget: ${options.budget.exhausted}`;
          options.unsent?.(item);
          return;
        }
        const result = await pool.run(() => options.send(item));
        await options.record(item, result);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, options.threads(provider)) }, worker));
  }));
  return stopped;
}

/**
 * One pool per provider, made on first use at the provider's `threads` (8 when unset); every
 * concurrency change is logged and kept in `events`.
 *
 * @param threads Concurrency per provider, from the config.
 * @param log Where changes are told.
 * @returns The pool of a provider, and the changes so far.
 */
export function _providerPools(
  threads: Readonly<Record<string, number>>,
  log: (line: string) => void,
): { poolFor: (provider: string) => ProviderPool; events: PoolEvent[] } {
  const pools = new Map<string, ProviderPool>();
  const events: PoolEvent[] = [];
  const poolFor = (provider: string) => {
    let pool = pools.get(provider);
    if (!pool) {
      pool = new ProviderPool({
        provider,
        concurrency: threads[provider] ?? 8,
        onEvent: (event) => {
          events.push(event);
          log(`[${event.provider}] concurrency ${event.from} → ${event.to}: ${event.reason}`);
        },
      });
      pools.set(provider, pool);
    }
    return pool;
  };
  return { poolFor, events };
}

/**
 * The config's `retry` section as the judges' and candidates' retry options.
 *
 * @param config The validated config.
 * @returns `maxRetries` and `timeoutMs` where the config sets them.
 */
export function _retryOptions(config: Pick<BenchmarkConfig, "retry">): RetryOptions {
  const retry = config.retry ?? {};
  return {
    ...(retry.max_retries === undefined ? {} : { maxRetries: retry.max_retries }),
    ...(retry.timeout_seconds === undefined ? {} : { timeoutMs: retry.timeout_seconds * 1000 }),
  };
}
