/**
 * How long `loadDataset()` takes to turn a file into a validated DataFrame, at the published
 * size (5,250 entries) and larger, and in each file format.
 *
 * Usage: `deno task bench` (or `deno run -A bench/load_dataset_bench.ts [--runs N]`).
 * Target (issue 2): under 300 ms for 5,250 entries on a 2-core machine, growing linearly.
 *
 * @module
 */

import pl from "nodejs-polars";
import { join } from "node:path";
import { entriesFrame } from "../lib/data/entries_frame.ts";
import type { Entry } from "../lib/data/entry.ts";
import { loadDataset } from "../lib/data/load_dataset.ts";
import { readRows } from "../lib/data/read_rows.ts";
import { generateSample } from "../lib/sample/generate_sample.ts";
import { validateEntries } from "../lib/data/validate_entries.ts";

const TARGET_MS = 300;
const runs = Number(argValue("--runs") ?? 7);

function argValue(name: string): string | undefined {
  const i = Deno.args.indexOf(name);
  return i >= 0 ? Deno.args[i + 1] : undefined;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Median wall time of `fn` over `runs` runs, after one warm-up run. */
async function time(fn: () => unknown): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return median(times);
}

async function writeJson(dir: string, name: string, entries: Entry[]): Promise<string> {
  const path = join(dir, name);
  await Deno.writeTextFile(path, JSON.stringify(entries));
  return path;
}

const dir = await Deno.makeTempDir({ prefix: "preceptron-bench-" });
try {
  console.log(
    `loadDataset() benchmark: median of ${runs} runs after a warm-up (Deno ${Deno.version.deno}, ${navigator.hardwareConcurrency} cores)\n`,
  );

  // Scaling: the same JSON format at 1×, 2×, 5× and 10× the published size.
  const rows: string[][] = [];
  let basePerThousand = 0;
  for (const scale of [1, 2, 5, 10]) {
    const entries = generateSample({ size: "full", scale });
    const path = await writeJson(dir, `full-x${scale}.json`, entries);
    const bytes = (await Deno.stat(path)).size;
    const read = await time(() => readRows(path));
    const { rows: raw } = await readRows(path);
    const validate = await time(() => validateEntries(raw));
    const { entries: valid } = validateEntries(raw);
    const frame = await time(() => entriesFrame(valid));
    const total = await time(() => loadDataset(path));
    const perThousand = total / (entries.length / 1000);
    if (scale === 1) basePerThousand = perThousand;
    rows.push([
      `${scale}×`,
      entries.length.toLocaleString("en"),
      (bytes / 1e6).toFixed(1),
      read.toFixed(0),
      validate.toFixed(0),
      frame.toFixed(0),
      total.toFixed(0),
      perThousand.toFixed(1),
      (perThousand / basePerThousand).toFixed(2),
      scale === 1
        ? (total < TARGET_MS ? `< ${TARGET_MS} ms: met` : `< ${TARGET_MS} ms: MISSED`)
        : "",
    ]);
  }
  table(
    [
      "size",
      "entries",
      "MB",
      "read+parse ms",
      "validate ms",
      "frame ms",
      "loadDataset ms",
      "ms / 1k",
      "vs 1×",
      "target",
    ],
    rows,
  );

  // Formats: the published size written as JSON Lines, CSV (via Polars) and Parquet.
  console.log("\nby format, 5,250 entries:\n");
  const full = generateSample({ size: "full" });
  const paths: [string, string][] = [["json", await writeJson(dir, "full.json", full)]];
  const jsonl = join(dir, "full.jsonl");
  await Deno.writeTextFile(jsonl, full.map((e) => JSON.stringify(e)).join("\n") + "\n");
  paths.push(["jsonl", jsonl]);
  // Parquet and CSV as a dataframe tool would export them: rater scores as JSON text.
  const flat = pl.DataFrame(full.map(({ grades, rubric, extra: _, ...e }) => ({
    ...e,
    rubric: rubric === undefined ? null : JSON.stringify(rubric),
    grades: grades === undefined ? null : JSON.stringify(grades),
  })));
  const parquet = join(dir, "full.parquet");
  flat.writeParquet(parquet);
  paths.push(["parquet", parquet]);
  const csv = join(dir, "full.csv");
  flat.writeCSV(csv);
  paths.push(["csv", csv]);
  const formatRows: string[][] = [];
  for (const [format, path] of paths) {
    const height = (await loadDataset(path)).height;
    const total = await time(() => loadDataset(path));
    formatRows.push([
      format,
      height.toLocaleString("en"),
      ((await Deno.stat(path)).size / 1e6).toFixed(1),
      total.toFixed(0),
    ]);
  }
  table(["format", "entries", "MB", "loadDataset ms"], formatRows);
} finally {
  await Deno.remove(dir, { recursive: true });
}

function table(header: string[], body: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    "| " +
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(" | ") +
    " |";
  console.log(line(header));
  console.log(
    "|" +
      widths.map((w, i) => (i === 0 ? "-".repeat(w + 1) + "-" : "-".repeat(w + 1) + ":")).join(
        "|",
      ) + "|",
  );
  for (const r of body) console.log(line(r));
}
