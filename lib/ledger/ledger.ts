/**
 * The ledger: one append-only JSONL file per model and task that is at once the cache, the
 * resume point and the record of a run — of judgements (`{name}_{task}.jsonl`) or of generated
 * responses (`generations/{name}_{task}.jsonl`). Its format and guarantees:
 * `lib/ledger/README.md`.
 *
 * @module
 */

import { mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { TaskKey } from "../data/task_key.ts";
import type { Judgement } from "../judge/judgement.ts";
import {
  _fileProblem,
  _isAuthFailure,
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
 * The ledger file of a judge and task: `{outputDir}/{name}_{task}.jsonl`, the name
 * percent-encoded where it is not safe in a file name (so two names never share a file).
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
 * Whether a judgement (or a generation) failed for a reason a later run may not meet again, so
 * a resumed run tries it again: retries that ran out (`retries_exhausted`: 429s, 5xx replies,
 * timeouts), the run's budget (`budget_exhausted`), or a rejected key that older runs recorded
 * (HTTP 401/403). Other failures (an invalid reply, a rejected request) are retried only with
 * `--retry-failed`.
 *
 * @param outcome The judgement or generation.
 * @returns `true` for a transient failure.
 *
 * @example
 * ```ts
 * import { isTransientFailure } from "./ledger.ts";
 * import type { Judgement } from "../judge/judgement.ts";
 * import assert from "node:assert/strict";
 *
 * const failed = (reason: string) => ({ status: "failed", reason, detail: "" }) as Judgement;
 * assert.equal(isTransientFailure(failed("retries_exhausted")), true);
 * assert.equal(isTransientFailure(failed("invalid_json")), false);
 * ```
 */
export function isTransientFailure(
  outcome: { status: string; reason?: string; detail?: string },
): boolean {
  return outcome.status === "failed" && (outcome.reason === "retries_exhausted" ||
    outcome.reason === "budget_exhausted" || _isAuthFailure(outcome));
}

/** A record and its line's number in the file, from 1. */
type Line<R> = { record: R; line: number };

/**
 * An open ledger of judgements (or, with `format`, of generations): its records by key, kept in
 * memory, and appends that are whole lines, flushed to disk, never interleaved. One process
 * writes a ledger at a time (the run holds the model's `lockJudge`).
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
 * const line = { key: "k1", judge: "gpt-4o", task: "cpc_bond" as const, repeat: 0, judgement };
 * const ledger = await Ledger.open(`${await Deno.makeTempDir()}/gpt-4o_cpc_bond.jsonl`);
 * assert.equal(ledger.needed("k1"), true);
 * await ledger.append({ ...line, entry_id: "e1", time: new Date().toISOString() });
 * assert.equal(ledger.needed("k1"), false);
 * // e2 has e1's content, so its key: it gets a copy of the judgement as a record of its own.
 * assert.equal(ledger.hasCurrent("k1", "e2"), false);
 * await ledger.append({ ...line, entry_id: "e2", time: new Date().toISOString() });
 * await ledger.close();
 *
 * const reopened = await Ledger.open(ledger.path); // a re-run: k1 is cached
 * assert.equal(reopened.get("k1")?.entry_id, "e2");
 * assert.equal(reopened.entryRecord("k1", "e1")?.entry_id, "e1");
 * assert.deepEqual(reopened.scoreOf("k1"), { score: 4, line: 2 });
 * assert.equal(reopened.records().length, 1);
 * await reopened.close();
 * ```
 */
export class Ledger<R extends { key: string; task: TaskKey } = LedgerRecord> {
  /** The ledger file. */
  readonly path: string;
  /** 1 when `open` found (and cut off) a torn last line, else 0. */
  readonly torn: number;
  readonly #format: _LedgerFormat<R>;
  /** The latest record of each key, in the order they were appended. */
  readonly #latest = new Map<string, Line<R>>();
  /** The latest record of each (key, owner): entries with the same content share a key. */
  readonly #own = new Map<string, Line<R>>();
  readonly #file: Deno.FsFile | undefined;
  /** Bytes of whole lines: a failed write is cut back to this. */
  #size: number;
  #lines: number;
  /** Lines waiting for the next write, in append order. */
  #pending: { line: string; record: R; resolve: () => void; reject: (e: unknown) => void }[] = [];
  /** The loop writing batches, while one runs. */
  #flushing: Promise<void> | undefined;
  #closed = false;
  /** Why a failed write could not be cut off again: the ledger then refuses appends. */
  #broken: string | undefined;

  private constructor(
    path: string,
    format: _LedgerFormat<R>,
    parsed: ReturnType<typeof parseLedger<R>>,
    file: Deno.FsFile | undefined,
  ) {
    this.path = path;
    this.torn = parsed.torn;
    this.#format = format;
    for (const line of parsed.records) this.#add(line);
    this.#file = file;
    this.#size = parsed.validBytes;
    this.#lines = parsed.lines;
  }

  /**
   * Opens a ledger, creating its folder and file if missing, and reads its records. A torn last
   * line is left out and cut off the file. A line that is not a record, a record of another
   * task than its file's, or a score off the task's scale is an error naming the file and line.
   *
   * @param path The ledger file (see `ledgerPath`).
   * @param options `readOnly: true` (a dry run) reads the file if it exists and creates nothing:
   *   no folder, no file, no cut-off torn line; `append` is refused. `format`: the kind of
   *   record (default: judgements; generation runs pass their own).
   * @returns The open ledger; `torn` says whether a torn last line was found.
   * @throws {LedgerError} For such a line (a last line that is not JSON is torn, not an error).
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
  static async open<R extends { key: string; task: TaskKey } = LedgerRecord>(
    path: string,
    options: { readOnly?: boolean; format?: _LedgerFormat<R> } = {},
  ): Promise<Ledger<R>> {
    const format = options.format ?? (_JUDGEMENTS as unknown as _LedgerFormat<R>);
    let file: Deno.FsFile | undefined;
    if (!options.readOnly) {
      await mkdir(dirname(path), { recursive: true });
      // O_APPEND: every write lands at the end of the file.
      file = await Deno.open(path, { read: true, append: true, create: true });
    }
    try {
      const bytes = await Deno.readFile(path).catch((error) => {
        if (file || !(error instanceof Deno.errors.NotFound)) throw error;
        return new Uint8Array(0); // read-only, and no file yet
      });
      const parsed = parseLedger(bytes, path, format);
      if (file && parsed.torn > 0) { // cut it off, so the next append starts a line of its own
        await file.truncate(parsed.validBytes);
        await file.syncData();
      }
      return new Ledger(path, format, parsed, file);
    } catch (error) {
      file?.close();
      throw error;
    }
  }

  /**
   * The latest record for a key (a later append for a key supersedes an earlier one).
   *
   * @param key A `judgementKey()` (or a generation's key).
   * @returns The record, or `undefined` when the key has none.
   * @throws {LedgerError} After `close`.
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
    return this.#read(this.#latest.get(key));
  }

  /**
   * The latest record of a key for one entry. Entries with the same content (two respondents
   * who wrote the same answer) share a key and one judgement, but each has its own record, so
   * that every entry has its trial.
   *
   * @param key A `judgementKey()`.
   * @param entryId The entry's id.
   * @returns The record, or `undefined` when this entry has none under the key.
   * @throws {LedgerError} After `close`.
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
    return this.#read(this.#own.get(`${key}\u0000${entryId}`));
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
    const current = this.#latest.get(key)?.record;
    const own = this.#own.get(`${key}\u0000${entryId}`)?.record;
    if (current === undefined || own === undefined) return false;
    const outcome = (record: R) => JSON.stringify(this.#format.outcome(record));
    return own === current || outcome(own) === outcome(current);
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
    const found = this.#latest.get(key);
    if (found === undefined) return true;
    const outcome = this.#format.outcome(found.record);
    return outcome.status === "failed" &&
      (options.retryFailed === true || isTransientFailure(outcome));
  }

  /**
   * Every key's latest record, in file order (a record that superseded another sits where it
   * was appended).
   *
   * @returns The records.
   * @throws {LedgerError} After `close`.
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
    return Array.from(this.#latest.values(), (found) => this.#read(found)!);
  }

  /**
   * The score of a key's latest record and its line number (for checks against an entry's own
   * scale on resume).
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
    const found = this.#latest.get(key);
    if (found === undefined) return undefined;
    const outcome = this.#format.outcome(found.record);
    return { score: outcome.status === "scored" ? outcome.score! : NaN, line: found.line };
  }

  /**
   * Appends a record as one whole line, flushed to disk (`fdatasync`) before the promise
   * resolves; appends made while a write is under way go out together in the next one. The
   * record is checked first, so the file only holds lines that read back, and its free text
   * passes through `redact()`: a server that echoes the API key does not get it on disk.
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
  async append(record: R): Promise<void> {
    if (this.#closed) throw new LedgerError(`${this.path}: append after close`);
    if (!this.#file) throw new LedgerError(`${this.path}: opened read-only (a dry run)`);
    let line: string;
    let stored: R; // what reads back, not the object: JSON turns NaN into null
    try {
      line = JSON.stringify(this.#format.redact(record)) + "\n";
      stored = JSON.parse(line);
    } catch (error) {
      throw new LedgerError(`${this.path}: cannot write the record: ${String(error)}`);
    }
    const problem = this.#format.problem(stored) ??
      _fileProblem(stored.task, this.#format.outcome(stored), this.path);
    if (problem !== undefined) throw new LedgerError(`${this.path}: not a record: ${problem}`);
    await new Promise<void>((resolve, reject) => {
      this.#pending.push({ line, record: stored, resolve, reject });
      this.#flushing ??= this.#flush();
    });
  }

  /** Writes the pending lines in batches (one write, one `fdatasync`) until none are left. */
  async #flush(): Promise<void> {
    await Promise.resolve(); // let the appends of this turn of the event loop join the batch
    while (this.#pending.length > 0) {
      const batch = this.#pending;
      this.#pending = [];
      const bytes = new TextEncoder().encode(batch.map((pending) => pending.line).join(""));
      try {
        if (this.#broken) {
          throw new LedgerError(`${this.path}: an earlier write failed: ${this.#broken}`);
        }
        try {
          for (let n = 0; n < bytes.length;) n += await this.#file!.write(bytes.subarray(n));
          await this.#file!.syncData();
        } catch (error) { // cut off partial lines, so the file stays valid JSONL
          await this.#file!.truncate(this.#size).catch((undo) => {
            this.#broken = undo instanceof Error ? undo.message : String(undo);
          });
          throw error;
        }
        this.#size += bytes.length;
        for (const { record } of batch) this.#add({ record, line: ++this.#lines });
        for (const pending of batch) pending.resolve();
      } catch (error) {
        for (const pending of batch) pending.reject(error);
      }
    }
    this.#flushing = undefined;
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
  }

  /** Makes a record the latest of its key and of its (key, owner). */
  #add(found: Line<R>): void {
    const key = found.record.key;
    this.#latest.delete(key);
    this.#latest.set(key, found);
    this.#own.set(`${key}\u0000${this.#format.owner(found.record)}`, found);
  }

  #read(found: Line<R> | undefined): R | undefined {
    if (found !== undefined && this.#closed) {
      throw new LedgerError(`${this.path}: read after close`);
    }
    return found?.record;
  }
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
   * Makes the error.
   *
   * @param message What is wrong, starting with the file (and line).
   */
  constructor(message: string) {
    super(message);
    this.name = "LedgerError";
  }
}

/**
 * Reads a ledger of judgements without changing it (a torn last line is counted, left out,
 * and left in the file for the next `Ledger.open` to cut off).
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
  const { records, torn } = parseLedger(bytes, path, _JUDGEMENTS);
  const latest = new Map<string, LedgerRecord>(); // by (key, entry), in the order last appended
  for (const { record } of records) {
    const id = `${record.key}\u0000${_JUDGEMENTS.owner(record)}`;
    latest.delete(id);
    latest.set(id, record);
  }
  return { records: [...latest.values()], torn };
}

const NEWLINE = 0x0a;

/**
 * A ledger's records, whether its last line is torn (1 or 0), where its whole lines end, and
 * how many there are (blank ones included). The part after the last newline is torn, and so is
 * a last whole line that is not JSON (a crash can leave a line of zeros); any other line that
 * is not a valid record is an error, never skipped.
 */
function parseLedger<R extends _LedgerLine>(
  bytes: Uint8Array,
  path: string,
  format: _LedgerFormat<R>,
): { records: Line<R>[]; torn: number; validBytes: number; lines: number } {
  const end = bytes.lastIndexOf(NEWLINE) + 1;
  const torn = end < bytes.length ? 1 : 0;
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(0, end));
  } catch {
    throw new LedgerError(`${path}: not UTF-8 text; is it a ledger?`);
  }
  const lines = text.split("\n");
  lines.pop(); // the empty string after the final newline
  const records: Line<R>[] = [];
  const fix = `fix or remove that line (its ${format.made} will be made again)`;
  for (const [i, line] of lines.entries()) {
    if (line.trim() === "") continue;
    const where = `${path} line ${i + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      if (i === lines.length - 1 && torn === 0) {
        // Valid bytes end where this line starts, after the newline before it.
        return { records, torn: 1, validBytes: bytes.lastIndexOf(NEWLINE, end - 2) + 1, lines: i };
      }
      throw new LedgerError(
        `${where}: not JSON (${(error as Error).message}); the ledger is damaged in the ` +
          `middle — ${fix}`,
      );
    }
    const problem = format.problem(value);
    if (problem !== undefined) throw new LedgerError(`${where}: not a ${format.noun}: ${problem}`);
    const record = value as R;
    const wrong = _fileProblem(record.task, format.outcome(record), path);
    if (wrong !== undefined) {
      throw new LedgerError(`${where}: ${wrong}; the ledger was edited or mixed up — ${fix}`);
    }
    records.push({ record, line: i + 1 });
  }
  return { records, torn, validBytes: end, lines: lines.length };
}
