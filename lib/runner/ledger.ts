/**
 * The ledger: one append-only JSONL file per model and task that is at once the cache, the
 * resume point and the record of a run — of judgements (`{name}_{task}.jsonl`) or of generated
 * responses (`generations/{name}_{task}.jsonl`).
 *
 * @module
 */

import { createHash } from "node:crypto";
import { mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { TaskKey } from "../data/task_key.ts";
import type { Judgement } from "../judge/judgement.ts";
import {
  _fileProblem,
  _isTransient,
  _JUDGEMENTS,
  type _LedgerFormat,
  type _LedgerLine,
  _safeName,
} from "./_ledger_formats.ts";

/** One line of a ledger: a judgement, what it is of, and when it was made. */
export interface LedgerRecord {
  /** `judgementKey()` of what decided the judgement. */
  key: string;
  /** The judge's name in the run's config (its display name, not part of the key). */
  judge: string;
  /** The task scored. */
  task: TaskKey;
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
export function ledgerPath(outputDir: string, judgeName: string, task: TaskKey): string {
  if (judgeName === "") throw new Error("ledgerPath(): the judge name is empty");
  return join(outputDir, `${_safeName(judgeName)}_${task}.jsonl`);
}

/**
 * Whether a judgement failed for a reason that a later run may not meet again, so a resumed run
 * tries it again: its retries ran out on 429s, 5xx replies or timeouts (`retries_exhausted`),
 * or the run's budget ran out first (`budget_exhausted`), or the provider rejected the key
 * (HTTP 401/403, `invalid_api_key`: runs no longer record these, older ledgers may hold them).
 * Permanent failures — a reply that is not a valid score (`invalid_json`, `missing_score`,
 * `score_not_allowed`, `refusal`, `empty_reply`) or a request the provider rejected
 * (`request_rejected`) — are retried only when asked (`--retry-failed`). A scored judgement is
 * never transient. Generations follow the same rule.
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
  return _isTransient(judgement);
}

/** Where a record's line is, and what lookups need of it without reading it back. */
interface Slot {
  /** The line's first byte, its length without the newline, and its number from 1. */
  offset: number;
  length: number;
  line: number;
  /** Scored or generated: never asked again. */
  done: boolean;
  /** A failure a later run retries. */
  transient: boolean;
  /** The score (`NaN` unless scored), for checks against an entry's own scale. */
  score: number;
  /** A digest of the outcome: records with equal digests hold the same judgement. */
  digest: number;
  /** Whose record it is: the entry (judging) or the case (generating). */
  owner: string;
}

/** What reading a ledger file found. */
interface ParsedLedger<R> {
  /** Every record in file order (superseded ones included), with where its line is. */
  records: { record: R; offset: number; length: number; line: number }[];
  /** 1 when the last line was torn (and is left out), else 0. */
  torn: number;
  /** Bytes of whole, valid lines: where a torn line starts. */
  validBytes: number;
  /** Whole lines kept (blank ones included): the next line's number is one more. */
  lines: number;
}

/**
 * An open ledger: its records by key, and appends that are whole lines, flushed to disk, never
 * interleaved. The ledger keeps where each record's line is (in a `Map` by key) and reads a
 * record back when asked, so memory grows by about a hundred bytes a record, not by the records.
 *
 * One process writes a ledger at a time: a run holds the model's lock (`lockJudge`) while its
 * ledgers are open. A crash can leave at most a torn last line: `open` reports it in `torn`,
 * leaves it out, and cuts it off the file so the next append starts a fresh line.
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
 * assert.equal(ledger.needed("k1"), true);
 * await ledger.append({
 *   key: "k1", judge: "gpt-4o", task: "cpc_bond", entry_id: "e1", repeat: 0, judgement,
 *   time: new Date().toISOString(),
 * });
 * assert.equal(ledger.needed("k1"), false);
 * await ledger.close();
 * const reopened = await Ledger.open(ledger.path); // a re-run: k1 is cached
 * assert.equal(reopened.get("k1")?.entry_id, "e1");
 * await reopened.close();
 * ```
 */
export class Ledger<R extends _LedgerLine = LedgerRecord> {
  /** The ledger file. */
  readonly path: string;
  /** 1 when `open` found (and cut off) a torn last line, else 0. */
  readonly torn: number;
  readonly #format: _LedgerFormat<R>;
  /** The latest record of each key, in the order they were appended. */
  readonly #latest = new Map<string, Slot>();
  /**
   * The latest record of a key for each owner other than its latest record's: entries with the
   * same content share a key, and each keeps its own record. Empty while no key is shared.
   */
  readonly #others = new Map<string, Slot>();
  #file: Deno.FsFile | undefined;
  /**
   * A handle of its own for reading records back: a write under way on `#file` moves that
   * handle's position to the end of the file at any moment, even between a seek and a read.
   */
  #reader: Deno.FsFile | undefined;
  #size: number;
  /** Lines in the file, for the line numbers of appended records. */
  #lines: number;
  /** Lines waiting for the next write, in append order. */
  #pending: PendingLine<R>[] = [];
  /** The loop writing batches, while one runs. */
  #flushing: Promise<void> | undefined;
  #closed = false;
  #broken: Error | undefined;

  private constructor(
    path: string,
    format: _LedgerFormat<R>,
    parsed: ParsedLedger<R>,
    file: Deno.FsFile | undefined,
  ) {
    this.path = path;
    this.torn = parsed.torn;
    this.#format = format;
    for (const { record, ...span } of parsed.records) this.#add(record, span);
    this.#file = file;
    this.#size = parsed.validBytes;
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
   *   no folder, no file, no cut-off torn line; `append` is refused. `format`: the kind of
   *   record (default: judgements; generation runs pass their own).
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
  static async open<R extends _LedgerLine = LedgerRecord>(
    path: string,
    options: { readOnly?: boolean; format?: _LedgerFormat<R> } = {},
  ): Promise<Ledger<R>> {
    const format = options.format ?? (_JUDGEMENTS as unknown as _LedgerFormat<R>);
    if (options.readOnly) {
      const bytes = await Deno.readFile(path).catch((error) => {
        if (error instanceof Deno.errors.NotFound) return new Uint8Array(0);
        throw error;
      });
      return new Ledger(path, format, parseLedger(bytes, path, format), undefined);
    }
    await mkdir(dirname(path), { recursive: true });
    // Appends go to the end of the file whatever else happens to it (O_APPEND).
    const file = await Deno.open(path, { read: true, append: true, create: true });
    try {
      const parsed = parseLedger(await Deno.readFile(path), path, format);
      if (parsed.torn > 0) {
        // Cut the torn line off, so the next append starts a line of its own.
        await file.truncate(parsed.validBytes);
        await file.syncData();
      }
      return new Ledger(path, format, parsed, file);
    } catch (error) {
      file.close();
      throw error;
    }
  }

  /**
   * The latest record for a key: a later append for the same key (a retried failure)
   * supersedes an earlier one.
   *
   * @param key A `judgementKey()` (or a generation's key).
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
  get(key: string): R | undefined {
    const slot = this.#latest.get(key);
    return slot && this.#read(slot);
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
  entryRecord(key: string, entryId: string): R | undefined {
    const slot = this.#own(key, entryId);
    return slot && this.#read(slot);
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
    const current = this.#latest.get(key);
    const own = this.#own(key, entryId);
    return current !== undefined && own !== undefined &&
      (own === current || own.digest === current.digest);
  }

  /**
   * Whether a key still needs a request: it has no record, or its latest record is a transient
   * failure (`isTransientFailure`), or — with `retryFailed` — any failure.
   *
   * @param key A `judgementKey()` (or a generation's key).
   * @param options `retryFailed: true` asks again for permanent failures (invalid replies) too.
   * @returns `true` when the key should be (re-)requested.
   *
   * @example
   * ```ts
   * import { Ledger } from "./ledger.ts";
   * import assert from "node:assert/strict";
   *
   * const ledger = await Ledger.open(`${await Deno.makeTempDir()}/j_cpc_bond.jsonl`);
   * assert.equal(ledger.needed("k", { retryFailed: false }), true);
   * await ledger.close();
   * ```
   */
  needed(key: string, options: { retryFailed?: boolean } = {}): boolean {
    const slot = this.#latest.get(key);
    if (slot === undefined) return true;
    return !slot.done && (options.retryFailed === true || slot.transient);
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
  records(): R[] {
    return Array.from(this.#latest.values(), (slot) => this.#read(slot));
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
    const slot = this.#latest.get(key);
    return slot && { score: slot.score, line: slot.line };
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
  append(record: R): Promise<void> {
    if (this.#closed) return Promise.reject(new LedgerError(`${this.path}: append after close`));
    if (this.#file === undefined) {
      return Promise.reject(new LedgerError(`${this.path}: opened read-only (a dry run)`));
    }
    let line: string;
    let stored: R;
    try {
      line = JSON.stringify(this.#format.redact(record)) + "\n";
      // Check what will be read back, not the object: JSON turns NaN into null, drops undefined.
      stored = JSON.parse(line);
      const problem = this.#format.problem(stored) ??
        _fileProblem(stored.task, this.#format.outcome(stored), this.path);
      if (problem !== undefined) throw new LedgerError(`${this.path}: not a record: ${problem}`);
    } catch (error) {
      return Promise.reject(
        error instanceof LedgerError
          ? error
          : new LedgerError(`${this.path}: cannot write the record: ${String(error)}`),
      );
    }
    return new Promise<void>((resolve, reject) => {
      this.#pending.push({ line, record: stored, original: record, resolve, reject });
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

  async #write(batch: readonly PendingLine<R>[]): Promise<void> {
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
    batch.forEach(({ record, original }, i) => {
      const length = lines[i]!.length - 1; // without the newline
      this.#add(record, { offset, length, line: ++this.#lines }, original);
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

  /**
   * Makes `record`, whose line is at `span`, the latest of its key and of its (key, owner). The
   * key and owner are kept as the `original` caller's strings where they are the same text (the
   * run holds those already), not as second copies read back from the line.
   */
  #add(record: R, span: { offset: number; length: number; line: number }, original = record): void {
    const outcome = this.#format.outcome(record);
    const key = original.key === record.key ? original.key : record.key;
    const owner = this.#format.owner(record);
    const givenOwner = this.#format.owner(original);
    const slot: Slot = {
      ...span,
      done: outcome.status !== "failed",
      transient: _isTransient(outcome),
      score: outcome.status === "scored" ? outcome.score! : NaN,
      digest: createHash("sha1").update(JSON.stringify(outcome)).digest().readUIntBE(0, 6),
      owner: givenOwner === owner ? givenOwner : owner,
    };
    const previous = this.#latest.get(key);
    if (previous !== undefined && previous.owner !== slot.owner) {
      this.#others.set(`${key}\u0000${previous.owner}`, previous);
    }
    if (this.#others.size > 0) this.#others.delete(`${key}\u0000${slot.owner}`);
    this.#latest.delete(key);
    this.#latest.set(key, slot);
  }

  /** The latest record of a key for one owner. */
  #own(key: string, owner: string): Slot | undefined {
    const latest = this.#latest.get(key);
    return latest?.owner === owner ? latest : this.#others.get(`${key}\u0000${owner}`);
  }

  /** Reads a record back from its line (appends always go to the end, whatever the position). */
  #read(slot: Slot): R {
    if (this.#closed) throw new LedgerError(`${this.path}: read after close`);
    this.#reader ??= Deno.openSync(this.path, { read: true });
    this.#reader.seekSync(slot.offset, Deno.SeekMode.Start);
    const bytes = new Uint8Array(slot.length);
    for (let read = 0; read < bytes.length;) {
      const n = this.#reader.readSync(bytes.subarray(read));
      if (n === null) throw new LedgerError(`${this.path}: the file ended inside a record`);
      read += n;
    }
    return JSON.parse(new TextDecoder().decode(bytes)) as R;
  }
}

/** A line waiting to be written, and its append's promise. */
interface PendingLine<R> {
  line: string;
  /** The record as it reads back from the line, and as the caller gave it. */
  record: R;
  original: R;
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
  const bytes = await Deno.readFile(path).catch((error) => {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    throw new Deno.errors.NotFound(`ledger not found: ${path}`);
  });
  const parsed = parseLedger(bytes, path, _JUDGEMENTS);
  // The latest record of each (key, entry), in the order the latest ones were appended.
  const latest = new Map<string, LedgerRecord>();
  for (const { record } of parsed.records) {
    const id = `${record.key}\u0000${record.entry_id}`;
    latest.delete(id);
    latest.set(id, record);
  }
  return { records: [...latest.values()], torn: parsed.torn };
}

const NEWLINE = 0x0a;

/**
 * Reads a ledger's bytes. The part after the last newline is a torn line (appends always end
 * with one). A last whole line that is not JSON is torn too (a crash can leave a line of
 * zeros); any other unreadable line is an error, never skipped.
 */
function parseLedger<R extends _LedgerLine>(
  bytes: Uint8Array,
  path: string,
  format: _LedgerFormat<R>,
): ParsedLedger<R> {
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
  const records: ParsedLedger<R>["records"] = [];
  let kept = lines.length;
  // Line i starts after the i-th newline byte (a newline is never part of a UTF-8 sequence).
  let start = 0;
  for (const [i, line] of lines.entries()) {
    const offset = start;
    start = bytes.indexOf(NEWLINE, start) + 1;
    if (line.trim() === "") continue;
    const where = `${path} line ${i + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      if (i === lines.length - 1 && torn === 0) {
        torn = 1;
        end -= new TextEncoder().encode(line + "\n").length;
        kept = i;
        break;
      }
      throw new LedgerError(
        `${where}: not JSON (${(error as Error).message}); the ledger is damaged in the ` +
          `middle — fix or remove that line (its ${format.made} will be made again)`,
      );
    }
    const problem = format.problem(value);
    if (problem !== undefined) throw new LedgerError(`${where}: not a ${format.noun}: ${problem}`);
    const record = value as R;
    const wrong = _fileProblem(record.task, format.outcome(record), path);
    if (wrong !== undefined) {
      throw new LedgerError(
        `${where}: ${wrong}; the ledger was edited or mixed up — fix or remove that line ` +
          `(its ${format.made} will be made again)`,
      );
    }
    records.push({ record, offset, length: start - 1 - offset, line: i + 1 });
  }
  return { records, torn, validBytes: end, lines: kept };
}
