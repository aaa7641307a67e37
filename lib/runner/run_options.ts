/**
 * What judging runs (`runBenchmark`) and generation runs (`generateResponses`) are both asked,
 * and what both report: they are one pipeline with two kinds of work.
 *
 * @module
 */

import type { Entry } from "../data/entry.ts";
import type { PoolEvent } from "./provider_pool.ts";
import type { Match } from "../data/filter_entries.ts";

/** How to run (judging or generating). */
export interface RunOptions {
  /** Credentials by environment-variable name (e.g. from `loadKeysFile`); default: the environment. */
  keys?: Readonly<Record<string, string | undefined>>;
  /** Print the plan (the preflight estimate) and stop before sending anything or writing. */
  dryRun?: boolean;
  /**
   * Ask again where the ledger holds a permanent failure (an invalid, empty or refused reply);
   * transient ones (retries exhausted) are always asked again.
   */
  retryFailed?: boolean;
  /** Progress display (default `"auto"`: in place in a notebook, a redrawn line in a terminal). */
  progress?: "auto" | "terminal" | "notebook" | "silent";
  /** Where messages go (plan, pool changes, summary); default `console.log`. */
  log?: (line: string) => void;
  /**
   * Stops the run: no new requests start; those in flight finish and are recorded (they may
   * already be paid for). What was made stays in the ledger.
   */
  signal?: AbortSignal;
  /** Entries to work on instead of loading `dataset_path` (to judge, or to take cases from). */
  entries?: readonly Entry[];
  /**
   * The studies whose entries to use instead of the config's `studies`, e.g. `"brodeur*"` or
   * `/^brodeur/` (default: the config's `studies`, else every study).
   */
  study?: Match;
  /**
   * Judges with `batch: true` submit their batches and return without waiting for them; a later
   * run (or one with `collect`) collects. Live judges are sent as usual.
   */
  detach?: boolean;
  /**
   * Only collects the batches earlier runs submitted (those that have ended, with `detach`):
   * nothing new is submitted or sent live.
   */
  collect?: boolean;
}

/** What a run did (judging or generating), beside what each kind adds. */
export interface RunSummary<Failure extends string = string> {
  /** The output folder holding the ledgers. */
  output_dir: string;
  /**
   * Items already in the ledger (or, when judging, with the same key — the same content — as
   * another item of the run): not sent again.
   */
  cached: number;
  /** Failures made in this run, by reason. */
  failed: Partial<Record<Failure, number>>;
  /** Input tokens used in this run. */
  input_tokens: number;
  /** Output tokens used in this run. */
  output_tokens: number;
  /** Of `input_tokens`, those the providers served from their prompt caches, as reported. */
  cached_input_tokens: number;
  /** Cost in this run, where prices are configured. */
  cost: number | null;
  /** What the prompt caches saved, where prices give a cached input price (else 0). */
  cache_saving: number;
  /** Wall time in milliseconds. */
  wall_ms: number;
  /** Requests not sent because the run stopped early (budget or cancellation). */
  remaining: number;
  /** Why the run stopped early, if it did. */
  stopped?: string;
  /** Concurrency changes per provider (on 429s and recovery). */
  pool_events: PoolEvent[];
  /** Whether this was a dry run (nothing sent). */
  dry_run: boolean;
}
