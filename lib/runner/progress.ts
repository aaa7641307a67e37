/**
 * Progress of a benchmark run: a line redrawn in place in a terminal, an output updated in
 * place in a Deno notebook, a line every few seconds in a log; and the summary at the end.
 *
 * @module
 */

import { _money } from "./_money.ts";
import {
  type _DisplayFunction,
  _escapeHtml,
  _htmlTable,
  _inJupyterKernel,
  _jupyterDisplay,
} from "../notebook/_html.ts";

/** Where a run stands. The runner mutates one of these and passes it on each change. */
export interface ProgressState {
  /** Judgements in the run, cached ones included. */
  total: number;
  /** Judgements made in this run so far (scored or failed). */
  done: number;
  /** Judgements found in the ledger, not sent again. */
  cached: number;
  /** Of `done`, how many failed. */
  failed: number;
  /** Failures by reason (a `FailureReason`). */
  failuresByReason: Record<string, number>;
  /** Tokens used in this run. */
  inputTokens: number;
  outputTokens: number;
  /** Cost in this run, `null` while no judge has a price. */
  cost: number | null;
  /** When the run started, as `performance.now()`. */
  startedAt: number;
  /** What is running, e.g. `"benchmark → out/"`. */
  label?: string;
}

/** Shows a run's progress. */
export interface ProgressReporter {
  /** Shows `state`, unless the last showing was too recent (throttled). */
  update(state: ProgressState): void;
  /** Shows the final state, always. Call it once, at the end. */
  finish(state: ProgressState): void;
}

/** A Jupyter display call, as `Deno.jupyter.display`. */
export type DisplayFunction = _DisplayFunction;

/** How a reporter draws. */
export interface ProgressOptions {
  /** The least time between two drawings, in ms (default 200; 5,000 for the log style). */
  intervalMs?: number;
  /** Where terminal and log text goes (default: standard error). For tests. */
  write?: (text: string) => void;
  /** The notebook's display function (default `Deno.jupyter.display`). For tests. */
  display?: DisplayFunction;
  /** The clock, as `performance.now()`. For tests. */
  now?: () => number;
  /** The terminal's width in columns (default: the console's, else 100). For tests. */
  columns?: number;
}

/** The log style's default interval: a line every five seconds keeps a CI log readable. */
const LOG_INTERVAL_MS = 5000;
const BAR_WIDTH = 20;

/**
 * Makes a progress reporter.
 *
 * - `"terminal"`: one line on standard error, redrawn with a carriage return — bar, judgements
 *   (done + cached) of the total, rate, ETA, failures, tokens, cost — fitted to the terminal's
 *   width (the least useful parts left out) so that it never wraps; `finish` ends it with a
 *   newline.
 * - `"notebook"`: one HTML output (`progressHtml`) shown with `Deno.jupyter.display` under a
 *   `display_id`, then replaced in place (`update: true`) on each later drawing. Outside the
 *   kernel it falls back to what `"auto"` would pick there, rather than show nothing.
 * - `"log"` (what `"auto"` picks outside a terminal): the same line as plain text, a new line
 *   every five seconds, so that CI logs stay short and readable.
 * - `"silent"`: nothing.
 * - `"auto"` (default): `"notebook"` inside the Deno Jupyter kernel, `"terminal"` when standard
 *   error is a terminal, else `"log"`. The kernel is recognised by `Deno.jupyter` itself: outside
 *   `deno jupyter` reading it throws ("Deno.jupyter is only available in `deno jupyter`
 *   subcommand"), inside the kernel it is the namespace with `display`. No environment variable
 *   is as reliable: Jupyter sets none on Linux, and a kernel spec's `env` is up to whoever wrote it.
 *
 * Progress goes to standard error so that standard output stays for results and the summary.
 * Drawings are throttled to one per `intervalMs`; `finish` always draws.
 *
 * @param kind Where to show progress.
 * @param options Throttle interval, and hooks for tests.
 * @returns The reporter.
 * @throws Nothing, and neither do its methods: progress never stops a run (a failed write or
 *   display is ignored).
 *
 * @example
 * ```ts
 * import { progressReporter, type ProgressState } from "./progress.ts";
 * import assert from "node:assert/strict";
 *
 * let text = "";
 * const reporter = progressReporter("terminal", {
 *   write: (t) => (text += t), // default: standard error
 *   now: () => 2000, // 2 s after `startedAt`
 *   columns: 120,
 * });
 * const state: ProgressState = {
 *   total: 10, done: 4, cached: 2, failed: 1, failuresByReason: { non_json: 1 },
 *   inputTokens: 4000, outputTokens: 800, cost: null, startedAt: 0,
 * };
 * reporter.update(state);
 * assert.ok(text.includes("6/10  60%  2.0/s  ETA 0:02  cached 2  failed 1 (non_json 1)"));
 * reporter.finish(state);
 * assert.ok(text.endsWith("\n"));
 * ```
 */
export function progressReporter(
  kind: "auto" | "terminal" | "notebook" | "silent" | "log" = "auto",
  options: ProgressOptions = {},
): ProgressReporter {
  const mode = kind === "auto" ? detectMode() : kind;
  const now = options.now ?? (() => performance.now());
  switch (mode) {
    case "silent":
      return { update() {}, finish() {} };
    case "terminal":
      return terminalReporter(options, now);
    case "log":
      return logReporter(options, now);
    case "notebook":
      if (options.display || _inJupyterKernel()) return notebookReporter(options, now);
      return detectMode() === "terminal"
        ? terminalReporter(options, now)
        : logReporter(options, now);
  }
}

/**
 * The end-of-run summary, in a few lines: judgements made (scored and failed), cached and
 * remaining; failures by reason; tokens in and out; cost; wall time and rate.
 *
 * @param state The final progress state, and the run's wall time in milliseconds.
 * @returns The summary text (no trailing newline).
 * @throws Nothing.
 *
 * @example
 * ```ts
 * import { formatSummary } from "./progress.ts";
 * import assert from "node:assert/strict";
 *
 * const text = formatSummary({
 *   total: 5350, done: 5250, cached: 100, failed: 3,
 *   failuresByReason: { retries_exhausted: 2, non_json: 1 },
 *   inputTokens: 1234567, outputTokens: 80000, cost: 1.234, startedAt: 0, wallMs: 35200,
 * });
 * assert.equal(
 *   text,
 *   [
 *     "Summary: 5,250 judged (5,247 scored, 3 failed), 100 cached, of 5,350",
 *     "  failed by reason: retries_exhausted 2, non_json 1",
 *     "  tokens: 1,234,567 in, 80,000 out",
 *     "  cost: $1.23",
 *     "  wall time: 35.2 s (149.1 judged/s)",
 *   ].join("\n"),
 * );
 * ```
 */
export function formatSummary(state: ProgressState & { wallMs: number }): string {
  const remaining = Math.max(0, state.total - state.done - state.cached);
  const title = state.label ? `Summary (${state.label})` : "Summary";
  const parts = [
    `${title}: ${count(state.done)} judged (${count(state.done - state.failed)} scored, ` +
    `${count(state.failed)} failed)`,
    `${count(state.cached)} cached`,
    ...(remaining > 0 ? [`${count(remaining)} not judged`] : []),
  ];
  const lines = [`${parts.join(", ")}, of ${count(state.total)}`];
  const reasons = reasonList(state.failuresByReason);
  if (reasons) lines.push(`  failed by reason: ${reasons}`);
  lines.push(`  tokens: ${count(state.inputTokens)} in, ${count(state.outputTokens)} out`);
  lines.push(
    `  cost: ${state.cost === null ? "not counted (no price configured)" : _money(state.cost)}`,
  );
  const rate = state.wallMs > 0
    ? ` (${(state.done / (state.wallMs / 1000)).toFixed(1)} judged/s)`
    : "";
  lines.push(`  wall time: ${duration(state.wallMs)}${rate}`);
  return lines.join("\n");
}

/**
 * The end-of-run summary as an HTML table, for a notebook: the same figures as `formatSummary`.
 *
 * @param state The final progress state, and the run's wall time in milliseconds.
 * @returns An HTML fragment with inline styles.
 * @throws Nothing.
 *
 * @example
 * ```ts
 * import { summaryHtml } from "./progress.ts";
 * import assert from "node:assert/strict";
 *
 * const html = summaryHtml({
 *   total: 5350, done: 5250, cached: 100, failed: 3, failuresByReason: { non_json: 3 },
 *   inputTokens: 1234567, outputTokens: 80000, cost: null, startedAt: 0, wallMs: 35200,
 * });
 * assert.match(html, /<td[^>]*>judged<\/td><td[^>]*>5,250 \(5,247 scored, 3 failed\)<\/td>/);
 * assert.match(html, /non_json 3/);
 * ```
 */
export function summaryHtml(state: ProgressState & { wallMs: number }): string {
  const remaining = Math.max(0, state.total - state.done - state.cached);
  const reasons = reasonList(state.failuresByReason);
  const rate = state.wallMs > 0
    ? ` (${(state.done / (state.wallMs / 1000)).toFixed(1)} judged/s)`
    : "";
  const rows: string[][] = [
    [
      "judged",
      `${count(state.done)} (${count(state.done - state.failed)} scored, ` +
      `${count(state.failed)} failed)`,
    ],
    ["cached", count(state.cached)],
    ...(remaining > 0 ? [["not judged", count(remaining)]] : []),
    ["of", count(state.total)],
    ...(reasons ? [["failed by reason", reasons]] : []),
    ["tokens", `${count(state.inputTokens)} in, ${count(state.outputTokens)} out`],
    ["cost", state.cost === null ? "not counted (no price configured)" : _money(state.cost)],
    ["wall time", `${duration(state.wallMs)}${rate}`],
  ];
  return _htmlTable({
    caption: state.label ? `Summary (${state.label})` : "Summary",
    header: ["", ""],
    rows,
    numeric: [false, false],
  });
}

/**
 * The notebook's rendering of a state: a `<progress>` bar, judgements of the total, and the
 * counts, rate, ETA, failures by reason, tokens and cost. Given `wallMs`, it is the final
 * rendering, with the wall time instead of the ETA. Styles are inline: notebook front ends
 * strip `<style>` elements from untrusted outputs.
 *
 * @param state The state, and for the final rendering the wall time in milliseconds.
 * @param now The current time, as `performance.now()` (default: now), for the rate and ETA.
 * @returns An HTML fragment.
 * @throws Nothing.
 *
 * @example
 * ```ts
 * import { progressHtml } from "./progress.ts";
 * import assert from "node:assert/strict";
 *
 * const html = progressHtml({
 *   total: 10, done: 4, cached: 2, failed: 1, failuresByReason: { non_json: 1 },
 *   inputTokens: 4000, outputTokens: 800, cost: 0.02, startedAt: 0, label: "a < b",
 * }, 2000);
 * assert.match(html, /<progress value="6" max="10"/);
 * assert.match(html, /a &lt; b/);
 * assert.match(html, /non_json 1/);
 * ```
 */
export function progressHtml(
  state: ProgressState & { wallMs?: number },
  now: number = performance.now(),
): string {
  const s = stats(state, now);
  const final = state.wallMs !== undefined;
  const label = state.label
    ? `<div style="font-weight: 600; margin-bottom: 2px">${_escapeHtml(state.label)}</div>`
    : "";
  const reasons = reasonList(state.failuresByReason);
  const details = [
    `${count(state.done)} judged`,
    `${count(state.cached)} cached`,
    `${count(state.failed)} failed${reasons ? ` (${_escapeHtml(reasons)})` : ""}`,
    ...(final
      ? [`wall time ${duration(state.wallMs!)}`]
      : [s.rate === null ? "— /s" : `${s.rate.toFixed(1)}/s`, `ETA ${eta(s.etaMs)}`]),
    `tokens ${compact(state.inputTokens)} in / ${compact(state.outputTokens)} out`,
    ...(state.cost === null ? [] : [`cost ${_money(state.cost)}`]),
  ];
  const colour = state.failed > 0 ? "#b45309" : "inherit";
  const ending = !final ? "" : s.finished >= state.total ? " — done" : " — stopped";
  return `<div class="preceptron-progress" style="font-family: sans-serif; font-size: 13px; ` +
    `line-height: 1.5">${label}<div>` +
    `<progress value="${state.total > 0 ? s.finished : 1}" max="${Math.max(1, state.total)}" ` +
    `style="width: 24em; vertical-align: middle"></progress> ` +
    `<span>${count(s.finished)} / ${count(state.total)} (${s.percent}%)${ending}</span>` +
    `</div><div style="color: ${colour}">${details.join(" · ")}</div></div>`;
}

// --- reporters -------------------------------------------------------------------------------

function terminalReporter(options: ProgressOptions, now: () => number): ProgressReporter {
  const write = options.write ?? writeStderr;
  const interval = options.intervalMs ?? 200;
  const columns = options.columns ?? consoleColumns();
  let last = -Infinity;
  let shown = 0; // the length of the line on screen, to blank what a shorter line leaves
  const draw = (state: ProgressState, wallMs?: number) => {
    // One column short of the width: a line that fills it wraps on some terminals.
    const line = progressLine(state, now(), {
      bar: true,
      width: columns - 1,
      ...(wallMs === undefined ? {} : { wallMs }),
    });
    write("\r" + line + " ".repeat(Math.max(0, shown - line.length)));
    shown = line.length;
  };
  return {
    update(state) {
      const t = now();
      if (t - last < interval) return;
      last = t;
      draw(state);
    },
    finish(state) {
      draw(state, now() - state.startedAt);
      write("\n");
    },
  };
}

function logReporter(options: ProgressOptions, now: () => number): ProgressReporter {
  const write = options.write ?? writeStderr;
  const interval = options.intervalMs ?? LOG_INTERVAL_MS;
  let last: number | undefined;
  return {
    update(state) {
      const t = now();
      // The first line waits a whole interval: short runs print just the final one.
      if (last === undefined) last = state.startedAt;
      if (t - last < interval) return;
      last = t;
      write(progressLine(state, t, { bar: false }) + "\n");
    },
    finish(state) {
      const t = now();
      write(progressLine(state, t, { bar: false, wallMs: t - state.startedAt }) + "\n");
    },
  };
}

function notebookReporter(options: ProgressOptions, now: () => number): ProgressReporter {
  const display = options.display ?? _jupyterDisplay();
  const interval = options.intervalMs ?? 200;
  const displayId = `preceptron-progress-${crypto.randomUUID()}`;
  let last = -Infinity;
  let started = false;
  // Displays go out in order: the first creates the output, later ones replace it.
  let queue: Promise<void> = Promise.resolve();
  const show = (state: ProgressState & { wallMs?: number }) => {
    const t = now();
    const bundle = {
      "text/html": progressHtml(state, t),
      "text/plain": progressLine(state, t, {
        bar: false,
        ...(state.wallMs === undefined ? {} : { wallMs: state.wallMs }),
      }),
    };
    const update = started;
    started = true;
    queue = queue
      .then(() =>
        display(bundle, { raw: true, display_id: displayId, ...(update ? { update } : {}) })
      )
      .catch(() => {}); // progress must never break the run
  };
  return {
    update(state) {
      const t = now();
      if (t - last < interval) return;
      last = t;
      show({ ...state });
    },
    finish(state) {
      show({ ...state, wallMs: now() - state.startedAt });
    },
  };
}

function detectMode(): "notebook" | "terminal" | "log" {
  if (_inJupyterKernel()) return "notebook";
  try {
    if (Deno.stderr.isTerminal()) return "terminal";
  } catch {
    // No stderr (an embedded runtime): fall through to the log style.
  }
  return "log";
}

const encoder = new TextEncoder();

function writeStderr(text: string): void {
  try {
    const bytes = encoder.encode(text);
    for (let n = 0; n < bytes.length;) n += Deno.stderr.writeSync(bytes.subarray(n));
  } catch {
    // A closed or broken stderr must not stop the run.
  }
}

function consoleColumns(): number {
  try {
    return Deno.consoleSize().columns || 100;
  } catch {
    return 100; // not a terminal
  }
}

// --- text --------------------------------------------------------------------------------------

interface Stats {
  /** Done plus cached. */
  finished: number;
  percent: number;
  /** Judgements made per second, `null` before any time has passed. */
  rate: number | null;
  /** Time to the end at the current rate, `null` when unknown. */
  etaMs: number | null;
}

function stats(state: ProgressState, now: number): Stats {
  const finished = state.done + state.cached;
  const percent = state.total > 0 ? Math.floor((finished / state.total) * 100) : 100;
  const elapsedMs = now - state.startedAt;
  const rate = elapsedMs > 0 ? state.done / (elapsedMs / 1000) : null;
  const remaining = Math.max(0, state.total - finished);
  const etaMs = remaining === 0 ? 0 : rate ? (remaining / rate) * 1000 : null;
  return { finished, percent, rate, etaMs };
}

/** A piece of the progress line, and how much it matters when the line must be shortened. */
interface Part {
  text: string;
  /** Parts with the lowest `keep` go first. */
  keep: number;
  /** A shorter form to try before dropping the part. */
  short?: { text: string; keep: number };
}

/**
 * The one-line rendering, for the terminal, the log and the notebook's plain text. Given a
 * `width`, the least important parts are shortened or left out until the line fits: the label
 * first, then the failure reasons, the cached count, tokens, cost, the rate and the bar; the
 * counts, percentage and ETA stay.
 */
function progressLine(
  state: ProgressState,
  now: number,
  style: { bar: boolean; wallMs?: number; width?: number },
): string {
  const s = stats(state, now);
  const parts: Part[] = [];
  if (state.label) parts.push({ text: state.label, keep: 1 });
  if (style.bar) {
    const filled = state.total > 0 ? Math.round((s.finished / state.total) * BAR_WIDTH) : BAR_WIDTH;
    parts.push({ text: "█".repeat(filled) + "░".repeat(BAR_WIDTH - filled), keep: 6 });
  }
  parts.push({ text: `${count(s.finished)}/${count(state.total)}`, keep: 10 });
  parts.push({ text: `${s.percent}%`, keep: 9 });
  if (style.wallMs !== undefined) {
    const verb = s.finished >= state.total ? "done in" : "stopped after";
    parts.push({ text: `${verb} ${duration(style.wallMs)}`, keep: 9 });
  } else {
    parts.push({ text: s.rate === null ? "—/s" : `${s.rate.toFixed(1)}/s`, keep: 6 });
    parts.push({ text: `ETA ${eta(s.etaMs)}`, keep: 9 });
  }
  if (state.cached > 0) parts.push({ text: `cached ${count(state.cached)}`, keep: 3 });
  const reasons = reasonList(state.failuresByReason);
  const failed = `failed ${count(state.failed)}`;
  parts.push(
    reasons
      ? { text: `${failed} (${reasons})`, keep: 2, short: { text: failed, keep: 7 } }
      : { text: failed, keep: 7 },
  );
  parts.push({
    text: `tokens ${compact(state.inputTokens)}/${compact(state.outputTokens)}`,
    keep: 4,
  });
  if (state.cost !== null) parts.push({ text: `cost ${_money(state.cost)}`, keep: 5 });

  const join = () => parts.map((part) => part.text).join("  ");
  let line = join();
  if (style.width === undefined) return line;
  while (line.length > style.width && parts.length > 1) {
    let least = 0;
    parts.forEach((part, i) => {
      if (part.keep <= parts[least]!.keep) least = i;
    });
    const part = parts[least]!;
    if (part.short) {
      parts[least] = { text: part.short.text, keep: part.short.keep };
    } else {
      parts.splice(least, 1);
    }
    line = join();
  }
  return line.length > style.width ? line.slice(0, Math.max(0, style.width - 1)) + "…" : line;
}

function reasonList(byReason: Record<string, number>): string {
  return Object.entries(byReason)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([reason, n]) => `${reason} ${count(n)}`)
    .join(", ");
}

function count(n: number): string {
  return n.toLocaleString("en-US");
}

/** 812, 45.3k, 1.2M: token counts at a glance. */
function compact(n: number): string {
  if (n < 1000) return String(n);
  if (n < 1_000_000) return `${(n / 1000).toFixed(n < 10_000 ? 1 : 0)}k`;
  return `${(n / 1_000_000).toFixed(n < 10_000_000 ? 2 : 1)}M`;
}

/** m:ss or h:mm:ss. */
function eta(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return "—";
  const total = Math.ceil(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

/** 850 ms, 35.2 s, 12 min 5 s, 1 h 3 min. */
function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}
