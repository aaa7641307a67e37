/**
 * The generation ledger: one append-only JSONL file per candidate model and task, at once the
 * cache, the resume point and the record of a generation run — as the judging ledger is for
 * judgements (same torn-line and flushed-append rules).
 *
 * @module
 */

import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { type Benchmark, isBenchmark } from "../data/benchmark.ts";
import type { Usage } from "../judge/judgement.ts";
import { redact, redactValue } from "../judge/redact.ts";
import { LedgerError } from "./ledger.ts";
import { _isAuthFailure } from "./_record_checks.ts";

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
  provider: string;
  /** The model id sent to the API. */
  model: string;
  /** Sampling parameters sent with the request. */
  parameters: Record<string, unknown>;
  prompt_version: string;
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
  task: Benchmark;
  /** The case the prompt was built from (the first, when cases share their text). */
  case_id: string;
  repeat: number;
  generation: Generation;
  /** When it was recorded (ISO 8601). */
  time: string;
  /** Set when the server's token usage could not be right and `usage` is an estimate. */
  usage_estimated?: true;
}

/** Failures a later run may not meet again: retried on resume. */
const TRANSIENT: ReadonlySet<string> = new Set(["retries_exhausted"]);

/**
 * Whether a generation failed for a reason a later run may not meet again: retries exhausted,
 * or a rejected key (a run that meets one now records nothing; an older run may have).
 *
 * @param generation The generation.
 * @returns `true` for `retries_exhausted` and a rejected key.
 */
export function _isTransient(generation: Generation): boolean {
  return generation.status === "failed" &&
    (TRANSIENT.has(generation.reason) || _isAuthFailure(generation));
}

/**
 * An open generation ledger. One process writes it at a time (the run holds the candidate's
 * lock); a crash leaves at most a torn last line, which `open` leaves out and cuts off. Every
 * record appended passes through `redact()` first.
 */
export class _GenerationLedger {
  readonly path: string;
  /** 1 when `open` found (and, unless read-only, cut off) a torn last line, else 0. */
  readonly torn: number;
  #latest: Map<string, GenerationRecord>;
  /** `undefined` when opened read-only. */
  #file: Deno.FsFile | undefined;
  #size: number;
  #queue: Promise<void> = Promise.resolve();
  #closed = false;

  private constructor(
    path: string,
    torn: number,
    latest: Map<string, GenerationRecord>,
    file: Deno.FsFile | undefined,
    size: number,
  ) {
    this.path = path;
    this.torn = torn;
    this.#latest = latest;
    this.#file = file;
    this.#size = size;
  }

  /**
   * Opens (creating) a ledger and reads its records.
   *
   * @param path The file.
   * @param options `readOnly: true` (a dry run) reads the file if it exists and creates
   *   nothing: no folder, no file, no cut-off torn line; `append` is refused.
   * @returns The open ledger.
   * @throws {LedgerError} For an unreadable line other than the last, naming file and line.
   */
  static async open(
    path: string,
    options: { readOnly?: boolean } = {},
  ): Promise<_GenerationLedger> {
    if (options.readOnly) {
      let bytes = new Uint8Array(0);
      try {
        bytes = await Deno.readFile(path);
      } catch (error) {
        if (!(error instanceof Deno.errors.NotFound)) throw error;
      }
      const { records, torn, validBytes } = parse(bytes, path);
      return new _GenerationLedger(path, torn, latestOf(records), undefined, validBytes);
    }
    await mkdir(dirname(path), { recursive: true });
    const file = await Deno.open(path, { read: true, append: true, create: true });
    try {
      const bytes = await Deno.readFile(path);
      const { records, torn, validBytes } = parse(bytes, path);
      if (torn > 0) {
        await file.truncate(validBytes);
        await file.syncData();
      }
      return new _GenerationLedger(path, torn, latestOf(records), file, validBytes);
    } catch (error) {
      file.close();
      throw error;
    }
  }

  /** The latest record of a key. */
  get(key: string): GenerationRecord | undefined {
    return this.#latest.get(key);
  }

  /** Whether a key still needs generating: no record, a transient failure, or (asked) any failure. */
  needsGenerating(key: string, retryFailed: boolean): boolean {
    const record = this.#latest.get(key);
    if (record === undefined) return true;
    if (record.generation.status === "generated") return false;
    return retryFailed || _isTransient(record.generation);
  }

  /** Appends a record as one whole line, flushed before the promise resolves; appends queue. */
  append(record: GenerationRecord): Promise<void> {
    if (this.#closed) return Promise.reject(new LedgerError(`${this.path}: append after close`));
    const file = this.#file;
    if (file === undefined) {
      return Promise.reject(new LedgerError(`${redact(this.path)}: opened read-only (a dry run)`));
    }
    // A server may echo the key in a reply: nothing written keeps it.
    const line = JSON.stringify(redactValue(record)) + "\n";
    const problem = recordProblem(JSON.parse(line));
    if (problem !== undefined) {
      return Promise.reject(new LedgerError(`${this.path}: not a generation record: ${problem}`));
    }
    const done = this.#queue.then(async () => {
      const bytes = new TextEncoder().encode(line);
      try {
        let written = 0;
        while (written < bytes.length) written += await file.write(bytes.subarray(written));
        await file.syncData();
      } catch (error) {
        await file.truncate(this.#size).catch(() => {});
        throw error;
      }
      this.#size += bytes.length;
      this.#latest.delete(record.key);
      this.#latest.set(record.key, JSON.parse(line) as GenerationRecord);
    });
    this.#queue = done.catch(() => {});
    return done;
  }

  /** Waits for queued appends, then closes the file; closing twice is harmless. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#queue;
    this.#file?.close();
  }
}

/** The latest record of each key, in the order of their latest records. */
function latestOf(records: readonly GenerationRecord[]): Map<string, GenerationRecord> {
  const latest = new Map<string, GenerationRecord>();
  for (const record of records) {
    latest.delete(record.key);
    latest.set(record.key, record);
  }
  return latest;
}

function parse(
  bytes: Uint8Array,
  path: string,
): { records: GenerationRecord[]; torn: number; validBytes: number } {
  let end = bytes.lastIndexOf(0x0a) + 1;
  let torn = end < bytes.length ? 1 : 0;
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(0, end));
  } catch {
    throw new LedgerError(`${path}: not UTF-8 text; is it a generation ledger?`);
  }
  const lines = text.split("\n");
  lines.pop();
  const records: GenerationRecord[] = [];
  for (const [i, line] of lines.entries()) {
    if (line.trim() === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      // A last whole line that is not JSON is torn too (a crash can leave a line of zeros).
      if (i === lines.length - 1 && torn === 0) {
        torn = 1;
        end -= new TextEncoder().encode(line + "\n").length;
        break;
      }
      throw new LedgerError(
        `${path} line ${i + 1}: not JSON (${(error as Error).message}); the ledger is damaged ` +
          "in the middle — fix or remove that line (its generation will be made again)",
      );
    }
    const problem = recordProblem(value);
    if (problem !== undefined) {
      throw new LedgerError(`${path} line ${i + 1}: not a generation record: ${problem}`);
    }
    records.push(value as GenerationRecord);
  }
  return { records, torn, validBytes: end };
}

function recordProblem(value: unknown): string | undefined {
  if (!isObject(value)) return "not an object";
  for (const field of ["key", "candidate", "case_id", "time"] as const) {
    if (typeof value[field] !== "string" || value[field] === "") {
      return `"${field}" must be a non-empty string`;
    }
  }
  if (!isBenchmark(value.task)) return `"task" must be a task key`;
  if (!Number.isInteger(value.repeat) || (value.repeat as number) < 0) {
    return `"repeat" must be a non-negative integer`;
  }
  const g = value.generation;
  if (!isObject(g)) return `"generation" must be an object`;
  if (g.status === "generated") {
    if (typeof g.text !== "string" || g.text.trim() === "") {
      return `"generation.text" must be non-empty text`;
    }
  } else if (g.status === "failed") {
    if (typeof g.reason !== "string" || g.reason === "") return `"generation.reason" is missing`;
  } else return `"generation.status" must be "generated" or "failed"`;
  if (!isObject(g.provenance)) return `"generation.provenance" must be an object`;
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
