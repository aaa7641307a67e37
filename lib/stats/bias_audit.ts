/**
 * `biasAudit()`: where a judge departs from physicians systematically — by who wrote the
 * response, by its length, and for its own model family — each with a cluster interval over
 * cases.
 *
 * @module
 */

import pl from "nodejs-polars";
import type { DataFrame } from "../data/data_frame.ts";
import { _jackknifeT } from "./_jackknife_t.ts";
import { MIN_INTERVAL_CASES } from "./case_count_note.ts";
import { isPhysicianRespondent } from "../data/is_physician_respondent.ts";
import {
  _checkFrame,
  _failureNote,
  _judgementFailed,
  _num,
  _RepeatScores,
  _values,
} from "./_report_input.ts";

/** Options for {@linkcode biasAudit}. */
export interface BiasAuditOptions {
  /**
   * The dataset (`loadDataset()`: columns `id` and `response`), joined on `entry_id` for the
   * responses' lengths. Not needed when the trials have a `response` column; with neither, the
   * length rows say so in their `note`.
   */
  dataset?: DataFrame;
  /** Confidence level of the intervals, in (0, 1); 0.95 by default. */
  level?: number;
  /**
   * `"points"` (the default): residuals in the task's points. `"share"`: score and grade
   * divided by the entry's `max_score` first, for tasks whose maximum varies by entry and to
   * put tasks on one axis.
   */
  scale?: "points" | "share";
  /**
   * Whether a respondent (`model`) is a physician group. Default: the name contains
   * physician, attending, resident, clinician, doctor, intern, fellow or "md" (as the
   * figures classify respondents). So "physician + gpt-4" counts as physician: see
   * {@linkcode biasAudit}.
   */
  isPhysician?: (model: string) => boolean;
  /**
   * A model's family (its maker), or null when unknown, applied to the judge's `judge_model`,
   * name and `judge_provider` and to each AI respondent's `model`. Default: claude → anthropic,
   * gemini/gemma/palm → google, llama → meta, mistral/mixtral → mistral, deepseek, qwen →
   * alibaba, grok → xai, gpt-*, chatgpt and o1/o3/o4… → openai.
   */
  family?: (name: string) => string | null;
}

/** Rules of the default family classifier, first match wins. */
const FAMILY_RULES: readonly [RegExp, string][] = [
  [/claude|anthropic/i, "anthropic"],
  [/gemini|gemma|palm|bard|google/i, "google"],
  [/llama|\bmeta\b/i, "meta"],
  [/mistral|mixtral|codestral/i, "mistral"],
  [/deepseek/i, "deepseek"],
  [/qwen|alibaba/i, "alibaba"],
  [/grok|\bxai\b/i, "xai"],
  [/gpt|openai|davinci|(^|[^a-z0-9])o[1-9](?![0-9])/i, "openai"],
];

function _defaultFamily(name: string): string | null {
  return FAMILY_RULES.find(([rule]) => rule.test(name))?.[1] ?? null;
}

/** One entry's residual, as the audit reads it. */
interface _Entry {
  /** The entry's case, numbered within its judge × task. */
  cluster: number;
  residual: number;
  model: string;
  physician: boolean;
  family: string | null;
  /** Words in the response, or NaN without its text. */
  words: number;
}

/** A statistic of a judge × task's entries, leaving out one case (−1: none). */
type _Statistic = (leftOut: number) => number;

/** One output row, before it becomes a frame. */
interface _Row {
  kind: "group" | "model" | "length" | "self_preference";
  level: string;
  group: string | null;
  estimate: number;
  lower: number | null;
  upper: number | null;
  n: number;
  n_cases: number;
  note: string | null;
}

/**
 * Audits a judge for systematic departures from physicians, per judge × task: the residual
 * judge − physician (`score − grade`) on each entry, averaged over a judge's scored repeats of
 * the entry (failed judgements and entries without a grade are left out), summarised as
 *
 * - `kind: "group"` — the mean residual on AI responses, on physician responses, and their
 *   difference `"AI − physician"`: a judge that favours AI-written text inflates every
 *   new-model-versus-physician comparison by this much.
 * - `kind: "model"` — the mean residual on each respondent's responses (`model`).
 * - `kind: "length"` — the least-squares slope of the residual on the response's length, in
 *   points per 100 words (words = whitespace-separated tokens of the response): the verbosity
 *   bias that length-controlled AlpacaEval corrects for (Dubois et al. 2024). Over all
 *   responses, not adjusted for who wrote them: when AI responses are both longer and favoured,
 *   read it beside the group rows.
 * - `kind: "self_preference"` — the mean residual on responses by the judge's own model family
 *   minus that on other AI responses (physicians left out): self-preference (Panickssery et al.
 *   2024; Zheng et al. 2023, MT-Bench's self-enhancement bias).
 *
 * Intervals: a jackknife over cases (Quenouille 1956; Tukey 1958), since one case has several
 * responses, all judged against the same vignette and physicians: each estimate is recomputed
 * leaving out one case at a time, SE² = (G − 1)/G · Σ (θ₋g − θ̄)² over the G cases, and the
 * interval is θ̂ ± t(G − 1) · SE, Student t with G − 1 degrees of freedom for few clusters
 * (Cameron, Gelbach & Miller 2008; the jackknife is Bell & McCaffrey's 2002 CR3 variance). A
 * mean residual is a ratio of case sums (Σ residuals / Σ entries), so resampling cases rather
 * than entries is what makes it cluster-robust. The interval generalises to new cases. With
 * fewer than 4 cases there is no interval, and `note` says so. In simulation (8 cases of 18
 * responses, case effects, a true AI − physician gap) the 95% interval covered 92.5% of 200
 * runs: close to nominal, slightly short, as few-cluster intervals tend to be.
 *
 * Physician or AI: by `isPhysician(model)`, default by name (see the option). "physician +
 * gpt-4" is on the PHYSICIAN side: a physician wrote that response, with GPT-4 at hand, so it
 * answers "does the judge favour AI-written text?" as a human response, and putting it with the
 * AI would mix the two. It still has its own `model` row.
 *
 * Columns: `task`, `judge`; `kind` (above); `level` — what the row is about (a respondent
 * name, `"AI"`, `"physician"`, `"AI − physician"`, `"per 100 words"`, or `"same family
 * (openai) − other AI"`); `group` — `"AI"` or `"physician"` for the model and group rows it
 * describes, else null; `estimate` (NaN when undefined); `lower`, `upper` (null without an
 * interval); `n` entries used; `n_cases` cases they come from; `scale` (`"points"` or
 * `"share"`); `note` — why there is no estimate or interval, and how many of the judge's
 * judgements failed (status "failed", or "scored" with a `NaN` or ±`Infinity` score), else null.
 *
 * @param trials A trials frame from `loadTrials(dir, { dataset })`: columns `judge`, `task`,
 *   `entry_id`, `status`, `score`, `grade`, `case_id`, `model`; `max_score` for the share
 *   scale; `judge_model`, `judge_provider` and `response` when present.
 * @param options `dataset`, `level`, `scale`, `isPhysician`, `family`.
 * @returns The tidy frame, by task, judge and kind.
 * @throws {RangeError} On an empty frame, a missing column (in the trials or the dataset), a
 *   bad option, or a graded scored entry without a `case_id`.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { biasAudit } from "./bias_audit.ts";
 * import assert from "node:assert/strict";
 *
 * const trials = pl.DataFrame({
 *   judge: Array(4).fill("j"), task: Array(4).fill("r_idea"), entry_id: ["a", "b", "c", "d"],
 *   status: Array(4).fill("scored"), score: [7, 8, 5, 4], grade: [6, 6, 5, 5],
 *   case_id: ["x", "y", "x", "y"],
 *   model: ["gpt-4", "gpt-4", "attending physician", "attending physician"],
 * });
 * const gap = biasAudit(trials).toRecords().find((r) => r.level === "AI − physician")!;
 * assert.equal(gap.estimate, 2); // AI +1.5, physicians −0.5
 * assert.equal(gap.lower, null); // two cases: too few for an interval
 * ```
 */
export function biasAudit(trials: DataFrame, options: BiasAuditOptions = {}): DataFrame {
  const fn = "biasAudit";
  const level = options.level ?? 0.95;
  if (typeof level !== "number" || !(level > 0 && level < 1)) {
    throw new RangeError(`${fn}(): options.level must be in (0, 1), got ${String(level)}`);
  }
  const scale = options.scale ?? "points";
  if (scale !== "points" && scale !== "share") {
    throw new RangeError(
      `${fn}(): options.scale must be "points" or "share", got ${JSON.stringify(scale)}`,
    );
  }
  for (const name of ["isPhysician", "family"] as const) {
    if (options[name] !== undefined && typeof options[name] !== "function") {
      throw new RangeError(`${fn}(): options.${name} must be a function`);
    }
  }
  const needed = ["judge", "task", "entry_id", "status", "score", "grade", "case_id", "model"];
  if (scale === "share") needed.push("max_score");
  _checkFrame(fn, "trials", trials, needed);
  const responses = _responses(fn, trials, options.dataset);
  const isPhysician = options.isPhysician ?? isPhysicianRespondent;
  const family = options.family ?? _defaultFamily;
  const groups = _readEntries(fn, trials, scale, responses, isPhysician, family);
  const out: Record<string, unknown[]> = Object.fromEntries(
    ["task", "judge", "kind", "level", "group", "estimate", "lower", "upper", "n", "n_cases"]
      .concat(["scale", "note"]).map((c) => [c, []]),
  );
  for (const g of groups) {
    const rows = [
      ..._groupRows(g.entries, level),
      ..._modelRows(g.entries, level),
      _lengthRow(g.entries, level, responses !== undefined),
      _selfPreferenceRow(g.entries, level, g.judgeFamily),
    ];
    for (const row of rows) {
      // Failures (NaN or ±Infinity scores among them) are said on every row, not dropped unseen.
      if (g.failures !== null) {
        row.note = row.note === null ? g.failures : `${row.note}; ${g.failures}`;
      }
      out.task!.push(g.task), out.judge!.push(g.judge), out.scale!.push(scale);
      for (const [k, v] of Object.entries(row)) out[k]!.push(v);
    }
  }
  const types: Record<string, pl.DataType> = { estimate: pl.Float64, lower: pl.Float64 };
  Object.assign(types, { upper: pl.Float64, n: pl.Int64, n_cases: pl.Int64 });
  return pl.DataFrame(
    Object.entries(out).map(([name, values]) => pl.Series(name, values, types[name] ?? pl.Utf8)),
  );
}

/**
 * Each entry's response text: the trials' `response` column, else the dataset's by `id`.
 *
 * @returns A lookup from row to text, or undefined with neither source.
 * @throws {RangeError} When the dataset lacks `id` or `response`.
 */
function _responses(
  fn: string,
  trials: DataFrame,
  dataset: DataFrame | undefined,
): ((row: number, entryId: unknown) => unknown) | undefined {
  if (trials.columns.includes("response")) {
    const text = _values(trials, "response");
    return (row) => text[row];
  }
  if (dataset === undefined) return undefined;
  _checkFrame(fn, "options.dataset", dataset, ["id", "response"]);
  const ids = _values(dataset, "id"), text = _values(dataset, "response");
  const byId = new Map(ids.map((id, i) => [String(id), text[i]]));
  return (_row, entryId) => byId.get(String(entryId));
}

/**
 * The entries of each judge × task (sorted by task, then judge): one per entry with a finite
 * grade and at least one scored judgement, its residual the mean scored repeat minus the grade.
 */
function _readEntries(
  fn: string,
  trials: DataFrame,
  scale: "points" | "share",
  responses: ((row: number, entryId: unknown) => unknown) | undefined,
  isPhysician: (model: string) => boolean,
  family: (name: string) => string | null,
): {
  task: string;
  judge: string;
  judgeFamily: string | null;
  entries: _Entry[];
  failures: string | null;
}[] {
  const col = (name: string) => trials.columns.includes(name) ? _values(trials, name) : [];
  const judge = col("judge"), task = col("task"), entry = col("entry_id"), status = col("status");
  const score = col("score"), grade = col("grade"), caseId = col("case_id"), model = col("model");
  const max = col("max_score"), judgeModel = col("judge_model");
  const provider = col("judge_provider");
  type Item = { scores: _RepeatScores; row: number };
  type Group = { items: Map<string, Item>; names: Set<string>; judgements: number; failed: number };
  const groups = new Map<string, Group>();
  for (let i = 0; i < trials.height; i++) {
    const key = JSON.stringify([String(task[i] ?? ""), String(judge[i] ?? "")]);
    let group = groups.get(key);
    if (!group) {
      groups.set(key, group = { items: new Map(), names: new Set(), judgements: 0, failed: 0 });
    }
    group.judgements++;
    if (_judgementFailed(status[i], score[i])) group.failed++;
    for (const v of [judgeModel[i], judge[i], provider[i]]) {
      if (typeof v === "string" && v !== "") group.names.add(v);
    }
    const s = _num(score[i]), g = _num(grade[i]);
    if (status[i] !== "scored" || !Number.isFinite(s) || !Number.isFinite(g)) continue;
    const m = scale === "share" ? _num(max[i]) : 1;
    if (!(m > 0)) {
      throw new RangeError(
        `${fn}(): trials row ${i} has max_score ${max[i]}, not a positive number`,
      );
    }
    const id = String(entry[i]);
    let item = group.items.get(id);
    if (!item) group.items.set(id, item = { scores: new _RepeatScores(), row: i });
    item.scores.add(s / m, 0);
  }
  return [...groups.entries()].sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0).map(([key, g]) => {
    const [t, j] = JSON.parse(key) as [string, string];
    const clusters = new Map<string, number>();
    const entries = [...g.items.values()].map(({ scores, row }): _Entry => {
      const c = caseId[row];
      if (c === null || c === undefined || c === "") {
        throw new RangeError(`${fn}(): trials row ${row} has no case_id (the interval's cluster)`);
      }
      let cluster = clusters.get(String(c));
      if (cluster === undefined) clusters.set(String(c), cluster = clusters.size);
      const m = scale === "share" ? _num(max[row]) : 1;
      const who = String(model[row] ?? "");
      const physician = isPhysician(who);
      const text = responses?.(row, entry[row]);
      return {
        cluster,
        residual: scores.score("mean") - _num(grade[row]) / m,
        model: who,
        physician,
        family: physician ? null : family(who),
        words: typeof text === "string" ? text.split(/\s+/).filter((w) => w !== "").length : NaN,
      };
    });
    // The judge's family: from its model id, else its name, else its provider.
    const judgeFamily = [...g.names].map(family).find((f) => f !== null) ?? null;
    return {
      task: t,
      judge: j,
      judgeFamily,
      entries,
      failures: _failureNote(g.failed, g.judgements),
    };
  });
}

/** The mean residual of the entries `keep` selects, leaving out one case. */
function _mean(entries: readonly _Entry[], keep: (e: _Entry) => boolean): _Statistic {
  return (leftOut) => {
    let sum = 0, n = 0;
    for (const e of entries) if (e.cluster !== leftOut && keep(e)) sum += e.residual, n++;
    return n > 0 ? sum / n : NaN;
  };
}

/**
 * A statistic's estimate and jackknife-over-cases t interval, as a row's numbers.
 *
 * @param statistic The statistic.
 * @param used The entries it uses (for n and the cases).
 * @param level The confidence level.
 * @param undefinedNote The note when the estimate is undefined.
 */
function _estimate(
  statistic: _Statistic,
  used: readonly _Entry[],
  level: number,
  undefinedNote: string,
): Pick<_Row, "estimate" | "lower" | "upper" | "n" | "n_cases" | "note"> {
  const cases = [...new Set(used.map((e) => e.cluster))];
  const g = cases.length;
  const base = { n: used.length, n_cases: g, lower: null, upper: null };
  const estimate = statistic(-1);
  if (!Number.isFinite(estimate)) return { ...base, estimate: NaN, note: undefinedNote };
  if (g < MIN_INTERVAL_CASES) {
    const note = `${g} case${
      g === 1 ? "" : "s"
    }: too few for a cluster interval (needs ${MIN_INTERVAL_CASES})`;
    return { ...base, estimate, note };
  }
  const leaveOut = cases.map((c) => statistic(c));
  if (!leaveOut.every(Number.isFinite)) {
    const note = "leaving out one case leaves the estimate undefined: no jackknife interval";
    return { ...base, estimate, note };
  }
  const { lower, upper } = _jackknifeT(estimate, leaveOut, level);
  return { ...base, estimate, lower, upper, note: null };
}

/** The rows AI, physician, and AI − physician. */
function _groupRows(entries: readonly _Entry[], level: number): _Row[] {
  const ai = entries.filter((e) => !e.physician), doctors = entries.filter((e) => e.physician);
  const aiMean = _mean(entries, (e) => !e.physician), mdMean = _mean(entries, (e) => e.physician);
  const gap = _estimate(
    (l) => aiMean(l) - mdMean(l),
    entries,
    level,
    ai.length === 0 ? "no AI responses" : "no physician responses",
  );
  return [
    { kind: "group", level: "AI", group: "AI", ..._estimate(aiMean, ai, level, "no AI responses") },
    {
      kind: "group",
      level: "physician",
      group: "physician",
      ..._estimate(mdMean, doctors, level, "no physician responses"),
    },
    { kind: "group", level: "AI − physician", group: null, ...gap },
  ];
}

/** One row per respondent: AI ones first, then physician groups, each by name. */
function _modelRows(entries: readonly _Entry[], level: number): _Row[] {
  const models = new Map<string, boolean>(entries.map((e) => [e.model, e.physician]));
  return [...models].sort(([a, pa], [b, pb]) => Number(pa) - Number(pb) || (a < b ? -1 : 1))
    .map(([model, physician]) => ({
      kind: "model",
      level: model,
      group: physician ? "physician" : "AI",
      ..._estimate(
        _mean(entries, (e) => e.model === model),
        entries.filter((e) => e.model === model),
        level,
        "no responses",
      ),
    }));
}

/** The slope of the residual per 100 words. */
function _lengthRow(entries: readonly _Entry[], level: number, haveText: boolean): _Row {
  const row = { kind: "length", level: "per 100 words", group: null } as const;
  if (!haveText) {
    const note = "no response text: pass options.dataset (from loadDataset()) or a response column";
    return { ...row, estimate: NaN, lower: null, upper: null, n: 0, n_cases: 0, note };
  }
  const used = entries.filter((e) => Number.isFinite(e.words));
  const slope: _Statistic = (leftOut) => {
    let n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (const e of used) {
      if (e.cluster === leftOut) continue;
      const x = e.words / 100;
      n++, sx += x, sy += e.residual, sxx += x * x, sxy += x * e.residual;
    }
    const ssx = sxx - sx * sx / n;
    return n > 1 && ssx > 1e-12 * Math.max(1, sxx) ? (sxy - sx * sy / n) / ssx : NaN;
  };
  const note = used.length === 0
    ? "no response text for these entries"
    : "the responses' lengths do not vary: no slope";
  return { ...row, ..._estimate(slope, used, level, note) };
}

/** Same-family minus other AI responses' mean residual. */
function _selfPreferenceRow(
  entries: readonly _Entry[],
  level: number,
  judgeFamily: string | null,
): _Row {
  const row = {
    kind: "self_preference",
    level: `same family (${judgeFamily ?? "unknown"}) − other AI`,
    group: "AI",
  } as const;
  const ai = entries.filter((e) => !e.physician);
  const same = ai.filter((e) => judgeFamily !== null && e.family === judgeFamily);
  const note = judgeFamily === null
    ? "the judge's model family is unknown (judge_model, judge name and provider unrecognised)"
    : same.length === 0
    ? `no responses by the judge's family (${judgeFamily}) on this task`
    : `no AI responses from other families than ${judgeFamily}`;
  const difference: _Statistic = (l) =>
    _mean(same, () => true)(l) - _mean(ai, (e) => e.family !== judgeFamily)(l);
  return { ...row, ..._estimate(difference, ai, level, note) };
}
