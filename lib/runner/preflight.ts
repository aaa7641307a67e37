/**
 * The preflight: before a benchmark sends anything, estimate per judge and task how many
 * requests it will make, how many tokens they use and what they cost (and, for a judge with
 * `batch: true`, how many batches it submits), and print it.
 *
 * @module
 */

import type { TaskKey } from "../data/task_key.ts";
import type { Entry } from "../data/entry.ts";
import { getTask, missingInputs } from "../tasks/tasks.ts";
import { type BenchmarkConfig } from "./config.ts";
import { priceShare } from "../judge/model_config.ts";
import { costOf } from "./budget.ts";
import { _money, _plural, _sum, _thousands as count } from "./_format.ts";
import { BATCH_LIMITS, batchProvider } from "../judge/batch_limits.ts";
import { taskInputs } from "../tasks/task_inputs.ts";
import {
  CHARS_PER_TOKEN,
  type Encoding,
  TOKEN_ESTIMATE,
  type TokenCounter,
  tokenCounter,
} from "../judge/token_count.ts";
import { type _CellTable, _htmlTable, _textTable } from "../notebook/_html.ts";

/**
 * Reply tokens assumed per judgement, by task: every task asks for one JSON object with a score
 * and a one-to-three-sentence justification (about 80–100 tokens of text plus the JSON around
 * it); the Bond tasks add `best_rank`. A model's `max_tokens` caps it. Reasoning models also
 * spend hidden reasoning tokens, which this does not count.
 *
 * @example
 * ```ts
 * import { REPLY_TOKENS } from "./preflight.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(REPLY_TOKENS.cpc_management, 120);
 * ```
 */
export const REPLY_TOKENS: Readonly<Record<TaskKey, number>> = {
  management_reasoning: 120,
  bi_triage: 130,
  cpc_bond: 130,
  r_idea: 120,
  diagnostic_reasoning: 120,
  cpc_management: 120,
};

/**
 * Bytes one request adds to a batch file besides its prompt's characters: the JSON line's
 * `custom_id`, method, URL, model and parameters, and the escaping of the prompt's newlines.
 */
const BATCH_OVERHEAD_BYTES = 500;

/** The estimate for one judge on one task. */
export interface PreflightRow {
  /** The judge's name (`models[].name`). */
  judge: string;
  /** Its provider. */
  provider: string;
  /** Its model id. */
  model: string;
  /** The task. */
  task: TaskKey;
  /** Judgements the run covers: entries with the task's inputs × repeats. */
  items: number;
  /** Entries of the task left out because a required input is missing (not × repeats). */
  skipped_missing_inputs: number;
  /** Items already judged (in the output folder), not sent again. */
  cached: number;
  /** Items a live batch of an earlier run holds: collected, not sent again (batch judges). */
  in_batches?: number;
  /** Requests to send: `items - cached - in_batches`. */
  requests: number;
  /** Input tokens of those requests: counted with the judge's tokenizer, else estimated. */
  input_tokens: number;
  /**
   * What `input_tokens` rests on: the tokenizer counted with, `"estimate"` (prompt characters ÷
   * `CHARS_PER_TOKEN`), or `null` for an offline judge, which sends nothing.
   */
  tokens_counted_with?: Encoding | "estimate" | null;
  /** Estimated output tokens (`REPLY_TOKENS`, capped by `max_tokens`). */
  output_tokens: number;
  /**
   * Estimated cost from the model's price (its batch price with `batch: true`); `null` when it
   * has no price (0 for `offline`).
   */
  cost: number | null;
  /** Whether the judge sends through its provider's batch API (`batch: true`). */
  batch?: boolean;
}

/** What a judge with `batch: true` submits. */
export interface PreflightBatches {
  /** The judge's name. */
  judge: string;
  /** Its requests, over every task. */
  requests: number;
  /** The size of those requests, estimated: prompt characters + 500 bytes each. */
  bytes: number;
  /** The batches it submits: its requests split at the provider's `BATCH_LIMITS`. */
  batches: number;
}

/** The whole estimate. */
export interface PreflightResult {
  /** One row per judge and task, in config order. */
  rows: PreflightRow[];
  /** Sums over the rows; `cost` sums the priced rows and is `null` when no row has a price. */
  totals: { requests: number; input_tokens: number; output_tokens: number; cost: number | null };
  /** Things to know: skipped entries, tasks without entries, unpriced judges, budget caps hit. */
  notes: string[];
  /** One per judge with `batch: true`, in config order. */
  batches?: PreflightBatches[];
}

/**
 * A yes-or-no about one item: a judge's repeat of an entry (`index`: its place in the entries;
 * repeats count from 0).
 */
export type PreflightItemTest = (
  judgeName: string,
  task: TaskKey,
  entry: Entry,
  repeat: number,
  index: number,
) => boolean;

/** Options of `preflight`. */
export interface PreflightOptions {
  /** Whether the ledger already holds a judgement (default: nothing is cached). */
  isCached?: PreflightItemTest;
  /** Whether a live batch of an earlier run holds the item (default: none does). */
  inBatch?: PreflightItemTest;
  /** Token counters by judge name (`loadTokenCounters`); without one, characters ÷ 4. */
  counters?: ReadonlyMap<string, TokenCounter>;
}

/**
 * Estimates, before anything is sent, what a benchmark will request from each judge.
 *
 * For each judge and task in the config: `items` = entries of the task that have its required
 * inputs × `repeats`; `cached` = those `isCached` says are judged already; `in_batches` (batch
 * judges) = those `inBatch` says a live batch holds; `requests` = the rest. Input tokens: each
 * request's system and user prompt, counted with the judge's counter (characters ÷ 4 without
 * one); output tokens = `REPLY_TOKENS[task]` per request, capped by the model's (or run-wide)
 * `max_tokens`; cost = input × input price + output × output price, per million tokens,
 * × `batch_discount` for a judge with `batch: true`. `offline` judges send nothing: their tokens
 * and cost are 0. Entries of tasks not in `config.tasks` are ignored.
 *
 * @param config The validated config.
 * @param entries The dataset entries.
 * @param options What the ledger and live batches already hold, and the judges' token counters.
 * @returns One row per (judge, task), totals, notes, and the batches of batch judges.
 *
 * @example
 * ```ts
 * import { preflight } from "./preflight.ts";
 * import { parseConfig } from "./config.ts";
 * import assert from "node:assert/strict";
 *
 * const config = parseConfig(`
 * output_dir: trials
 * tasks: [cpc_management]
 * repeats: 2
 * models:
 *   - name: gpt-4o
 *     provider: openai
 *     model_id: gpt-4o
 *     price: { input_per_million: 2.5, output_per_million: 10 }
 * `);
 * const entry = {
 *   id: "e1", case_id: "c1", benchmark: "cpc_management" as const, study: "s", model: "m",
 *   grade: 1, max_score: 2, response: "CT abdomen", test_plan: "CT abdomen",
 * };
 * const { rows, totals } = preflight(config, [entry], { isCached: (_j, _t, _e, repeat) => repeat === 0 });
 * assert.deepEqual([rows[0]!.items, rows[0]!.cached, rows[0]!.requests], [2, 1, 1]);
 * assert.equal(totals.output_tokens, 120);
 * ```
 */
export function preflight(
  config: BenchmarkConfig,
  entries: readonly Entry[],
  options: PreflightOptions = {},
): PreflightResult {
  const counters = config.models.map((model) =>
    options.counters?.get(model.name) ?? TOKEN_ESTIMATE
  );
  const tasks = taskPrompts(config, entries, counters);
  const { rows, batches, batchNotes } = estimate(config, tasks, counters, options);
  const priced = rows.filter((row) => row.cost !== null);
  const totals = {
    requests: _sum(rows.map((row) => row.requests)),
    input_tokens: _sum(rows.map((row) => row.input_tokens)),
    output_tokens: _sum(rows.map((row) => row.output_tokens)),
    cost: priced.length === 0 ? null : _sum(priced.map((row) => row.cost!)),
  };
  return { rows, totals, notes: notes(config, tasks, rows, totals, batchNotes), batches };
}

/**
 * Token counters for a config's judges: each model's own tokenizer where the kit has it (see
 * `tokenCounter`), else characters ÷ 4.
 *
 * @param config The validated config.
 * @returns Counters by judge name, for `preflight`'s `counters`.
 *
 * @example
 * ```ts
 * import { loadTokenCounters } from "./preflight.ts";
 * import { parseConfig } from "./config.ts";
 * import assert from "node:assert/strict";
 *
 * const counters = await loadTokenCounters(parseConfig(
 *   "output_dir: t\nmodels: [{ name: a, provider: openai, model_id: gpt-4o }]",
 * ));
 * assert.equal(counters.get("a")?.encoding, "o200k_base");
 * ```
 */
export async function loadTokenCounters(
  config: BenchmarkConfig,
): Promise<Map<string, TokenCounter>> {
  const counters = new Map<string, TokenCounter>();
  for (const model of config.models) {
    counters.set(model.name, await tokenCounter(model.provider, model.model_id));
  }
  return counters;
}

/** One task's judgeable entries, with their prompt's characters and tokens under each counter. */
interface TaskPrompts {
  usable: { entry: Entry; index: number; chars: number; tokens: number[] }[];
  skipped: number;
  missing: Map<string, number>;
}

function taskPrompts(
  config: BenchmarkConfig,
  entries: readonly Entry[],
  counters: readonly TokenCounter[],
): Map<TaskKey, TaskPrompts> {
  const tasks = new Map<TaskKey, TaskPrompts>(
    config.tasks.map((key) => [key, { usable: [], skipped: 0, missing: new Map() }]),
  );
  // Judges that share a tokenizer share the count; a task's system prompt is counted once.
  const distinct = [...new Set(counters)];
  const systemTokens = distinct.map(() => new Map<string, number>());
  for (const [index, entry] of entries.entries()) {
    const state = tasks.get(entry.benchmark);
    if (state === undefined) continue;
    const task = getTask(entry.benchmark);
    const inputs = taskInputs(entry);
    const missing = missingInputs(task, inputs);
    if (missing.length > 0) {
      state.skipped++;
      for (const name of missing) state.missing.set(name, (state.missing.get(name) ?? 0) + 1);
      continue;
    }
    const { system, user } = task.prompt(inputs);
    const counted = distinct.map((counter, i) => {
      // An estimate is of the whole text; a tokenizer counts each message on its own.
      if (counter.encoding === null) return counter.count(system + user);
      let tokens = systemTokens[i]!.get(system);
      if (tokens === undefined) systemTokens[i]!.set(system, tokens = counter.count(system));
      return tokens + counter.count(user);
    });
    const tokens = counters.map((c) => counted[distinct.indexOf(c)]!);
    state.usable.push({ entry, index, chars: system.length + user.length, tokens });
  }
  return tasks;
}

function estimate(
  config: BenchmarkConfig,
  tasks: ReadonlyMap<TaskKey, TaskPrompts>,
  counters: readonly TokenCounter[],
  { isCached = () => false, inBatch = () => false }: PreflightOptions,
): { rows: PreflightRow[]; batches: PreflightBatches[]; batchNotes: string[] } {
  const rows: PreflightRow[] = [];
  const batches: PreflightBatches[] = [];
  const batchNotes: string[] = [];
  for (const [m, model] of config.models.entries()) {
    const offline = model.provider === "offline";
    const maxTokens = model.max_tokens ?? config.max_tokens ?? Infinity;
    const sent = { requests: 0, bytes: 0 };
    let held = 0;
    for (const task of config.tasks) {
      const { usable, skipped } = tasks.get(task)!;
      let cached = 0;
      let inBatches = 0;
      let inputTokens = 0;
      for (const { entry, index, chars, tokens } of usable) {
        for (let repeat = 0; repeat < config.repeats; repeat++) {
          if (isCached(model.name, task, entry, repeat, index)) cached++;
          else if (model.batch && inBatch(model.name, task, entry, repeat, index)) inBatches++;
          else {
            inputTokens += tokens[m]!;
            sent.bytes += chars + BATCH_OVERHEAD_BYTES;
          }
        }
      }
      const items = usable.length * config.repeats;
      const requests = items - cached - inBatches;
      sent.requests += requests;
      held += inBatches;
      const input_tokens = offline ? 0 : inputTokens;
      const output_tokens = offline ? 0 : requests * Math.min(REPLY_TOKENS[task], maxTokens);
      const live = offline ? 0 : costOf({ input_tokens, output_tokens }, model.price);
      const cost = live === null ? null : live * priceShare(model);
      rows.push({
        judge: model.name,
        provider: model.provider,
        model: model.model_id,
        task,
        items,
        skipped_missing_inputs: skipped,
        cached,
        ...(model.batch ? { in_batches: inBatches } : {}),
        requests,
        input_tokens,
        tokens_counted_with: offline ? null : counters[m]!.encoding ?? "estimate",
        output_tokens,
        cost,
        ...(model.batch ? { batch: true } : {}),
      });
    }
    if (model.batch) {
      const limit = BATCH_LIMITS[batchProvider(model.provider)];
      const n = Math.ceil(Math.max(sent.requests / limit.requests, sent.bytes / limit.bytes));
      batches.push({ judge: model.name, ...sent, batches: n });
      batchNotes.push(
        `${model.name} sends ${count(sent.requests)} requests in ${count(n)} ${
          _plural(n, "batch", "batches")
        } at ${priceShare(model)} × its price (a batch holds at most ${
          count(limit.requests)
        } requests or ${megabytes(limit.bytes)}; these are about ${megabytes(sent.bytes)}, ` +
          `estimated as prompt characters + ${BATCH_OVERHEAD_BYTES} bytes each)`,
      );
      if (held > 0) {
        batchNotes.push(
          `${model.name}: ${count(held)} ${_plural(held, "request waits", "requests wait")} in ` +
            "live batches of an earlier run: collected, not submitted again",
        );
      }
    }
  }
  return { rows, batches, batchNotes };
}

function notes(
  config: BenchmarkConfig,
  tasks: ReadonlyMap<TaskKey, TaskPrompts>,
  rows: readonly PreflightRow[],
  totals: PreflightResult["totals"],
  batchNotes: readonly string[],
): string[] {
  const notes: string[] = [];
  for (const [task, { usable, skipped, missing }] of tasks) {
    if (usable.length + skipped === 0) notes.push(`the dataset has no ${task} entries`);
    if (skipped === 0) continue;
    const why = [...missing].map(([name, n]) => `${n} without ${name}`).join(", ");
    notes.push(
      `${skipped} ${task} ${_plural(skipped, "entry lacks", "entries lack")} required inputs ` +
        `(${why}) and ${_plural(skipped, "is", "are")} skipped for every judge`,
    );
  }
  const unpriced = [
    ...new Set(rows.filter((row) => row.cost === null && row.requests > 0).map((row) => row.judge)),
  ];
  if (unpriced.length > 0) {
    notes.push(
      `no price for ${unpriced.join(", ")}: ${_plural(unpriced.length, "its", "their")} cost ` +
        `is not estimated${totals.cost === null ? "" : " nor counted in the total"} ` +
        "(add price: { input_per_million, output_per_million })",
    );
  }
  notes.push(...batchNotes);
  const { max_requests, max_tokens, max_cost } = config.budget;
  if (max_requests !== undefined && totals.requests > max_requests) {
    notes.push(
      `budget.max_requests is ${max_requests}: the run will stop there, ` +
        `${count(totals.requests - max_requests)} requests short`,
    );
  }
  const tokens = totals.input_tokens + totals.output_tokens;
  if (max_tokens !== undefined && tokens > max_tokens) {
    notes.push(
      `budget.max_tokens is ${count(max_tokens)} and the estimate is ${count(tokens)}: ` +
        "the run will likely stop early",
    );
  }
  if (max_cost !== undefined && totals.cost !== null && totals.cost > max_cost) {
    notes.push(
      `budget.max_cost is ${_money(max_cost)} and the estimate is ${_money(totals.cost)}: ` +
        "the run will likely stop early",
    );
  }
  if (rows.length > 0 && totals.requests === 0 && rows.some((row) => row.cached > 0)) {
    notes.push("everything is judged already: nothing to send");
  }
  return notes;
}

/** 200 MB: bytes in MB of 2²⁰ bytes, as the providers state their limits. */
function megabytes(bytes: number): string {
  return `${count(Math.round(bytes / 2 ** 20 * 10) / 10)} MB`;
}

/**
 * The preflight as a printed table: one line per judge and task, a total line, the notes, and
 * a line saying the figures are estimates.
 *
 * @param result What `preflight` returned.
 * @returns The text to print.
 *
 * @example
 * ```ts
 * import { formatPreflight, preflight } from "./preflight.ts";
 * import { parseConfig } from "./config.ts";
 * import assert from "node:assert/strict";
 *
 * const config = parseConfig("output_dir: t\nmodels: [{ name: j, provider: openai, model_id: m }]");
 * const text = formatPreflight(preflight(config, []));
 * assert.match(text, /^Preflight: what this run will send/);
 * assert.match(text, /note: the dataset has no cpc_bond entries/);
 * ```
 */
export function formatPreflight(result: PreflightResult): string {
  return _textTable(preflightTable(result, estimateLines(result)), { ruled: true });
}

/**
 * The preflight as an HTML table, for a notebook: the same cells, notes and estimate lines as
 * `formatPreflight`.
 *
 * @param result What `preflight` returned.
 * @returns An HTML fragment with inline styles.
 *
 * @example
 * ```ts
 * import { preflight, preflightHtml } from "./preflight.ts";
 * import { parseConfig } from "./config.ts";
 * import assert from "node:assert/strict";
 *
 * const config = parseConfig("output_dir: t\nmodels: [{ name: j, provider: openai, model_id: m }]");
 * assert.match(preflightHtml(preflight(config, [])), /<table.*<td[^>]*>total<\/td>/s);
 * ```
 */
export function preflightHtml(result: PreflightResult): string {
  return _htmlTable(preflightTable(result, [estimateLines(result).join(" ")]));
}

/**
 * The preflight's cells, from one list of columns (header, a row's cell, the total's), and its
 * notes followed by `estimate`, what the figures rest on.
 */
function preflightTable(result: PreflightResult, estimate: readonly string[]): _CellTable {
  const money = (cost: number | null) => cost === null ? "—" : _money(cost);
  const total = (key: "items" | "cached") => count(_sum(result.rows.map((row) => row[key])));
  const columns: [string, (row: PreflightRow) => string, string][] = [
    ["judge", (row) => row.judge, "total"],
    ["provider", (row) => row.batch ? `${row.provider} (batch)` : row.provider, ""],
    ["model", (row) => row.model, ""],
    ["task", (row) => row.task, ""],
    ["items", (row) => count(row.items), total("items")],
    ["skipped", (row) => count(row.skipped_missing_inputs), ""],
    ["cached", (row) => count(row.cached), total("cached")],
    ["requests", (row) => count(row.requests), count(result.totals.requests)],
    ["input tokens", (row) => count(row.input_tokens), count(result.totals.input_tokens)],
    ["output tokens", (row) => count(row.output_tokens), count(result.totals.output_tokens)],
    ["cost", (row) => money(row.cost), money(result.totals.cost)],
  ];
  return {
    caption: "Preflight: what this run will send (estimated; nothing has been sent yet)",
    header: columns.map(([header]) => header),
    rows: result.rows.map((row) => columns.map(([, cell]) => cell(row))),
    footer: [columns.map(([, , total]) => total)],
    numeric: columns.map((_, i) => i >= 4),
    notes: [...result.notes.map((note) => `note: ${note}`), ...estimate],
  };
}

/** What the estimates rest on. */
function estimateLines(result: PreflightResult): string[] {
  const replyTokens = [...new Set(result.rows.map((row) => REPLY_TOKENS[row.task]))]
    .sort((a, b) => a - b);
  // Judges by what their input tokens rest on; offline judges (`null`) send nothing.
  const judgesBy = new Map<string, Set<string>>();
  for (const { tokens_counted_with: basis = "estimate", judge } of result.rows) {
    if (basis !== null) judgesBy.set(basis, (judgesBy.get(basis) ?? new Set()).add(judge));
  }
  const judges = (basis: string) => [...judgesBy.get(basis)!].join(", ");
  const estimate = `≈ prompt characters / ${CHARS_PER_TOKEN}`;
  const counted = ["o200k_base", "cl100k_base"].filter((basis) => judgesBy.has(basis))
    .map((encoding) => `counted with ${encoding} for ${judges(encoding)}`);
  if (counted.length > 0 && judgesBy.has("estimate")) {
    counted.push(`${estimate} for ${judges("estimate")} (no tokenizer for their models runs here)`);
  }
  const input = counted.length === 0 ? estimate : counted.join("; ");
  return [
    `Estimates are approximate: input tokens ${input}, output tokens ≈ ${
      replyTokens.join("–") || REPLY_TOKENS.cpc_management
    } per reply`,
    "(capped by max_tokens; reasoning models use more; the chat format adds a few tokens per " +
    "request), cost from the configured prices. The run counts actual usage.",
  ];
}
