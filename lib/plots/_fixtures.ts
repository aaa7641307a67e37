/**
 * Small seeded frames for figure tests, built here so that snapshots do not move when the
 * sample generator changes.
 *
 * @module
 */

import pl from "nodejs-polars";
import type { DataFrame } from "../data/data_frame.ts";

/** A seeded dataset-like frame: five tasks, scores scattered around a per-entry truth. */
export function fixtureRatings(): DataFrame {
  let state = 20261122;
  const random = () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 0x100000000;
  };
  const scales: [string, number][] = [
    ["cpc_bond", 5],
    ["cpc_management", 2],
    ["r_idea", 10],
    ["diagnostic_reasoning", 19],
    ["management_reasoning", 12],
  ];
  const rows: Record<string, unknown>[] = [];
  for (const [benchmark, max] of scales) {
    for (let i = 0; i < 30; i++) {
      const truth = Math.round(random() * max);
      for (const rater of ["p1", "p2"]) {
        const noise = random() < 0.3 ? (random() < 0.5 ? -1 : 1) : 0;
        const score = Math.min(max, Math.max(0, truth + noise));
        rows.push({
          id: `${benchmark}-${i}`,
          benchmark,
          max_score: max,
          rater,
          score,
          grade: truth,
        });
      }
    }
  }
  return pl.DataFrame(rows);
}

/**
 * A seeded trials-like frame (as `loadTrials(dir, { dataset })` gives): one judge's scores of
 * responses by five respondents on four tasks, near the physician grade, a few failed.
 */
export function fixtureTrials(): DataFrame {
  let state = 20261201;
  const random = () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 0x100000000;
  };
  const scales: [string, number, number[] | null][] = [
    ["cpc_bond", 5, [0, 2, 3, 4, 5]],
    ["cpc_management", 2, null],
    ["r_idea", 10, null],
    ["management_reasoning", 12, null],
  ];
  const models = ["gpt-4", "o1-preview", "attending physician", "resident physician", "med42"];
  const nearest = (x: number, values: number[]) =>
    values.reduce((best, v) => Math.abs(v - x) < Math.abs(best - x) ? v : best, values[0]!);
  const rows: Record<string, unknown>[] = [];
  for (const [task, max, allowed] of scales) {
    const values = allowed ?? Array.from({ length: max + 1 }, (_, i) => i);
    for (let i = 0; i < 40; i++) {
      const model = models[i % models.length]!;
      const skill = model.includes("physician") ? 0.55 : model === "med42" ? 0.45 : 0.7;
      const grade = nearest(Math.min(1, Math.max(0, skill + (random() - 0.5) * 0.7)) * max, values);
      const failed = random() < 0.05;
      const drift = (random() - 0.45) * max * 0.3;
      rows.push({
        judge: "gpt-4o",
        task,
        entry_id: `${task}-${i}`,
        case_id: `${task}-case-${i % 8}`,
        model,
        status: failed ? "failed" : "scored",
        score: failed ? null : nearest(Math.min(max, Math.max(0, grade + drift)), values),
        reason: failed ? "invalid_json" : null,
        grade,
        max_score: max,
      });
    }
  }
  return pl.DataFrame(rows);
}

/**
 * An `agreement()`-shaped frame: two judges and a constant baseline on four tasks, one metric.
 * r_idea rests on 3 cases (no interval), management_reasoning on 5 (few).
 */
export function fixtureAgreement(): DataFrame {
  const tasks = ["cpc_bond", "cpc_management", "r_idea", "management_reasoning"];
  const cases = [30, 25, 3, 5];
  const judges: [string, number][] = [["gpt-4o", 0.72], ["claude", 0.66], [
    "lexical-baseline",
    0.41,
  ]];
  const rows: Record<string, unknown>[] = [];
  tasks.forEach((task, t) => {
    for (const [judge, base] of judges) {
      const estimate = base - 0.05 * t, none = cases[t]! < 4;
      rows.push({
        task,
        judge,
        metric: "kappa_quadratic",
        estimate,
        lower: none ? NaN : estimate - 0.08,
        upper: none ? NaN : estimate + 0.07,
        n_cases: cases[t],
      });
    }
    // A constant predictor's correlation is undefined.
    rows.push({
      task,
      judge: "constant (mode)",
      metric: "kappa_quadratic",
      estimate: 0,
      lower: cases[t]! < 4 ? NaN : 0,
      upper: cases[t]! < 4 ? NaN : 0,
      n_cases: cases[t],
    });
    rows.push({
      task,
      judge: "gpt-4o",
      metric: "pearson",
      estimate: NaN,
      lower: NaN,
      upper: NaN,
      n_cases: cases[t],
    });
  });
  return pl.DataFrame(rows);
}

/** A `ceiling()`-shaped frame for `fixtureAgreement()`'s tasks. */
export function fixtureCeiling(): DataFrame {
  const tasks = ["cpc_bond", "cpc_management", "r_idea", "management_reasoning"];
  return pl.DataFrame(tasks.flatMap((task, t) =>
    ["gpt-4o", "claude"].map((judge) => ({
      task,
      judge,
      metric: "kappa_quadratic",
      ceiling: 0.78 - 0.03 * t,
      ceiling_lower: 0.7 - 0.03 * t,
      ceiling_upper: 0.85 - 0.03 * t,
    }))
  ));
}
