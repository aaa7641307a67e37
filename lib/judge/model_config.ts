/**
 * A model's entry in a benchmark config's `models:` list — a judge, or in generation mode a
 * candidate — with its prices.
 *
 * @module
 */

/** One model (PrecepTron's `models:` entry: a judge, or a candidate) with our optional settings. */
export interface ModelConfig {
  /** The model's name: unique in the config, used in output file names. */
  name: string;
  /** One of `CONFIG_PROVIDERS` (`preceptron/runner`). */
  provider: string;
  /** The model id sent to the API (for Azure, the deployment). */
  model_id: string;
  /** An OpenAI-compatible server's base URL (vLLM, Ollama, a proxy). */
  base_url?: string;
  /** Sampling temperature; overrides the run-wide one. */
  temperature?: number;
  /** Sampling seed, where the provider supports one; overrides the run-wide one. */
  seed?: number;
  /** Cap on reply tokens; overrides the run-wide one. */
  max_tokens?: number;
  /** Price in currency units (dollars, say) per million tokens; without it, cost is not counted. */
  price?: Prices;
  /**
   * Send this judge's requests through its provider's batch API: cheaper, answered within a day
   * rather than at once. Default false.
   */
  batch?: boolean;
  /**
   * With `batch`, the batch price as a share of `price`, in (0, 1]; default
   * `DEFAULT_BATCH_DISCOUNT`.
   */
  batch_discount?: number;
}

/**
 * The batch price as a share of the live price when a model does not set `batch_discount`:
 * OpenAI's Batch API and Anthropic's Message Batches both charge half.
 *
 * @example
 * ```ts
 * import { DEFAULT_BATCH_DISCOUNT } from "./model_config.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(DEFAULT_BATCH_DISCOUNT, 0.5);
 * ```
 */
export const DEFAULT_BATCH_DISCOUNT = 0.5;

/**
 * The share of its price a model's requests cost: its `batch_discount` (default
 * `DEFAULT_BATCH_DISCOUNT`) when it sends them in batches, else all of it.
 *
 * @param model The model's entry.
 * @returns A share in (0, 1].
 *
 * @example
 * ```ts
 * import { priceShare } from "./model_config.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(priceShare({ batch: true }), 0.5);
 * assert.equal(priceShare({ batch: true, batch_discount: 0.6 }), 0.6);
 * assert.equal(priceShare({ batch_discount: 0.6 }), 1);
 * ```
 */
export function priceShare(model: Pick<ModelConfig, "batch" | "batch_discount">): number {
  return model.batch === true ? model.batch_discount ?? DEFAULT_BATCH_DISCOUNT : 1;
}

/** A model's price, in currency units per million tokens. */
export interface Prices {
  /** Price of a million input tokens. */
  input_per_million: number;
  /** Price of a million output tokens. */
  output_per_million: number;
  /**
   * Price of a million input tokens served from the provider's prompt cache (OpenAI bills them
   * at a discount, Anthropic's cache reads at a tenth); without it they cost `input_per_million`.
   */
  cached_input_per_million?: number;
}
