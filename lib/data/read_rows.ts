/**
 * Reading a dataset file into raw rows: JSON arrays, JSON Lines, CSV and Parquet.
 *
 * @module
 */

import pl from "nodejs-polars";
import { extname } from "node:path";
import type { DatasetProblem } from "./dataset_error.ts";
import type { RawRow } from "./validate_entries.ts";
import { parseCsv } from "./_csv.ts";
import { _decodeUtf8, _looksLikeHtml } from "./_decode.ts";
import type { DataFrame } from "./data_frame.ts";

/** The file formats the loader reads, by extension. */
export const DATA_EXTENSIONS = [".json", ".jsonl", ".ndjson", ".csv", ".parquet"] as const;

/** Rows read from one file, and the problems that kept other rows from being read. */
export interface ReadResult {
  /** Parsed rows, each with where it was found. */
  rows: RawRow[];
  /** Rows or stretches of the file that could not be parsed. */
  problems: DatasetProblem[];
  /**
   * True when nothing of the file could be read as text (bytes that are not UTF-8, UTF-16, an
   * HTML page): the file is never skipped over, even when its problem names a row.
   */
  unreadable?: boolean;
}

/**
 * Reads a dataset file into raw rows, choosing the parser by extension.
 *
 * Rows are located for error messages as `index N` (JSON array, 0-based as code addresses it),
 * `line N` (JSON Lines and CSV, 1-based as an editor shows it) or `row N` (Parquet, 1-based).
 * A truncated file is reported, never read as if it were whole.
 *
 * How each format is read:
 * - **Text (JSON, JSON Lines, CSV).** The bytes must be UTF-8, and are decoded strictly: a
 *   leading UTF-8 byte-order mark is dropped, and a byte that is not UTF-8 (a Latin-1 or
 *   Windows-1252 file) is a problem naming its byte offset and the row it is in (`index`,
 *   `line`, and the row's `id` when it can be read), never a U+FFFD that would change the text
 *   a judge sees. UTF-16 (a byte-order mark FF FE or FE FF, or many NUL bytes) and an HTML page
 *   (a login page saved in place of the data) are named as such. Then `unreadable` is true.
 * - **JSON and JSON Lines.** The bare `NaN`, `Infinity` and
 *   `-Infinity` that Python's `json.dump` writes are read as those numbers, so that validation
 *   can name the row and field that holds one rather than the whole file failing to parse.
 * - **CSV.** The header names the fields; a header with an empty or repeated name is a problem
 *   with the file. An empty cell is an absent value (CSV cannot tell it from an empty text, so an
 *   empty `response` is "missing"). `grade` and `max_score` cells that are plain decimal numbers
 *   (`4`, `-0.5`, `1e2`) become numbers; anything else (`0x4`, `four`) stays text, for
 *   validation to name. A `grades`, `raters` or `rater_scores` cell that opens with `[` or `{`
 *   must be valid JSON. A `rubric` cell is read as JSON when it is JSON, must be when it opens
 *   with `{`, and otherwise stays text (`[1 pt] names the diagnosis`). A row with a bad JSON cell
 *   is rejected, with a problem naming the field.
 * - **Parquet.** Integers become numbers, `Date` values `YYYY-MM-DD` text and `Datetime` values
 *   ISO 8601 text; text cells of the JSON columns are read as for CSV; null cells are absent
 *   values.
 *
 * @param path A local file ending in `.json`, `.jsonl`, `.ndjson`, `.csv` or `.parquet`.
 * @returns The rows and any parse problems (`where: "file"` for a problem with the whole file).
 * @throws {Error} When the extension is not one of those, or the file cannot be read.
 *
 * @example
 * ```ts
 * import { readRows } from "./read_rows.ts";
 * import assert from "node:assert/strict";
 *
 * const path = await Deno.makeTempFile({ suffix: ".jsonl" });
 * await Deno.writeTextFile(path, '{"id": "a"}\n{"id": "b"\n');
 * const { rows, problems } = await readRows(path);
 * assert.equal(rows.length, 1);
 * assert.equal(problems[0]?.where, "line 2");
 * ```
 */
export async function readRows(path: string): Promise<ReadResult> {
  const extension = extname(path).toLowerCase();
  const format = extension === ".json"
    ? "json"
    : extension === ".jsonl" || extension === ".ndjson"
    ? "jsonl"
    : extension === ".csv"
    ? "csv"
    : extension === ".parquet"
    ? "parquet"
    : undefined;
  if (format === undefined) {
    const html = await _startsLikeHtml(path);
    throw new Error(
      `${path}: cannot tell the format from the extension ${JSON.stringify(extension)}; ` +
        `expected one of ${DATA_EXTENSIONS.join(", ")}` +
        (html ? " (and it is an HTML page, not data: a login or error page?)" : ""),
    );
  }
  if (format === "parquet") return readParquet(path);
  const bytes = await Deno.readFile(path);
  const decoded = _decodeUtf8(bytes);
  if ("kind" in decoded) {
    const problem: DatasetProblem = decoded.kind === "file"
      ? { where: "file", message: decoded.message }
      : { ..._locateByte(format, bytes, decoded.offset), message: decoded.message };
    return { rows: [], problems: [problem], unreadable: true };
  }
  const text = decoded.text;
  return format === "json"
    ? readJson(text)
    : format === "jsonl"
    ? readJsonLines(text)
    : readCsv(text);
}

/** Whether a file of unknown format starts like an HTML page. */
async function _startsLikeHtml(path: string): Promise<boolean> {
  try {
    using file = await Deno.open(path);
    const head = new Uint8Array(256);
    const n = await file.read(head);
    return n !== null && _looksLikeHtml(head.subarray(0, n));
  } catch {
    return false;
  }
}

/**
 * The row a byte offset falls in, for a message: `index N` in a JSON array, else `line N`, with
 * the row's `id` when the row can be read (the bad bytes replaced, for this purpose only).
 */
function _locateByte(
  format: "json" | "jsonl" | "csv",
  bytes: Uint8Array,
  offset: number,
): { where: string; id?: string } {
  const lenient = new TextDecoder("utf-8");
  let line = 1;
  for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++;
  const text = lenient.decode(bytes); // Drops a UTF-8 byte-order mark, as readRows does.
  const idOf = (value: unknown) => {
    const id = (value as { id?: unknown } | null)?.id;
    return typeof id === "string" || typeof id === "number" ? { id: String(id) } : {};
  };
  if (format === "csv") {
    const records = parseCsv(text).records;
    const record = records.findLast((r) => r.line <= line);
    const column = records[0]?.cells.indexOf("id") ?? -1;
    const id = record !== undefined && record !== records[0] && column >= 0
      ? record.cells[column]
      : undefined;
    return { where: `line ${record?.line ?? line}`, ...(id ? { id } : {}) };
  }
  if (format === "json") {
    const chars = lenient.decode(bytes.subarray(0, offset)).length;
    const index = _arrayElementAt(text, chars);
    if (index !== undefined) {
      let value: unknown;
      try {
        value = (JSON.parse(text) as unknown[])[index];
      } catch {
        // Unreadable otherwise too: the index alone will have to do.
      }
      return { where: `index ${index}`, ...idOf(value) };
    }
  }
  let value: unknown;
  try {
    value = JSON.parse(text.split("\n")[line - 1] ?? "");
  } catch {
    // The line is not readable JSON either: its number alone will have to do.
  }
  return { where: `line ${line}`, ...idOf(value) };
}

/**
 * The index of the top-level element of a JSON array that holds character `at`, or undefined
 * when the text is not an array (JSON Lines in a `.json` file).
 */
function _arrayElementAt(text: string, at: number): number | undefined {
  let i = 0;
  while (/\s/.test(text[i] ?? "")) i++;
  if (text[i] !== "[") return undefined;
  let depth = 0, index = 0, inString = false;
  for (; i < text.length && i < at; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "[" || c === "{") depth++;
    else if (c === "]" || c === "}") depth--;
    else if (c === "," && depth === 1) index++;
  }
  return index;
}

function readJson(text: string): ReadResult {
  let value: unknown;
  try {
    value = parseJson(text);
  } catch (error) {
    // Hub datasets often hold JSON Lines in files named `.json`.
    if (/^\s*\{[^\n]*\}\s*\n\s*\{/.test(text)) return readJsonLines(text);
    return {
      rows: [],
      problems: [{
        where: "file",
        message: `not valid JSON (${(error as Error).message})${
          looksTruncated(text) ? "; the file looks truncated" : ""
        }`,
      }],
    };
  }
  if (!Array.isArray(value)) {
    const kind = value === null ? "null" : typeof value === "object" ? "an object" : typeof value;
    return {
      rows: [],
      problems: [{ where: "file", message: `expected a JSON array of entries, got ${kind}` }],
    };
  }
  return { rows: value.map((v, i) => ({ where: `index ${i}`, value: v })), problems: [] };
}

function readJsonLines(text: string): ReadResult {
  const rows: RawRow[] = [];
  const problems: DatasetProblem[] = [];
  const lines = text.split("\n");
  const last = lines.length - 1;
  lines.forEach((line, i) => {
    if (line.trim() === "") return;
    const where = `line ${i + 1}`;
    try {
      rows.push({ where, value: parseJson(line) });
    } catch (error) {
      const truncated = i === last && !text.endsWith("\n");
      problems.push({
        where,
        message: `not valid JSON (${(error as Error).message})${
          truncated ? "; the file looks truncated here" : ""
        }`,
      });
    }
  });
  return { rows, problems };
}

/** Marks a bare non-finite token while the text goes through `JSON.parse` (escaped U+0000). */
const NON_FINITE_MARK = "\0preceptron:";
const NON_FINITE: Readonly<Record<string, number>> = {
  [NON_FINITE_MARK + "NaN"]: NaN,
  [NON_FINITE_MARK + "Infinity"]: Infinity,
  [NON_FINITE_MARK + "-Infinity"]: -Infinity,
};
/** A JSON string (skipped as it is) or a bare `NaN`, `Infinity` or `-Infinity` (captured). */
const STRING_OR_NON_FINITE = /"[^"\\]*(?:\\.[^"\\]*)*"|(-?Infinity|NaN)/g;

/**
 * `JSON.parse`, plus the bare `NaN`, `Infinity` and `-Infinity` Python writes. The plain parse
 * runs first, so well-formed files pay nothing; only a failing text that holds such a token is
 * rewritten (tokens outside strings become marked strings) and parsed again.
 */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    if (!/NaN|Infinity/.test(text)) throw error;
    let found = false;
    const marked = text.replace(STRING_OR_NON_FINITE, (match, token?: string) => {
      if (token === undefined) return match;
      found = true;
      return `"\\u0000preceptron:${token}"`;
    });
    if (!found) throw error;
    try {
      return JSON.parse(
        marked,
        (_key, v) => typeof v === "string" && v in NON_FINITE ? NON_FINITE[v] : v,
      );
    } catch {
      throw error; // Something else is wrong too: report the original message.
    }
  }
}

/** Columns whose CSV cells are numbers. */
const NUMERIC = new Set(["grade", "max_score"]);
/** A plain decimal number: optional sign, digits with an optional fraction, optional exponent. */
const DECIMAL = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

function readCsv(text: string): ReadResult {
  const { records, problems } = parseCsv(text);
  const header = records[0];
  if (!header) {
    if (problems.length === 0) problems.push({ where: "file", message: "empty CSV file" });
    return { rows: [], problems };
  }
  const names = header.cells;
  const unnamed = names.flatMap((name, c) => name.trim() === "" ? [c + 1] : []);
  const repeated = [
    ...new Set(names.filter((name, c) => name.trim() !== "" && names.indexOf(name) !== c)),
  ];
  if (unnamed.length > 0 || repeated.length > 0) {
    const faults: string[] = [];
    if (unnamed.length > 0) {
      faults.push(
        `column${unnamed.length === 1 ? "" : "s"} ${unnamed.join(", ")} of the header ` +
          `${unnamed.length === 1 ? "has" : "have"} no name (an index written by pandas? ` +
          "save with index=False)",
      );
    }
    if (repeated.length > 0) {
      faults.push(
        `the header names ${repeated.map((r) => JSON.stringify(r)).join(", ")} more than once`,
      );
    }
    return {
      rows: [],
      problems: [...problems, { where: "file", message: `${faults.join("; ")}` }],
    };
  }
  const rows: RawRow[] = [];
  for (const record of records.slice(1)) {
    const cells = names.flatMap((name, c): [string, unknown][] => {
      const cell = record.cells[c]!;
      if (cell === "") return []; // An empty cell is an absent value.
      return [[name, NUMERIC.has(name) && DECIMAL.test(cell) ? Number(cell) : cell]];
    });
    const row = rowOf(`line ${record.line}`, cells, problems);
    if (row) rows.push(row);
  }
  return { rows, problems };
}

/**
 * A row from its cells, each text cell read by {@linkcode jsonCell}; undefined when a cell is
 * bad, with a problem for each bad cell.
 */
function rowOf(
  where: string,
  cells: readonly [string, unknown][],
  problems: DatasetProblem[],
): RawRow | undefined {
  const value: Record<string, unknown> = {};
  let bad = false;
  for (const [name, cell] of cells) {
    const read = typeof cell === "string" ? jsonCell(name, cell) : { value: cell };
    if ("message" in read) {
      problems.push({ where, field: name, message: read.message });
      bad = true;
    } else value[name] = read.value;
  }
  return bad ? undefined : { where, value };
}

/** Columns whose CSV or Parquet text cells hold JSON lists (per-rater scores). */
const JSON_LISTS = new Set(["grades", "raters", "rater_scores"]);

/**
 * A text cell of a CSV or Parquet file as a value: per-rater JSON (`grades`, `raters`,
 * `rater_scores`) must parse; a `rubric` is JSON when it parses, must be when it opens with `{`,
 * and otherwise stays text.
 */
function jsonCell(name: string, cell: string): { value: unknown } | { message: string } {
  if (name !== "rubric" && !JSON_LISTS.has(name)) return { value: cell };
  const opening = /^\s*([[{])/.exec(cell)?.[1];
  if (opening === undefined) return { value: cell };
  try {
    return { value: JSON.parse(cell) };
  } catch (error) {
    if (name === "rubric" && opening === "[") return { value: cell }; // "[1 pt] names the…"
    return { message: `not valid JSON (${(error as Error).message})` };
  }
}

function readParquet(path: string): ReadResult {
  let frame: DataFrame;
  let records: Record<string, unknown>[];
  try {
    frame = pl.readParquet(path);
    records = frame.toRecords() as Record<string, unknown>[];
  } catch (error) {
    return {
      rows: [],
      problems: [{
        where: "file",
        message: `not a readable Parquet file (${
          (error as Error).message
        }); the file may be truncated`,
      }],
    };
  }
  // A calendar date arrives as a Date at UTC midnight: give it back as the date it is.
  const dateColumns = new Set(
    frame.columns.filter((name) => frame.getColumn(name).dtype.equals(pl.Date)),
  );
  const rows: RawRow[] = [];
  const problems: DatasetProblem[] = [];
  records.forEach((record, i) => {
    const cells = Object.entries(record).flatMap(([key, raw]): [string, unknown][] => {
      const v = dateColumns.has(key) && raw instanceof Date
        ? raw.toISOString().slice(0, 10)
        : plain(raw);
      return v === null || v === undefined ? [] : [[key, v]];
    });
    const row = rowOf(`row ${i + 1}`, cells, problems);
    if (row) rows.push(row);
  });
  return { rows, problems };
}

/**
 * A Parquet value as a plain JSON value: integers as numbers (as digits when too large for a
 * number), dates as ISO 8601 text, nested nulls left out.
 */
function plain(v: unknown): unknown {
  if (typeof v === "bigint") {
    const n = Number(v);
    return Number.isSafeInteger(n) ? n : String(v);
  }
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString();
  if (Array.isArray(v)) return v.map(plain);
  if (v !== null && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const p = plain(x);
      if (p !== null && p !== undefined) out[k] = p;
    }
    return out;
  }
  return v;
}

function looksTruncated(text: string): boolean {
  const end = text.trimEnd();
  return end.length > 0 && !end.endsWith("]") && !end.endsWith("}");
}
