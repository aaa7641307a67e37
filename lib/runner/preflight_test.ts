import assert from "node:assert/strict";
import { taskInputs } from "../tasks/task_inputs.ts";
import type { TaskKey } from "../data/task_key.ts";
import type { Entry } from "../data/entry.ts";
import { loadEntries } from "../data/load_dataset.ts";
import { getTask } from "../tasks/tasks.ts";
import { parseConfig } from "./config.ts";
import {
  formatPreflight,
  loadTokenCounters,
  preflight,
  type PreflightResult,
  REPLY_TOKENS,
} from "./preflight.ts";

function entry(id: string, benchmark: TaskKey, fields: Partial<Entry> = {}): Entry {
  return {
    id,
    case_id: `case-${id}`,
    benchmark,
    study: "test",
    model: "gpt-4",
    grade: 3,
    max_score: 5,
    response: `1. Pheochromocytoma\n2. Thyroid storm (${id})`,
    ...fields,
  };
}

/** The input tokens of one request, worked out as the preflight promises: ⌈chars / 4⌉. */
function promptTokens(e: Entry): number {
  const prompt = getTask(e.benchmark).prompt(taskInputs(e));
  return Math.ceil((prompt.system.length + prompt.user.length) / 4);
}

const ENTRIES: Entry[] = [
  entry("b1", "cpc_bond", { final_diagnosis: "Pheochromocytoma" }),
  entry("b2", "cpc_bond", {
    final_diagnosis: "Carcinoid syndrome",
    case_vignette: "A 45-year-old…",
  }),
  entry("b3", "cpc_bond"), // no final diagnosis: skipped
  entry("b4", "cpc_bond", { final_diagnosis: "   " }), // blank counts as missing
  entry("m1", "cpc_management", { max_score: 2, test_plan: "24-hour urine metanephrines" }),
  entry("r1", "r_idea", { max_score: 10, question_text: "Assess this consult." }), // not configured
];

const CONFIG = parseConfig(`
output_dir: trials
tasks: [cpc_bond, cpc_management]
repeats: 2
models:
  - name: gpt-4o
    provider: openai
    model_id: gpt-4o
    price: { input_per_million: 3, output_per_million: 15 }
  - name: local
    provider: openai-compatible
    model_id: med42
    base_url: http://127.0.0.1:8000/v1
    max_tokens: 50
`);

Deno.test("preflight() counts items, skipped entries and requests per judge and task", () => {
  const { rows, totals, notes } = preflight(CONFIG, ENTRIES);
  assert.deepEqual(
    rows.map((
      r,
    ) => [
      r.judge,
      r.provider,
      r.model,
      r.task,
      r.items,
      r.skipped_missing_inputs,
      r.cached,
      r.requests,
    ]),
    [
      ["gpt-4o", "openai", "gpt-4o", "cpc_bond", 4, 2, 0, 4],
      ["gpt-4o", "openai", "gpt-4o", "cpc_management", 2, 0, 0, 2],
      ["local", "openai-compatible", "med42", "cpc_bond", 4, 2, 0, 4],
      ["local", "openai-compatible", "med42", "cpc_management", 2, 0, 0, 2],
    ],
  );
  assert.equal(totals.requests, 12);
  // Input: ⌈chars/4⌉ of each entry's own prompt, once per repeat.
  const bond = 2 * (promptTokens(ENTRIES[0]!) + promptTokens(ENTRIES[1]!));
  const management = 2 * promptTokens(ENTRIES[4]!);
  assert.deepEqual(rows.map((r) => r.input_tokens), [bond, management, bond, management]);
  // Output: the task's reply estimate, capped by the local model's max_tokens of 50.
  assert.deepEqual(rows.map((r) => r.output_tokens), [4 * 130, 2 * 120, 4 * 50, 2 * 50]);
  assert.equal(totals.input_tokens, 2 * (bond + management));
  assert.equal(totals.output_tokens, 520 + 240 + 200 + 100);
  assert.deepEqual(notes, [
    "2 cpc_bond entries lack required inputs (2 without final_diagnosis) and are skipped for every judge",
    "no price for local: its cost is not estimated nor counted in the total (add price: { input_per_million, output_per_million })",
  ]);
});

Deno.test("preflight() works out cost from the price per million tokens", () => {
  const { rows, totals } = preflight(CONFIG, ENTRIES);
  // gpt-4o on cpc_bond: input tokens × $3 / 1M + 4 replies × 130 tokens × $15 / 1M.
  const bondInput = rows[0]!.input_tokens;
  assert.ok(Math.abs(rows[0]!.cost! - (bondInput * 3 + 520 * 15) / 1e6) < 1e-12);
  // Hand-worked: two requests on cpc_bond, output capped at 100 tokens each = 200 output
  // tokens; at $15 per million output tokens and nothing for input, 200 × 15 / 1,000,000 =
  // $0.003. Then input only, at $4 per million: 2 × T × 4 / 1,000,000.
  const twoRequests = (price: string) =>
    preflight(
      parseConfig(`
output_dir: t
tasks: [cpc_bond]
models:
  - { name: j, provider: openai, model_id: m, max_tokens: 100, price: ${price} }
`),
      [ENTRIES[0]!, ENTRIES[0]!],
    );
  const outputOnly = twoRequests("{ input_per_million: 0, output_per_million: 15 }");
  assert.equal(outputOnly.rows[0]!.output_tokens, 200);
  assert.equal(outputOnly.totals.cost, 0.003);
  const t = promptTokens(ENTRIES[0]!);
  const inputOnly = twoRequests("{ input_per_million: 4, output_per_million: 0 }");
  assert.equal(inputOnly.rows[0]!.input_tokens, 2 * t);
  assert.ok(Math.abs(inputOnly.totals.cost! - (8 * t) / 1e6) < 1e-15);
  // The unpriced judge has no cost; the total sums the priced rows.
  assert.deepEqual(rows.map((r) => r.cost === null), [false, false, true, true]);
  assert.ok(Math.abs(totals.cost! - (rows[0]!.cost! + rows[1]!.cost!)) < 1e-12);
  // With no price anywhere, the total cost is unknown, not 0.
  const unpriced = parseConfig("output_dir: t\nmodels: [{name: a, provider: openai, model_id: m}]");
  assert.equal(preflight(unpriced, ENTRIES).totals.cost, null);
});

Deno.test("preflight() counts cached items per judge and repeat, and estimates only the rest", () => {
  const calls: string[] = [];
  const { rows, totals, notes } = preflight(CONFIG, ENTRIES, {
    isCached: (judge, task, e, repeat) => {
      calls.push(`${judge}/${task}/${e.id}/${repeat}`);
      return judge === "gpt-4o" && (e.id === "b1" || (e.id === "m1" && repeat === 1));
    },
  });
  // Only entries with their inputs are asked about, for every repeat (from 0).
  assert.deepEqual(calls.slice(0, 6), [
    "gpt-4o/cpc_bond/b1/0",
    "gpt-4o/cpc_bond/b1/1",
    "gpt-4o/cpc_bond/b2/0",
    "gpt-4o/cpc_bond/b2/1",
    "gpt-4o/cpc_management/m1/0",
    "gpt-4o/cpc_management/m1/1",
  ]);
  assert.equal(calls.length, 12);
  assert.deepEqual(rows.map((r) => [r.items, r.cached, r.requests]), [
    [4, 2, 2],
    [2, 1, 1],
    [4, 0, 4],
    [2, 0, 2],
  ]);
  assert.equal(rows[0]!.input_tokens, 2 * promptTokens(ENTRIES[1]!));
  assert.equal(rows[0]!.output_tokens, 2 * 130);
  assert.equal(totals.requests, 9);
  assert.ok(!notes.some((n) => n.includes("nothing to send")));

  const all = preflight(CONFIG, ENTRIES, { isCached: () => true });
  assert.deepEqual([all.totals.requests, all.totals.input_tokens, all.totals.output_tokens], [
    0,
    0,
    0,
  ]);
  assert.equal(all.totals.cost, 0);
  assert.ok(all.notes.includes("everything is judged already: nothing to send"));
});

Deno.test("preflight() on the shipped sample: every entry of the chosen tasks, × repeats", async () => {
  const { entries } = await loadEntries();
  const counts = new Map<TaskKey, number>();
  for (const e of entries) counts.set(e.benchmark, (counts.get(e.benchmark) ?? 0) + 1);
  const config = parseConfig(`
output_dir: t
repeats: 3
models:
  - { name: gpt-4o, provider: openai, model_id: gpt-4o, price: { input_per_million: 2.5, output_per_million: 10 } }
  - { name: lexical, provider: offline, model_id: lexical }
`);
  const { rows, totals } = preflight(config, entries);
  assert.equal(rows.length, 12);
  for (const row of rows) {
    assert.equal(row.items, 3 * counts.get(row.task)!, row.task);
    assert.equal(row.skipped_missing_inputs, 0);
    assert.equal(row.requests, row.items);
    if (row.provider === "offline") {
      // The offline baseline sends nothing and costs nothing.
      assert.deepEqual([row.input_tokens, row.output_tokens, row.cost], [0, 0, 0]);
    } else {
      assert.equal(row.output_tokens, row.requests * REPLY_TOKENS[row.task]);
      assert.ok(row.input_tokens > row.requests * 100, `${row.task}: prompts hold a rubric`);
      assert.ok(
        Math.abs(row.cost! - (row.input_tokens * 2.5 + row.output_tokens * 10) / 1e6) < 1e-9,
      );
    }
  }
  assert.equal(totals.requests, 2 * 3 * entries.length);
  // The sample's prompts, token by token, as the preflight defines them.
  const expectedInput = 3 * entries.reduce((n, e) => n + promptTokens(e), 0);
  assert.equal(totals.input_tokens, expectedInput);

  const management = preflight(
    parseConfig(
      "output_dir: t\ntasks: [cpc_management]\nmodels: [{name: a, provider: openai, model_id: m}]",
    ),
    entries,
  );
  assert.deepEqual(management.rows.map((r) => [r.task, r.items]), [["cpc_management", 30]]);
});

Deno.test("preflight() notes missing tasks and budget caps the estimate goes over", () => {
  const config = parseConfig(`
output_dir: t
tasks: [cpc_bond, r_idea, bi_triage]
models:
  - name: j
    provider: openai
    model_id: m
    price: { input_per_million: 1000, output_per_million: 1000 }
budget: { max_requests: 1, max_tokens: 100, max_cost: 0.01 }
`);
  const { notes, totals } = preflight(config, ENTRIES);
  assert.equal(totals.requests, 3); // b1, b2 and r1
  assert.deepEqual(notes.slice(0, 2), [
    "2 cpc_bond entries lack required inputs (2 without final_diagnosis) and are skipped for every judge",
    "the dataset has no bi_triage entries",
  ]);
  assert.equal(notes[2], "budget.max_requests is 1: the run will stop there, 2 requests short");
  assert.match(
    notes[3]!,
    /^budget\.max_tokens is 100 and the estimate is [\d,]+: the run will likely stop early$/,
  );
  assert.match(
    notes[4]!,
    /^budget\.max_cost is \$0\.0100 and the estimate is \$[\d.]+: the run will likely stop early$/,
  );
});

Deno.test("formatPreflight() prints a table with totals, notes and the estimate caveat", () => {
  const text = formatPreflight(preflight(CONFIG, ENTRIES));
  const lines = text.split("\n");
  assert.equal(
    lines[0],
    "Preflight: what this run will send (estimated; nothing has been sent yet)",
  );
  assert.match(
    lines[2]!,
    /^judge\s+provider\s+model\s+task\s+items\s+skipped\s+cached\s+requests\s+input tokens\s+output tokens\s+cost$/,
  );
  assert.match(
    lines[4]!,
    /^gpt-4o\s+openai\s+gpt-4o\s+cpc_bond\s+4\s+2\s+0\s+4\s+[\d,]+\s+520\s+\$0\.\d{4}$/,
  );
  assert.match(
    lines[6]!,
    /^local\s+openai-compatible\s+med42\s+cpc_bond\s+4\s+2\s+0\s+4\s+[\d,]+\s+200\s+—$/,
  );
  assert.match(lines[9]!, /^total\s+12\s+0\s+12\s+[\d,]+\s+1,060\s+\$0\.\d{4}$/);
  // Columns line up: every row of the table has the header's width.
  const width = lines[2]!.length;
  for (const line of lines.slice(4, 8)) assert.equal(line.length, width, line);
  assert.ok(text.includes("note: 2 cpc_bond entries lack required inputs"));
  assert.ok(text.includes("note: no price for local"));
  assert.match(
    text,
    /Estimates are approximate: input tokens ≈ prompt characters \/ 4, output tokens ≈ 120–130 per reply/,
  );
});

Deno.test("formatPreflight() formats large counts and costs readably", () => {
  const result: PreflightResult = {
    rows: [{
      judge: "gpt-4o",
      provider: "openai",
      model: "gpt-4o",
      task: "management_reasoning",
      items: 15_750,
      skipped_missing_inputs: 3,
      cached: 750,
      requests: 15_000,
      input_tokens: 21_000_000,
      output_tokens: 1_800_000,
      cost: 70.5,
    }, {
      judge: "tiny",
      provider: "openai",
      model: "gpt-4o-mini",
      task: "cpc_management",
      items: 1,
      skipped_missing_inputs: 0,
      cached: 0,
      requests: 1,
      input_tokens: 20,
      output_tokens: 10,
      cost: 0.000009,
    }],
    totals: {
      requests: 15_001,
      input_tokens: 21_000_020,
      output_tokens: 1_800_010,
      cost: 70.500009,
    },
    notes: [],
  };
  const text = formatPreflight(result);
  assert.match(text, /15,750\s+3\s+750\s+15,000\s+21,000,000\s+1,800,000\s+\$70\.50/);
  assert.match(text, /\$0\.0000090/);
  assert.match(text, /total\s+15,751\s+750\s+15,001\s+21,000,020\s+1,800,010\s+\$70\.50/);
  assert.match(text, /output tokens ≈ 120 per reply/);
  assert.ok(!text.includes("note:"));
});

Deno.test("preflight() counts each judge's prompts with its own tokenizer, the system prompt once per message", () => {
  // A counter that counts words stands in for a tokenizer; the tokenizers' own counts are checked
  // against tiktoken in lib/judge/token_count_test.ts.
  const words = {
    encoding: "o200k_base" as const,
    count: (t: string) => t.split(/\s+/).filter(Boolean).length,
  };
  const { rows } = preflight(CONFIG, ENTRIES, { counters: new Map([["gpt-4o", words]]) });
  const wordsOf = (e: Entry) => {
    const p = getTask(e.benchmark).prompt(taskInputs(e));
    return words.count(p.system) + words.count(p.user);
  };
  const bond = 2 * (wordsOf(ENTRIES[0]!) + wordsOf(ENTRIES[1]!));
  const management = 2 * wordsOf(ENTRIES[4]!);
  // gpt-4o is counted; local has no counter and is estimated as before.
  assert.deepEqual(rows.map((r) => r.input_tokens), [
    bond,
    management,
    2 * (promptTokens(ENTRIES[0]!) + promptTokens(ENTRIES[1]!)),
    2 * promptTokens(ENTRIES[4]!),
  ]);
  assert.deepEqual(rows.map((r) => r.tokens_counted_with), [
    "o200k_base",
    "o200k_base",
    "estimate",
    "estimate",
  ]);
  const text = formatPreflight(
    preflight(CONFIG, ENTRIES, { counters: new Map([["gpt-4o", words]]) }),
  );
  assert.match(
    text,
    /input tokens counted with o200k_base for gpt-4o; ≈ prompt characters \/ 4 for local \(no tokenizer/,
  );
});

Deno.test("loadTokenCounters() gives OpenAI judges their tokenizer and the rest an estimate", async () => {
  const counters = await loadTokenCounters(CONFIG);
  assert.equal(counters.get("gpt-4o")?.encoding, "o200k_base");
  assert.equal(counters.get("local")?.encoding, null);
});

Deno.test("preflight() counts a batch judge's batches at the provider's request limit", () => {
  // 1,200 entries × 100 repeats = 120,000 requests; OpenAI takes 50,000 a batch: ⌈2.4⌉ = 3.
  const m1 = ENTRIES[4]!;
  const config = parseConfig(`
output_dir: t
tasks: [cpc_management]
repeats: 100
models:
  - name: cheap
    provider: openai
    model_id: gpt-4o
    batch: true
    price: { input_per_million: 2, output_per_million: 8 }
`);
  const result = preflight(config, Array(1200).fill(m1));
  const prompt = getTask("cpc_management").prompt(taskInputs(m1));
  const chars = prompt.system.length + prompt.user.length;
  assert.deepEqual(result.batches, [{
    judge: "cheap",
    requests: 120_000,
    bytes: 120_000 * (chars + 500), // 500 bytes a request besides the prompt, as the note says
    batches: 3,
  }]);
  assert.ok(result.batches![0]!.bytes < 2 * 200 * 2 ** 20, "the bytes alone would need 2");
  assert.equal(result.rows[0]!.batch, true);
  const text = formatPreflight(result);
  assert.match(text, /^cheap\s+openai \(batch\)\s+gpt-4o\s+cpc_management\s+120,000/m);
  assert.match(
    text,
    /note: cheap sends 120,000 requests in 3 batches at 0\.5 × its price \(a batch holds at most 50,000 requests or 200 MB; these are about [\d,.]+ MB, estimated/,
  );
  // Cached judgements are not sent, so not batched: 100,000 left fit in 2.
  const cached = preflight(config, Array(1200).fill(m1), {
    isCached: (_j, _t, _e, _r, index) => index < 200,
  });
  assert.equal(cached.batches![0]!.batches, 2);
});

Deno.test("preflight() counts a batch judge's batches at the provider's size limit", () => {
  // 300 requests of a little over 1,000,000 characters each: about 300 MB, and Anthropic takes
  // 256 MB (268,435,456 bytes) a batch, so 2 batches though 300 requests are far below 100,000.
  const long = { ...ENTRIES[4]!, response: "x".repeat(1_000_000) };
  const config = parseConfig(`
output_dir: t
tasks: [cpc_management]
repeats: 3
models: [{ name: claude, provider: anthropic, model_id: claude-x, batch: true }]
`);
  const { batches } = preflight(config, Array(100).fill(long));
  assert.equal(batches![0]!.requests, 300);
  assert.ok(batches![0]!.bytes > 300_000_000 && batches![0]!.bytes < 2 * 268_435_456);
  assert.equal(batches![0]!.batches, 2);
  // A judge that does not batch has no entry.
  const live = parseConfig(
    "output_dir: t\nmodels: [{ name: j, provider: anthropic, model_id: c }]",
  );
  assert.deepEqual(preflight(live, ENTRIES).batches, []);
});

Deno.test("preflight() prices a batch judge at its batch discount", () => {
  const judge = (extra: string) =>
    preflight(
      parseConfig(`
output_dir: t
tasks: [cpc_bond]
models:
  - { name: j, provider: openai, model_id: m, max_tokens: 100, price: { input_per_million: 0, output_per_million: 15 }${extra} }
`),
      [ENTRIES[0]!, ENTRIES[0]!],
    ).totals.cost;
  // Two replies of 100 tokens at $15 per million: $0.003 live; × 0.5 = $0.0015; × 0.2 = $0.0006.
  assert.equal(judge(""), 0.003);
  assert.equal(judge(", batch: true"), 0.0015);
  assert.equal(judge(", batch: true, batch_discount: 0.2"), 0.003 * 0.2);
});
