/**
 * Small seeded frames for figure tests, built here so that snapshots do not move when the
 * sample generator changes.
 *
 * @module
 */

import pl from "nodejs-polars";

/** A seeded dataset-like frame: five tasks, scores scattered around a per-entry truth. */
export function fixtureRatings(): pl.DataFrame {
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
