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
 * @param path A local file ending in `.json`, `.jsonl`, `.ndjson`, `.csv` or `.parquet`.
 * @returns The rows and any parse problems.
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
      return readJson(await Deno.readTextFile(path));
    case ".jsonl":
    case ".ndjson":
      return readJsonLines(await Deno.readTextFile(path));
    case ".csv":
      return readCsv(await Deno.readTextFile(path));
    case ".parquet":
      return readParquet(path);
    default:
      throw new Error(
        `${path}: cannot tell the format from the extension ${JSON.stringify(extension)}; ` +
          `expected one of ${DATA_EXTENSIONS.join(", ")}`,
      );
  }
}

function readJson(text: string): ReadResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
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
      rows.push({ where, value: JSON.parse(line) });
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

/** Columns whose CSV cells are numbers. */
const NUMERIC = new Set(["grade", "max_score"]);
/** Columns whose CSV or Parquet cells may hold JSON text. */
const JSON_TEXT = new Set(["rubric", "grades"]);

function readCsv(text: string): ReadResult {
  const { records, problems } = parseCsv(text);
  const header = records[0];
  if (!header) {
    return { rows: [], problems: [...problems, { where: "file", message: "empty CSV file" }] };
  }
  const rows: RawRow[] = [];
  for (const record of records.slice(1)) {
    const where = `line ${record.line}`;
    if (record.cells.length !== header.cells.length) {
      problems.push({
        where,
        message: `${record.cells.length} cells where the header has ${header.cells.length}`,
      });
      continue;
    }
    const value: Record<string, unknown> = {};
    let bad = false;
    header.cells.forEach((name, c) => {
      const cell = record.cells[c]!;
      if (cell === "") return; // An empty cell is an absent value.
      if (NUMERIC.has(name)) {
        const n = Number(cell);
        value[name] = cell.trim() !== "" && Number.isFinite(n) ? n : cell;
      } else if (JSON_TEXT.has(name) && /^\s*[[{]/.test(cell)) {
        try {
          value[name] = JSON.parse(cell);
        } catch (error) {
          problems.push({
            where,
            field: name,
            message: `not valid JSON (${(error as Error).message})`,
          });
          bad = true;
        }
      } else value[name] = cell;
    });
    if (!bad) rows.push({ where, value });
  }
  return { rows, problems };
}

function readParquet(path: string): ReadResult {
  let records: Record<string, unknown>[];
  try {
    records = pl.readParquet(path).toRecords() as Record<string, unknown>[];
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
  const rows: RawRow[] = [];
  const problems: DatasetProblem[] = [];
  records.forEach((record, i) => {
    const where = `row ${i + 1}`;
    const value: Record<string, unknown> = {};
    for (const [key, raw] of Object.entries(record)) {
      const v = plain(raw);
      if (v === null || v === undefined) continue;
      if (JSON_TEXT.has(key) && typeof v === "string" && /^\s*[[{]/.test(v)) {
        try {
          value[key] = JSON.parse(v);
        } catch (error) {
          problems.push({
            where,
            field: key,
            message: `not valid JSON (${(error as Error).message})`,
          });
        }
      } else value[key] = v;
    }
    rows.push({ where, value });
  });
  return { rows, problems };
}

/** Parquet integers may arrive as bigint and nested nulls as null; make them plain JSON values. */
function plain(v: unknown): unknown {
  if (typeof v === "bigint") return Number(v);
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
