/**
 * A run's budget: caps on requests, tokens and money, checked before each request so that a
 * run stops cleanly when one is reached, and the cost of a request from a model's prices.
 *
 * @module
 */

import { _thousands as count } from "./_format.ts";
import { _money } from "./_money.ts";

/** Caps on what one run may spend; each is optional. */
export interface BudgetLimits {
  /** Most requests (judgements or generations) to start. */
  max_requests?: number;
  /** Most tokens, input and output together. */
  max_tokens?: number;
  /** Most money, in the unit of the models' prices. */
  max_cost?: number;
}

/** A model's price, in currency units per million tokens. */
export interface Prices {
  /** Price of a million input tokens. */
  input_per_million: number;
  /** Price of a million output tokens. */
  output_per_million: number;
}

/**
 * The cost of one request: input tokens times the input price plus output tokens times the
 * output price, prices being per million tokens. Tokens served from a provider's prompt cache
 * are priced as ordinary input (an upper bound: providers bill them at a discount).
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
 * ```
 */
export function costOf(
  usage: { input_tokens: number; output_tokens: number },
  price?: Prices,
): number | null {
  if (price === undefined) return null;
  // Multiply before dividing: 1200 * 2.5 / 1e6 is exactly 0.003, 1200 * (2.5 / 1e6) is not.
  return (usage.input_tokens * price.input_per_million +
    usage.output_tokens * price.output_per_million) / 1_000_000;
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
