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

/** The file formats the loader reads, by extension. */
export const DATA_EXTENSIONS = [".json", ".jsonl", ".ndjson", ".csv", ".parquet"] as const;

/** Rows read from one file, and the problems that kept other rows from being read. */
export interface ReadResult {
  /** Parsed rows, each with where it was found. */
  rows: RawRow[];
  /** Rows or stretches of the file that could not be parsed. */
  problems: DatasetProblem[];
}

/**
 * Reads a dataset file into raw rows, choosing the parser by extension.
 *
 * Rows are located for error messages as `index N` (JSON array, 0-based as code addresses it),
 * `line N` (JSON Lines and CSV, 1-based as an editor shows it) or `row N` (Parquet, 1-based).
 * A truncated file is reported, never read as if it were whole.
 *
 * How each format is read:
 * - **JSON and JSON Lines.** A leading byte-order mark is ignored. The bare `NaN`, `Infinity` and
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
  switch (extension) {
    case ".json":
      return readJson(await readText(path));
    case ".jsonl":
    case ".ndjson":
      return readJsonLines(await readText(path));
    case ".csv":
      return readCsv(await readText(path));
    case ".parquet":
      return readParquet(path);
    default:
      throw new Error(
        `${path}: cannot tell the format from the extension ${JSON.stringify(extension)}; ` +
          `expected one of ${DATA_EXTENSIONS.join(", ")}`,
      );
  }
}

/** A text file without its byte-order mark (editors on Windows write one). */
async function readText(path: string): Promise<string> {
  const text = await Deno.readTextFile(path);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
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
    const where = `line ${record.line}`;
    const value: Record<string, unknown> = {};
    let bad = false;
    names.forEach((name, c) => {
      const cell = record.cells[c]!;
      if (cell === "") return; // An empty cell is an absent value.
      if (NUMERIC.has(name)) {
        value[name] = DECIMAL.test(cell) ? Number(cell) : cell;
        return;
      }
      const read = jsonCell(name, cell);
      if ("message" in read) {
        problems.push({ where, field: name, message: read.message });
        bad = true;
      } else value[name] = read.value;
    });
    if (!bad) rows.push({ where, value });
  }
  return { rows, problems };
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
  let frame: pl.DataFrame;
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
    const where = `row ${i + 1}`;
    const value: Record<string, unknown> = {};
    let bad = false;
    for (const [key, raw] of Object.entries(record)) {
      const v = dateColumns.has(key) && raw instanceof Date
        ? raw.toISOString().slice(0, 10)
        : plain(raw);
      if (v === null || v === undefined) continue;
      if (typeof v !== "string") {
        value[key] = v;
        continue;
      }
      const read = jsonCell(key, v);
      if ("message" in read) {
        problems.push({ where, field: key, message: read.message });
        bad = true;
      } else value[key] = read.value;
    }
    if (!bad) rows.push({ where, value });
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
