/**
 * Writing generated entries the way the dataset file holds them: one flat object per entry,
 * with `extra` fields (the `synthetic` mark) at the top level, as a JSON array laid out the way
 * `deno fmt` lays JSON out (so the shipped file passes the repository's format check), or as
 * JSON Lines.
 *
 * @module
 */

import type { Entry } from "../data/entry.ts";

/**
 * An entry as a dataset row: its fields, with `extra` fields lifted to the top level (so that
 * reading the file back through `validateEntries` gives the same entry).
 *
 * @param entry The entry.
 * @returns A plain object ready for `JSON.stringify`.
 *
 * @example
 * ```ts
 * import { entryRow } from "./_rows.ts";
 * import assert from "node:assert/strict";
 *
 * const row = entryRow({
 *   id: "a", case_id: "c", benchmark: "cpc_bond", study: "s", model: "m", grade: 5,
 *   max_score: 5, response: "1. Pheo", extra: { synthetic: true },
 * });
 * assert.equal(row.synthetic, true);
 * assert.equal("extra" in row, false);
 * ```
 */
export function entryRow(entry: Entry): Record<string, unknown> {
  const { extra, ...fields } = entry;
  return { ...fields, ...extra };
}

/**
 * Serialises entries as a JSON array laid out exactly as `deno fmt` would lay it out, or, for
 * `"jsonl"`, as JSON Lines (one entry per line).
 *
 * @param entries The entries.
 * @param format `"json"` or `"jsonl"`.
 * @returns The file text, ending in a newline.
 *
 * @example
 * ```ts
 * import { serializeEntries } from "./_rows.ts";
 * import assert from "node:assert/strict";
 *
 * const e = { id: "a", case_id: "c", benchmark: "r_idea" as const, study: "s", model: "m",
 *   grade: 9, max_score: 10, response: "…", grades: [{ rater: "p1", score: 9 }] };
 * assert.deepEqual(JSON.parse(serializeEntries([e, e], "json")).length, 2);
 * assert.match(serializeEntries([e], "json"), /\n {6}\{ "rater": "p1", "score": 9 \}\n/);
 * assert.equal(serializeEntries([e], "jsonl").trim().split("\n").length, 1);
 * ```
 */
export function serializeEntries(entries: readonly Entry[], format: "json" | "jsonl"): string {
  const rows = entries.map(entryRow);
  if (format === "jsonl") {
    return rows.map((row) => JSON.stringify(row)).join("\n") + (rows.length ? "\n" : "");
  }
  return layout(rows, "", 0, 0) + "\n";
}

// deno fmt's JSON layout, as observed (Deno 2.9): a container stays on one line when that line
// fits in 80 columns, except that an array holding objects or arrays always breaks, one
// element per line; broken containers indent by two spaces.
const JSON_WIDTH = 80;

function oneLine(value: unknown): string {
  if (Array.isArray(value)) return value.length === 0 ? "[]" : `[${value.map(oneLine).join(", ")}]`;
  if (value !== null && typeof value === "object") {
    const fields = Object.entries(value);
    if (fields.length === 0) return "{}";
    return `{ ${fields.map(([k, v]) => `${JSON.stringify(k)}: ${oneLine(v)}`).join(", ")} }`;
  }
  return JSON.stringify(value);
}

/** Lays out `value`, which starts `lead` columns after `indent` and is followed by `trail`. */
function layout(value: unknown, indent: string, lead: number, trail: number): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  const flat = oneLine(value);
  const nested = Array.isArray(value) &&
    value.some((v) => v !== null && typeof v === "object");
  if (indent !== "" && !nested && indent.length + lead + flat.length + trail <= JSON_WIDTH) {
    return flat;
  }
  const inner = indent + "  ";
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    const items = value.map((v, i) => inner + layout(v, inner, 0, i < value.length - 1 ? 1 : 0));
    return `[\n${items.join(",\n")}\n${indent}]`;
  }
  const fields = Object.entries(value);
  if (fields.length === 0) return "{}";
  const lines = fields.map(([k, v], i) => {
    const key = `${JSON.stringify(k)}: `;
    return inner + key + layout(v, inner, key.length, i < fields.length - 1 ? 1 : 0);
  });
  return `{\n${lines.join(",\n")}\n${indent}}`;
}
