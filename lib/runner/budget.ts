/**
 * A run's budget: caps on requests, tokens and money, checked before each request so that a
 * run stops cleanly when one is reached, and the cost of a request from a model's prices.
 *
 * @module
 */

import type { Prices } from "../judge/model_config.ts";
import { _money, _thousands as count } from "./_format.ts";

/** Caps on what one run may spend; each is optional. */
export interface BudgetLimits {
  /** Most requests (judgements or generations) to start. */
  max_requests?: number;
  /** Most tokens, input and output together. */
  max_tokens?: number;
  /** Most money, in the unit of the models' prices. */
  max_cost?: number;
}

/**
 * The cost of one request: input tokens times the input price plus output tokens times the
 * output price, prices being per million tokens. Input tokens served from the provider's prompt
 * cache (`cached_input_tokens`, part of `input_tokens`) cost `cached_input_per_million` where
 * the price gives one, else the full input price (an upper bound).
 *
 * @param usage The tokens used.
 * @param price The model's price; without one the cost is unknown.
 * @returns The cost in the price's currency unit, or `null` without a price.
 * @throws Nothing.
 *
 * @example
 * ```ts
 * import { costOf } from "./budget.ts";
 * import assert from "node:assert/strict";
 *
 * // 1,200 × 2.50 / 1e6 + 300 × 10.00 / 1e6 = 0.003 + 0.003
 * const price = { input_per_million: 2.5, output_per_million: 10 };
 * assert.equal(costOf({ input_tokens: 1200, output_tokens: 300 }, price), 0.006);
 * assert.equal(costOf({ input_tokens: 1200, output_tokens: 300 }), null);
 * // 1,000 of the 1,200 from the cache at 1.25: 200 × 2.5 + 1,000 × 1.25 + 300 × 10, per 1e6
 * const cachedPrice = { ...price, cached_input_per_million: 1.25 };
 * const usage = { input_tokens: 1200, output_tokens: 300, cached_input_tokens: 1000 };
 * assert.equal(costOf(usage, cachedPrice), 0.00475);
 * ```
 */
export function costOf(
  usage: { input_tokens: number; output_tokens: number; cached_input_tokens?: number },
  price?: Prices,
): number | null {
  if (price === undefined) return null;
  const cached = cachedTokens(usage, price);
  // Multiply before dividing: 1200 * 2.5 / 1e6 is exactly 0.003, 1200 * (2.5 / 1e6) is not.
  return ((usage.input_tokens - cached) * price.input_per_million +
    cached * (price.cached_input_per_million ?? price.input_per_million) +
    usage.output_tokens * price.output_per_million) / 1_000_000;
}

/**
 * What the prompt cache saved on one request: its cached input tokens priced at the input price
 * less the cached price; 0 without a cached price.
 *
 * @param usage The tokens used.
 * @param price The model's price.
 * @returns The saving in the price's currency unit.
 * @throws Nothing.
 *
 * @example
 * ```ts
 * import { cacheSaving } from "./budget.ts";
 * import assert from "node:assert/strict";
 *
 * const price = { input_per_million: 2.5, output_per_million: 10, cached_input_per_million: 1.25 };
 * // 1,000 cached tokens × (2.50 − 1.25) / 1e6
 * assert.equal(cacheSaving({ input_tokens: 1200, cached_input_tokens: 1000 }, price), 0.00125);
 * assert.equal(cacheSaving({ input_tokens: 1200, cached_input_tokens: 1000 }), 0);
 * ```
 */
export function cacheSaving(
  usage: { input_tokens: number; cached_input_tokens?: number },
  price?: Prices,
): number {
  if (price?.cached_input_per_million === undefined) return 0;
  return cachedTokens(usage, price) * (price.input_per_million - price.cached_input_per_million) /
    1_000_000;
}

/** The cached input tokens a price discounts: none without a cached price, never above the input. */
function cachedTokens(
  usage: { input_tokens: number; cached_input_tokens?: number },
  price: Prices,
) {
  if (price.cached_input_per_million === undefined) return 0;
  return Math.max(0, Math.min(usage.cached_input_tokens ?? 0, usage.input_tokens));
}

/**
 * What a run has spent, checked against its caps. Requests are counted when they start
 * (`tryStart`), tokens and cost when they finish (`record`), so the token and cost caps can be
 * overrun by the requests in flight when the cap is reached — at most one request per slot of
 * the providers' pools — and never by a request started after it.
 */
export class Budget {
  readonly #limits: BudgetLimits;
  readonly #spent = { requests: 0, input_tokens: 0, output_tokens: 0, cost: 0 };
  #exhausted: string | undefined;

  /**
   * Makes a budget with nothing spent.
   *
   * @param limits The caps; an absent cap is no cap.
   * @throws {RangeError} When a cap is negative or not a number, or `max_requests` or
   *   `max_tokens` is not a whole number.
   *
   * @example
   * ```ts
   * import { Budget } from "./budget.ts";
   * import assert from "node:assert/strict";
   *
   * const budget = new Budget({ max_cost: 5 });
   * assert.deepEqual(budget.spent, { requests: 0, input_tokens: 0, output_tokens: 0, cost: 0 });
   * assert.throws(() => new Budget({ max_requests: -1 }), RangeError);
   * ```
   */
  constructor(limits: BudgetLimits) {
    for (const key of ["max_requests", "max_tokens", "max_cost"] as const) {
      const value = limits[key];
      if (value === undefined) continue;
      const whole = key !== "max_cost";
      if (!Number.isFinite(value) || value < 0 || (whole && !Number.isInteger(value))) {
        throw new RangeError(
          `budget.${key} must be a ${whole ? "whole number" : "number"} ≥ 0, got ${value}`,
        );
      }
    }
    this.#limits = { ...limits };
  }

  /**
   * Reserves one request, unless a cap has been reached; once one has, every later call says
   * no too.
   *
   * @returns Whether the request may start.
   * @throws Nothing.
   *
   * @example
   * ```ts
   * import { Budget } from "./budget.ts";
   * import assert from "node:assert/strict";
   *
   * const budget = new Budget({ max_requests: 2 });
   * assert.deepEqual([budget.tryStart(), budget.tryStart(), budget.tryStart()], [true, true, false]);
   * assert.equal(budget.exhausted, "max_requests 2 reached (2 sent)");
   * ```
   */
  tryStart(): boolean {
    this.#exhausted ??= this.#check();
    if (this.#exhausted !== undefined) return false;
    this.#spent.requests++;
    return true;
  }

  /**
   * Adds what a finished request used.
   *
   * @param usage Its tokens, when the provider reported them.
   * @param cost Its cost (from `costOf`), when the model has a price.
   * @throws Nothing.
   *
   * @example
   * ```ts
   * import { Budget } from "./budget.ts";
   * import assert from "node:assert/strict";
   *
   * const budget = new Budget({ max_cost: 0.01 });
   * assert.ok(budget.tryStart());
   * budget.record({ input_tokens: 3000, output_tokens: 500 }, 0.0125);
   * assert.equal(budget.tryStart(), false);
   * assert.equal(budget.exhausted, "max_cost $0.0100 reached ($0.0125 spent)");
   * ```
   */
  record(
    usage: { input_tokens: number; output_tokens: number } | undefined,
    cost: number | null,
  ): void {
    if (usage) {
      this.#spent.input_tokens += usage.input_tokens;
      this.#spent.output_tokens += usage.output_tokens;
    }
    if (cost !== null) this.#spent.cost += cost;
  }

  /** Which cap ran out, in words, once `tryStart` has said no; otherwise `undefined`. */
  get exhausted(): string | undefined {
    return this.#exhausted;
  }

  /** What was spent so far (a copy). */
  get spent(): { requests: number; input_tokens: number; output_tokens: number; cost: number } {
    return { ...this.#spent };
  }

  /** The first cap reached, in words. */
  #check(): string | undefined {
    const { max_requests, max_tokens, max_cost } = this.#limits;
    const spent = this.#spent;
    if (max_requests !== undefined && spent.requests >= max_requests) {
      return `max_requests ${count(max_requests)} reached (${count(spent.requests)} sent)`;
    }
    const tokens = spent.input_tokens + spent.output_tokens;
    if (max_tokens !== undefined && tokens >= max_tokens) {
      return `max_tokens ${count(max_tokens)} reached (${count(tokens)} used)`;
    }
    if (max_cost !== undefined && spent.cost >= max_cost) {
      return `max_cost ${_money(max_cost)} reached (${_money(spent.cost)} spent)`;
    }
    return undefined;
  }
}
