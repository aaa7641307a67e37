/**
 * How much of each task's judge prompt providers can cache: the share of its prompt tokens that
 * sit in a prefix shared by all its items, and by the items answering one question of one case,
 * counted with `o200k_base` (GPT-4o's tokenizer) on the synthetic sample at its published size.
 *
 * Providers cache a prompt's leading tokens when they repeat: OpenAI from 1,024 tokens, in steps
 * of 128, by itself; Anthropic from 1,024 tokens (2,048 on Haiku) up to a `cache_control` mark.
 * A prefix shorter than that is never cached, whatever its share.
 *
 * Usage: `deno run -A bench/prompt_cache_bench.ts`
 *
 * @module
 */

import { encode } from "gpt-tokenizer/encoding/o200k_base";
import { TASK_KEYS } from "../lib/data/task_key.ts";
import type { Entry } from "../lib/data/entry.ts";
import { taskInputs } from "../lib/tasks/task_inputs.ts";
import { generateSample } from "../lib/sample/generate_sample.ts";
import { getTask, missingInputs } from "../lib/tasks/tasks.ts";

/** The least prefix, in tokens, that OpenAI and Anthropic (Sonnet, Opus) cache. */
const MIN_CACHED = 1024;

/**
 * Tokens of a request as the provider reads them — the system message, then the user message —
 * and how many of them are the response's, which no other item shares.
 */
function requestTokens(entry: Entry): { tokens: number[]; response: number } | undefined {
  const task = getTask(entry.benchmark);
  const inputs = taskInputs(entry);
  if (missingInputs(task, inputs).length > 0) return undefined;
  const prompt = task.prompt(inputs);
  // -1 stands for the boundary between the messages: no prefix runs across it by accident.
  return {
    tokens: [...encode(prompt.system), -1, ...encode(prompt.user)],
    response: encode(entry.response).length,
  };
}

function commonPrefix(a: readonly number[], b: readonly number[]): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

/** The prefix every list shares, in tokens (the boundary marker not counted). */
function sharedBy(lists: readonly (readonly number[])[]): number {
  let shared = lists[0]?.length ?? 0;
  for (const list of lists) shared = Math.min(shared, commonPrefix(lists[0]!, list));
  return shared - (lists[0]!.slice(0, shared).includes(-1) ? 1 : 0);
}

const entries = generateSample({ size: "full" });
const started = performance.now();
const rows = [];
for (const key of TASK_KEYS) {
  const byCase = new Map<string, number[][]>();
  const all: number[][] = [];
  let responseTokens = 0;
  for (const entry of entries) {
    if (entry.benchmark !== key) continue;
    const request = requestTokens(entry);
    if (request === undefined) continue;
    const { tokens } = request;
    responseTokens += request.response;
    all.push(tokens);
    // The items asked the same question of the same case: their prompts differ only in the response.
    const question = `${entry.case_id}\u0000${entry.question_text ?? ""}`;
    const list = byCase.get(question) ?? [];
    list.push(tokens);
    byCase.set(question, list);
  }
  const total = all.reduce((n, t) => n + t.length - 1, 0);
  const taskPrefix = sharedBy(all);
  let casePrefixTokens = 0;
  // An item alone with its question shares its prompt with no other: it is never a cache hit.
  for (const list of byCase.values()) {
    if (list.length > 1) casePrefixTokens += sharedBy(list) * list.length;
  }
  const system = getTask(key).prompt(taskInputs(entries.find((e) => e.benchmark === key)!)).system;
  rows.push({
    task: key,
    items: all.length,
    "mean tokens": Math.round(total / all.length),
    "system tokens": encode(system).length,
    "shared by all": taskPrefix,
    "share (all)": `${(100 * taskPrefix * all.length / total).toFixed(1)}%`,
    "share (per question)": `${(100 * casePrefixTokens / total).toFixed(1)}%`,
    "prefix per question": Math.round(casePrefixTokens / all.length),
    "ceiling": `${(100 * (1 - responseTokens / total)).toFixed(1)}%`,
    [`cached (≥ ${MIN_CACHED})`]: casePrefixTokens / all.length >= MIN_CACHED
      ? "per question"
      : taskPrefix >= MIN_CACHED
      ? "all"
      : "no",
  });
}
console.log(
  `Prompt prefixes on the SYNTHETIC sample (${entries.length} entries), o200k_base, ` +
    `${((performance.now() - started) / 1000).toFixed(1)} s:`,
);
console.table(rows);
console.log(
  "share: prefix tokens ÷ prompt tokens, summed over items; per question: the prefix the items " +
    "that answer the same question of the same case share (the case comes before the response; " +
    "an item alone with its question shares nothing); ceiling: the share if everything " +
    "but the response were shared. Synthetic case texts are shorter than the studies' (NEJM " +
    "case records run to thousands of tokens), so real prompts are longer and their per-question " +
    "share higher.",
);
