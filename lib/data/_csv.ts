/**
 * A small RFC 4180 CSV parser that remembers the line each record starts on.
 *
 * Quoted cells may hold commas, doubled quotes and newlines (rubrics and responses do).
 *
 * @module
 */

import type { DatasetProblem } from "./dataset_error.ts";

/** One CSV record and the 1-based line it starts on. */
export interface CsvRecord {
  line: number;
  cells: string[];
}

/**
 * Parses CSV text into records; an unterminated quote is a problem, not a silent cut.
 *
 * @param text The CSV text (a leading byte-order mark is ignored).
 * @returns The records and any problems.
 */
export function parseCsv(text: string): { records: CsvRecord[]; problems: DatasetProblem[] } {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const records: CsvRecord[] = [];
  const problems: DatasetProblem[] = [];
  let cells: string[] = [];
  let cell = "";
  let line = 1;
  let start = 1;
  let quoted = false;
  let atRecordStart = true;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === "\n") line++;
        cell += ch;
      }
      continue;
    }
    if (atRecordStart) {
      start = line;
      atRecordStart = false;
    }
    if (ch === '"' && cell === "") quoted = true;
    else if (ch === ",") {
      cells.push(cell);
      cell = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      cells.push(cell);
      cell = "";
      if (!(cells.length === 1 && cells[0] === "")) records.push({ line: start, cells });
      cells = [];
      line++;
      atRecordStart = true;
    } else cell += ch;
  }
  if (quoted) {
    problems.push({
      where: `line ${start}`,
      message: "a quoted cell is never closed; the file looks truncated",
    });
  } else if (!atRecordStart) {
    cells.push(cell);
    if (!(cells.length === 1 && cells[0] === "")) records.push({ line: start, cells });
  }
  return { records, problems };
}
