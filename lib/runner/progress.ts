/**
 * Progress of a benchmark run: a line redrawn in place in a terminal, an output updated in
 * place in a Deno notebook, a line every few seconds in a log; and the summary at the end.
 *
 * @module
 */

import { _clock, _compact, _duration, _money, _thousands as count } from "./_format.ts";
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
  /** Input tokens used in this run. */
  inputTokens: number;
  /** Output tokens used in this run. */
  outputTokens: number;
  /** Cost in this run, `null` while no judge has a price. */
  cost: number | null;
  /** When the run started, as `performance.now()`. */
  startedAt: number;
  /** What is running, e.g. `"benchmark → out/"`. */
  label?: string;
  /** Of `inputTokens`, those served from the providers' prompt caches. */
  cachedInputTokens?: number;
  /** What the prompt caches saved, where a price gives a cached input price. */
  cacheSaving?: number;
  /** The preflight's estimate of the tokens this run would use, to set beside what it used. */
  estimate?: { inputTokens: number; outputTokens: number };
  /** What each item of work is: judging (the default) or generating a response. */
  work?: "judging" | "generating";
}

/** The words a state's counts are told in: what was done, and what a success is. */
function words(state: ProgressState): { done: string; ok: string } {
  return state.work === "generating"
    ? { done: "generated", ok: "answered" }
    : { done: "judged", ok: "scored" };
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
 * Makes a progress reporter. It draws at most once per `intervalMs`, and always on `finish`.
 *
 * - `"terminal"`: one line on standard error — bar, judgements (done + cached) of the total,
 *   rate, ETA, failures, tokens, cost — redrawn in place and fitted to the terminal's width
 *   (the least useful parts left out) so that it never wraps.
 * - `"notebook"`: one HTML output (`progressHtml`) replaced in place. Outside the Jupyter kernel
 *   it falls back to what `"auto"` would pick there, rather than show nothing.
 * - `"log"`: the same line as plain text, at most one every five seconds, so that CI logs stay
 *   short.
 * - `"silent"`: nothing.
 * - `"auto"` (default): `"notebook"` inside the Deno Jupyter kernel, `"terminal"` when standard
 *   error is a terminal, else `"log"`.
 *
 * Text goes to standard error so that standard output stays for results and the summary.
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
  const outsideKernel = kind === "notebook" && !options.display && !_inJupyterKernel();
  const mode = kind === "auto" || outsideKernel ? detectMode() : kind;
  if (mode === "silent") return { update() {}, finish() {} };
  const write = options.write ?? writeStderr;
  const draw: Draw = mode === "notebook"
    ? notebookDraw(options.display ?? _jupyterDisplay())
    : mode === "terminal"
    ? terminalDraw(write, options.columns ?? consoleColumns())
    : (state, t, wallMs) => write(progressLine(state, t, wallMs) + "\n");
  const now = options.now ?? (() => performance.now());
  const intervalMs = options.intervalMs ?? (mode === "log" ? LOG_INTERVAL_MS : 200);
  let last: number | undefined;
  return {
    update(state) {
      const t = now();
      // The log's first line waits a whole interval: short runs print just the final one.
      last ??= mode === "log" ? state.startedAt : -Infinity;
      if (t - last < intervalMs) return;
      last = t;
      draw(state, t);
    },
    finish(state) {
      const t = now();
      draw(state, t, t - state.startedAt);
    },
  };
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
  const rows = summaryRows(state);
  // The counts read as one sentence ("5,250 judged (…), 100 cached, of 5,350"), the rest as lines.
  const { done } = words(state);
  const COUNTS = [done, "cached", `not ${done}`, "of"];
  const counts = rows.filter(([label]) => COUNTS.includes(label)).map(([label, value]) =>
    label === "of" ? `of ${value}` : value.replace(/^[\d,]+/, (n) => `${n} ${label}`)
  );
  return [
    `${summaryTitle(state)}: ${counts.join(", ")}`,
    ...rows.filter(([label]) => !COUNTS.includes(label)).map(([l, v]) => `  ${l}: ${v}`),
  ].join("\n");
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
  return _htmlTable({
    caption: summaryTitle(state),
    header: ["", ""],
    rows: summaryRows(state),
    numeric: [false, false],
  });
}

function summaryTitle(state: ProgressState): string {
  return state.label ? `Summary (${state.label})` : "Summary";
}

/** The summary's figures, as label and value, for both renderings; empty ones left out. */
function summaryRows(state: ProgressState & { wallMs: number }): [string, string][] {
  const { done, failed, wallMs, cachedInputTokens: cachedIn = 0, cacheSaving: saving = 0 } = state;
  const word = words(state);
  const remaining = Math.max(0, state.total - done - state.cached);
  const rate = wallMs > 0 ? ` (${(done / (wallMs / 1000)).toFixed(1)} ${word.done}/s)` : "";
  const fromCache = cachedIn > 0 ? ` (${count(cachedIn)} from the prompt cache)` : "";
  const saved = saving > 0 ? ` (the prompt cache saved ${_money(saving)})` : "";
  const cost = state.cost === null
    ? "not counted (no price configured)"
    : _money(state.cost) + saved;
  const rows: [string, string][] = [
    [word.done, `${count(done)} (${count(done - failed)} ${word.ok}, ${count(failed)} failed)`],
    ["cached", count(state.cached)],
    [`not ${word.done}`, remaining > 0 ? count(remaining) : ""],
    ["of", count(state.total)],
    ["failed by reason", reasonList(state.failuresByReason)],
    ["tokens", `${count(state.inputTokens)} in${fromCache}, ${count(state.outputTokens)} out`],
    // Only a run that made every request it planned compares like with like.
    ["preflight estimate", remaining > 0 ? "" : estimateNote(state)],
    ["cost", cost],
    ["wall time", `${_duration(wallMs)}${rate}`],
  ];
  return rows.filter(([, value]) => value !== "");
}

/** The preflight's estimate of the tokens, and how far the usage was from it. */
function estimateNote({ estimate, done, inputTokens, outputTokens }: ProgressState): string {
  if (estimate === undefined || done === 0) return "";
  if (estimate.inputTokens === 0 && estimate.outputTokens === 0) return "";
  const off = (used: number, guessed: number, what: string) => {
    const percent = Math.round(Math.abs(used - guessed) / guessed * 100);
    return guessed === 0 ? [] : [`${percent}% ${used >= guessed ? "more" : "less"} ${what}`];
  };
  const diffs = [
    ...off(inputTokens, estimate.inputTokens, "input"),
    ...off(outputTokens, estimate.outputTokens, "output"),
  ];
  return `${count(estimate.inputTokens)} in, ${count(estimate.outputTokens)} out` +
    (diffs.length > 0 ? ` (the run used ${diffs.join(", ")})` : "");
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
  state: ProgressState & { wallMs?: number | undefined },
  now: number = performance.now(),
): string {
  const s = stats(state, now);
  const final = state.wallMs !== undefined;
  const label = state.label
    ? `<div style="font-weight: 600; margin-bottom: 2px">${_escapeHtml(state.label)}</div>`
    : "";
  const reasons = reasonList(state.failuresByReason);
  const details = [
    `${count(state.done)} ${words(state).done}`,
    `${count(state.cached)} cached`,
    `${count(state.failed)} failed${reasons ? ` (${_escapeHtml(reasons)})` : ""}`,
    ...(final
      ? [`wall time ${_duration(state.wallMs!)}`]
      : [s.rate === null ? "— /s" : `${s.rate.toFixed(1)}/s`, `ETA ${_clock(s.etaMs)}`]),
    `tokens ${_compact(state.inputTokens)} in / ${_compact(state.outputTokens)} out`,
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

// --- drawing ---------------------------------------------------------------------------------

/** Draws a state; given `wallMs`, the final drawing. */
type Draw = (state: ProgressState, now: number, wallMs?: number) => void;

function terminalDraw(write: (text: string) => void, columns: number): Draw {
  // One column short of the width: a line that fills it wraps on some terminals.
  const width = columns - 1;
  let shown = 0; // the length of the line on screen, to blank what a shorter line leaves
  return (state, t, wallMs) => {
    const line = progressLine(state, t, wallMs, width);
    write("\r" + line + " ".repeat(Math.max(0, shown - line.length)));
    shown = line.length;
    if (wallMs !== undefined) write("\n");
  };
}

function notebookDraw(display: DisplayFunction): Draw {
  const displayId = `preceptron-progress-${crypto.randomUUID()}`;
  let started = false;
  // Displays go out in order: the first creates the output, later ones replace it.
  let queue: Promise<void> = Promise.resolve();
  return (state, t, wallMs) => {
    const bundle = {
      "text/html": progressHtml({ ...state, wallMs }, t),
      "text/plain": progressLine(state, t, wallMs),
    };
    const update = started ? { update: true } : {};
    started = true;
    queue = queue.then(() => display(bundle, { raw: true, display_id: displayId, ...update }))
      .catch(() => {}); // progress must never break the run
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

/**
 * Judgements finished (done + cached), the percentage, judgements made per second (`null`
 * before any time has passed) and the time left at that rate (`null` when unknown).
 */
function stats(state: ProgressState, now: number) {
  const finished = state.done + state.cached;
  const percent = state.total > 0 ? Math.floor((finished / state.total) * 100) : 100;
  const elapsedMs = now - state.startedAt;
  const rate = elapsedMs > 0 ? state.done / (elapsedMs / 1000) : null;
  const remaining = Math.max(0, state.total - finished);
  const etaMs = remaining === 0 ? 0 : rate ? (remaining / rate) * 1000 : null;
  return { finished, percent, rate, etaMs };
}

/**
 * The one-line rendering, for the terminal, the log and the notebook's plain text. Given a
 * terminal's `width`, it has a bar, and the least useful parts are shortened or left out until
 * it fits; the counts always stay.
 */
function progressLine(state: ProgressState, now: number, wallMs?: number, width?: number): string {
  const s = stats(state, now);
  const filled = state.total > 0 ? Math.round((s.finished / state.total) * BAR_WIDTH) : BAR_WIDTH;
  const verb = s.finished >= state.total ? "done in" : "stopped after";
  const failed = `failed ${count(state.failed)}`;
  const reasons = reasonList(state.failuresByReason);
  // In the line's order; an undefined part is left out.
  const parts = new Map<string, string | undefined>([
    ["label", state.label || undefined],
    ["bar", width === undefined ? undefined : "█".repeat(filled) + "░".repeat(BAR_WIDTH - filled)],
    ["counts", `${count(s.finished)}/${count(state.total)}`],
    ["percent", `${s.percent}%`],
    ["rate", wallMs !== undefined ? undefined : `${s.rate === null ? "—" : s.rate.toFixed(1)}/s`],
    ["time", wallMs === undefined ? `ETA ${_clock(s.etaMs)}` : `${verb} ${_duration(wallMs)}`],
    ["cached", state.cached > 0 ? `cached ${count(state.cached)}` : undefined],
    ["failed", reasons ? `${failed} (${reasons})` : failed],
    ["tokens", `tokens ${_compact(state.inputTokens)}/${_compact(state.outputTokens)}`],
    ["cost", state.cost === null ? undefined : `cost ${_money(state.cost)}`],
  ]);
  const line = () => [...parts.values()].filter((part) => part !== undefined).join("  ");
  const fits = () => width === undefined || line().length <= width;
  for (const least of GIVE_WAY) {
    if (fits()) break;
    if (least === "reasons") parts.set("failed", failed);
    else parts.delete(least);
  }
  return fits() ? line() : line().slice(0, Math.max(0, width! - 1)) + "…";
}

/** The order in which a line too wide gives way; "reasons" shortens the failed count. */
const GIVE_WAY = "label reasons cached tokens cost rate bar failed time percent".split(" ");

function reasonList(byReason: Record<string, number>): string {
  return Object.entries(byReason)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([reason, n]) => `${reason} ${count(n)}`)
    .join(", ");
}
