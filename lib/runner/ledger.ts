/**
 * The ledger: one append-only JSONL file per judge and task that is at once the cache, the
 * resume point and the record of a benchmark run.
 *
 * @module
 */

import { createHash } from "node:crypto";
import { mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { type Benchmark, isBenchmark } from "../data/benchmark.ts";
import type { FailureReason, Judgement } from "../judge/judgement.ts";
import { redact } from "../judge/redact.ts";
import { _LedgerIndex } from "./_ledger_index.ts";
import { _fileTask, _isAuthFailure, _scoreProblemForTask } from "./_record_checks.ts";

/** One line of a ledger: a judgement, what it is of, and when it was made. */
export interface LedgerRecord {
  /** `judgementKey()` of what decided the judgement. */
  key: string;
  /** The judge's name in the run's config (its display name, not part of the key). */
  judge: string;
  /** The task scored. */
  task: Benchmark;
  /** The dataset entry's id. */
  entry_id: string;
  /** The repeat index, from 0. */
  repeat: number;
  /** The judgement: scored, or failed with its reason; usage, latency and provenance inside. */
  judgement: Judgement;
  /** When the judgement was recorded (ISO 8601). */
  time: string;
  /**
   * `true` when the server reported token usage that cannot be right (negative, not a whole
   * number, absurdly large): `judgement.usage` is then an estimate from the text's length.
   */
  usage_estimated?: true;
}

/** Failure reasons that a later run may not meet again: these are retried on resume. */
const TRANSIENT: ReadonlySet<FailureReason> = new Set<FailureReason>([
  "retries_exhausted",
  "budget_exhausted",
]);

/**
 * The ledger file of a judge and task: `{outputDir}/{name}_{task}.jsonl`.
 *
 * The judge's name is made safe for a file name by percent-encoding (as UTF-8 bytes, `%2F`
 * for `/`) every character other than ASCII letters, digits, `.`, `_` and `-`, and a leading
 * `.`; so path separators, spaces, colons and the like never reach the file system, and two
 * different names never share a file. `gpt-4o` stays `gpt-4o`; `openai/gpt-4o` becomes
 * `openai%2Fgpt-4o`.
 *
 * @param outputDir The run's output folder.
 * @param judgeName The judge's name in the config.
 * @param task The task.
 * @returns The ledger's path.
 * @throws {Error} For an empty judge name.
 *
 * @example
 * ```ts
 * import { ledgerPath } from "./ledger.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(ledgerPath("out", "gpt-4o", "cpc_bond"), "out/gpt-4o_cpc_bond.jsonl");
 * assert.equal(ledgerPath("out", "openai/gpt 4o", "r_idea"), "out/openai%2Fgpt%204o_r_idea.jsonl");
 * ```
 */
export function ledgerPath(outputDir: string, judgeName: string, task: Benchmark): string {
  if (judgeName === "") throw new Error("ledgerPath(): the judge name is empty");
  return join(outputDir, `${_safeName(judgeName)}_${task}.jsonl`);
}

/**
 * A judge name as a file-name part: see `ledgerPath`.
 *
 * @param name The judge name.
 * @returns The name with unsafe characters percent-encoded.
 */
export function _safeName(name: string): string {
  const safe = Array.from(name, (ch) => /^[A-Za-z0-9._-]$/.test(ch) ? ch : encodeUtf8(ch))
    .join("");
  // A leading dot would hide the file (or, as "..", climb out of the folder).
  return safe.startsWith(".") ? "%2E" + safe.slice(1) : safe;
}

function encodeUtf8(ch: string): string {
  return Array.from(
    new TextEncoder().encode(ch),
    (b) => "%" + b.toString(16).toUpperCase().padStart(2, "0"),
  ).join("");
}

/**
 * Whether a judgement failed for a reason that a later run may not meet again, so a resumed run
 * tries it again: its retries ran out on 429s, 5xx replies or timeouts (`retries_exhausted`),
 * or the run's budget ran out first (`budget_exhausted`), or the provider rejected the key
 * (HTTP 401/403, `invalid_api_key`: runs no longer record these, older ledgers may hold them).
 * Permanent failures — a reply that is
 * not a valid score (`invalid_json`, `missing_score`, `score_not_allowed`, `refusal`,
 * `empty_reply`) or a request the provider rejected (`request_rejected`) — are retried only
 * when asked (`--retry-failed`). A scored judgement is never transient.
 *
 * @param judgement The judgement.
 * @returns `true` for a transient failure.
 *
 * @example
 * ```ts
 * import { isTransientFailure } from "./ledger.ts";
 * import type { Judgement } from "../judge/judgement.ts";
 * import assert from "node:assert/strict";
 *
 * const failed = (reason: "retries_exhausted" | "invalid_json"): Judgement => ({
 *   status: "failed", reason, detail: "", task: "cpc_bond", raw: null, attempts: 1,
 *   latency_ms: 10, provenance: {
 *     judge: "openai:gpt-4o", provider: "openai", model: "gpt-4o", parameters: {},
 *     prompt_version: "1", prompt_hash: "ab", output_mode: "json_schema",
 *   },
 * });
 * assert.equal(isTransientFailure(failed("retries_exhausted")), true);
 * assert.equal(isTransientFailure(failed("invalid_json")), false);
 * ```
 */
export function isTransientFailure(judgement: Judgement): boolean {
  return judgement.status === "failed" &&
    (TRANSIENT.has(judgement.reason) || _isAuthFailure(judgement));
}

/** What reading a ledger file found. */
interface ParsedLedger {
  /** Every record, in file order (superseded ones included). */
  all: LedgerRecord[];
  /** Where each record of `all` sits in the file: first byte, length (no newline), line number. */
  spans: { offset: number; length: number; line: number }[];
  /** 1 when the last line was torn (and is left out of `all`), else 0. */
  torn: number;
  /** Bytes of whole, valid lines: where a torn line starts. */
  validBytes: number;
  /** Whole lines kept (blank ones included): the next line's number is one more. */
  lines: number;
}

/**
 * An open ledger: its records by key, and appends that are whole lines, flushed to disk, never
 * interleaved.
 *
 * One process writes a ledger at a time: `runBenchmark` holds the judge's lock (`lockJudge`)
 * while its ledgers are open. A crash can leave at most a torn last line: `open` reports it in `torn`, leaves it
 * out, and cuts it off the file so the next append starts a fresh line.
 *
 * @example
 * ```ts
 * import { Ledger } from "./ledger.ts";
 * import type { Judgement } from "../judge/judgement.ts";
 * import assert from "node:assert/strict";
 *
 * const judgement: Judgement = {
 *   status: "scored", score: 4, justification: "close", task: "cpc_bond", raw: "{}",
 *   attempts: 1, latency_ms: 120, usage: { input_tokens: 900, output_tokens: 40 },
 *   provenance: {
 *     judge: "openai:gpt-4o", provider: "openai", model: "gpt-4o", parameters: {},
 *     prompt_version: "1", prompt_hash: "ab", output_mode: "json_schema",
 *   },
 * };
 * const dir = await Deno.makeTempDir();
 * const ledger = await Ledger.open(`${dir}/gpt-4o_cpc_bond.jsonl`);
 * assert.equal(ledger.needsJudging("k1"), true);
 * await ledger.append({
 *   key: "k1", judge: "gpt-4o", task: "cpc_bond", entry_id: "e1", repeat: 0, judgement,
 *   time: new Date().toISOString(),
 * });
 * assert.equal(ledger.needsJudging("k1"), false);
 * await ledger.close();
 * const reopened = await Ledger.open(ledger.path); // a re-run: k1 is cached
 * assert.equal(reopened.get("k1")?.entry_id, "e1");
 * await reopened.close();
 * ```
 */
export class Ledger {
  /** The ledger file. */
  readonly path: string;
  /** 1 when `open` found (and cut off) a torn last line, else 0. */
  readonly torn: number;
  /**
   * The latest record of each key and of each (key, entry) — where its line is and what
   * lookups need — not the records themselves: they stay on disk, so memory barely grows with
   * them. Entries with the same content share a key.
   */
  readonly #index = new _LedgerIndex();
  #file: Deno.FsFile | undefined;
  /**
   * A handle of its own for reading records back: a write under way on `#file` moves that
   * handle's position to the end of the file at any moment, even between a seek and a read.
   */
  #reader: Deno.FsFile | undefined;
  #size: number;
  /** Lines waiting for the next write, in append order. */
  #pending: _PendingLine[] = [];
  /** The loop writing batches, while one runs. */
  #flushing: Promise<void> | undefined;
  #closed = false;
  #broken: Error | undefined;
  /** Opened to read only (a dry run): no file is created, and appends are refused. */
  readonly #readOnly: boolean;
  /** Lines in the file, for the line numbers of appended records. */
  #lines: number;

  private constructor(
    path: string,
    torn: number,
    parsed: ParsedLedger,
    file: Deno.FsFile | undefined,
    size: number,
  ) {
    this.path = path;
    this.torn = torn;
    parsed.all.forEach((record, i) => this.#add(record, parsed.spans[i]!));
    this.#file = file;
    this.#readOnly = file === undefined;
    this.#size = size;
    this.#lines = parsed.lines;
  }

  /**
   * Opens a ledger, creating its folder and file if missing, and reads its records.
   *
   * Every record is checked as it is read: a line that is not a record, a record whose `task`
   * is not its file's (`{name}_{task}.jsonl`), or a score off the task's scale (99 on the Bond
   * scale) is an error naming the file and line — never trusted, never skipped. Fix or remove
   * the line; its judgement is then made again.
   *
   * @param path The ledger file (see `ledgerPath`).
   * @param options `readOnly: true` (a dry run) reads the file if it exists and creates nothing:
   *   no folder, no file, no cut-off torn line; `append` is refused.
   * @returns The open ledger; `torn` says whether a torn last line was found (and, unless
   *   read-only, cut off).
   * @throws {LedgerError} When a line other than the last cannot be read as a record or fails
   *   the checks above (naming the file and line: a ledger is never skipped over silently), or
   *   the last line holds valid JSON that is not a record.
   *
   * @example
   * ```ts
   * import { Ledger } from "./ledger.ts";
   * import assert from "node:assert/strict";
   *
   * const dir = await Deno.makeTempDir();
   * const ledger = await Ledger.open(`${dir}/new/lexical_r_idea.jsonl`);
   * assert.deepEqual([ledger.records().length, ledger.torn], [0, 0]);
   * await ledger.close();
   * ```
   */
  static async open(path: string, options: { readOnly?: boolean } = {}): Promise<Ledger> {
    if (options.readOnly) return await Ledger.#openReadOnly(path);
    await mkdir(dirname(path), { recursive: true });
    // Appends go to the end of the file whatever else happens to it (O_APPEND).
    const file = await Deno.open(path, { read: true, append: true, create: true });
    try {
      const parsed = parseLedger(await Deno.readFile(path), path);
      if (parsed.torn > 0) {
        // Cut the torn line off, so the next append starts a line of its own.
        await file.truncate(parsed.validBytes);
        await file.syncData();
      }
      return new Ledger(path, parsed.torn, parsed, file, parsed.validBytes);
    } catch (error) {
      file.close();
      throw error;
    }
  }

  static async #openReadOnly(path: string): Promise<Ledger> {
    let bytes = new Uint8Array(0);
    try {
      bytes = await Deno.readFile(path);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
    const parsed = parseLedger(bytes, path);
    return new Ledger(path, parsed.torn, parsed, undefined, parsed.validBytes);
  }

  /**
   * The latest record for a key: a later append for the same key (a retried failure)
   * supersedes an earlier one.
   *
   * @param key A `judgementKey()`.
   * @returns The record, or `undefined` when the key has none.
   *
   * @example
   * ```ts
   * import { Ledger } from "./ledger.ts";
   * import assert from "node:assert/strict";
   *
   * const ledger = await Ledger.open(`${await Deno.makeTempDir()}/j_cpc_bond.jsonl`);
   * assert.equal(ledger.get("no-such-key"), undefined);
   * await ledger.close();
   * ```
   */
  get(key: string): LedgerRecord | undefined {
    const r = this.#index.latest(key);
    return r < 0 ? undefined : this.#read(r);
  }

  /**
   * The latest record of a key for one entry. Entries with the same content (two respondents
   * who wrote the same answer) share a key and one judgement, but each has its own record, so
   * that every entry has its trial.
   *
   * @param key A `judgementKey()`.
   * @param entryId The entry's id.
   * @returns The record, or `undefined` when this entry has none under the key.
   *
   * @example
   * ```ts
   * import { Ledger } from "./ledger.ts";
   * import assert from "node:assert/strict";
   *
   * const ledger = await Ledger.open(`${await Deno.makeTempDir()}/j_cpc_bond.jsonl`);
   * assert.equal(ledger.entryRecord("k", "e1"), undefined);
   * await ledger.close();
   * ```
   */
  entryRecord(key: string, entryId: string): LedgerRecord | undefined {
    const r = this.#index.forEntry(key, entryId);
    return r < 0 ? undefined : this.#read(r);
  }

  /**
   * Whether an entry's latest record under a key holds the key's current judgement — false
   * when the entry has no record under it, or an older judgement (its twin was judged again).
   *
   * @param key A `judgementKey()`.
   * @param entryId The entry's id.
   * @returns `true` when the entry needs no copy of the key's judgement.
   *
   * @example
   * ```ts
   * import { Ledger } from "./ledger.ts";
   * import assert from "node:assert/strict";
   *
   * const ledger = await Ledger.open(`${await Deno.makeTempDir()}/j_cpc_bond.jsonl`);
   * assert.equal(ledger.hasCurrent("k", "e1"), false);
   * await ledger.close();
   * ```
   */
  hasCurrent(key: string, entryId: string): boolean {
    const current = this.#index.latest(key);
    const own = this.#index.forEntry(key, entryId);
    return current >= 0 && own >= 0 && this.#index.sameJudgement(own, current);
  }

  /**
   * Whether a key still needs a judgement: it has no record, or its latest record is a
   * transient failure (`isTransientFailure`), or — with `retryFailed` — any failure.
   *
   * @param key A `judgementKey()`.
   * @param options `retryFailed: true` re-judges permanent failures (invalid replies) too.
   * @returns `true` when the key should be (re-)judged.
   *
   * @example
   * ```ts
   * import { Ledger } from "./ledger.ts";
   * import assert from "node:assert/strict";
   *
   * const ledger = await Ledger.open(`${await Deno.makeTempDir()}/j_cpc_bond.jsonl`);
   * assert.equal(ledger.needsJudging("k", { retryFailed: false }), true);
   * await ledger.close();
   * ```
   */
  needsJudging(key: string, options: { retryFailed?: boolean } = {}): boolean {
    const r = this.#index.latest(key);
    if (r < 0) return true;
    const { scored, transient } = this.#index.record(r);
    if (scored) return false;
    return options.retryFailed === true || transient;
  }

  /**
   * Every key's latest record, in file order (a record that superseded another sits where it
   * was appended).
   *
   * @returns The records.
   *
   * @example
   * ```ts
   * import { Ledger } from "./ledger.ts";
   * import assert from "node:assert/strict";
   *
   * const ledger = await Ledger.open(`${await Deno.makeTempDir()}/j_cpc_bond.jsonl`);
   * assert.deepEqual(ledger.records(), []);
   * await ledger.close();
   * ```
   */
  records(): LedgerRecord[] {
    return this.#index.latestInOrder().map((r) => this.#read(r));
  }

  /**
   * The score of a key's latest record and where its line is, without reading the record from
   * disk (for checks against an entry's own scale on resume).
   *
   * @param key A `judgementKey()`.
   * @returns The score (`NaN` for a failure) and line number, or `undefined` without a record.
   *
   * @example
   * ```ts
   * import { Ledger } from "./ledger.ts";
   * import assert from "node:assert/strict";
   *
   * const ledger = await Ledger.open(`${await Deno.makeTempDir()}/j_cpc_bond.jsonl`);
   * assert.equal(ledger.scoreOf("k"), undefined);
   * await ledger.close();
   * ```
   */
  scoreOf(key: string): { score: number; line: number } | undefined {
    const r = this.#index.latest(key);
    if (r < 0) return undefined;
    const { score, line } = this.#index.record(r);
    return { score: score ?? NaN, line: line ?? 0 };
  }

  /** Makes `record`, whose line is at `span`, the latest of its key and of its (key, entry). */
  #add(record: LedgerRecord, span: { offset: number; length: number; line: number }): void {
    this.#index.add(record.key, record.entry_id, {
      ...span,
      scored: record.judgement.status === "scored",
      transient: isTransientFailure(record.judgement),
      score: record.judgement.status === "scored" ? record.judgement.score : NaN,
    }, createHash("sha1").update(JSON.stringify(record.judgement)).digest());
  }

  /** Reads a record back from its line (appends always go to the end, whatever the position). */
  #read(r: number): LedgerRecord {
    const slot = this.#index.record(r);
    const bytes = new Uint8Array(slot.length);
    if (this.#closed) throw new LedgerError(`${this.path}: read after close`);
    this.#reader ??= Deno.openSync(this.path, { read: true });
    this.#reader.seekSync(slot.offset, Deno.SeekMode.Start);
    let read = 0;
    while (read < bytes.length) {
      const n = this.#reader.readSync(bytes.subarray(read));
      if (n === null) throw new LedgerError(`${this.path}: the file ended inside a record`);
      read += n;
    }
    return JSON.parse(new TextDecoder().decode(bytes)) as LedgerRecord;
  }

  /**
   * Appends a record as one whole line, flushed to disk (`fdatasync`) before the promise
   * resolves. Appends are queued: concurrent callers never interleave partial lines, and each
   * resolves once its own line is on disk. Lines appended while a write is under way go out
   * together in the next one, with one `fdatasync` for all of them (group commit): 30 requests
   * that finish together then wait for one flush, not for 30 in a row. A record is checked
   * before it is written, so the file only ever holds lines that read back: its task must be
   * the file's, its score on the task's scale. Its free text (`raw`, `detail`, `justification`,
   * other reply fields) passes through `redact()` first: a server that echoes the API key does
   * not get it written to disk.
   *
   * If a write fails (a full disk), the partial lines are cut off again and the error is thrown
   * to every append of that write; if even that fails, the ledger refuses further appends.
   *
   * @param record The record.
   * @returns Once the line is flushed.
   * @throws {LedgerError} For a record that is not valid (e.g. a `NaN` score, a score off the
   *   scale, another task's record), after `close`, on a read-only ledger, or after a failed
   *   write that could not be undone.
   *
   * @example
   * ```ts
   * import { Ledger } from "./ledger.ts";
   * import assert from "node:assert/strict";
   *
   * const ledger = await Ledger.open(`${await Deno.makeTempDir()}/base_r_idea.jsonl`);
   * await ledger.append({
   *   key: "k", judge: "base", task: "r_idea", entry_id: "e7", repeat: 0,
   *   time: "2025-01-01T00:00:00.000Z",
   *   judgement: {
   *     status: "failed", reason: "invalid_json", detail: "not JSON", task: "r_idea",
   *     raw: "Score: 7", attempts: 1, latency_ms: 80,
   *     provenance: {
   *       judge: "openai:gpt-4o", provider: "openai", model: "gpt-4o", parameters: {},
   *       prompt_version: "1", prompt_hash: "ab", output_mode: "json_schema",
   *     },
   *   },
   * });
   * assert.equal(ledger.get("k")?.judgement.status, "failed");
   * await ledger.close();
   * ```
   */
  append(record: LedgerRecord): Promise<void> {
    if (this.#closed) {
      return Promise.reject(new LedgerError(`${this.path}: append after close`));
    }
    if (this.#readOnly) {
      return Promise.reject(new LedgerError(`${this.path}: opened read-only (a dry run)`));
    }
    let line: string;
    let stored: LedgerRecord;
    try {
      line = JSON.stringify({ ...record, judgement: _redactJudgement(record.judgement) }) + "\n";
      // Check what will be read back, not the object: JSON turns NaN into null, drops undefined.
      stored = JSON.parse(line);
      const problem = _recordProblem(stored) ?? _fileProblem(stored, this.path);
      if (problem !== undefined) throw new LedgerError(`${this.path}: not a record: ${problem}`);
    } catch (error) {
      return Promise.reject(
        error instanceof LedgerError
          ? error
          : new LedgerError(`${this.path}: cannot write the record: ${String(error)}`),
      );
    }
    return new Promise<void>((resolve, reject) => {
      this.#pending.push({ line, record: stored, resolve, reject });
      this.#flushing ??= this.#flush();
    });
  }

  /** Writes batches of pending lines until none are left. */
  async #flush(): Promise<void> {
    // Let the appends of this turn of the event loop join the first batch.
    await Promise.resolve();
    while (this.#pending.length > 0) {
      const batch = this.#pending;
      this.#pending = [];
      try {
        await this.#write(batch);
      } catch (error) {
        for (const pending of batch) pending.reject(error);
        continue;
      }
      for (const pending of batch) pending.resolve();
    }
    this.#flushing = undefined;
  }

  async #write(batch: readonly _PendingLine[]): Promise<void> {
    if (this.#broken) {
      throw new LedgerError(`${this.path}: an earlier write failed: ${this.#broken.message}`);
    }
    const encoder = new TextEncoder();
    const lines = batch.map((pending) => encoder.encode(pending.line));
    const bytes = new Uint8Array(lines.reduce((n, line) => n + line.length, 0));
    lines.reduce((at, line) => (bytes.set(line, at), at + line.length), 0);
    try {
      // One write call in practice; loop only if the system writes less than asked.
      let written = 0;
      while (written < bytes.length) written += await this.#file!.write(bytes.subarray(written));
      await this.#file!.syncData();
    } catch (error) {
      // Undo partial lines so the file stays valid JSONL for the next append.
      try {
        await this.#file!.truncate(this.#size);
      } catch (undo) {
        this.#broken = undo instanceof Error ? undo : new Error(String(undo));
      }
      throw error;
    }
    let offset = this.#size;
    batch.forEach(({ record }, i) => {
      const length = lines[i]!.length - 1; // without the newline
      this.#add(record, { offset, length, line: ++this.#lines });
      offset += length + 1;
    });
    this.#size += bytes.length;
  }

  /**
   * Waits for queued appends, then closes the file. Closing twice is harmless.
   *
   * @returns Once the file is closed (a failed append rejects its own promise, not this one).
   *
   * @example
   * ```ts
   * import { Ledger } from "./ledger.ts";
   *
   * const ledger = await Ledger.open(`${await Deno.makeTempDir()}/j_cpc_bond.jsonl`);
   * await ledger.close();
   * await ledger.close();
   * ```
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    while (this.#flushing) await this.#flushing;
    this.#file?.close();
    this.#reader?.close();
  }
}

/** A line waiting to be written, and its append's promise. */
interface _PendingLine {
  line: string;
  record: LedgerRecord;
  resolve: () => void;
  reject: (reason: unknown) => void;
}

/**
 * A ledger that cannot be read or written as it stands.
 *
 * @example
 * ```ts
 * import { LedgerError } from "./ledger.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(new LedgerError("out/a_cpc_bond.jsonl line 3: bad").name, "LedgerError");
 * ```
 */
export class LedgerError extends Error {
  /**
   * @param message What is wrong, starting with the file (and line).
   */
  constructor(message: string) {
    super(message);
    this.name = "LedgerError";
  }
}

/**
 * Reads a ledger without changing it (a torn last line is counted, left out, and left in the
 * file for the next `Ledger.open` to cut off).
 *
 * @param path The ledger file.
 * @returns The latest record of every (key, entry) — entries with the same content share a key
 *   and each keeps its own record —, in file order, and whether the last line was torn.
 * @throws {LedgerError} For an unreadable line other than the last, naming file and line.
 * @throws {Deno.errors.NotFound} When the file does not exist.
 *
 * @example
 * ```ts
 * import { readLedger } from "./ledger.ts";
 * import assert from "node:assert/strict";
 *
 * const path = `${await Deno.makeTempDir()}/j_cpc_bond.jsonl`;
 * await Deno.writeTextFile(path, '{"key":"k","judge":"j","ta');
 * assert.deepEqual(await readLedger(path), { records: [], torn: 1 });
 * ```
 */
export async function readLedger(
  path: string,
): Promise<{ records: LedgerRecord[]; torn: number }> {
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new Deno.errors.NotFound(`ledger not found: ${path}`);
    }
    throw error;
  }
  const parsed = parseLedger(bytes, path);
  return { records: [...latestBy(parsed.all, entryKey).values()], torn: parsed.torn };
}

/** The latest record for each id, in the order the latest ones were appended. */
function latestBy(
  records: readonly LedgerRecord[],
  id: (record: LedgerRecord) => string,
): Map<string, LedgerRecord> {
  const latest = new Map<string, LedgerRecord>();
  for (const record of records) {
    const k = id(record);
    latest.delete(k);
    latest.set(k, record);
  }
  return latest;
}

function entryKey(record: { key: string; entry_id: string }): string {
  return `${record.key}\u0000${record.entry_id}`;
}

const NEWLINE = 0x0a;

/**
 * Reads a ledger's bytes. The part after the last newline is a torn line (appends always end
 * with one). A last whole line that is not JSON is torn too (a crash can leave a line of
 * zeros); any other unreadable line is an error, never skipped.
 */
function parseLedger(bytes: Uint8Array, path: string): ParsedLedger {
  let end = bytes.lastIndexOf(NEWLINE) + 1;
  let torn = end < bytes.length ? 1 : 0;
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(0, end));
  } catch {
    throw new LedgerError(`${path}: not UTF-8 text; is it a ledger?`);
  }
  const lines = text.split("\n");
  lines.pop(); // the empty string after the final newline
  const all: LedgerRecord[] = [];
  const spans: { offset: number; length: number; line: number }[] = [];
  let kept = lines.length;
  // Line i starts after the i-th newline byte (a newline is never part of a UTF-8 sequence).
  let start = 0;
  for (const [i, line] of lines.entries()) {
    const lineStart = start;
    start = bytes.indexOf(NEWLINE, start) + 1;
    if (line.trim() === "") continue;
    const where = `${path} line ${i + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      const last = i === lines.length - 1;
      if (last && torn === 0) {
        torn = 1;
        end -= new TextEncoder().encode(line + "\n").length;
        kept = i;
        break;
      }
      throw new LedgerError(
        `${where}: not JSON (${(error as Error).message}); the ledger is damaged in the ` +
          "middle — fix or remove that line (a judgement on it will be made again)",
      );
    }
    const problem = _recordProblem(value);
    if (problem !== undefined) throw new LedgerError(`${where}: not a ledger record: ${problem}`);
    const wrong = _fileProblem(value as LedgerRecord, path);
    if (wrong !== undefined) {
      throw new LedgerError(
        `${where}: ${wrong}; the ledger was edited or mixed up — fix or remove that line ` +
          "(its judgement will be made again)",
      );
    }
    all.push(value as LedgerRecord);
    spans.push({ offset: lineStart, length: start - 1 - lineStart, line: i + 1 });
  }
  return { all, spans, torn, validBytes: end, lines: kept };
}

/**
 * What is wrong with a well-formed record in this file: a task other than the file's (the
 * entry would lose its trial to another task), or a score off the task's scale.
 */
function _fileProblem(record: LedgerRecord, path: string): string | undefined {
  const task = _fileTask(path);
  if (task !== undefined && record.task !== task) {
    return `a ${record.task} record in a ${task} ledger`;
  }
  if (record.judgement.status !== "scored") return undefined;
  const problem = _scoreProblemForTask(record.task, record.judgement.score);
  return problem === undefined ? undefined : `score ${problem}`;
}

/** A judgement with its free text redacted (keys echoed by a server never reach the disk). */
function _redactJudgement(judgement: Judgement): Judgement {
  const out = { ...judgement } as Judgement & Record<string, unknown>;
  if (typeof out.raw === "string") out.raw = redact(out.raw);
  if (out.status === "failed") out.detail = redact(out.detail);
  else {
    out.justification = redact(out.justification);
    if (out.fields !== undefined) out.fields = redactDeep(out.fields) as Record<string, unknown>;
  }
  return out;
}

function redactDeep(value: unknown): unknown {
  if (typeof value === "string") return redact(value);
  if (Array.isArray(value)) return value.map(redactDeep);
  if (isObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v)]));
  }
  return value;
}

const STATUSES = new Set(["scored", "failed"]);

/**
 * What is wrong with a parsed line as a record, or `undefined` when it is one. Checks what
 * readers rely on, and lets other fields through.
 *
 * @param value A parsed JSON value.
 * @returns A description of the first problem found.
 */
export function _recordProblem(value: unknown): string | undefined {
  if (!isObject(value)) return "not an object";
  for (const field of ["key", "judge", "entry_id", "time"] as const) {
    if (typeof value[field] !== "string" || value[field] === "") {
      return `"${field}" must be a non-empty string`;
    }
  }
  if (!isBenchmark(value.task)) return `"task" must be a task key, not ${show(value.task)}`;
  if (!Number.isInteger(value.repeat) || (value.repeat as number) < 0) {
    return `"repeat" must be a non-negative integer, not ${show(value.repeat)}`;
  }
  const j = value.judgement;
  if (!isObject(j)) return `"judgement" must be an object`;
  if (!STATUSES.has(j.status as string)) {
    return `"judgement.status" must be "scored" or "failed", not ${show(j.status)}`;
  }
  if (j.status === "scored") {
    if (typeof j.score !== "number" || !Number.isFinite(j.score)) {
      return `"judgement.score" must be a number, not ${show(j.score)}`;
    }
    if (typeof j.justification !== "string") return `"judgement.justification" must be text`;
  } else if (typeof j.reason !== "string" || j.reason === "") {
    return `"judgement.reason" must be a failure reason, not ${show(j.reason)}`;
  }
  if (j.raw !== null && typeof j.raw !== "string") return `"judgement.raw" must be text or null`;
  for (const field of ["attempts", "latency_ms"] as const) {
    if (typeof j[field] !== "number") return `"judgement.${field}" must be a number`;
  }
  if (j.usage !== undefined) {
    if (!isObject(j.usage)) return `"judgement.usage" must be an object`;
    for (const field of ["input_tokens", "output_tokens"] as const) {
      if (typeof j.usage[field] !== "number") return `"judgement.usage.${field}" must be a number`;
    }
  }
  const p = j.provenance;
  if (!isObject(p)) return `"judgement.provenance" must be an object`;
  for (const field of ["judge", "provider", "model", "prompt_version", "prompt_hash"] as const) {
    if (typeof p[field] !== "string") return `"judgement.provenance.${field}" must be text`;
  }
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function show(value: unknown): string {
  return value === undefined ? "missing" : JSON.stringify(value);
}
