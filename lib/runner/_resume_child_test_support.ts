/**
 * A benchmark run in a process of its own, for tests and benches that kill it (SIGKILL) part
 * way through, resume it, or measure its memory:
 * `deno run … _resume_child_test_support.ts '<json>'`.
 *
 * The one argument is a {@linkcode ChildRun} as JSON. The child scores the synthetic sample
 * (`generateSample`, optionally cut to its first `limit` entries) with one OpenAI-compatible
 * judge at `base_url`, silently, then prints one JSON line, a {@linkcode ChildReport}.
 *
 * @module
 */

import process from "node:process";
import { fileURLToPath } from "node:url";
import { generateSample } from "../sample/generate_sample.ts";
import type { Entry } from "../data/entry.ts";
import { judgeFor } from "../judge/providers.ts";
import { getTask, missingInputs } from "../tasks/tasks.ts";
import { taskInputs } from "../tasks/task_inputs.ts";
import { runBenchmark } from "./run_benchmark.ts";

/** What the child runs. */
export interface ChildRun {
  /** The scripted (or any OpenAI-compatible) server's base URL. */
  base_url: string;
  /** Where the ledgers go. */
  output_dir: string;
  /** The sample's size (default `"full"`). */
  size?: "small" | "full";
  /** The sample's scale (default 1). */
  scale?: number;
  /** The sample's seed (default 1). */
  seed?: number;
  /** Score only the first `limit` entries. */
  limit?: number;
  /** Concurrent requests (default 8). */
  threads?: number;
  /**
   * `"run"` (default): `runBenchmark`. `"bare"`: the same judge sends one request per entry
   * at the same concurrency, with no runner (no ledger, no queue) — what the requests alone
   * cost in memory, for comparison.
   */
  mode?: "run" | "bare";
  /**
   * Force a full garbage collection every second and report the largest live heap seen (the
   * child runs with `--expose-gc`); slows the run.
   */
  live_heap?: boolean;
  /**
   * Run the child with `--allow-all`, so that it can read its own peak RSS from
   * `/proc/self/status` (`VmHWM`). Without it the peak is getrusage's `maxrss`, which on Linux
   * also counts the parent's resident memory at the time of the fork.
   */
  allow_all?: boolean;
}

/** What the child prints when it finishes. */
export interface ChildReport {
  /** Entries scored (after `limit`). */
  entries: number;
  /** Judgements made in this run. */
  judged: number;
  /** Judgements found in the ledger. */
  cached: number;
  /** Failed judgements, by reason. */
  failed: Record<string, number>;
  /** The run's wall time (`runBenchmark`'s own; for `bare`, the sending's), in milliseconds. */
  wall_ms: number;
  /** Peak resident set size of the process (VmHWM with `allow_all`, else maxrss), in bytes. */
  peak_rss_bytes: number | null;
  /** Peak resident set size before the run started (entries generated), in bytes. */
  rss_before_run_bytes: number | null;
  /** The highest `Deno.memoryUsage().rss` sampled every 100 ms during the run, in bytes. */
  sampled_rss_bytes: number;
  /** With `live_heap`: the live heap (after a full collection) before the run, in bytes. */
  live_heap_before_bytes: number | null;
  /** With `live_heap`: the largest live heap (after a full collection) during the run. */
  live_heap_peak_bytes: number | null;
  /** Concurrency changes during the run. */
  pool_events: number;
  /** When `runBenchmark` was called, in milliseconds since the epoch (to line up with a server). */
  started_at: number;
}

/** A child run under way. */
export interface SpawnedRun {
  /** The process (kill it with `SIGKILL` to interrupt the run). */
  child: Deno.ChildProcess;
  /** Its report once it exits 0; rejects with its stderr otherwise (or when it was killed). */
  report: Promise<ChildReport>;
}

/**
 * Starts a child `deno run` of this script, with the unit tests' permissions.
 *
 * @param run What the child runs.
 * @returns The process and its coming report.
 */
export function _spawnRun(run: ChildRun): SpawnedRun {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      ...(run.live_heap ? ["--v8-flags=--expose-gc"] : []),
      ...(run.allow_all ? ["--allow-all"] : [
        "--allow-read",
        "--allow-write",
        "--allow-env",
        "--allow-ffi",
        "--allow-sys",
        "--allow-net=127.0.0.1",
      ]),
      "--config",
      fileURLToPath(new URL("../../deno.json", import.meta.url)),
      fileURLToPath(import.meta.url),
      JSON.stringify(run),
    ],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const report = child.output().then(({ success, code, signal, stdout, stderr }) => {
    const text = new TextDecoder();
    if (!success) {
      throw new Error(
        `child run exited with ${signal ?? `code ${code}`}: ${text.decode(stderr).slice(-2000)}`,
      );
    }
    return JSON.parse(text.decode(stdout).trim().split("\n").at(-1)!) as ChildReport;
  });
  return { child, report };
}

/** One whole line of a ledger file: its key, entry and score (null for a failure). */
export interface LedgerLine {
  file: string;
  key: string;
  entry_id: string;
  score: number | null;
}

/**
 * Every whole line of every ledger in a folder, as written (duplicates kept), and how many
 * files end in a torn line.
 *
 * @param dir An output folder.
 * @returns The lines and the torn count.
 */
export async function _ledgerLines(dir: string): Promise<{ lines: LedgerLine[]; torn: number }> {
  const lines: LedgerLine[] = [];
  let torn = 0;
  const files = [];
  for await (const item of Deno.readDir(dir)) {
    if (item.isFile && item.name.endsWith(".jsonl")) files.push(item.name);
  }
  for (const file of files.sort()) {
    const text = await Deno.readTextFile(`${dir}/${file}`);
    const parts = text.split("\n");
    if (parts.pop() !== "") torn++; // no newline at the end: a torn last line
    for (const [i, part] of parts.entries()) {
      if (part === "") continue;
      let record: { key: string; entry_id: string; judgement: { status: string; score?: number } };
      try {
        record = JSON.parse(part);
      } catch (error) {
        throw new Error(`${file} line ${i + 1} is not JSON: ${(error as Error).message}`);
      }
      const score = record.judgement.status === "scored" ? record.judgement.score! : null;
      lines.push({ file, key: record.key, entry_id: record.entry_id, score });
    }
  }
  return { lines, torn };
}

/**
 * How many requests the lines needed at least: one per distinct (file, key).
 *
 * @param lines Ledger lines.
 * @returns The number of distinct judgements.
 */
export function _distinctJudgements(lines: readonly LedgerLine[]): number {
  return new Set(lines.map((line) => `${line.file}\u0000${line.key}`)).size;
}

/**
 * How a resumed run's ledgers differ from an uninterrupted run's, line by line: a line is a
 * (ledger file, key, entry); entries with the same content share a key (and one request).
 */
export interface LedgerComparison {
  /** Distinct (file, key, entry) lines in the resumed ledgers. */
  keys: number;
  /** Lines of the uninterrupted run missing from the resumed one. */
  missing: number;
  /** Lines in the resumed run that the uninterrupted one lacks. */
  extra: number;
  /** Lines written more than once. */
  duplicates: number;
  /** Lines whose score differs. */
  scoreMismatches: number;
  /** Lines that are failures rather than scores. */
  failed: number;
}

/**
 * Compares the ledgers of a resumed run with those of an uninterrupted one.
 *
 * @param actual The resumed run's lines.
 * @param expected The uninterrupted run's lines.
 * @returns The differences (all zero when the resumed run is as good).
 */
export function _compareLedgers(
  actual: readonly LedgerLine[],
  expected: readonly LedgerLine[],
): LedgerComparison {
  const id = (line: LedgerLine) => `${line.file}\u0000${line.key}\u0000${line.entry_id}`;
  const want = new Map(expected.map((line) => [id(line), line.score]));
  const got = new Map<string, number | null>();
  let duplicates = 0;
  let failed = 0;
  for (const line of actual) {
    if (got.has(id(line))) duplicates++;
    got.set(id(line), line.score);
    if (line.score === null) failed++;
  }
  let missing = 0;
  let scoreMismatches = 0;
  for (const [line, score] of want) {
    if (!got.has(line)) missing++;
    else if (got.get(line) !== score) scoreMismatches++;
  }
  let extra = 0;
  for (const line of got.keys()) if (!want.has(line)) extra++;
  return { keys: got.size, missing, extra, duplicates, scoreMismatches, failed };
}

/** The process's peak resident set size (VmHWM, else getrusage's maxrss), in bytes. */
function _peakRss(): number | null {
  // VmHWM is this program's own; maxrss also counts the parent's memory copied at the fork.
  // Reading /proc/self/status needs --allow-all under Deno; getrusage needs nothing.
  try {
    const hwm = /^VmHWM:\s*(\d+) kB/m.exec(Deno.readTextFileSync("/proc/self/status"));
    if (hwm) return Number(hwm[1]) * 1024;
  } catch {
    // not permitted, or not Linux: fall back
  }
  const kb = process.resourceUsage().maxRSS;
  return Number.isFinite(kb) && kb > 0 ? kb * 1024 : null;
}

/** Sends one request per entry with the judge the runner would build, `threads` at a time. */
async function _bare(run: ChildRun, entries: readonly Entry[]): Promise<number> {
  const judge = judgeFor(
    {
      provider: "openai-compatible",
      model_id: "scripted",
      name: "scripted",
      base_url: run.base_url,
    },
    {},
    {},
  );
  let next = 0;
  let sent = 0;
  const worker = async () => {
    while (next < entries.length) {
      const entry = entries[next++]!;
      const task = getTask(entry.benchmark);
      const inputs = taskInputs(entry);
      if (missingInputs(task, inputs).length > 0) continue;
      await judge.judge(task, inputs);
      sent++;
    }
  };
  await Promise.all(Array.from({ length: run.threads ?? 8 }, worker));
  return sent;
}

if (import.meta.main) {
  const run = JSON.parse(Deno.args[0] ?? "{}") as ChildRun;
  let entries = generateSample({
    size: run.size ?? "full",
    scale: run.scale ?? 1,
    seed: run.seed ?? 1,
  });
  if (run.limit !== undefined) entries = entries.slice(0, run.limit);
  const gc = run.live_heap ? (globalThis as { gc?: () => void }).gc : undefined;
  if (run.live_heap && !gc) throw new Error("live_heap needs --v8-flags=--expose-gc");
  const liveHeap = () => (gc!(), Deno.memoryUsage().heapUsed);
  const liveBefore = gc ? liveHeap() : null;
  let livePeak = liveBefore;
  const before = _peakRss();
  const startedAt = performance.timeOrigin + performance.now();
  let sampled = Deno.memoryUsage().rss;
  const sampler = setInterval(() => {
    sampled = Math.max(sampled, Deno.memoryUsage().rss);
  }, 100);
  const collector = gc && setInterval(() => (livePeak = Math.max(livePeak!, liveHeap())), 1000);
  const started = performance.now();
  const summary = run.mode === "bare"
    ? { judged: await _bare(run, entries), cached: 0, failed: {}, pool_events: [], wall_ms: 0 }
    : await runBenchmark({
      output_dir: run.output_dir,
      tasks: [],
      models: [{
        name: "scripted",
        provider: "openai-compatible",
        model_id: "scripted",
        base_url: run.base_url,
      }],
      threads: { "openai-compatible": run.threads ?? 8 },
      repeats: 1,
      budget: {},
    }, { entries, progress: "silent", log: () => {}, keys: {} });
  const wall = performance.now() - started;
  clearInterval(sampler);
  if (collector) clearInterval(collector);
  if (gc) livePeak = Math.max(livePeak!, liveHeap());
  sampled = Math.max(sampled, Deno.memoryUsage().rss);
  const report: ChildReport = {
    entries: entries.length,
    judged: summary.judged,
    cached: summary.cached,
    failed: summary.failed,
    wall_ms: run.mode === "bare" ? wall : summary.wall_ms,
    peak_rss_bytes: _peakRss(),
    rss_before_run_bytes: before,
    sampled_rss_bytes: sampled,
    live_heap_before_bytes: liveBefore,
    live_heap_peak_bytes: livePeak,
    pool_events: summary.pool_events.length,
    started_at: startedAt,
  };
  console.log(JSON.stringify(report));
}
