/**
 * The table of what differs between the two kinds of ledger record — a judgement of an entry,
 * a generated response to a case — and the checks every record passes on its way to and from
 * disk (its shape, its task against its file, a score against the task's scale). See "The
 * ledger" in `README.md`.
 *
 * @module
 */

import { basename } from "node:path";
import { isTaskKey, TASK_KEYS, type TaskKey } from "../data/task_key.ts";
import type { Judgement, Usage } from "../judge/judgement.ts";
import { redactValue } from "../judge/redact.ts";
import { scoreProblem } from "../tasks/scale.ts";
import type { TaskInputs } from "../tasks/task.ts";
import { getTask } from "../tasks/tasks.ts";
import type { LedgerRecord } from "./ledger.ts";

/** Why a generation failed. */
export type GenerationFailure =
  /** The reply had no text. */
  | "empty_reply"
  /** The model declined to answer. */
  | "refusal"
  /** 429s, 5xx replies, timeouts or dropped connections outlasted the retries. */
  | "retries_exhausted"
  /** The provider rejected the request (400, 401, 404…). */
  | "request_rejected";

/** Who generated, with what settings and prompt. */
export interface GenerationProvenance {
  /** The candidate's name in the config. */
  candidate: string;
  /** The provider kind (`openai`, `anthropic`…). */
  provider: string;
  /** The model id sent to the API. */
  model: string;
  /** Sampling parameters sent with the request. */
  parameters: Record<string, unknown>;
  /** The generation prompt's version. */
  prompt_version: string;
  /** The generation prompt's hash (part of the key). */
  prompt_hash: string;
}

/** What one request to a candidate gave. */
export type Generation =
  & {
    /** The reply text; `null` when no reply arrived. */
    raw: string | null;
    attempts: number;
    latency_ms: number;
    usage?: Usage;
    provenance: GenerationProvenance;
    /** The provider's finish reason (`length` means cut off at `max_tokens`). */
    finish_reason?: string;
  }
  & (
    | { status: "generated"; text: string }
    | { status: "failed"; reason: GenerationFailure; detail: string }
  );

/** One line of a generation ledger. */
export interface GenerationRecord {
  /** The generation key (case inputs, model, parameters, prompt hash, repeat). */
  key: string;
  /** The candidate's name. */
  candidate: string;
  task: TaskKey;
  /** The case the prompt was built from (the first, when cases share their text). */
  case_id: string;
  repeat: number;
  generation: Generation;
  /** When it was recorded (ISO 8601). */
  time: string;
  /** Set when the server's token usage could not be right and `usage` is an estimate. */
  usage_estimated?: true;
}

/** What the ledger reads of a record's outcome (a judgement or a generation). */
export interface _Outcome {
  status: string;
  reason?: string;
  detail?: string;
  score?: number;
}

/** What every ledger line has. */
export interface _LedgerLine {
  key: string;
  task: TaskKey;
}

/** One kind of ledger record: where its outcome and owner are, how it is checked and redacted. */
export interface _LedgerFormat<R extends _LedgerLine> {
  /** A line, in messages: `"ledger record"`, `"generation record"`. */
  readonly noun: string;
  /** What a line records, in messages: `"judgement"`, `"generation"`. */
  readonly made: string;
  /** The record's outcome. */
  outcome(record: R): _Outcome;
  /** Whose record it is: the entry judged, or the case answered. */
  owner(record: R): string;
  /** What is wrong with a parsed line as such a record, or `undefined`. */
  problem(value: unknown): string | undefined;
  /** The record with every text a server sent redacted. */
  redact(record: R): R;
}

/** Judgements of entries: `{output_dir}/{judge}_{task}.jsonl`. */
export const _JUDGEMENTS: _LedgerFormat<LedgerRecord> = {
  noun: "ledger record",
  made: "judgement",
  outcome: (record) => record.judgement,
  owner: (record) => record.entry_id,
  problem: judgementProblem,
  redact: (record) => ({ ...record, judgement: redactJudgement(record.judgement) }),
};

/** Generated responses to cases: `{output_dir}/generations/{candidate}_{task}.jsonl`. */
export const _GENERATIONS: _LedgerFormat<GenerationRecord> = {
  noun: "generation record",
  made: "generation",
  outcome: (record) => record.generation,
  owner: (record) => record.case_id,
  problem: generationProblem,
  // Generations are few and long: every text in them is redacted.
  redact: (record) => redactValue(record),
};

/**
 * A model name as a file-name part: every character other than ASCII letters, digits, `.`, `_`
 * and `-` percent-encoded (as UTF-8 bytes), and a leading `.` too (see `ledgerPath`).
 *
 * @param name The judge's or candidate's name.
 * @returns The name, safe for a file name and reversible.
 */
export function _safeName(name: string): string {
  const safe = Array.from(name, (ch) =>
    /^[A-Za-z0-9._-]$/.test(ch) ? ch : Array.from(
      new TextEncoder().encode(ch),
      (b) => "%" + b.toString(16).toUpperCase().padStart(2, "0"),
    ).join("")).join("");
  // A leading dot would hide the file (or, as "..", climb out of the folder).
  return safe.startsWith(".") ? "%2E" + safe.slice(1) : safe;
}

/**
 * The task a ledger file holds, from its name (`{name}_{task}.jsonl`), or `undefined` for a
 * file not named that way.
 *
 * @param path The ledger file.
 * @returns The task.
 */
export function _fileTask(path: string): TaskKey | undefined {
  return TASK_KEYS.find((task) => basename(path).endsWith(`_${task}.jsonl`));
}

/**
 * What is wrong with a well-formed record in this file: a task other than the file's (the
 * entry would lose its trial to another task), or a score off the task's scale (where the top
 * is the entry's `max_score`, only a negative or off-grid score: the runner checks the rest).
 *
 * @param task The record's task.
 * @param outcome Its outcome.
 * @param path The ledger file.
 * @returns The problem, or `undefined`.
 */
export function _fileProblem(task: TaskKey, outcome: _Outcome, path: string): string | undefined {
  const fileTask = _fileTask(path);
  if (fileTask !== undefined && task !== fileTask) {
    return `a ${task} record in a ${fileTask} ledger`;
  }
  if (outcome.status !== "scored") return undefined;
  const score = outcome.score as number;
  const none = { response: "" } as TaskInputs;
  const { scale } = getTask(task);
  // A scale that a `max_score` does not change is the same for every entry: check it here.
  let fixed = FIXED_SCALE.get(task);
  if (fixed === undefined) {
    fixed = JSON.stringify(scale(none)) === JSON.stringify(scale({ ...none, max_score: 977 }));
    FIXED_SCALE.set(task, fixed);
  }
  if (fixed) {
    const problem = scoreProblem(score, scale(none));
    return problem === undefined ? undefined : `score ${problem}`;
  }
  if (!Number.isFinite(score) || score < 0 || !Number.isInteger(score * 2)) {
    return `score ${score} is not a score of ${task} (0 or more, in steps of at least 0.5)`;
  }
  return undefined;
}

/** Whether a task's scale is the same for every entry, by task (worked out once each). */
const FIXED_SCALE = new Map<TaskKey, boolean>();

/**
 * Whether a failed judgement or generation is a rejected credential — HTTP 401 or 403, or a
 * server's `invalid_api_key` — which is the run's failure (fix the key), not the item's. The
 * judges and candidates report it as `request_rejected` with `HTTP <status>: <message>` in
 * `detail` (see `classifyError`).
 *
 * @param outcome A judgement or a generation.
 * @returns `true` for an authentication or permission failure.
 */
export function _isAuthFailure(outcome: _Outcome): boolean {
  if (outcome.status !== "failed" || outcome.reason !== "request_rejected") return false;
  return /^HTTP 40[13]\b/.test(outcome.detail ?? "") || AUTH_WORDS.test(outcome.detail ?? "");
}

/** A rejected credential, in the words servers use. */
const AUTH_WORDS =
  /invalid_api_key|authentication_error|permission_error|incorrect api key|invalid (x-)?api[ -]key|unauthori[sz]ed/i;

/**
 * What is wrong with a parsed line as a record, or `undefined`: the fields every record has
 * (`names` are its model's and owner's), and its outcome in `field` — `done` or failed with a
 * reason, with a provenance — whose other fields `details` checks.
 */
function recordProblem(
  value: unknown,
  names: readonly string[],
  field: string,
  done: string,
  details: (outcome: Record<string, unknown>) => string | undefined,
): string | undefined {
  if (!isObject(value)) return "not an object";
  for (const name of ["key", ...names, "time"]) {
    if (typeof value[name] !== "string" || value[name] === "") {
      return `"${name}" must be a non-empty string`;
    }
  }
  if (!isTaskKey(value.task)) return `"task" must be a task key, not ${show(value.task)}`;
  if (!Number.isInteger(value.repeat) || (value.repeat as number) < 0) {
    return `"repeat" must be a non-negative integer, not ${show(value.repeat)}`;
  }
  const outcome = value[field];
  if (!isObject(outcome)) return `"${field}" must be an object`;
  if (outcome.status === "failed") {
    if (typeof outcome.reason !== "string" || outcome.reason === "") {
      return `"${field}.reason" must be a failure reason, not ${show(outcome.reason)}`;
    }
  } else if (outcome.status !== done) {
    return `"${field}.status" must be "${done}" or "failed", not ${show(outcome.status)}`;
  }
  if (!isObject(outcome.provenance)) return `"${field}.provenance" must be an object`;
  return details(outcome);
}

function judgementProblem(value: unknown): string | undefined {
  return recordProblem(value, ["judge", "entry_id"], "judgement", "scored", (j) => {
    if (j.status === "scored") {
      if (typeof j.score !== "number" || !Number.isFinite(j.score)) {
        return `"judgement.score" must be a number, not ${show(j.score)}`;
      }
      if (typeof j.justification !== "string") return `"judgement.justification" must be text`;
    }
    if (j.raw !== null && typeof j.raw !== "string") return `"judgement.raw" must be text or null`;
    for (const field of ["attempts", "latency_ms"]) {
      if (typeof j[field] !== "number") return `"judgement.${field}" must be a number`;
    }
    if (j.usage !== undefined) {
      if (!isObject(j.usage)) return `"judgement.usage" must be an object`;
      for (const field of ["input_tokens", "output_tokens"]) {
        if (typeof j.usage[field] !== "number") {
          return `"judgement.usage.${field}" must be a number`;
        }
      }
    }
    const p = j.provenance as Record<string, unknown>;
    for (const field of ["judge", "provider", "model", "prompt_version", "prompt_hash"]) {
      if (typeof p[field] !== "string") return `"judgement.provenance.${field}" must be text`;
    }
    return undefined;
  });
}

function generationProblem(value: unknown): string | undefined {
  return recordProblem(value, ["candidate", "case_id"], "generation", "generated", (g) => {
    const empty = g.status === "generated" && (typeof g.text !== "string" || g.text.trim() === "");
    return empty ? `"generation.text" must be non-empty text` : undefined;
  });
}

/** A judgement's fields that hold free text (the reply, its reasons, the reply's own fields). */
const FREE_TEXT = ["raw", "detail", "justification", "fields"] as const;

/** A judgement with its free text redacted (keys echoed by a server never reach the disk). */
function redactJudgement(judgement: Judgement): Judgement {
  const all = judgement as Judgement & Record<string, unknown>;
  const free = Object.fromEntries(
    FREE_TEXT.filter((field) => all[field] !== undefined).map((field) => [field, all[field]]),
  );
  return { ...judgement, ...redactValue(free) }; // one pass: the environment is read once
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function show(value: unknown): string {
  return value === undefined ? "missing" : JSON.stringify(value);
}
