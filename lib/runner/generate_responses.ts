/**
 * `generateResponses()`: run candidate models over a study's cases — one prompt per distinct
 * case, cached and resumable in a ledger, at each provider's allowed concurrency, within the
 * budget — and write their answers as dataset entries that judges can then score.
 *
 * @module
 */

import { createHash } from "node:crypto";
import { rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Benchmark } from "../data/benchmark.ts";
import type { Entry } from "../data/entry.ts";
import { readDataset } from "../data/load_dataset.ts";
import type { Usage } from "../judge/judgement.ts";
import { envKeys, makeClient } from "../judge/providers.ts";
import { clientSecret, redact, redactValue } from "../judge/redact.ts";
import { _reportedTokens } from "../judge/_reported_tokens.ts";
import { type ErrorClass, type RetryOptions, withRetries } from "../judge/retry.ts";
import { getTask, missingInputs } from "../tasks/tasks.ts";
import { Budget, costOf } from "./budget.ts";
import { type BenchmarkConfig, loadConfig, type ModelConfig, parseConfig } from "./config.ts";
import {
  _GenerationLedger,
  type Generation,
  type GenerationFailure,
  type GenerationProvenance,
} from "./_generation_ledger.ts";
import {
  type CaseInputs,
  GENERATION_PROMPT_VERSION,
  generationInputs,
  type GenerationPrompt,
  generationPrompt,
  generationPromptHash,
} from "./generation_prompt.ts";
import { AuthenticationError } from "./authentication_error.ts";
import { _canonicalJson } from "./judgement_key.ts";
import { _safeName } from "./ledger.ts";
import { CHARS_PER_TOKEN, entryInputs } from "./preflight.ts";
import { progressReporter } from "./progress.ts";
import { _providerPools, _retryOptions, _runQueues, _RunTally } from "./_run_queues.ts";
import { type PoolEvent, ProviderPool } from "./provider_pool.ts";
import { type JudgeLock, lockJudge } from "./run_lock.ts";
import { _isAuthFailure } from "./_record_checks.ts";
import { _redactError, _refuseOversizedRun, _registerKeys } from "./_run_guards.ts";
import { _usageCheck } from "./_usage.ts";
import { _describeStudy, _studyMatcher, type StudyMatch } from "./_studies.ts";

export type { Generation, GenerationFailure, GenerationProvenance } from "./_generation_ledger.ts";
export type { StudyMatch } from "./_studies.ts";

/** How to generate. */
export interface GenerateOptions {
  /**
   * The studies whose cases are used, e.g. `"brodeur*"` or `/^brodeur/` (default: the config's
   * `studies`, else every study).
   */
  study?: StudyMatch;
  /** Credentials by environment-variable name (default: the environment). */
  keys?: Readonly<Record<string, string | undefined>>;
  /** Print what would be sent and stop. */
  dryRun?: boolean;
  /** Generate again where a reply was empty or refused (transient failures always are). */
  retryFailed?: boolean;
  /** Progress display (default `"auto"`). */
  progress?: "auto" | "terminal" | "notebook" | "silent";
  /** Where messages go (default `console.log`). */
  log?: (line: string) => void;
  /** Stops the run: no new requests start; those in flight finish and are recorded. */
  signal?: AbortSignal;
  /** Source entries to take the cases from instead of loading `dataset_path`. */
  entries?: readonly Entry[];
}

/** What a generation run did. */
export interface GenerationSummary {
  /** The output folder (ledgers under `generations/`). */
  output_dir: string;
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
  /** Generations already in the ledger, not requested again. */
  cached: number;
  /** Failed generations in this run, by reason. */
  failed: Partial<Record<GenerationFailure, number>>;
  input_tokens: number;
  output_tokens: number;
  /** Cost in this run, where prices are configured. */
  cost: number | null;
  wall_ms: number;
  /** Requests not sent because the run stopped early. */
  remaining: number;
  /** Why the run stopped early, if it did. */
  stopped?: string;
  pool_events: PoolEvent[];
  dry_run: boolean;
}

/** One distinct case of a task, as the dataset's entries share it. */
interface CaseGroup {
  task: Benchmark;
  /** The first source entry: the generated entries copy its case fields. */
  source: Entry;
  /** The inputs the prompt shows. */
  shown: CaseInputs;
  prompt: GenerationPrompt;
  synthetic: boolean;
  /** Short hash of the group's identity, for entry ids. */
  tag: string;
}

interface Candidate {
  model: ModelConfig;
  parameters: Record<string, unknown>;
  /** One request, retried within bounds; never throws for provider failures. */
  generate(prompt: GenerationPrompt, task: Benchmark): Promise<Generation>;
}

interface WorkItem {
  candidate: Candidate;
  group: CaseGroup;
  repeat: number;
  key: string;
  ledger: _GenerationLedger;
}

/** The name of the entries file in the output folder (not `.jsonl`: that is a judging ledger). */
const ENTRIES_FILE = "generated_entries.json";
/** Reply tokens allowed per generation unless the config says otherwise. */
const DEFAULT_MAX_TOKENS = 2000;
const KEY_VERSION = 1;

/**
 * Runs candidate models over the cases of the chosen tasks and studies, and writes their
 * answers as dataset entries.
 *
 * Cases are shared by many entries (every model and physician answered the same case), so the
 * work is one prompt per distinct case — case id, task, case text and question — not one per
 * entry. The prompt (`generationPrompt`) shows the case text, and the question where it is put
 * to the respondent; never the final diagnosis, test plan or rubric. Each candidate (`models:`
 * in a `mode: generate` config, any OpenAI-compatible `base_url`, or Anthropic) answers each
 * case `repeats` times. As in judging: each answer is recorded in a ledger,
 * `{output_dir}/generations/{name}_{task}.jsonl`, under a content-addressed key (the case
 * inputs shown, provider, model, sampling parameters, prompt hash, repeat), so a re-run sends
 * nothing for what is recorded; a torn last line is tolerated; failures are kept with their
 * reason and those that may pass later (`retries_exhausted`) are retried on resume; requests
 * share each provider's adaptive `ProviderPool`, the budget caps and the progress reporter.
 *
 * The run's guards are the judging run's: each candidate's ledgers are locked for the run
 * (`lockJudge` on `{output_dir}/generations/`: a second run of the same candidate on the folder
 * stops at once with `RunLockedError`, while a judging run of the same name, whose ledgers are
 * elsewhere, is not blocked); a rejected key (401, 403, `invalid_api_key`) stops the run,
 * records nothing for that request and throws `AuthenticationError` naming the candidate and
 * the variable to fix (a re-run generates what is missing; a rejection an older run recorded
 * counts as not generated); implausible or missing token usage is recorded as an estimate
 * (`usage_estimated: true`) that the budget counts; a run of more than `MAX_WORK_ITEMS`
 * (candidates × cases × repeats) is refused before it starts; `dryRun` reads the ledgers and
 * creates nothing on disk; and every ledger line, log line, progress label and error passes
 * through `redact()`.
 *
 * An empty or refused reply is a failed generation, never an entry. Every generated answer in
 * the ledgers for the chosen cases becomes an entry in `{output_dir}/generated_entries.json`
 * (rewritten whole at the end of each run): the case's `case_id`, `benchmark`, `study`,
 * `max_score`, rubric and context fields, `model` = the candidate's name, a deterministic id
 * `gen/{name}/{case_id}/{task}/{study}/{tag}[/r{repeat}]`, no physician grade (`grade` is
 * `NaN` on the entry, a null in a frame), a `generation` field with its provenance, and
 * `synthetic: true` when the source entries were synthetic. Cases whose entries lack an input
 * the judge needs are skipped (a generated answer could not be scored). Score the entries with
 * `runBenchmark({ ...judging, dataset_path: summary.entries_path })`, or pass
 * `summary.entries` (with the study's own entries, to compare) as `entries`.
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
export async function generateResponses(
  config: BenchmarkConfig | string,
  options: GenerateOptions = {},
): Promise<GenerationSummary> {
  const started = performance.now();
  const rawLog = options.log ?? ((line: string) => console.log(line));
  // Every line told, and every error thrown, passes the one redaction point.
  const log = (line: string) => rawLog(redact(line));
  try {
    return await _runLocked(await _prepare(config, options, log, started));
  } catch (error) {
    throw _redactError(error);
  }
}

/** What the phases of a generation run share. */
interface _Run {
  settings: BenchmarkConfig;
  options: GenerateOptions;
  log: (line: string) => void;
  groups: CaseGroup[];
  skipped: number;
  candidates: Candidate[];
  poolFor: (provider: string) => ProviderPool;
  poolEvents: PoolEvent[];
  started: number;
}

/** The config, keys and cases checked, and the candidates made; nothing on disk yet. */
async function _prepare(
  config: BenchmarkConfig | string,
  options: GenerateOptions,
  log: (line: string) => void,
  started: number,
): Promise<_Run> {
  const settings = typeof config === "string"
    ? await loadConfig(config)
    : parseConfig(JSON.stringify(config));
  settings.models.forEach((model, i) => {
    if (model.provider === "offline") {
      throw new Error(
        `models[${i}] "${model.name}": generation needs a language model; the offline provider ` +
          "only scores (use provider: openai-compatible with base_url, or another provider)",
      );
    }
  });
  const keys = options.keys ?? envKeys();
  _registerKeys(keys);
  const source = options.entries ??
    (await readDataset(settings.dataset_path, { onProgress: log })).entries;
  const { groups, skipped } = caseGroups(source, settings.tasks, options.study ?? settings.studies);
  if (skipped > 0) {
    log(`${skipped} case(s) skipped: their entries lack an input the judge needs to score them`);
  }
  _refuseOversizedRun({
    makes: "generations",
    models: settings.models.length,
    modelWord: "candidate",
    items: groups.length,
    itemWord: "cases",
    repeats: settings.repeats,
  });
  const { poolFor, events: poolEvents } = _providerPools(settings.threads, log);
  const retry = _retryOptions(settings);
  const candidates = settings.models.map((model) =>
    candidateFor(model, settings, keys, retry, poolFor(model.provider))
  );
  return { settings, options, log, groups, skipped, candidates, poolFor, poolEvents, started };
}

type _LedgerFor = (name: string, task: Benchmark) => Promise<_GenerationLedger>;

/**
 * Takes each candidate's lock (not in a dry run, which creates nothing), opens the ledgers,
 * plans and sends; closes the ledgers and releases the locks however it ends.
 *
 * The lock is `lockJudge` on `{output_dir}/generations/`, the folder of the candidate's
 * ledgers: two generation runs of one candidate exclude each other (they would pay twice), but
 * a judging run of the same name, whose ledgers are elsewhere, is not blocked.
 */
async function _runLocked(run: _Run): Promise<GenerationSummary> {
  const { settings, log } = run;
  const dryRun = run.options.dryRun === true;
  const folder = join(settings.output_dir, "generations");
  const locks: JudgeLock[] = [];
  const ledgers = new Map<string, _GenerationLedger>();
  try {
    if (!dryRun) {
      for (const model of settings.models) {
        locks.push(await lockJudge(folder, model.name, { role: "candidate" }));
      }
    }
    const ledgerFor: _LedgerFor = async (name, task) => {
      const path = join(folder, `${_safeName(name)}_${task}.jsonl`);
      let ledger = ledgers.get(path);
      if (!ledger) {
        ledger = await _GenerationLedger.open(path, { readOnly: dryRun });
        if (ledger.torn > 0) log(`${path}: ignored a torn last line from an interrupted run`);
        ledgers.set(path, ledger);
      }
      return ledger;
    };
    const planned = await _plan(run, ledgerFor);
    return await _send(run, planned, ledgerFor);
  } finally {
    for (const ledger of ledgers.values()) await ledger.close();
    for (const lock of locks) await lock.release();
  }
}

/** What the plan found: the requests to send by provider, and what the ledgers hold. */
interface _Planned {
  queues: Map<string, WorkItem[]>;
  rows: PlanRow[];
  cached: number;
  total: number;
}

/**
 * Everything to generate; what the ledgers hold is counted, not queued. Groups that share
 * their shown text share one key, and so one request.
 */
async function _plan(run: _Run, ledgerFor: _LedgerFor): Promise<_Planned> {
  const { settings, groups, candidates, options } = run;
  const queues = new Map<string, WorkItem[]>();
  const planned = new Set<string>();
  const rows: PlanRow[] = [];
  let cached = 0;
  for (const candidate of candidates) {
    for (const task of settings.tasks) {
      const row: PlanRow = {
        candidate: candidate.model.name,
        task,
        cases: 0,
        cached: 0,
        requests: 0,
        tokens: 0,
      };
      for (const group of groups) {
        if (group.task !== task) continue;
        row.cases++;
        const ledger = await ledgerFor(candidate.model.name, task);
        for (let repeat = 0; repeat < settings.repeats; repeat++) {
          const key = generationKey(candidate, group, repeat);
          if (planned.has(key)) continue;
          planned.add(key);
          if (!ledger.needsGenerating(key, options.retryFailed ?? false)) {
            cached++;
            row.cached++;
            continue;
          }
          row.requests++;
          row.tokens += Math.ceil(
            (group.prompt.system.length + group.prompt.user.length) / CHARS_PER_TOKEN,
          );
          const queue = queues.get(candidate.model.provider) ?? [];
          queue.push({ candidate, group, repeat, key, ledger });
          queues.set(candidate.model.provider, queue);
        }
      }
      if (row.cases > 0) rows.push(row);
    }
  }
  const total = [...queues.values()].reduce((n, q) => n + q.length, 0);
  return { queues, rows, cached, total };
}

/** The plan told, then (unless a dry run) every queued request sent and recorded. */
async function _send(
  run: _Run,
  planned: _Planned,
  ledgerFor: _LedgerFor,
): Promise<GenerationSummary> {
  const { settings, options, log } = run;
  log(formatPlan(planned.rows));
  const entriesPath = join(settings.output_dir, ENTRIES_FILE);
  const summary: GenerationSummary = {
    output_dir: settings.output_dir,
    entries_path: entriesPath,
    entries: [],
    cases: run.groups.length,
    skipped: run.skipped,
    generated: 0,
    cached: planned.cached,
    failed: {},
    input_tokens: 0,
    output_tokens: 0,
    cost: null,
    wall_ms: 0,
    remaining: planned.total,
    pool_events: run.poolEvents,
    dry_run: options.dryRun === true,
  };
  if (options.dryRun) {
    log("dry run: nothing was sent, nothing was written");
    summary.wall_ms = performance.now() - run.started;
    return summary;
  }
  const { stopped, rejected } = await _sendQueued(run, planned, summary);
  summary.entries = await generatedEntries(
    run.groups,
    run.candidates,
    settings.repeats,
    ledgerFor,
  );
  await writeEntries(entriesPath, summary.entries);
  summary.wall_ms = performance.now() - run.started;
  if (rejected !== undefined) {
    throw new AuthenticationError(rejected.item.candidate.model, rejected.generation, summary);
  }
  if (stopped !== undefined) {
    summary.stopped = stopped;
    log(
      `stopped early (${stopped}); ${summary.remaining} generation(s) remain — rerun to continue`,
    );
  }
  log(formatSummary(summary));
  return summary;
}

/**
 * Sends the queued requests through the providers' pools and records each generation as it
 * arrives, its usage checked (an implausible one becomes a marked estimate). A rejected key
 * (401, 403, `invalid_api_key`) is the run's failure: nothing is recorded for it and no new
 * request starts; the caller throws `AuthenticationError` once those in flight are recorded.
 */
async function _sendQueued(
  run: _Run,
  planned: _Planned,
  summary: GenerationSummary,
): Promise<{
  stopped: string | undefined;
  rejected: { item: WorkItem; generation: Generation } | undefined;
}> {
  const { settings, options } = run;
  const budget = new Budget(settings.budget);
  const tally = new _RunTally(
    planned.total,
    planned.cached,
    redact(`generate → ${settings.output_dir}`),
    progressReporter(options.progress ?? "auto"),
  );
  const halt = new AbortController();
  let rejected: { item: WorkItem; generation: Generation } | undefined;
  const checkUsage = _usageCheck("candidate", run.log);
  const record = async (item: WorkItem, made: Generation) => {
    if (_isAuthFailure(made)) {
      rejected ??= { item, generation: made };
      halt.abort();
      return;
    }
    const checked = checkUsage(item.candidate.model.name, made.usage, () => ({
      prompt: item.group.prompt.system.length + item.group.prompt.user.length,
      reply: made.raw?.length ?? 0,
    }));
    const { usage: _, ...rest } = made;
    const generation = { ...rest, ...(checked.usage ? { usage: checked.usage } : {}) };
    await item.ledger.append({
      key: item.key,
      candidate: item.candidate.model.name,
      task: item.group.task,
      case_id: item.group.source.case_id,
      repeat: item.repeat,
      generation,
      time: new Date().toISOString(),
      ...(checked.estimated ? { usage_estimated: true as const } : {}),
    });
    const cost = checked.usage ? costOf(checked.usage, item.candidate.model.price) : null;
    budget.record(checked.usage, cost);
    if (generation.status === "generated") summary.generated++;
    tally.count({
      usage: checked.usage,
      cost,
      failure: generation.status === "generated" ? undefined : generation.reason,
    });
  };
  const stopped = await _runQueues(planned.queues, {
    poolFor: run.poolFor,
    threads: (provider) => settings.threads[provider] ?? 8,
    budget,
    signal: options.signal === undefined
      ? halt.signal
      : AbortSignal.any([options.signal, halt.signal]),
    // In-flight requests are not aborted by `signal`: they may be paid for already.
    send: (item) => item.candidate.generate(item.group.prompt, item.group.task),
    overloaded: (generation) =>
      generation.status !== "generated" && generation.reason === "retries_exhausted",
    latency: () => undefined,
    record,
  });
  Object.assign(summary, tally.finish());
  return { stopped, rejected };
}

// --- cases ---------------------------------------------------------------------------------------

/**
 * The distinct cases of the chosen tasks and studies, in dataset order. A case is one study's
 * case id, task, case text and question (a triage case has one per touchpoint); the generated
 * entry also keeps the reference fields (final diagnosis, test plan, rubric, max_score), so
 * entries that disagree on one of those form separate cases.
 */
function caseGroups(
  entries: readonly Entry[],
  tasks: readonly Benchmark[],
  study: StudyMatch | undefined,
): { groups: CaseGroup[]; skipped: number } {
  const wanted = new Set(tasks);
  const matches = _studyMatcher(study, entries, "generateResponses()");
  const groups = new Map<string, CaseGroup>();
  const skippedIds = new Set<string>();
  for (const entry of entries) {
    if (!wanted.has(entry.benchmark) || !matches(entry.study)) continue;
    const inputs = entryInputs(entry);
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
    const existing = groups.get(identity);
    if (existing) {
      if (isSyntheticEntry(entry)) existing.synthetic = true;
      continue;
    }
    if (skippedIds.has(identity)) continue;
    const task = getTask(entry.benchmark);
    const shown: CaseInputs = {};
    for (const name of generationInputs(entry.benchmark)) {
      const value = inputs[name];
      if (typeof value === "string" && value.trim() !== "") shown[name] = value;
    }
    // A generated answer must be scorable: the judge's inputs other than the response, and the
    // prompt's own inputs, must be there.
    const judgeMissing = missingInputs(task, { ...inputs, response: "-" });
    const promptMissing = generationInputs(entry.benchmark).filter((name) => !(name in shown));
    if (judgeMissing.length > 0 || promptMissing.length > 0) {
      skippedIds.add(identity);
      continue;
    }
    groups.set(identity, {
      task: entry.benchmark,
      source: entry,
      shown,
      prompt: generationPrompt(entry.benchmark, shown),
      synthetic: isSyntheticEntry(entry),
      tag: createHash("sha256").update(identity).digest("hex").slice(0, 8),
    });
  }
  if (groups.size === 0 && skippedIds.size === 0) {
    const studies = [...new Set(entries.map((e) => e.study))].sort();
    throw new Error(
      `generateResponses(): no cases of ${tasks.join(", ")}${
        study === undefined ? "" : ` in study ${_describeStudy(study)}`
      }; the dataset's studies: ${studies.join(", ")}`,
    );
  }
  return { groups: [...groups.values()], skipped: skippedIds.size };
}

function isSyntheticEntry(entry: Entry): boolean {
  const mark = entry.extra?.synthetic;
  return mark === true || (typeof mark === "string" && mark.trim().toLowerCase() === "true");
}

/** The content address of one generation: what the prompt shows, who answers, how, which repeat. */
function generationKey(candidate: Candidate, group: CaseGroup, repeat: number): string {
  return createHash("sha256").update(_canonicalJson({
    v: KEY_VERSION,
    kind: "generation",
    task: group.task,
    inputs: group.shown,
    candidate: {
      provider: candidate.model.provider,
      model: candidate.model.model_id,
      parameters: candidate.parameters,
    },
    prompt_hash: generationPromptHash(group.task),
    repeat,
  })).digest("hex");
}

// --- entries -------------------------------------------------------------------------------------

/** Every generated answer the ledgers hold for these cases, as entries, in case order. */
async function generatedEntries(
  groups: readonly CaseGroup[],
  candidates: readonly Candidate[],
  repeats: number,
  ledgerFor: (name: string, task: Benchmark) => Promise<_GenerationLedger>,
): Promise<Entry[]> {
  const entries: Entry[] = [];
  for (const candidate of candidates) {
    for (const group of groups) {
      const ledger = await ledgerFor(candidate.model.name, group.task);
      for (let repeat = 0; repeat < repeats; repeat++) {
        const key = generationKey(candidate, group, repeat);
        const generation = ledger.get(key)?.generation;
        if (generation?.status !== "generated") continue;
        entries.push(entryFor(candidate, group, repeat, repeats, key, generation));
      }
    }
  }
  return entries;
}

function entryFor(
  candidate: Candidate,
  group: CaseGroup,
  repeat: number,
  repeats: number,
  key: string,
  generation: Generation & { status: "generated" },
): Entry {
  const s = group.source;
  const name = candidate.model.name;
  const entry: Entry = {
    id: `gen/${name}/${s.case_id}/${s.benchmark}/${s.study}/${group.tag}${
      repeats > 1 ? `/r${repeat}` : ""
    }`,
    case_id: s.case_id,
    benchmark: s.benchmark,
    study: s.study,
    model: name,
    grade: Number.NaN, // no physician has graded it
    max_score: s.max_score,
    response: generation.text,
  };
  if (s.rubric !== undefined) entry.rubric = s.rubric;
  for (const field of ["case_vignette", "question_text", "final_diagnosis", "test_plan"] as const) {
    if (s[field] !== undefined) entry[field] = s[field];
  }
  entry.extra = {
    ...(group.synthetic ? { synthetic: true } : {}),
    generation: {
      key,
      provider: generation.provenance.provider,
      model_id: generation.provenance.model,
      parameters: generation.provenance.parameters,
      prompt_version: generation.provenance.prompt_version,
      prompt_hash: generation.provenance.prompt_hash,
      repeat,
    },
  };
  return entry;
}

/** Writes the entries as a JSON array, atomically (a reader never sees half a file). */
async function writeEntries(path: string, entries: readonly Entry[]): Promise<void> {
  const rows = entries.map((entry) => {
    const { grade: _grade, extra, ...rest } = entry;
    return { ...rest, ...(extra ?? {}) };
  });
  const temporary = `${path}.${crypto.randomUUID()}.tmp`;
  await writeFile(temporary, JSON.stringify(rows, null, 1) + "\n");
  await rename(temporary, path);
}

// --- candidates ----------------------------------------------------------------------------------

/** Plain words of a refusal at the start of a reply. */
const REFUSAL =
  /^\W*(?:I'?m sorry|I am sorry|sorry|I apologi[sz]e|I can(?:no|')t|I am unable|I'm unable|I won't|I will not)\b/i;
/** A refusal is short: a long answer that starts with "I'm sorry" is still an answer. */
const REFUSAL_MAX_CHARS = 400;

function candidateFor(
  model: ModelConfig,
  config: BenchmarkConfig,
  keys: Readonly<Record<string, string | undefined>>,
  retry: RetryOptions,
  pool: ProviderPool,
): Candidate {
  const client = makeClient(
    {
      provider: model.provider,
      model_id: model.model_id,
      ...(model.base_url === undefined ? {} : { base_url: model.base_url }),
    },
    keys,
  ) as unknown as CandidateClient;
  const secret = clientSecret(client);
  const temperature = model.temperature ?? config.temperature ?? 0;
  const seed = model.seed ?? config.seed;
  const maxTokens = model.max_tokens ?? config.max_tokens ?? DEFAULT_MAX_TOKENS;
  const anthropic = model.provider === "anthropic";
  const parameters: Record<string, unknown> = {
    temperature,
    max_tokens: maxTokens,
    ...(seed === undefined || anthropic ? {} : { seed }),
  };
  // A 429 slows the whole provider down, not just this request.
  const onRetry = (error: ErrorClass) => {
    if (error.status === 429) pool.rateLimited(error.retryAfterMs);
  };
  const create = anthropic ? client.messages!.create : client.chat!.completions.create;
  const owner = anthropic ? client.messages! : client.chat!.completions;
  return {
    model,
    parameters,
    async generate(prompt, task) {
      const started = performance.now();
      const provenance: GenerationProvenance = {
        candidate: model.name,
        provider: model.provider,
        model: model.model_id,
        parameters,
        prompt_version: GENERATION_PROMPT_VERSION,
        prompt_hash: generationPromptHash(task),
      };
      const body = requestBody(model, prompt, parameters);
      const outcome = await withRetries(
        (_n, signal) => create.call(owner, body, { maxRetries: 0, signal }),
        retry,
        undefined,
        onRetry,
      );
      const base = {
        attempts: outcome.attempts,
        latency_ms: performance.now() - started,
        provenance,
      };
      if (!outcome.ok) {
        const detail = redact(outcome.error.message, [secret]);
        return {
          ...base,
          raw: null,
          status: "failed",
          reason: outcome.exhausted ? "retries_exhausted" : "request_rejected",
          detail: outcome.exhausted
            ? `gave up after ${outcome.attempts} attempts: ${detail}`
            : detail,
        };
      }
      const reply = anthropic ? readAnthropic(outcome.value) : readChat(outcome.value);
      // A server may put the key into a reply: it never leaves the candidate.
      return redactValue(generationOf(reply, base), [secret]);
    },
  };
}

/** The provider client a candidate asks (OpenAI-compatible, or Anthropic's Messages API). */
interface CandidateClient {
  apiKey?: string;
  chat?: { completions: { create(body: unknown, options: unknown): Promise<unknown> } };
  messages?: { create(body: unknown, options: unknown): Promise<unknown> };
}

/** One generation request's body, for the candidate's API. */
function requestBody(
  model: ModelConfig,
  prompt: GenerationPrompt,
  parameters: Record<string, unknown>,
): Record<string, unknown> {
  if (model.provider === "anthropic") {
    return {
      model: model.model_id,
      max_tokens: parameters.max_tokens,
      temperature: parameters.temperature,
      system: prompt.system,
      messages: [{ role: "user", content: prompt.user }],
    };
  }
  return {
    model: model.model_id,
    messages: [
      { role: "system", content: prompt.system },
      { role: "user", content: prompt.user },
    ],
    temperature: parameters.temperature,
    max_tokens: parameters.max_tokens,
    ...(parameters.seed === undefined ? {} : { seed: parameters.seed }),
  };
}

/** A reply as a generation: an answer, or a failure when it is empty or refused. */
function generationOf(
  reply: Reply,
  base: { attempts: number; latency_ms: number; provenance: GenerationProvenance },
): Generation {
  const withReply = {
    ...base,
    raw: reply.text,
    usage: reply.usage,
    ...(reply.finish === undefined ? {} : { finish_reason: reply.finish }),
  };
  const text = reply.text ?? "";
  if (reply.refusal !== undefined) {
    return {
      ...withReply,
      status: "failed",
      reason: "refusal",
      detail: `the model refused: ${clip(reply.refusal)}`,
    };
  }
  if (text.trim() === "") {
    return {
      ...withReply,
      status: "failed",
      reason: "empty_reply",
      detail: "the reply has no text",
    };
  }
  if (text.length <= REFUSAL_MAX_CHARS && REFUSAL.test(text)) {
    return {
      ...withReply,
      status: "failed",
      reason: "refusal",
      detail: `the model declined: ${clip(text)}`,
    };
  }
  return { ...withReply, status: "generated", text: text.trim() };
}

interface Reply {
  text: string | null;
  usage: Usage;
  finish?: string;
  refusal?: string;
}

// deno-lint-ignore no-explicit-any
function readChat(completion: any): Reply {
  const choice = completion?.choices?.[0];
  const message = choice?.message;
  const reply: Reply = {
    text: typeof message?.content === "string" ? message.content : null,
    usage: {
      // A missing or null count is unknown, not 0: the run counts an estimate for it.
      input_tokens: _reportedTokens(completion?.usage?.prompt_tokens),
      output_tokens: _reportedTokens(completion?.usage?.completion_tokens),
    },
  };
  if (typeof choice?.finish_reason === "string") reply.finish = choice.finish_reason;
  if (typeof message?.refusal === "string" && message.refusal !== "") {
    reply.refusal = message.refusal;
  }
  return reply;
}

// deno-lint-ignore no-explicit-any
function readAnthropic(message: any): Reply {
  const blocks: unknown[] = Array.isArray(message?.content) ? message.content : [];
  const text = blocks
    // deno-lint-ignore no-explicit-any
    .filter((b: any) => b?.type === "text" && typeof b.text === "string")
    // deno-lint-ignore no-explicit-any
    .map((b: any) => b.text as string)
    .join("\n");
  const reply: Reply = {
    text,
    usage: {
      input_tokens: _reportedTokens(message?.usage?.input_tokens),
      output_tokens: _reportedTokens(message?.usage?.output_tokens),
    },
  };
  if (typeof message?.stop_reason === "string") reply.finish = message.stop_reason;
  if (message?.stop_reason === "refusal") reply.refusal = text || "(no text)";
  return reply;
}

function clip(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > 200 ? line.slice(0, 200) + "…" : line;
}

// --- messages ------------------------------------------------------------------------------------

interface PlanRow {
  candidate: string;
  task: Benchmark;
  cases: number;
  cached: number;
  requests: number;
  tokens: number;
}

function formatPlan(rows: readonly PlanRow[]): string {
  const header = ["candidate", "task", "cases", "cached", "requests", "input tokens (est.)"];
  const body = rows.map((r) => [
    r.candidate,
    r.task,
    count(r.cases),
    count(r.cached),
    count(r.requests),
    count(r.tokens),
  ]);
  const table = [header, ...body];
  const widths = header.map((_, i) => Math.max(...table.map((line) => line[i]!.length)));
  const render = (line: string[]) =>
    line.map((cell, i) => i >= 2 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))
      .join("  ").trimEnd();
  const requests = rows.reduce((n, r) => n + r.requests, 0);
  return [
    "Generation plan: one request per case, candidate and repeat (nothing sent yet)",
    render(header),
    ...body.map(render),
    `total requests: ${count(requests)} (input tokens ≈ prompt characters / ${CHARS_PER_TOKEN})`,
  ].join("\n");
}

function formatSummary(s: GenerationSummary): string {
  const failed = Object.values(s.failed).reduce((n, v) => n + (v ?? 0), 0);
  const lines = [
    `Summary (generate → ${s.output_dir}): ${count(s.generated)} generated, ${
      count(failed)
    } failed, ${count(s.cached)} cached${
      s.remaining > 0 ? `, ${count(s.remaining)} not sent` : ""
    }`,
  ];
  const reasons = Object.entries(s.failed).map(([reason, n]) => `${reason} ${n}`).join(", ");
  if (reasons) lines.push(`  failed by reason: ${reasons}`);
  lines.push(`  tokens: ${count(s.input_tokens)} in, ${count(s.output_tokens)} out`);
  lines.push(
    `  cost: ${s.cost === null ? "not counted (no price configured)" : s.cost.toFixed(4)}`,
  );
  lines.push(`  wall time: ${(s.wall_ms / 1000).toFixed(1)} s`);
  lines.push(`  entries: ${count(s.entries.length)} in ${s.entries_path}`);
  return lines.join("\n");
}

function count(n: number): string {
  return n.toLocaleString("en-US");
}
