/**
 * Case-specific rubrics for the lexical baseline: reading them (object, list or JSON text) and
 * scoring an answer against them by word coverage.
 *
 * @module
 */

import { _readRubric, _rubricItems } from "../tasks/task_inputs.ts";
import type { ScoreScale } from "../tasks/scale.ts";
import { type RuleOutcome, snapToStep } from "./_lexical_outcome.ts";
import { clauses, contentWords, coverage, cueList, findCue, tokenize } from "./_lexical_text.ts";
import { NEGATION_CUES, RUBRIC_FRAMING, THRESHOLDS } from "./_lexical_words.ts";

/** One rubric item: what earns (or, when negative, loses) its points. */
export interface RubricItem {
  id: string;
  description: string;
  points: number;
}

/** A rubric read as items, or why it cannot be. */
export type ReadRubric = { ok: true; items: RubricItem[] } | { ok: false; detail: string };

const FRAMING = new Set(RUBRIC_FRAMING.flatMap(tokenize));
const NEGATION = cueList(NEGATION_CUES);

/**
 * Reads a rubric: an object with an `items` list, a list of items, or the JSON text of either.
 * Each item needs a non-empty `description` (or `criterion`/`text`) and finite numeric
 * `points`; `id` is optional (items are then named #1, #2…). Anything else is unreadable.
 */
export function readRubric(rubric: unknown): ReadRubric {
  const value = _readRubric(rubric);
  if (typeof value === "string") {
    return { ok: false, detail: "the rubric could not be read: it is text but not JSON" };
  }
  const list = _rubricItems(value);
  if (list === undefined) {
    return {
      ok: false,
      detail: "the rubric could not be read: expected a list of items or an object with an " +
        "`items` list",
    };
  }
  if (list.length === 0) return { ok: false, detail: "the rubric could not be read: no items" };
  const items: RubricItem[] = [];
  for (const [k, raw] of list.entries()) {
    const where = `the rubric could not be read: item ${k + 1}`;
    if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
      return { ok: false, detail: `${where} is not an object` };
    }
    const entry = raw as Record<string, unknown>;
    const description = [entry.description, entry.criterion, entry.text]
      .find((d): d is string => typeof d === "string" && d.trim() !== "");
    if (description === undefined) return { ok: false, detail: `${where} has no description` };
    if (typeof entry.points !== "number" || !Number.isFinite(entry.points)) {
      return { ok: false, detail: `${where} has no numeric points` };
    }
    const id = typeof entry.id === "string" || typeof entry.id === "number"
      ? String(entry.id)
      : `#${k + 1}`;
    items.push({ id, description, points: entry.points });
  }
  return { ok: true, items };
}

/**
 * Scores an answer with a rubric. An item's words are its description's content words without
 * framing verbs ("recognises", "orders", "appropriate"…); the item is met when at least 50% of
 * them are in the answer, for the whole description, the description without its parentheses,
 * or the text of one parenthesis alone (parentheses hold examples or alternatives), whichever
 * is highest. A negative (harmful) item is met only by
 * words in clauses with no negation or deferral ("not", "avoid", "withhold", "reserve",
 * "unless"…). The score is the sum of met items' points, clamped to the scale and rounded to
 * its step.
 */
export function rubricScore(
  response: string,
  items: readonly RubricItem[],
  scale: ScoreScale,
): RuleOutcome {
  const all = contentWords(response);
  const affirmed = contentWords(
    clauses(response).filter((c) => findCue(c, NEGATION) === undefined).join(". "),
  );
  const met: RubricItem[] = [];
  for (const item of items) {
    // Parentheses in rubric items hold examples or alternatives ("anticoagulation (LMWH or a
    // DOAC)"): the item is read whole, without them, and as each of them alone.
    const readings = [
      item.description,
      item.description.replace(/\([^)]*\)/g, " "),
      ...[...item.description.matchAll(/\(([^)]*)\)/g)].map((m) => m[1]!),
    ].map((text) => contentWords(text, FRAMING)).filter((words) => words.length > 0);
    const pool = item.points < 0 ? affirmed : all;
    const share = Math.max(0, ...readings.map((words) => coverage(words, pool)));
    if (share >= THRESHOLDS.rubricCoverage) met.push(item);
  }
  const sum = met.reduce((total, item) => total + item.points, 0);
  const score = snapToStep(sum, scale.min, scale.max, scale.step ?? 1);
  const sign = (p: number) => (p < 0 ? `−${-p}` : `+${p}`);
  const earned = met.filter((m) => m.points >= 0).map((m) => `${m.id} (${sign(m.points)})`);
  const harmful = met.filter((m) => m.points < 0).map((m) => `${m.id} (${sign(m.points)})`);
  const missed = items.filter((m) => m.points >= 0 && !met.includes(m)).map((m) => m.id);
  const parts = [
    `met ${earned.join(", ") || "none"}`,
    ...(harmful.length > 0 ? [`harmful proposed ${harmful.join(", ")}`] : []),
    `not met ${missed.join(", ") || "none"}`,
  ];
  const clamped = score !== sum ? `, kept to ${score}` : "";
  return {
    ok: true,
    score,
    justification: `Rubric word coverage: ${parts.join("; ")}; sum ${sum}${clamped} of ` +
      `${scale.max}.`,
    fields: { met: met.map((m) => m.id) },
  };
}
