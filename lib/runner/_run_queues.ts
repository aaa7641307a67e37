/**
 * What judging and generating runs share: sending queued requests through each provider's
 * pool within the budget.
 *
 * @module
 */

import type { RetryOptions } from "../judge/retry.ts";
import type { BenchmarkConfig } from "./config.ts";
import type { Budget } from "./budget.ts";
import { type PoolEvent, ProviderPool } from "./provider_pool.ts";

/** How `_runQueues` sends and records. */
export interface _RunQueuesOptions<Item, Result> {
  /** The pool of a provider. */
  poolFor: (provider: string) => ProviderPool;
  /** Checked before each request starts. */
  budget: Budget;
  /** Stops new requests (those in flight finish and are recorded). */
  signal?: AbortSignal | undefined;
  /** Sends one item's request. */
  send: (item: Item) => Promise<Result>;
  /** Records a result (ledger, tally). */
  record: (item: Item, result: Result) => Promise<void>;
}

/**
 * Sends every queued item, one worker per slot of each provider's pool (its `threads`), each
 * request through the pool; stops starting new ones when `signal` aborts or the budget is spent.
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
        if (!options.budget.tryStart()) {
          stopped ??= `budget: ${options.budget.exhausted}`;
          return;
        }
        const result = await pool.run(() => options.send(next.value));
        await options.record(next.value, result);
      }
    };
    await Promise.all(Array.from({ length: pool.limit }, worker));
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
          const pace = event.rate === undefined ? "" : ` ${event.rate.toFixed(1)}/s`;
          log(`[${event.provider}] ${event.kind}${pace}: ${event.reason}`);
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
