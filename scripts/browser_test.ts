/**
 * Runs the notebooks in a real front end — Jupyter Notebook 6 in headless Chromium — with
 * Kernel → Restart & Run All, and checks what the page shows against the headless runner's
 * executed copies: every cell shows its own outputs (none empty that should not be, none showing
 * another cell's), figures render as SVG, tables as tables, and no cell shows an error.
 *
 * ```sh
 * deno run -A scripts/browser_test.ts [--runs N] [--reference DIR] [--quiet S] [--timeout S]
 *                                     [--trace DIR] [notebook.ipynb ...]
 * ```
 *
 * Without paths it checks every notebook in `vignettes/` and `notebooks/`. The reference is the
 * executed copy under `--reference` (default `out/`); a missing one is made first with the
 * headless runner. Needs Debian's `jupyter-notebook` and `chromium` (installed with apt when
 * missing and running as root) and `npm:playwright-core`. Only 127.0.0.1 is contacted. Every
 * run's IOPub traffic (WebSocket frames) is written under `--trace` (default
 * `.cache/browser/traces/`); for a misplaced output the relevant messages are printed.
 *
 * Exit codes: 0 all well; 1 a misplaced output, an error output or a run that did not finish;
 * 2 Chromium or Jupyter Notebook missing and not installable, or the server did not start.
 *
 * @module
 */

// Types only: playwright-core is loaded in main(), since loading it reads system files that a
// restricted run (the doc tests) may not read.
import type { BrowserContext, Page } from "playwright-core";
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { delimiter, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { ensureJupyter, installKernelSpec } from "./_jupyter.ts";
import { findNotebooks, outputPath, runNotebook } from "./run_notebooks.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const CHROMIUM = "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** One output as the check sees it: its kind, its words, and what it contains. */
export interface SeenOutput {
  /** `stream`, `html`, `svg`, `png`, `text`, `markdown`, `error`… */
  kind: string;
  /** Its visible text, whitespace collapsed. */
  text: string;
  /** Whether it contains an `<svg>` element. */
  svg: boolean;
  /** Whether it contains a `<table>` element. */
  table: boolean;
}

/** What went wrong in one cell. */
export interface CellProblem {
  /** The cell's index among all cells, as in the `.ipynb`. */
  cell: number;
  /** `missing`: an expected output is not in this cell; `foreign`: it shows another's. */
  kind: "missing" | "foreign";
  /** For `missing`: where it was found instead (a cell index), if anywhere. */
  foundIn?: number;
  /** For `foreign`: the cell whose output it is, if known. */
  from?: number;
  /** The output concerned. */
  output: SeenOutput;
}

/** The verdict on one run of one notebook. */
export interface RunCheck {
  /** Expected outputs not shown in their cell, plus outputs shown in a cell not theirs. */
  misplaced: number;
  /** Figures expected, and rendered as `<svg>` in their cell. */
  figures: { expected: number; rendered: number };
  /** Tables expected, and rendered as `<table>` in their cell. */
  tables: { expected: number; rendered: number };
  /** Error outputs shown. */
  errors: number;
  /** The problems, cell by cell. */
  problems: CellProblem[];
}

/** Notebook 6's order of preference among MIME types (`OutputArea.display_order`). */
const DISPLAY_ORDER: [string, string][] = [
  ["application/javascript", "javascript"],
  ["text/html", "html"],
  ["text/markdown", "markdown"],
  ["text/latex", "latex"],
  ["image/svg+xml", "svg"],
  ["image/png", "png"],
  ["image/jpeg", "jpeg"],
  ["image/gif", "gif"],
  ["application/pdf", "pdf"],
  ["text/plain", "text"],
];

/**
 * How Notebook 6 would show one output of an executed `.ipynb`: the kind it picks and its text.
 *
 * @param output An output as stored in an `.ipynb`.
 * @returns The output as the check compares it.
 *
 * @example
 * ```ts
 * import { expectedOutput } from "./browser_test.ts";
 * import assert from "node:assert/strict";
 *
 * const seen = expectedOutput({
 *   output_type: "execute_result",
 *   data: { "image/svg+xml": "<svg><text>x</text></svg>", "text/plain": "[object]" },
 * });
 * assert.deepEqual(seen, { kind: "svg", text: "x", svg: true, table: false });
 * ```
 */
export function expectedOutput(output: Record<string, unknown>): SeenOutput {
  const join = (v: unknown) => (Array.isArray(v) ? v.join("") : String(v ?? ""));
  if (output.output_type === "stream") {
    return { kind: "stream", text: squash(join(output.text)), svg: false, table: false };
  }
  if (output.output_type === "error") {
    const text = `${output.ename}: ${output.evalue}`;
    return { kind: "error", text: squash(text), svg: false, table: false };
  }
  const data = (output.data ?? {}) as Record<string, unknown>;
  for (const [mime, kind] of DISPLAY_ORDER) {
    if (!(mime in data)) continue;
    const raw = join(data[mime]);
    const markup = kind === "html" || kind === "svg";
    return {
      kind,
      text: squash(markup ? stripTags(raw) : raw),
      svg: kind === "svg" || (kind === "html" && /<svg[\s>]/i.test(raw)),
      table: kind === "html" && /<table[\s>]/i.test(raw),
    };
  }
  return { kind: "unrecognized", text: "", svg: false, table: false };
}

/**
 * Similarity of two outputs' words (Jaccard index of their word sets, digits ignored), 0 to 1.
 *
 * Digits are ignored because timings and progress counts differ from run to run.
 *
 * @param a One text.
 * @param b The other.
 * @returns 1 for the same words, 0 for none in common (and 1 for two empty texts).
 *
 * @example
 * ```ts
 * import { similarity } from "./browser_test.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(similarity("took 1.5 s", "took 2.0 s"), 1);
 * assert.equal(similarity("a b", "c d"), 0);
 * ```
 */
export function similarity(a: string, b: string): number {
  const words = (t: string) =>
    new Set(t.toLowerCase().replace(/[0-9]+/g, "0").split(/[^\p{L}\p{N}]+/u).filter(Boolean));
  const x = words(a);
  const y = words(b);
  if (x.size === 0 && y.size === 0) return 1;
  let common = 0;
  for (const w of x) if (y.has(w)) common++;
  return common / (x.size + y.size - common);
}

/** Two outputs of one kind with at least this similarity are the same output. */
const SAME = 0.3;

/**
 * Compares what the page shows with the reference, cell by cell.
 *
 * An expected output is *missing* when its cell shows no output of its kind that resembles it;
 * a shown output is *foreign* when it resembles no expected output of its own cell. An output
 * moved from one cell to the next is one misplaced output (missing, found in the next cell), not
 * two.
 *
 * @param expected Per cell (all cells, by index), the reference's outputs.
 * @param shown Per cell, the outputs the page shows.
 * @returns The counts and problems.
 *
 * @example An output shown under the next cell
 * ```ts
 * import { checkRun } from "./browser_test.ts";
 * import assert from "node:assert/strict";
 *
 * const out = (text: string) => ({ kind: "html", text, svg: false, table: true });
 * const check = checkRun(
 *   [[out("first table")], [out("second list")]],
 *   [[], [out("first table"), out("second list")]],
 * );
 * assert.equal(check.misplaced, 1);
 * assert.deepEqual(check.problems.map((p) => [p.cell, p.kind]), [[0, "missing"], [1, "foreign"]]);
 * ```
 */
export function checkRun(expected: SeenOutput[][], shown: SeenOutput[][]): RunCheck {
  const like = (a: SeenOutput, b: SeenOutput) => a.kind === b.kind ? similarity(a.text, b.text) : 0;
  const check: RunCheck = {
    misplaced: 0,
    figures: { expected: 0, rendered: 0 },
    tables: { expected: 0, rendered: 0 },
    errors: 0,
    problems: [],
  };
  const moved: { cell: number; output: SeenOutput }[] = []; // missing, but found elsewhere
  expected.forEach((outputs, cell) => {
    for (const want of outputs) {
      if (want.svg) check.figures.expected++;
      if (want.table) check.tables.expected++;
      // The closest of the cell's outputs: a run's counts differ from the reference's (a re-run
      // finds its judgements cached), so a table can read like the progress line above it.
      const match = (shown[cell] ?? []).reduce<SeenOutput | undefined>((best, got) => {
        const s = like(want, got);
        return s >= SAME && (best === undefined || s > like(want, best)) ? got : best;
      }, undefined);
      if (match) {
        if (want.svg && match.svg) check.figures.rendered++;
        if (want.table && match.table) check.tables.rendered++;
        continue;
      }
      // A cell that failed lacks its outputs because of the error, counted as such.
      const failed = (shown[cell] ?? []).some((got) => got.kind === "error");
      if (!failed) check.misplaced++;
      // Found elsewhere: an output of another cell resembles it more than anything that cell
      // expects (two figures share much of their text).
      const foundIn = shown.findIndex((got, other) =>
        other !== cell && got.some((g) => {
          const s = like(want, g);
          return s >= SAME && (expected[other] ?? []).every((e) => like(e, g) < s);
        })
      );
      if (foundIn >= 0) moved.push({ cell: foundIn, output: want });
      check.problems.push({
        cell,
        kind: "missing",
        ...(foundIn >= 0 ? { foundIn } : {}),
        output: want,
      });
    }
  });
  shown.forEach((outputs, cell) => {
    for (const got of outputs) {
      if (got.kind === "error") {
        check.errors++;
        continue;
      }
      if ((expected[cell] ?? []).some((want) => like(want, got) >= SAME)) continue;
      let from = -1;
      let best = SAME;
      expected.forEach((wants, other) => {
        for (const want of wants) {
          const s = like(want, got);
          if (other !== cell && s >= best) [from, best] = [other, s];
        }
      });
      // The other half of an output already counted as missing is not counted again.
      const counted = moved.some((m) => m.cell === cell && like(m.output, got) >= SAME);
      if (!counted) check.misplaced++;
      check.problems.push({ cell, kind: "foreign", ...(from >= 0 ? { from } : {}), output: got });
    }
  });
  return check;
}

function squash(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

function stripTags(html: string): string {
  return html
    .replace(/<(style|script)[\s>][\s\S]*?<\/\1>/gi, " ")
    .replace(/<[^>]*>/g, " ")
    .replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'").replace(/&nbsp;/g, " ").replace(/&amp;/g, "&");
}

// ---------------------------------------------------------------------------------------------
// The page side: scripts evaluated in Notebook 6's page.

/** Disables autosave (the test must not write the notebooks) and waits for a live kernel. */
const PAGE_READY = `(async () => {
  while (!(window.Jupyter && Jupyter.notebook && Jupyter.notebook._fully_loaded &&
           Jupyter.notebook.kernel && Jupyter.notebook.kernel.is_connected() &&
           Jupyter.notebook.kernel.info_reply && Jupyter.notebook.kernel.info_reply.status)) {
    await new Promise((r) => setTimeout(r, 100));
  }
  Jupyter.notebook.set_autosave_interval(0);
  Jupyter.notebook.writable = false;
  window.__bt = { mutations: 0, last: Date.now() };
  new MutationObserver(() => { window.__bt.mutations++; window.__bt.last = Date.now(); })
    .observe(document.getElementById("notebook-container"),
      { childList: true, subtree: true, characterData: true, attributes: true });
  return true;
})()`;

/** Kernel → Restart & Run All, without the confirmation dialog. */
const RESTART_RUN_ALL = `(async () => {
  Jupyter.notebook.clear_all_output();
  await Jupyter.notebook.restart_run_all({ confirm: false });
  return true;
})()`;

/** Whether the run is over: no `*` prompt, kernel idle, and how long the page has been quiet. */
const RUN_STATE = `(() => {
  const cells = Jupyter.notebook.get_cells().filter((c) => c.cell_type === "code");
  const icon = document.getElementById("kernel_indicator_icon");
  return {
    running: cells.filter((c) => c.input_prompt_number === "*").length,
    idle: !!icon && icon.classList.contains("kernel_idle_icon"),
    quietMs: Date.now() - window.__bt.last,
  };
})()`;

/** Every cell's outputs as shown (DOM), with the msg_id of its last execute request. */
const READ_CELLS = `(() => {
  // Text nodes joined with spaces, as the reference's tags are replaced with spaces.
  const words = (el) => {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    const parts = [];
    while (walker.nextNode()) {
      const node = walker.currentNode;
      if (!["STYLE", "SCRIPT"].includes(node.parentNode.nodeName.toUpperCase())) {
        parts.push(node.nodeValue);
      }
    }
    return parts.join(" ").replace(/\\s+/g, " ").trim();
  };
  return Jupyter.notebook.get_cells().map((cell) => {
  const kinds = ["error", "stream", "svg", "html", "png", "jpeg", "gif", "markdown",
    "javascript", "latex", "pdf", "text", "unrecognized"];
  const outputs = cell.cell_type !== "code" ? [] :
    [...cell.element[0].querySelectorAll(".output_area > .output_subarea")].map((el) => ({
      kind: kinds.find((k) => el.classList.contains("output_" + k)) || "unknown",
      text: words(el),
      svg: !!el.querySelector("svg"),
      table: !!el.querySelector("table"),
    }));
  return { type: cell.cell_type, msgId: cell.last_msg_id || null,
           prompt: cell.input_prompt_number ?? null, outputs };
  });
})()`;

interface PageCell {
  type: string;
  msgId: string | null;
  prompt: number | string | null;
  outputs: SeenOutput[];
}

interface RunState {
  running: number;
  idle: boolean;
  quietMs: number;
}

/** One WebSocket frame of the kernel channel, summarised. */
interface Frame {
  t: number;
  dir: "sent" | "received";
  channel: string;
  type: string;
  id: string;
  parent: string;
  count?: number;
  state?: string;
  displayId?: string;
  text?: string;
}

function summariseFrame(payload: string | Uint8Array, dir: Frame["dir"], t0: number) {
  if (typeof payload !== "string") return undefined;
  try {
    const msg = JSON.parse(payload);
    const content = msg.content ?? {};
    const data = content.data ?? {};
    const body = content.text ?? data["text/plain"] ?? (content.ename ? content.evalue : "");
    const frame: Frame = {
      t: Math.round(performance.now() - t0),
      dir,
      channel: msg.channel ?? "",
      type: msg.header?.msg_type ?? msg.msg_type ?? "",
      id: msg.header?.msg_id ?? "",
      parent: msg.parent_header?.msg_id ?? "",
    };
    if (typeof content.execution_count === "number") frame.count = content.execution_count;
    if (content.execution_state) frame.state = content.execution_state;
    if (content.transient?.display_id) frame.displayId = content.transient.display_id;
    if (body) frame.text = squash(String(body)).slice(0, 60);
    return frame;
  } catch {
    return undefined;
  }
}

/** Output messages that reached the page after their request went idle or with a stale parent. */
function traceFindings(frames: Frame[], cells: PageCell[]) {
  const cellOf = new Map<string, number>();
  cells.forEach((c, i) => c.msgId && cellOf.set(c.msgId, i));
  const idleAt = new Map<string, number>();
  const countOf = new Map<string, number>();
  for (const f of frames) {
    if (f.type === "status" && f.state === "idle") idleAt.set(f.parent, f.t);
    if (f.type === "execute_input" && f.count !== undefined) countOf.set(f.parent, f.count);
  }
  const outputs = ["stream", "display_data", "update_display_data", "execute_result", "error"];
  let late = 0;
  let stale = 0;
  for (const f of frames) {
    if (f.dir !== "received" || !outputs.includes(f.type)) continue;
    const idle = idleAt.get(f.parent);
    if (idle !== undefined && f.t > idle) late++;
    const own = countOf.get(f.parent);
    if (
      f.type === "execute_result" && f.count !== undefined && own !== undefined && own !== f.count
    ) {
      stale++;
    }
  }
  return { late, stale, cellOf, countOf };
}

/** The frames around a misplaced output: from its cell's request to the next cell's idle. */
function traceExcerpt(frames: Frame[], cells: PageCell[], cell: number, next: number) {
  const { cellOf } = traceFindings(frames, cells);
  const start = frames.findIndex((f) => f.dir === "sent" && f.id === cells[cell]?.msgId);
  const endId = cells[Math.max(cell, next)]?.msgId;
  let end = frames.findIndex((f) =>
    f.type === "status" && f.state === "idle" && f.parent === endId
  );
  if (start < 0) return [];
  if (end < 0) end = Math.min(frames.length - 1, start + 40);
  return frames.slice(start, end + 1)
    .filter((f) => f.channel !== "shell" || f.dir === "sent" || f.type === "execute_reply")
    .map((f) => {
      const owner = cellOf.has(f.dir === "sent" ? f.id : f.parent)
        ? `cell ${cellOf.get(f.dir === "sent" ? f.id : f.parent)}`
        : "?";
      const what = [
        f.count !== undefined ? `count=${f.count}` : "",
        f.state ?? "",
        f.displayId ? `display_id=${f.displayId.slice(0, 24)}` : "",
        f.text ? JSON.stringify(f.text) : "",
      ].filter(Boolean).join(" ");
      return `    ${String(f.t).padStart(6)} ms ${f.dir === "sent" ? "→" : "←"} ${
        f.type.padEnd(19)
      } parent=${(f.dir === "sent" ? f.id : f.parent).slice(0, 8)} (${owner}) ${what}`;
    });
}

// ---------------------------------------------------------------------------------------------
// Set-up: tools, reference, server, browser.

async function exists(path: string): Promise<boolean> {
  return await stat(path).then(() => true, () => false);
}

async function findJupyterNotebook(): Promise<string | undefined> {
  for (const dir of (Deno.env.get("PATH") ?? "").split(":").concat("/usr/bin")) {
    if (dir && await exists(join(dir, "jupyter-notebook"))) return join(dir, "jupyter-notebook");
  }
  return undefined;
}

/** Chromium and jupyter-notebook, installed with apt when missing and allowed; else a reason. */
async function ensureTools(): Promise<{ jupyter: string } | { missing: string }> {
  let jupyter = await findJupyterNotebook();
  const needed = [
    ...(jupyter ? [] : ["jupyter-notebook"]),
    ...(await exists(CHROMIUM) ? [] : ["chromium"]),
  ];
  if (needed.length > 0) {
    const root = (() => {
      try {
        return Deno.uid() === 0;
      } catch {
        return false;
      }
    })();
    if (root && await exists("/usr/bin/apt-get")) {
      console.error(`browser_test: installing ${needed.join(", ")} with apt-get`);
      const env = { DEBIAN_FRONTEND: "noninteractive" };
      for (const args of [["update"], ["install", "-y", ...needed]]) {
        await new Deno.Command("apt-get", { args, env, stdout: "inherit", stderr: "inherit" })
          .output().catch(() => undefined);
      }
      jupyter = await findJupyterNotebook();
    }
  }
  const still = [
    ...(jupyter ? [] : ["jupyter-notebook"]),
    ...(await exists(CHROMIUM) ? [] : [`chromium (${CHROMIUM})`]),
  ];
  if (still.length > 0 || !jupyter) {
    return {
      missing: `missing and not installable here: ${still.join(", ")}. On Debian or Ubuntu, ` +
        `as root: apt-get update && apt-get install -y jupyter-notebook chromium`,
    };
  }
  return { jupyter };
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

interface Server {
  url: string;
  token: string;
  child: Deno.ChildProcess;
}

async function startServer(jupyter: string, scratch: string): Promise<Server> {
  const jupyterDir = join(ROOT, ".cache", "jupyter");
  await installKernelSpec(jupyterDir);
  const port = freePort();
  const token = crypto.randomUUID().replaceAll("-", "");
  const child = new Deno.Command(jupyter, {
    args: [
      "--no-browser",
      "--ip=127.0.0.1",
      `--port=${port}`,
      "--port-retries=0",
      `--NotebookApp.token=${token}`,
      `--notebook-dir=${ROOT}`,
      "--allow-root",
    ],
    cwd: ROOT,
    env: {
      JUPYTER_PATH: [jupyterDir, Deno.env.get("JUPYTER_PATH")].filter(Boolean).join(delimiter),
      // A fresh configuration: no user's extensions or settings change what is tested.
      JUPYTER_CONFIG_DIR: join(scratch, "config"),
      JUPYTER_DATA_DIR: join(scratch, "data"),
      JUPYTER_RUNTIME_DIR: join(scratch, "runtime"),
    },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  // The server's log, for when it does not start.
  for (
    const [stream, file] of [[child.stdout, "jupyter.out"], [child.stderr, "jupyter.log"]] as const
  ) {
    const sink = await Deno.open(join(scratch, file), { write: true, create: true });
    stream.pipeTo(sink.writable).catch(() => {});
  }
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const ok = await fetch(`${url}/api/status?token=${token}`)
      .then((r) => (r.body?.cancel(), r.ok), () => false);
    if (ok) return { url, token, child };
    await new Promise((r) => setTimeout(r, 250));
  }
  child.kill("SIGTERM");
  throw new Error(`jupyter notebook did not answer on ${url} within 60 s (see ${scratch})`);
}

async function referenceOutputs(path: string, referenceDir: string): Promise<SeenOutput[][]> {
  const file = outputPath(path, referenceDir);
  if (!(await exists(file))) {
    console.error(`browser_test: no headless copy of ${path} in ${referenceDir}; running it`);
    await ensureJupyter();
    const result = await runNotebook(path, { outDir: referenceDir });
    if (!result.ok) throw new Error(`headless run of ${path} failed: ${result.error}`);
  }
  const nb = JSON.parse(await readFile(file, "utf8"));
  return nb.cells.map((c: { cell_type: string; outputs?: Record<string, unknown>[] }) =>
    c.cell_type === "code" ? (c.outputs ?? []).map(expectedOutput) : []
  );
}

// ---------------------------------------------------------------------------------------------
// The runs.

interface RunResult {
  notebook: string;
  run: number;
  cells: number;
  seconds: number;
  finished: boolean;
  check: RunCheck;
  late: number;
  stale: number;
  details: string[];
}

async function runOnce(
  page: Page,
  frames: Frame[],
  expected: SeenOutput[][],
  opts: { timeoutMs: number; quietMs: number },
): Promise<Omit<RunResult, "notebook" | "run">> {
  frames.length = 0;
  const started = performance.now();
  await page.evaluate(RESTART_RUN_ALL);
  let finished = false;
  while (performance.now() - started < opts.timeoutMs) {
    const s = await page.evaluate(RUN_STATE) as RunState;
    if (s.running === 0 && s.idle && s.quietMs >= opts.quietMs) {
      finished = true;
      break;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const cells = await page.evaluate(READ_CELLS) as PageCell[];
  const check = checkRun(expected, cells.map((c) => c.outputs));
  const { late, stale } = traceFindings(frames, cells);
  const details: string[] = [];
  for (const p of check.problems) {
    const sample = JSON.stringify(p.output.text.slice(0, 70));
    details.push(
      p.kind === "missing"
        ? `  cell ${p.cell}: expected ${p.output.kind} ${sample} is missing` +
          (p.foundIn === undefined ? " (shown nowhere)" : `; it is shown under cell ${p.foundIn}`)
        : `  cell ${p.cell}: shows ${p.output.kind} ${sample}` +
          (p.from === undefined ? ", which no cell expects" : `, which is cell ${p.from}'s`),
    );
    if (p.kind === "missing" && p.foundIn !== undefined && p.foundIn > p.cell) {
      details.push(`  IOPub frames, cell ${p.cell}'s request to cell ${p.foundIn}'s idle:`);
      details.push(...traceExcerpt(frames, cells, p.cell, p.foundIn));
    }
  }
  return {
    cells: cells.filter((c) => c.type === "code").length,
    seconds: (performance.now() - started) / 1000,
    finished,
    check,
    late,
    stale,
    details,
  };
}

function formatTable(results: RunResult[]): string {
  const header = [
    "notebook",
    "run",
    "cells",
    "misplaced",
    "figures",
    "tables",
    "errors",
    "late",
    "stale",
    "seconds",
  ];
  const rows = results.map((r) => [
    r.notebook,
    String(r.run),
    String(r.cells),
    r.finished ? String(r.check.misplaced) : `${r.check.misplaced} (unfinished)`,
    `${r.check.figures.rendered}/${r.check.figures.expected}`,
    `${r.check.tables.rendered}/${r.check.tables.expected}`,
    String(r.check.errors),
    String(r.late),
    String(r.stale),
    r.seconds.toFixed(1),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [header, ...rows].map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd())
    .join("\n");
}

/** Every run of one notebook in one page, with its kernel traffic written to the trace folder. */
async function _runNotebook(
  context: BrowserContext,
  server: Server,
  nb: string,
  runs: number,
  expected: SeenOutput[][],
  values: { timeout: string; quiet: string; trace: string },
): Promise<RunResult[]> {
  const results: RunResult[] = [];
  const rel = relative(ROOT, resolve(nb));
  const name = rel.replace(/^.*\//, "").replace(/\.ipynb$/, "");
  const page = await context.newPage();
  const frames: Frame[] = [];
  const t0 = performance.now();
  page.on("websocket", (ws) => {
    if (!ws.url().includes("/channels")) return;
    ws.on("framesent", (f) => {
      const frame = summariseFrame(f.payload, "sent", t0);
      if (frame) frames.push(frame);
    });
    ws.on("framereceived", (f) => {
      const frame = summariseFrame(f.payload, "received", t0);
      if (frame) frames.push(frame);
    });
  });
  await page.goto(`${server.url}/notebooks/${rel}?token=${server.token}`);
  await page.evaluate(PAGE_READY);
  for (let run = 1; run <= runs; run++) {
    const result = await runOnce(page, frames, expected, {
      timeoutMs: Number(values.timeout) * 1000,
      quietMs: Number(values.quiet) * 1000,
    });
    results.push({ notebook: name, run, ...result });
    await writeFile(
      join(values.trace, `${name}-run${run}.jsonl`),
      frames.map((f) => JSON.stringify(f)).join("\n") + "\n",
    );
    const bad = result.check.misplaced > 0 || result.check.errors > 0 || !result.finished;
    console.error(
      `${name} run ${run}: misplaced ${result.check.misplaced}, errors ${result.check.errors}` +
        `${result.finished ? "" : ", did not finish"} (${result.seconds.toFixed(1)} s)`,
    );
    if (bad) console.error(result.details.join("\n"));
  }
  // End the notebook's kernel; the page's unsaved outputs are dropped with it.
  await page.evaluate(`new Promise((r) => Jupyter.notebook.session.delete(r, r))`)
    .catch(() => {});
  await page.close();
  return results;
}

async function main(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      runs: { type: "string", default: "3" },
      reference: { type: "string", default: join(ROOT, "out") },
      quiet: { type: "string", default: "3" },
      timeout: { type: "string", default: "900" },
      trace: { type: "string", default: join(ROOT, ".cache", "browser", "traces") },
    },
  });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error("--runs must be a positive integer");
  const notebooks = positionals.length > 0 ? positionals : await findNotebooks();

  const tools = await ensureTools();
  if ("missing" in tools) {
    console.error(`browser_test: ${tools.missing}`);
    return 2;
  }
  const expected = new Map<string, SeenOutput[][]>();
  for (const nb of notebooks) expected.set(nb, await referenceOutputs(nb, values.reference));

  await mkdir(join(ROOT, ".cache", "browser"), { recursive: true });
  const scratch = await mkdtemp(join(ROOT, ".cache", "browser", "session-"));
  await mkdir(values.trace, { recursive: true });
  let server: Server;
  try {
    server = await startServer(tools.jupyter, scratch);
  } catch (error) {
    console.error(`browser_test: ${(error as Error).message}`);
    return 2;
  }
  const { chromium } = await import("playwright-core");
  const context = await chromium.launchPersistentContext(join(scratch, "chromium"), {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
  }).catch((error: Error) => error);
  if (context instanceof Error) {
    console.error(`browser_test: Chromium did not start: ${context.message.split("\n")[0]}`);
    server.child.kill("SIGTERM");
    return 2;
  }

  const results: RunResult[] = [];
  try {
    for (const nb of notebooks) {
      results.push(...await _runNotebook(context, server, nb, runs, expected.get(nb)!, values));
    }
  } finally {
    await context.close().catch(() => {});
    server.child.kill("SIGTERM");
    await server.child.status;
    await rm(join(scratch, "chromium"), { recursive: true, force: true });
  }

  console.log(formatTable(results));
  const sum = (f: (r: RunResult) => number) => results.reduce((a, r) => a + f(r), 0);
  const misplaced = sum((r) => r.check.misplaced);
  const errors = sum((r) => r.check.errors);
  const unfinished = results.filter((r) => !r.finished).length;
  console.log(
    `${notebooks.length} notebooks × ${runs} runs, misplaced outputs ${misplaced}, ` +
      `figures rendered ${sum((r) => r.check.figures.rendered)}/` +
      `${sum((r) => r.check.figures.expected)}, tables rendered ` +
      `${sum((r) => r.check.tables.rendered)}/${sum((r) => r.check.tables.expected)}, ` +
      `errors ${errors}` + (unfinished ? `, runs unfinished ${unfinished}` : ""),
  );
  const failed = results.filter((r) => !_clean(r)).length;
  console.log(`browser runs: ${results.length - failed} passed, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}

/** A run passes when it finished with every output in place, drawn, and no error. */
function _clean(r: RunResult): boolean {
  return r.finished && r.check.misplaced === 0 && r.check.errors === 0 &&
    r.check.figures.rendered === r.check.figures.expected &&
    r.check.tables.rendered === r.check.tables.expected;
}

if (import.meta.main) {
  try {
    Deno.exit(await main(Deno.args));
  } catch (error) {
    console.error(`browser_test: ${(error as Error).message}`);
    Deno.exit(1);
  }
}
