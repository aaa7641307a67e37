/**
 * `generateResponses()`: run candidate models over a study's cases — one prompt per distinct
 * case, cached and resumable in a ledger, at each provider's allowed concurrency, within the
 * budget — and write their answers as dataset entries that judges can then score. The generate
 * work item of the one pipeline: case → generated response.
 *
 * @module
 */

import { createHash } from "node:crypto";
import { join } from "node:path";
import type { TaskKey } from "../data/task_key.ts";
import type { Entry } from "../data/entry.ts";
import { _writeTextAtomic } from "../data/cache_dir.ts";
import { _isSyntheticMark } from "../data/is_synthetic.ts";
import { makeClient } from "../judge/providers.ts";
import { clientSecret, redactValue } from "../judge/redact.ts";
import { _requestFailure, type RetryOptions } from "../judge/retry.ts";
import {
  _clientProtocol,
  type _Protocol,
  _readReply,
  type _Reply,
  _sendWithRetries,
} from "../judge/_client_protocol.ts";
import { type _CellTable, _htmlTable, _textTable } from "../notebook/_html.ts";
import { getTask, missingInputs } from "../tasks/tasks.ts";
import type { BenchmarkConfig } from "./config.ts";
import type { ModelConfig } from "../judge/model_config.ts";
import {
  type CaseInputs,
  GENERATION_PROMPT_VERSION,
  generationInputs,
  type GenerationPrompt,
  generationPrompt,
  generationPromptHash,
} from "../tasks/generation_prompt.ts";
import { CHARS_PER_TOKEN } from "../judge/token_count.ts";
import { taskInputs } from "../tasks/task_inputs.ts";
import type { RunOptions, RunSummary } from "./run_options.ts";
import { _canonicalJson, _contentKey } from "../ledger/_content_key.ts";
import { _thousands as count } from "./_format.ts";
import {
  _GENERATIONS,
  type Generation,
  type GenerationFailure,
  type GenerationRecord,
} from "../ledger/_ledger_formats.ts";
import {
  _CACHED,
  type _Item,
  type _Plan,
  _QUEUED,
  _runPipeline,
  type _WorkerContext,
  type _WorkKind,
} from "./_pipeline.ts";
import { _describeStudy, _studyMatcher } from "./_studies.ts";
import type { Match } from "../data/filter_entries.ts";

export type {
  Generation,
  GenerationFailure,
  GenerationProvenance,
} from "../ledger/_ledger_formats.ts";

/** How to generate: the studies (`study`), keys, dry run, progress, cancellation, source entries. */
export type GenerateOptions = RunOptions;

/** What a generation run did. */
export interface GenerationSummary extends RunSummary<GenerationFailure> {
  /** The generated entries file: a JSON array of dataset entries, `runBenchmark`'s `dataset_path`. */
  entries_path: string;
  /** Every generated entry for the chosen cases, made in this run or an earlier one. */
  entries: Entry[];
  /** Distinct cases (case, task, case text, question) chosen. */
  cases: number;
  /** Cases left out because a judge could not score them (an input such as the final diagnosis is missing). */
  skipped: number;
  /** Successful generations in this run. */
  generated: number;
}

/** One distinct case of a task, as the dataset's entries share it. */
interface CaseGroup {
  task: TaskKey;
  /** The first source entry: the generated entries copy its case fields. */
  source: Entry;
  /** The inputs the prompt shows. */
  shown: CaseInputs;
  prompt: GenerationPrompt;
  synthetic: boolean;
  /** Short hash of the group's identity, for entry ids. */
  tag: string;
}

/** A candidate model: its client, the API it speaks, and the sampling parameters it is sent. */
interface Candidate {
  model: ModelConfig;
  client: unknown;
  protocol: _Protocol;
  parameters: Record<string, unknown>;
  /** The client's key, removed from everything a reply brings back. */
  secret: string | undefined;
  retry: RetryOptions;
}

type GenerateItem = _Item<CaseGroup, Candidate, GenerationRecord>;

/** The name of the entries file in the output folder (not `.jsonl`: that is a judging ledger). */
const ENTRIES_FILE = "generated_entries.json";
/** Reply tokens allowed per generation unless the config says otherwise. */
const DEFAULT_MAX_TOKENS = 2000;
const KEY_VERSION = 1;

/**
 * Runs candidate models over the cases of the chosen tasks and studies, and writes their
 * answers as dataset entries.
 *
 * The work is one prompt per distinct case — case id, task, case text and question — not one per
 * entry (every model and physician answered the same case). The prompt (`generationPrompt`)
 * shows the case text, and the question where it is put to the respondent; never the final
 * diagnosis, test plan or rubric. Each candidate (`models:` in a `mode: generate` config, any
 * OpenAI-compatible `base_url`, or Anthropic) answers each case `repeats` times, recorded in
 * `{output_dir}/generations/{name}_{task}.jsonl` under a content-addressed key. It is
 * `runBenchmark`'s pipeline, with its guarantees (cache, resume, pools, budget, locks, rejected
 * keys, usage estimates, `dryRun`, `redact()`); a judging run of the same name is not blocked.
 *
 * An empty or refused reply is a failed generation, never an entry. Every generated answer in
 * the ledgers for the chosen cases becomes an entry in `{output_dir}/generated_entries.json`
 * (rewritten whole at the end of each run): the case's fields, `model` = the candidate's name, a
 * deterministic id `gen/{name}/{case_id}/{task}/{study}/{tag}[/r{repeat}]`, no physician grade
 * (`NaN`; a null in a frame), a `generation` field with its provenance, and `synthetic: true`
 * when the source entries were. Cases lacking an input the judge needs are skipped (an answer
 * could not be scored). Score the entries with
 * `runBenchmark({ ...judging, dataset_path: summary.entries_path })`, or pass `summary.entries`
 * as `entries`.
 *
 * @param config A `mode: generate` config object, or the path of a YAML config.
 * @param options The studies, keys, dry run, progress, cancellation, source entries.
 * @returns What the run did, with the entries and the entries file's path.
 * @throws {ConfigError} For a bad config; {DatasetError} for a bad dataset; an Error when a
 *   model uses the `offline` provider, when no case matches the tasks and studies, or when a
 *   provider's key is missing (naming the variable to set); {RunLockedError} when another run
 *   is generating for a candidate in this folder; {AuthenticationError} when a provider rejects
 *   a key; {RangeError} for a run over `MAX_WORK_ITEMS`.
 *
 * @example
 * ```ts
 * import { generateResponses } from "./generate_responses.ts";
 * import { startScriptedServer } from "../testing/scripted_server.ts";
 * import assert from "node:assert/strict";
 *
 * await using server = startScriptedServer();
 * const config = {
 *   mode: "generate" as const,
 *   output_dir: await Deno.makeTempDir(),
 *   tasks: ["cpc_bond" as const],
 *   models: [{ name: "med42", provider: "openai-compatible", model_id: "med42", base_url: server.baseURL }],
 *   threads: {},
 *   repeats: 1,
 *   budget: {},
 * };
 * const summary = await generateResponses(config, { study: "brodeur*", progress: "silent", log: () => {} });
 * // The sample's Brodeur CPC study has 16 cases: one request each.
 * assert.deepEqual([summary.cases, summary.generated, server.counts.chat], [16, 16, 16]);
 * assert.equal(summary.entries[0]?.model, "med42");
 * ```
 */
export function generateResponses(
  config: BenchmarkConfig | string,
  options: GenerateOptions = {},
): Promise<GenerationSummary> {
  return _runPipeline(generating(options), config, options);
}

/** The generate work item: a case (× candidate × repeat) → a generated response. */
function generating(
  options: GenerateOptions,
): _WorkKind<CaseGroup, Candidate, Generation, GenerationRecord, GenerationSummary> {
  let skipped = 0;
  return {
    role: "candidate",
    unitWord: "cases",
    label: "generate",
    format: _GENERATIONS,
    folder: (outputDir) => join(outputDir, "generations"),
    check(settings) {
      const i = settings.models.findIndex((model) => model.provider === "offline");
      if (i < 0) return;
      throw new Error(
        `models[${i}] "${settings.models[i]!.name}": generation needs a language model; the ` +
          "offline provider only scores (use provider: openai-compatible with base_url, or another provider)",
      );
    },
    units(settings, source, log) {
      const found = caseGroups(source, settings.tasks, options.study ?? settings.studies);
      skipped = found.skipped;
      if (skipped > 0) {
        log(
          `${skipped} case(s) skipped: their entries lack an input the judge needs to score them`,
        );
      }
      return found.groups;
    },
    worker: candidateFor,
    task: (group) => group.task,
    key: generationKey,
    send: generate,
    promptChars: (item) => promptChars(item.unit),
    record: (item, generation, usageEstimated) => ({
      key: item.key,
      candidate: item.model.name,
      task: item.task,
      case_id: item.unit.source.case_id,
      repeat: item.repeat,
      generation,
      time: new Date().toISOString(),
      ...(usageEstimated ? { usage_estimated: true as const } : {}),
    }),
    told: (plan) => {
      const table = planTable(plan);
      return { text: _textTable(table), html: _htmlTable(table) };
    },
    async summary(plan, run, { succeeded: generated }) {
      const entries = run.dry_run ? [] : generatedEntries(plan);
      const entries_path = join(run.output_dir, ENTRIES_FILE);
      if (!run.dry_run) await writeEntries(entries_path, entries);
      return { ...run, entries_path, entries, cases: plan.units.length, skipped, generated };
    },
  };
}

/**
 * The distinct cases of the chosen tasks and studies, in dataset order. A case is one study's
 * case id, task, case text and question (a triage case has one per touchpoint); the generated
 * entry also keeps the reference fields (final diagnosis, test plan, rubric, max_score), so
 * entries that disagree on one of those form separate cases.
 */
function caseGroups(
  entries: readonly Entry[],
  tasks: readonly TaskKey[],
  study: Match | undefined,
): { groups: CaseGroup[]; skipped: number } {
  const wanted = new Set(tasks);
  const matches = _studyMatcher(study, entries, "generateResponses()");
  const found = new Map<string, CaseGroup | undefined>(); // undefined: skipped
  for (const entry of entries) {
    if (!wanted.has(entry.benchmark) || !matches(entry.study)) continue;
    const inputs = taskInputs(entry);
    const identity = _canonicalJson({
      study: entry.study,
      case_id: entry.case_id,
      task: entry.benchmark,
      case_vignette: inputs.case_vignette,
      question_text: inputs.question_text,
      final_diagnosis: inputs.final_diagnosis,
      test_plan: inputs.test_plan,
      rubric: inputs.rubric,
      max_score: inputs.max_score,
    });
    if (found.has(identity)) {
      const group = found.get(identity);
      if (group && _isSyntheticMark(entry.extra?.synthetic)) group.synthetic = true;
      continue;
    }
    const shown: CaseInputs = {};
    const showing = generationInputs(entry.benchmark);
    for (const name of showing) {
      const value = inputs[name];
      if (typeof value === "string" && value.trim() !== "") shown[name] = value;
    }
    // A generated answer must be scorable: the judge's inputs other than the response, and the
    // prompt's own inputs, must be there.
    const judgeMissing = missingInputs(getTask(entry.benchmark), { ...inputs, response: "-" });
    const scorable = judgeMissing.length === 0 && showing.every((name) => name in shown);
    found.set(
      identity,
      scorable
        ? {
          task: entry.benchmark,
          source: entry,
          shown,
          prompt: generationPrompt(entry.benchmark, shown),
          synthetic: _isSyntheticMark(entry.extra?.synthetic),
          tag: createHash("sha256").update(identity).digest("hex").slice(0, 8),
        }
        : undefined,
    );
  }
  if (found.size === 0) {
    const studies = [...new Set(entries.map((e) => e.study))].sort();
    throw new Error(
      `generateResponses(): no cases of ${tasks.join(", ")}${
        study === undefined ? "" : ` in study ${_describeStudy(study)}`
      }; the dataset's studies: ${studies.join(", ")}`,
    );
  }
  const groups = [...found.values()].filter((group) => group !== undefined);
  return { groups, skipped: found.size - groups.length };
}

/** The content address of one generation: what the prompt shows, who answers, how, which repeat. */
function generationKey(
  candidate: Candidate,
  group: CaseGroup,
  task: TaskKey,
  repeat: number,
): string {
  return _contentKey({
    v: KEY_VERSION,
    kind: "generation",
    task,
    inputs: group.shown,
    candidate: {
      provider: candidate.model.provider,
      model: candidate.model.model_id,
      parameters: candidate.parameters,
    },
    prompt_hash: generationPromptHash(task),
    repeat,
  }, "generateResponses()");
}

/** A case's prompt length in characters. */
function promptChars({ prompt }: CaseGroup): number {
  return prompt.system.length + prompt.user.length;
}

// --- entries -------------------------------------------------------------------------------------

/** Every generated answer the ledgers hold for these cases, as entries, in case order. */
function generatedEntries(plan: _Plan<CaseGroup, Candidate, GenerationRecord>): Entry[] {
  const entries: Entry[] = [];
  for (let slot = 0; slot < plan.needs.length; slot++) {
    const { model, unit: group, repeat, key, ledger } = plan.itemAt(slot);
    const generation = ledger.get(key)?.generation;
    if (generation?.status !== "generated") continue;
    const s = group.source;
    const entry: Entry = {
      id: `gen/${model.name}/${s.case_id}/${s.benchmark}/${s.study}/${group.tag}${
        plan.settings.repeats > 1 ? `/r${repeat}` : ""
      }`,
      case_id: s.case_id,
      benchmark: s.benchmark,
      study: s.study,
      model: model.name,
      grade: Number.NaN, // no physician has graded it
      max_score: s.max_score,
      response: generation.text,
    };
    if (s.rubric !== undefined) entry.rubric = s.rubric;
    for (
      const field of ["case_vignette", "question_text", "final_diagnosis", "test_plan"] as const
    ) {
      if (s[field] !== undefined) entry[field] = s[field];
    }
    const { provider, model: model_id, parameters, prompt_version, prompt_hash } =
      generation.provenance;
    entry.extra = {
      ...(group.synthetic ? { synthetic: true } : {}),
      generation: { key, provider, model_id, parameters, prompt_version, prompt_hash, repeat },
    };
    entries.push(entry);
  }
  return entries;
}

/** Writes the entries as a JSON array, atomically (a reader never sees half a file). */
function writeEntries(path: string, entries: readonly Entry[]): Promise<void> {
  const rows = entries.map(({ grade: _grade, extra, ...rest }) => ({ ...rest, ...(extra ?? {}) }));
  return _writeTextAtomic(path, JSON.stringify(rows, null, 1) + "\n");
}

// --- requests ------------------------------------------------------------------------------------

/** A candidate from its `models:` entry: its client, and the parameters every request carries. */
function candidateFor(model: ModelConfig, { settings, keys, retry }: _WorkerContext): Candidate {
  const { provider, model_id, base_url } = model;
  const client = makeClient(
    { provider, model_id, ...(base_url === undefined ? {} : { base_url }) },
    keys,
  );
  const protocol = _clientProtocol(client)!;
  const seed = model.seed ?? settings.seed;
  const parameters: Record<string, unknown> = {
    temperature: model.temperature ?? settings.temperature ?? 0,
    max_tokens: model.max_tokens ?? settings.max_tokens ?? DEFAULT_MAX_TOKENS,
    // Anthropic's Messages API takes no seed.
    ...(seed === undefined || protocol === "messages" ? {} : { seed }),
  };
  return { model, client, protocol, parameters, secret: clientSecret(client), retry };
}

/** The body of one generation request, for the API the candidate speaks. */
function generationRequest(
  { model, protocol, parameters }: Candidate,
  prompt: GenerationPrompt,
): Record<string, unknown> {
  const user = { role: "user", content: prompt.user };
  // The Messages API takes the system prompt beside the messages (and no seed: see candidateFor).
  return protocol === "messages"
    ? { model: model.model_id, ...parameters, system: prompt.system, messages: [user] }
    : {
      model: model.model_id,
      messages: [{ role: "system", content: prompt.system }, user],
      ...parameters,
    };
}

/**
 * Sends one item's request, retried within bounds, and reads the reply; never throws for a
 * provider's failure. (A 429 slows the provider's pool down by itself: the pool sees every
 * request of a `makeClient` client.)
 */
async function generate({ worker: candidate, task, unit }: GenerateItem): Promise<Generation> {
  const started = performance.now();
  const body = generationRequest(candidate, unit.prompt);
  const outcome = await _sendWithRetries(candidate.client, body, candidate.retry);
  const base = {
    attempts: outcome.attempts,
    latency_ms: performance.now() - started,
    provenance: {
      candidate: candidate.model.name,
      provider: candidate.model.provider,
      model: candidate.model.model_id,
      parameters: candidate.parameters,
      prompt_version: GENERATION_PROMPT_VERSION,
      prompt_hash: generationPromptHash(task),
    },
  };
  const generation: Generation = outcome.ok
    ? generationOf(_readReply(candidate.protocol, outcome.value), base)
    : { ...base, raw: null, status: "failed", ..._requestFailure(outcome) };
  // A server may put the key into an error or a reply: it never leaves the candidate.
  return redactValue(generation, [candidate.secret]);
}

/** Plain words of a refusal at the start of a reply. */
const REFUSAL =
  /^\W*(?:I'?m sorry|I am sorry|sorry|I apologi[sz]e|I can(?:no|')t|I am unable|I'm unable|I won't|I will not)\b/i;
/** A refusal is short: a long answer that starts with "I'm sorry" is still an answer. */
const REFUSAL_MAX_CHARS = 400;

/** A reply as a generation: an answer, or a failure when it is empty or refused. */
function generationOf(
  reply: _Reply,
  base: Pick<Generation, "attempts" | "latency_ms" | "provenance">,
): Generation {
  const said = {
    ...base,
    raw: reply.text,
    ...(reply.finish === undefined ? {} : { finish_reason: reply.finish }),
    usage: reply.usage,
  };
  const text = reply.text ?? "";
  const clip = (words: string) => {
    const line = words.replace(/\s+/g, " ").trim();
    return line.length > 200 ? line.slice(0, 200) + "…" : line;
  };
  const failed = (reason: GenerationFailure, detail: string): Generation => ({
    ...said,
    status: "failed",
    reason,
    detail,
  });
  if (reply.refusal !== undefined) {
    return failed("refusal", `the model refused: ${clip(reply.refusal)}`);
  }
  if (text.trim() === "") return failed("empty_reply", "the reply has no text");
  if (text.length <= REFUSAL_MAX_CHARS && REFUSAL.test(text)) {
    return failed("refusal", `the model declined: ${clip(text)}`);
  }
  return { ...said, status: "generated", text: text.trim() };
}

// --- messages ------------------------------------------------------------------------------------

/** The plan: per candidate and task, the cases, what is cached and what will be sent. */
function planTable(plan: _Plan<CaseGroup, Candidate, GenerationRecord>): _CellTable {
  const { settings, units } = plan;
  const rows: string[][] = [];
  let total = 0;
  for (const [m, model] of settings.models.entries()) {
    for (const task of settings.tasks) {
      let [cases, cached, requests, tokens] = [0, 0, 0, 0];
      for (const [u, group] of units.entries()) {
        if (group.task !== task) continue;
        cases++;
        const promptTokens = promptChars(group) / CHARS_PER_TOKEN;
        for (let repeat = 0; repeat < settings.repeats; repeat++) {
          const need = plan.needs[m * plan.perModel + u * settings.repeats + repeat];
          if (need === _CACHED) cached++;
          if (need !== _QUEUED) continue;
          requests++;
          tokens += Math.ceil(promptTokens);
        }
      }
      total += requests;
      if (cases > 0) rows.push([model.name, task, ...[cases, cached, requests, tokens].map(count)]);
    }
  }
  return {
    caption: "Generation plan: one request per case, candidate and repeat (nothing sent yet)",
    header: ["candidate", "task", "cases", "cached", "requests", "input tokens (est.)"],
    rows,
    numeric: [false, false, true, true, true, true],
    notes: [
      `total requests: ${count(total)} (input tokens ≈ prompt characters / ${CHARS_PER_TOKEN})`,
    ],
  };
}
