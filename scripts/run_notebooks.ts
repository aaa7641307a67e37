/**
 * Execute Deno Jupyter notebooks headlessly and report per-notebook status and time.
 *
 * ```sh
 * deno run -A scripts/run_notebooks.ts [--out DIR] [--timeout SECONDS] [notebook.ipynb ...]
 * ```
 *
 * Without paths it runs every `*.ipynb` in `vignettes/` and `notebooks/`. Each executed notebook
 * is written under the output folder (default `out/`) at its path relative to the project, e.g.
 * `vignettes/use-judge.ipynb` → `out/vignettes/use-judge.ipynb`. A notebook stops at its first
 * failing cell; the others still run; the exit code is 1 if any failed.
 *
 * Cells run in the Deno kernel through `scripts/execute_notebook.py`, a small Jupyter driver that
 * keeps the outputs the kernel publishes after reporting a cell idle (stock nbconvert drops them).
 *
 * @module
 */

import { readdir } from "node:fs/promises";
import { basename, delimiter, isAbsolute, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { ensureJupyter, installKernelSpec, jupyterPython, KERNEL_NAME } from "./_jupyter.ts";

/** The project root: the folder above `scripts/`. */
const ROOT = fileURLToPath(new URL("..", import.meta.url));
const DRIVER = fileURLToPath(new URL("execute_notebook.py", import.meta.url));

/** Folders searched for notebooks when no path is given. */
const NOTEBOOK_DIRS = ["vignettes", "notebooks"];

/** Options for {@linkcode runNotebook}. */
export interface RunNotebookOptions {
  /** Folder the executed notebooks are written under. */
  outDir: string;
  /** Seconds each cell may run before the notebook fails. Default: 900. */
  timeoutSeconds?: number;
  /** Folder whose layout is mirrored under `outDir`. Default: the project root. */
  root?: string;
}

/** What happened to one notebook. */
export interface NotebookResult {
  /** The notebook as given. */
  path: string;
  /** Where the executed copy was written. */
  output: string;
  /** Code cells in the notebook. */
  cells: number;
  /** Code cells that were run (all of them unless one failed). */
  executed: number;
  /** Whether every code cell ran without error. */
  ok: boolean;
  /** One-based position (counting every cell) of the failing cell, or null. */
  failedCell: number | null;
  /** The error, e.g. `"Error: boom"`, or null. */
  error: string | null;
  /** Outputs that arrived after their cell went idle and were kept. */
  late: number;
  /** Outputs that could not be routed to any cell, and so are missing; any makes `ok` false. */
  dropped: number;
  /** Wall-clock seconds, kernel start-up included. */
  seconds: number;
  /** The driver's stderr (kernel warnings, Python tracebacks). */
  log: string;
}

/**
 * The path an executed notebook is written to: `outDir` plus its path relative to `root`.
 *
 * A notebook outside `root` keeps its path relative to the working folder, and one outside both
 * keeps only its file name.
 *
 * @param notebook The notebook path, absolute or relative to the working folder.
 * @param outDir The output folder.
 * @param root The folder whose layout is mirrored. Default: the project root.
 * @returns An absolute path under `outDir`.
 *
 * @example Mirror a vignette
 * ```ts
 * import { outputPath } from "./run_notebooks.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(outputPath("/p/vignettes/a.ipynb", "/p/out", "/p"), "/p/out/vignettes/a.ipynb");
 * ```
 */
export function outputPath(notebook: string, outDir: string, root: string = ROOT): string {
  const absolute = resolve(notebook);
  for (const base of [root, Deno.cwd()]) {
    const rel = relative(base, absolute);
    if (rel !== "" && !rel.startsWith("..") && !isAbsolute(rel)) return resolve(outDir, rel);
  }
  return resolve(outDir, basename(absolute));
}

/**
 * Every `*.ipynb` in the project's `vignettes/` and `notebooks/` folders, sorted.
 *
 * @param root The project root. Default: the folder above `scripts/`.
 * @returns Paths relative to the working folder when inside it, else absolute.
 */
export async function findNotebooks(root: string = ROOT): Promise<string[]> {
  const found: string[] = [];
  for (const dir of NOTEBOOK_DIRS) {
    const entries = await readdir(join(root, dir), { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (entry.isFile() && entry.name.endsWith(".ipynb")) found.push(join(root, dir, entry.name));
    }
  }
  return found.sort().map(display);
}

/**
 * Execute one notebook in the Deno kernel and write the executed copy under `outDir`.
 *
 * The kernel starts in the notebook's folder, so relative paths behave as in Jupyter and the
 * project's `deno.json` is found. Call {@linkcode ensureJupyter} first.
 *
 * @param path The notebook to run.
 * A notebook fails when a cell fails, and also when the driver could not route an output to any
 * cell (`dropped`): the executed copy would silently lack it.
 *
 * @param options Output folder, per-cell timeout, mirrored root.
 * @returns Its status; a failing notebook resolves with `ok: false` rather than throwing.
 */
export async function runNotebook(
  path: string,
  options: RunNotebookOptions,
): Promise<NotebookResult> {
  const started = performance.now();
  const root = options.root ?? ROOT;
  const output = outputPath(path, options.outDir, root);
  const result: NotebookResult = {
    path,
    output,
    cells: 0,
    executed: 0,
    ok: false,
    failedCell: null,
    error: null,
    late: 0,
    dropped: 0,
    seconds: 0,
    log: "",
  };
  const finish = () => ({ ...result, seconds: (performance.now() - started) / 1000 });

  const input = resolve(path);
  if (output === input) {
    result.error = "the output folder would overwrite the notebook itself";
    return finish();
  }
  const jupyterDir = join(ROOT, ".cache", "jupyter");
  await installKernelSpec(jupyterDir);

  const env: Record<string, string> = {
    // Our kernelspec first; keep any the user already has.
    JUPYTER_PATH: [jupyterDir, Deno.env.get("JUPYTER_PATH")].filter(Boolean).join(delimiter),
  };
  const args = [
    DRIVER,
    "--kernel",
    KERNEL_NAME,
    "--timeout",
    String(options.timeoutSeconds ?? 900),
    "--cwd",
    resolve(input, ".."),
    input,
    output,
  ];
  const run = await new Deno.Command(jupyterPython(), {
    args,
    env,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = new TextDecoder().decode(run.stdout);
  result.log = new TextDecoder().decode(run.stderr);

  const summary = parseSummary(stdout);
  if (summary === undefined) {
    result.error = `the driver crashed (exit code ${run.code})`;
    return finish();
  }
  result.cells = summary.cells;
  result.executed = summary.executed;
  result.failedCell = summary.failed_cell;
  result.error = summary.error;
  result.late = summary.late;
  result.dropped = summary.dropped ?? 0;
  // The kit promises never to lose an output: one the driver could not place fails the notebook.
  result.ok = summary.ok && run.code === 0 && result.dropped === 0;
  if (!result.ok && result.error === null) {
    result.error = result.dropped > 0
      ? `${result.dropped} output${
        result.dropped === 1 ? "" : "s"
      } could not be routed to a cell and were lost`
      : `driver exit code ${run.code}`;
  }
  return finish();
}

/**
 * Format results as an aligned table with a summary line underneath.
 *
 * The summary line counts late outputs kept and, when there are any, outputs lost.
 *
 * @param results One entry per notebook, in run order.
 * @returns Text ending in a newline.
 *
 * @example One notebook
 * ```ts
 * import { formatReport } from "./run_notebooks.ts";
 * import assert from "node:assert/strict";
 *
 * const report = formatReport([{
 *   path: "a.ipynb", output: "out/a.ipynb", cells: 3, executed: 3, ok: true,
 *   failedCell: null, error: null, late: 0, dropped: 0, seconds: 1.5, log: "",
 * }]);
 * assert.match(report, /a\.ipynb\s+3\s+ok\s+1\.5/);
 * ```
 */
export function formatReport(results: readonly NotebookResult[]): string {
  const rows = results.map((r) => [
    r.path,
    r.ok ? String(r.cells) : `${r.executed}/${r.cells}`,
    r.ok ? "ok" : statusOfFailure(r),
    r.seconds.toFixed(1),
  ]);
  const header = ["notebook", "cells", "status", "seconds"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (row: string[]) =>
    row.map((cell, i) => i === row.length - 1 ? cell : cell.padEnd(widths[i]!)).join("  ")
      .trimEnd();
  const failed = results.filter((r) => !r.ok).length;
  const seconds = results.reduce((sum, r) => sum + r.seconds, 0);
  const late = results.reduce((sum, r) => sum + r.late, 0);
  const dropped = results.reduce((sum, r) => sum + r.dropped, 0);
  const noun = results.length === 1 ? "notebook" : "notebooks";
  const summary = `${results.length} ${noun}: ${results.length - failed} ok, ${failed} failed ` +
    `in ${seconds.toFixed(1)} s (${late} late outputs kept${
      dropped > 0 ? `, ${dropped} LOST: no cell to route them to` : ""
    })`;
  return [line(header), ...rows.map(line), summary].join("\n") + "\n";
}

/**
 * Command-line entry point: parse `args`, run the notebooks, print the report.
 *
 * @param args Command-line arguments, without the script name.
 * @returns The exit code: 0 when every notebook passed, 1 otherwise, 2 on a usage error.
 */
export async function main(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        out: { type: "string", default: join(ROOT, "out") },
        timeout: { type: "string", default: "900" },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : error}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const timeoutSeconds = Number(values.timeout);
  if (!(timeoutSeconds > 0)) {
    console.error(`--timeout must be a positive number of seconds, not ${values.timeout}`);
    return 2;
  }

  const paths = positionals.length > 0 ? positionals : await findNotebooks();
  if (paths.length === 0) {
    console.log(`No notebooks in ${NOTEBOOK_DIRS.join("/ or ")}/: nothing to run.`);
    return 0;
  }
  try {
    await ensureJupyter();
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    return 1;
  }

  const results: NotebookResult[] = [];
  for (const path of paths) {
    console.error(`running ${path}`);
    const result = await runNotebook(path, { outDir: values.out, timeoutSeconds });
    if (!result.ok) {
      // Show what the driver and kernel said; the table has room for one line only.
      console.error(`${path}: ${statusOfFailure(result)}`);
      const tail = result.log.split("\n").filter((l) => l.trim() && !UNSTABLE.test(l))
        .slice(-20).join("\n");
      if (tail) console.error(tail);
    }
    results.push(result);
  }
  console.log(formatReport(results).trimEnd());
  return results.every((r) => r.ok) ? 0 : 1;
}

const USAGE = `Usage: deno run -A scripts/run_notebooks.ts [options] [notebook.ipynb ...]

Executes Deno notebooks headlessly (default: every *.ipynb in vignettes/ and notebooks/),
writes the executed copies under the output folder, exits 1 if any cell fails.

Options:
  --out DIR          output folder (default: out/ in the project)
  --timeout SECONDS  time limit per cell (default: 900)
  -h, --help         show this help`;

/** The kernel's start-up warning, noise in a failure report. */
const UNSTABLE = /"deno jupyter" is unstable/;

/** The driver's one-line JSON summary. */
interface DriverSummary {
  cells: number;
  executed: number;
  ok: boolean;
  failed_cell: number | null;
  error: string | null;
  late: number;
  /** Outputs routed to no cell (absent from drivers older than this field). */
  dropped?: number;
}

function parseSummary(stdout: string): DriverSummary | undefined {
  // The summary is the last JSON line; anything before it is noise.
  const line = stdout.trim().split("\n").reverse().find((l) => l.startsWith("{"));
  if (line === undefined) return undefined;
  try {
    return JSON.parse(line) as DriverSummary;
  } catch {
    return undefined;
  }
}

function statusOfFailure(result: NotebookResult): string {
  const message = (result.error ?? "unknown error").split("\n")[0]!;
  const short = message.length > 100 ? `${message.slice(0, 97)}...` : message;
  return result.failedCell === null
    ? `FAILED: ${short}`
    : `FAILED at cell ${result.failedCell}: ${short}`;
}

/** A path relative to the working folder when inside it, for shorter report lines. */
function display(path: string): string {
  const rel = relative(Deno.cwd(), path);
  return rel.startsWith("..") || isAbsolute(rel) ? path : rel;
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
