/**
 * A small RFC 4180 CSV parser that remembers the line each record starts on.
 *
 * Quoted cells may hold commas, doubled quotes and newlines (rubrics and responses do). Cells
 * are cut out with `indexOf`/`slice` rather than built a character at a time, which keeps a
 * 5,000-entry file well under 100 ms.
 *
 * @module
 */

import type { DatasetProblem } from "./dataset_error.ts";

/** One CSV record and the 1-based line it starts on. */
export interface CsvRecord {
  line: number;
  cells: string[];
}

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

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
  const n = text.length;
  let i = 0;
  let line = 1;
  while (i < n) {
    const start = line;
    const cells: string[] = [];
    for (;;) {
      let cell: string;
      if (text.charCodeAt(i) === QUOTE) {
        const parts: string[] = [];
        let from = i + 1;
        for (;;) {
          const q = text.indexOf('"', from);
          if (q === -1) {
            problems.push({
              where: `line ${start}`,
              message: "a quoted cell is never closed; the file looks truncated",
            });
            return { records, problems };
          }
          parts.push(text.slice(from, q));
          if (text.charCodeAt(q + 1) === QUOTE) {
            parts.push('"');
            from = q + 2;
          } else {
            i = q + 1;
            break;
          }
        }
        cell = parts.join("");
        line += countNewlines(cell);
        // Be lenient with text after a closing quote (`"a"b`): keep it, up to the delimiter.
        const rest = scanUnquoted(text, i);
        cell += text.slice(i, rest);
        i = rest;
      } else {
        const end = scanUnquoted(text, i);
        cell = text.slice(i, end);
        i = end;
      }
      cells.push(cell);
      if (text.charCodeAt(i) === COMMA) {
        i++;
        continue;
      }
      // End of the record: CRLF, LF, CR, or the end of the text.
      if (text.charCodeAt(i) === CR) i++;
      if (text.charCodeAt(i) === LF) i++;
      line++;
      break;
    }
    if (!(cells.length === 1 && cells[0] === "")) records.push({ line: start, cells });
  }
  return { records, problems };
}

/** The index of the next comma, CR or LF at or after `i` (or the end of the text). */
function scanUnquoted(text: string, i: number): number {
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === COMMA || c === LF || c === CR) return i;
    i++;
  }
  return n;
}

function countNewlines(text: string): number {
  let count = 0;
  for (let at = text.indexOf("\n"); at !== -1; at = text.indexOf("\n", at + 1)) count++;
  return count;
}
