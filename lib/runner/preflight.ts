/**
 * The preflight: before a benchmark sends anything, estimate per judge and task how many
 * requests it will make, how many tokens they use and what they cost, and print it.
 *
 * @module
 */

import type { TaskKey } from "../data/task_key.ts";
import type { Entry } from "../data/entry.ts";
import type { TaskInputs } from "../tasks/task.ts";
import { getTask, missingInputs } from "../tasks/tasks.ts";
import type { BenchmarkConfig } from "./config.ts";
import { _money } from "./_money.ts";
import { _taskInputs } from "../tasks/_task_inputs.ts";
import {
  CHARS_PER_TOKEN,
  type Encoding,
  type TokenCounter,
  tokenCounter,
} from "../judge/token_count.ts";
import { type _CellTable, _htmlTable } from "../notebook/_html.ts";

export { CHARS_PER_TOKEN } from "../judge/token_count.ts";

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
  /** Requests to send: `items - cached`. */
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
  /** Estimated cost from the model's price; `null` when it has no price (0 for `offline`). */
  cost: number | null;
}

/** The whole estimate. */
export interface PreflightResult {
  /** One row per judge and task, in config order. */
  rows: PreflightRow[];
  /** Sums over the rows; `cost` sums the priced rows and is `null` when no row has a price. */
  totals: { requests: number; input_tokens: number; output_tokens: number; cost: number | null };
  /** Things to know: skipped entries, tasks without entries, unpriced judges, budget caps hit. */
  notes: string[];
}

/**
 * The task inputs of a dataset entry: the response, the context fields it has, the rubric and
 * `max_score`. A rubric stored as JSON text (as CSV and Parquet files hold it) is parsed back
 * into its object or list; other text is kept as text.
 *
 * @param entry A validated dataset entry.
 * @returns The inputs for `Task.prompt` and judges.
 *
 * @example
 * ```ts
 * import { entryInputs } from "./preflight.ts";
 * import assert from "node:assert/strict";
 *
 * const inputs = entryInputs({
 *   id: "e1", case_id: "c1", benchmark: "management_reasoning", study: "goh2025", model: "gpt-4",
 *   grade: 2, max_score: 3, response: "Start heparin.", question_text: "Next step?",
 *   case_vignette: "A 64-year-old woman…", rubric: '{"items": [{"id": "a", "points": 3}]}',
 * });
 * assert.deepEqual(inputs, {
 *   response: "Start heparin.",
 *   max_score: 3,
 *   case_vignette: "A 64-year-old woman…",
 *   question_text: "Next step?",
 *   rubric: { items: [{ id: "a", points: 3 }] },
 * });
 * ```
 */
export function entryInputs(entry: Entry): TaskInputs {
  return _taskInputs(entry);
}

/**
 * Estimates, before anything is sent, what a benchmark will request from each judge.
 *
 * For each judge and task in the config: `items` = entries of the task that have its required
 * inputs × `repeats`; `cached` = those `isCached` says are judged already; `requests` = the
 * rest. Input tokens ≈ ⌈(system + user prompt characters) / 4⌉ per request, from the task's
 * own prompt for the entry; output tokens = `REPLY_TOKENS[task]` per request, capped by the
 * model's (or run-wide) `max_tokens`; cost = input × input price + output × output price, per
 * million tokens. `offline` judges send nothing: their tokens and cost are 0. Entries of tasks
 * not in `config.tasks` are ignored.
 *
 * @param config The validated config.
 * @param entries The dataset entries.
 * @param options `isCached(judgeName, task, entry, repeat, index)`: whether the ledger already
 *   holds that judgement (default: nothing is cached); `index` is the entry's position in
 *   `entries`. Repeats count from 0.
 * @returns One row per (judge, task), totals, and notes.
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
  const counters = config.models.map((model) => options.counters?.get(model.name) ?? ESTIMATE);
  const tasks = _promptTokens(config, entries, counters);
  const rows = _rows(config, tasks, counters, options.isCached ?? (() => false));
  const priced = rows.filter((row) => row.cost !== null);
  const totals = {
    requests: sum(rows.map((row) => row.requests)),
    input_tokens: sum(rows.map((row) => row.input_tokens)),
    output_tokens: sum(rows.map((row) => row.output_tokens)),
    cost: priced.length === 0 ? null : sum(priced.map((row) => row.cost!)),
  };
  return { rows, totals, notes: _notes(config, tasks, rows, totals) };
}

/** Options of `preflight`. */
export interface PreflightOptions {
  /**
   * Whether the ledger already holds a judgement (default: nothing is cached); `index` is the
   * entry's position in `entries`, repeats count from 0.
   */
  isCached?: (
    judgeName: string,
    task: TaskKey,
    entry: Entry,
    repeat: number,
    index: number,
  ) => boolean;
  /**
   * Token counters by judge name (`loadTokenCounters(config)`); a judge without one is
   * estimated at characters ÷ 4.
   */
  counters?: ReadonlyMap<string, TokenCounter>;
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

const ESTIMATE: TokenCounter = {
  encoding: null,
  count: (text) => Math.ceil(text.length / CHARS_PER_TOKEN),
};

/** One task's judgeable entries with their prompt tokens under each judge's counter. */
interface _TaskPrompts {
  usable: { entry: Entry; index: number; tokens: number[] }[];
  seen: number;
  skipped: number;
  missing: Map<string, number>;
}

function _promptTokens(
  config: BenchmarkConfig,
  entries: readonly Entry[],
  counters: readonly TokenCounter[],
): Map<TaskKey, _TaskPrompts> {
  const tasks = new Map<TaskKey, _TaskPrompts>(
    config.tasks.map((key) => [key, { usable: [], seen: 0, skipped: 0, missing: new Map() }]),
  );
  // Judges that share a tokenizer share the count; a task's system prompt is counted once.
  const distinct = [...new Set(counters)];
  const systemTokens = distinct.map(() => new Map<string, number>());
  for (const [index, entry] of entries.entries()) {
    const state = tasks.get(entry.benchmark);
    if (state === undefined) continue;
    const task = getTask(entry.benchmark);
    state.seen++;
    const inputs = entryInputs(entry);
    const missing = missingInputs(task, inputs);
    if (missing.length > 0) {
      state.skipped++;
      for (const name of missing) state.missing.set(name, (state.missing.get(name) ?? 0) + 1);
      continue;
    }
    const prompt = task.prompt(inputs);
    const counted = distinct.map((counter, i) => {
      // An estimate is of the whole text; a tokenizer counts each message on its own.
      if (counter.encoding === null) return counter.count(prompt.system + prompt.user);
      let system = systemTokens[i]!.get(prompt.system);
      if (system === undefined) {
        system = counter.count(prompt.system);
        systemTokens[i]!.set(prompt.system, system);
      }
      return system + counter.count(prompt.user);
    });
    state.usable.push({ entry, index, tokens: counters.map((c) => counted[distinct.indexOf(c)]!) });
  }
  return tasks;
}

function _rows(
  config: BenchmarkConfig,
  tasks: ReadonlyMap<TaskKey, _TaskPrompts>,
  counters: readonly TokenCounter[],
  isCached: NonNullable<PreflightOptions["isCached"]>,
): PreflightRow[] {
  const rows: PreflightRow[] = [];
  for (const [m, model] of config.models.entries()) {
    const offline = model.provider === "offline";
    const maxTokens = model.max_tokens ?? config.max_tokens ?? Infinity;
    for (const task of config.tasks) {
      const list = tasks.get(task)!.usable;
      let cached = 0;
      let inputTokens = 0;
      for (const { entry, index, tokens } of list) {
        for (let repeat = 0; repeat < config.repeats; repeat++) {
          if (isCached(model.name, task, entry, repeat, index)) cached++;
          else inputTokens += tokens[m]!;
        }
      }
      const items = list.length * config.repeats;
      const requests = items - cached;
      const input_tokens = offline ? 0 : inputTokens;
      const output_tokens = offline ? 0 : requests * Math.min(REPLY_TOKENS[task], maxTokens);
      const cost = offline ? 0 : model.price
        ? (input_tokens * model.price.input_per_million +
          output_tokens * model.price.output_per_million) / 1_000_000
        : null;
      rows.push({
        judge: model.name,
        provider: model.provider,
        model: model.model_id,
        task,
        items,
        skipped_missing_inputs: tasks.get(task)!.skipped,
        cached,
        requests,
        input_tokens,
        tokens_counted_with: offline ? null : counters[m]!.encoding ?? "estimate",
        output_tokens,
        cost,
      });
    }
  }
  return rows;
}

function _notes(
  config: BenchmarkConfig,
  tasks: ReadonlyMap<TaskKey, _TaskPrompts>,
  rows: readonly PreflightRow[],
  totals: PreflightResult["totals"],
): string[] {
  const notes: string[] = [];
  for (const [task, state] of tasks) {
    if (state.seen === 0) notes.push(`the dataset has no ${task} entries`);
    const n = state.skipped;
    if (n > 0) {
      const why = [...state.missing].map(([name, count]) => `${count} without ${name}`)
        .join(", ");
      notes.push(
        `${n} ${task} ${plural(n, "entry", "entries")} ${
          n === 1 ? "lacks" : "lack"
        } required inputs (${why}) and ${n === 1 ? "is" : "are"} skipped for every judge`,
      );
    }
  }
  const unpriced = [
    ...new Set(rows.filter((row) => row.cost === null && row.requests > 0).map((row) => row.judge)),
  ];
  if (unpriced.length > 0) {
    notes.push(
      `no price for ${unpriced.join(", ")}: ${
        unpriced.length === 1 ? "its" : "their"
      } cost is not estimated${
        totals.cost === null ? "" : " nor counted in the total"
      } (add price: { input_per_million, output_per_million })`,
    );
  }
  const budget = config.budget;
  if (budget.max_requests !== undefined && totals.requests > budget.max_requests) {
    notes.push(
      `budget.max_requests is ${budget.max_requests}: the run will stop there, ` +
        `${count(totals.requests - budget.max_requests)} requests short`,
    );
  }
  const tokens = totals.input_tokens + totals.output_tokens;
  if (budget.max_tokens !== undefined && tokens > budget.max_tokens) {
    notes.push(
      `budget.max_tokens is ${count(budget.max_tokens)} and the estimate is ${
        count(tokens)
      }: the run will likely stop early`,
    );
  }
  if (budget.max_cost !== undefined && totals.cost !== null && totals.cost > budget.max_cost) {
    notes.push(
      `budget.max_cost is ${_money(budget.max_cost)} and the estimate is ${
        _money(totals.cost)
      }: the run will likely stop early`,
    );
  }
  if (rows.length > 0 && totals.requests === 0 && rows.some((row) => row.cached > 0)) {
    notes.push("everything is judged already: nothing to send");
  }
  return notes;
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
 * import { formatPreflight } from "./preflight.ts";
 * import assert from "node:assert/strict";
 *
 * const text = formatPreflight({
 *   rows: [{
 *     judge: "gpt-4o", provider: "openai", model: "gpt-4o", task: "cpc_bond", items: 70,
 *     skipped_missing_inputs: 0, cached: 0, requests: 70, input_tokens: 61_250,
 *     output_tokens: 9_100, cost: 0.244125,
 *   }],
 *   totals: { requests: 70, input_tokens: 61_250, output_tokens: 9_100, cost: 0.244125 },
 *   notes: [],
 * });
 * assert.match(text, /gpt-4o .* cpc_bond .* 61,250 .* \$0\.2441/);
 * assert.match(text, /approximate/);
 * ```
 */
export function formatPreflight(result: PreflightResult): string {
  const table = _preflightTable(result);
  const lines = [table.header, ...table.rows, ...(table.footer ?? [])];
  const widths = table.header.map((_, i) => Math.max(...lines.map((line) => line[i]!.length)));
  const render = (line: readonly string[]) =>
    line.map((cell, i) => table.numeric[i] ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))
      .join("  ").trimEnd();
  const rule = widths.map((w) => "─".repeat(w)).join("  ");
  return [
    table.caption,
    "",
    render(table.header),
    rule,
    ...table.rows.map(render),
    rule,
    ...(table.footer ?? []).map(render),
    "",
    ...result.notes.map((note) => `note: ${note}`),
    ...estimateLines(result),
  ].join("\n");
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
 * import { preflightHtml } from "./preflight.ts";
 * import assert from "node:assert/strict";
 *
 * const html = preflightHtml({
 *   rows: [{
 *     judge: "gpt-4o", provider: "openai", model: "gpt-4o", task: "cpc_bond", items: 70,
 *     skipped_missing_inputs: 0, cached: 0, requests: 70, input_tokens: 61_250,
 *     output_tokens: 9_100, cost: 0.244125,
 *   }],
 *   totals: { requests: 70, input_tokens: 61_250, output_tokens: 9_100, cost: 0.244125 },
 *   notes: [],
 * });
 * assert.match(html, /<table/);
 * assert.match(html, /<td[^>]*>61,250<\/td>/);
 * ```
 */
export function preflightHtml(result: PreflightResult): string {
  const table = _preflightTable(result);
  return _htmlTable({
    ...table,
    notes: [...result.notes.map((note) => `note: ${note}`), estimateLines(result).join(" ")],
  });
}

/** The preflight's cells: a row per judge and task, and a total row. */
function _preflightTable(result: PreflightResult): _CellTable {
  const header = [
    "judge",
    "provider",
    "model",
    "task",
    "items",
    "skipped",
    "cached",
    "requests",
    "input tokens",
    "output tokens",
    "cost",
  ];
  const money = (cost: number | null) => cost === null ? "—" : _money(cost);
  const rows = result.rows.map((row) => [
    row.judge,
    row.provider,
    row.model,
    row.task,
    count(row.items),
    count(row.skipped_missing_inputs),
    count(row.cached),
    count(row.requests),
    count(row.input_tokens),
    count(row.output_tokens),
    money(row.cost),
  ]);
  const total = [
    "total",
    "",
    "",
    "",
    count(sum(result.rows.map((row) => row.items))),
    "",
    count(sum(result.rows.map((row) => row.cached))),
    count(result.totals.requests),
    count(result.totals.input_tokens),
    count(result.totals.output_tokens),
    money(result.totals.cost),
  ];
  return {
    caption: "Preflight: what this run will send (estimated; nothing has been sent yet)",
    header,
    rows,
    footer: [total],
    numeric: header.map((_, i) => i >= 4),
  };
}

/** What the estimates rest on. */
function estimateLines(result: PreflightResult): string[] {
  const replyTokens = [...new Set(result.rows.map((row) => REPLY_TOKENS[row.task]))].sort((a, b) =>
    a - b
  );
  const sending = result.rows.filter((row) => row.tokens_counted_with !== null);
  const judgesBy = (basis: string) => [
    ...new Set(
      sending.filter((r) => (r.tokens_counted_with ?? "estimate") === basis).map((r) => r.judge),
    ),
  ];
  const counted = ["o200k_base", "cl100k_base"].flatMap((encoding) => {
    const judges = judgesBy(encoding);
    return judges.length > 0 ? [`counted with ${encoding} for ${judges.join(", ")}`] : [];
  });
  const estimated = judgesBy("estimate");
  const estimate = `≈ prompt characters / ${CHARS_PER_TOKEN}`;
  const input = counted.length === 0 ? estimate : [
    ...counted,
    ...(estimated.length > 0
      ? [`${estimate} for ${estimated.join(", ")} (no tokenizer for their models runs here)`]
      : []),
  ].join("; ");
  return [
    `Estimates are approximate: input tokens ${input}, output tokens ≈ ${
      replyTokens.join("–") || REPLY_TOKENS.cpc_management
    } per reply`,
    "(capped by max_tokens; reasoning models use more; the chat format adds a few tokens per " +
    "request), cost from the configured prices. The run counts actual usage.",
  ];
}

function sum(values: readonly number[]): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}

function count(n: number): string {
  return n.toLocaleString("en-US");
}

function plural(n: number, one: string, many: string): string {
  return n === 1 ? one : many;
}
