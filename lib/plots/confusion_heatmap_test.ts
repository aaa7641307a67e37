import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { assertSnapshot } from "./_snapshot.ts";
import { fixtureTrials } from "./_fixtures.ts";
import { _confusionCells, confusionHeatmap } from "./confusion_heatmap.ts";

Deno.test("confusionHeatmap() counts (grade, score) pairs on Bond's values (snapshot)", async () => {
  const fig = confusionHeatmap(fixtureTrials(), "cpc_bond", {
    categories: [0, 2, 3, 4, 5],
    synthetic: true,
  });
  const trials = fixtureTrials().filter(
    pl.col("task").eq(pl.lit("cpc_bond")).and(pl.col("status").eq(pl.lit("scored"))),
  );
  assert.match(fig.caption, new RegExp(`\\(${trials.height} scored responses`));
  await assertSnapshot("confusion_heatmap", fig.svg);
});

Deno.test("_confusionCells() places grades between categories in the nearest one, halves up", () => {
  // With Bond's anchors: 2.5 → 3 (a tie goes up), 3.4 → 3, 4.5 → 5, 1 → 2 (a tie goes up).
  const rows = [
    { score: 2, grade: 2.5 },
    { score: 4, grade: 3.4 },
    { score: 4, grade: 4.5 },
    { score: 5, grade: 1 },
  ];
  const { categories, cells } = _confusionCells(rows, [5, 4, 3, 2, 0]);
  assert.deepEqual(categories, [0, 2, 3, 4, 5]);
  assert.equal(cells.length, 25);
  const nonzero = cells.filter((c) => c.n > 0).map((c) => [c.physician, c.judge, c.n]);
  assert.deepEqual(nonzero, [["2", "5", 1], ["3", "2", 1], ["3", "4", 1], ["5", "4", 1]]);
  // Default categories: the judge's scores and the rounded grades (2.5 → 3, 3.4 → 3, 4.5 → 5, 1).
  assert.deepEqual(_confusionCells(rows).categories, [1, 2, 3, 4, 5]);
});

Deno.test("confusionHeatmap() counts every scored response once and no failure", () => {
  const trials = pl.DataFrame([
    { judge: "j", task: "cpc_bond", status: "scored", score: 2, grade: 2.5, max_score: 5 },
    { judge: "j", task: "cpc_bond", status: "scored", score: 4, grade: 3.4, max_score: 5 },
    { judge: "j", task: "cpc_bond", status: "scored", score: 4, grade: 4.5, max_score: 5 },
    { judge: "j", task: "cpc_bond", status: "failed", score: null, grade: 0, max_score: 5 },
  ]);
  const fig = confusionHeatmap(trials, "cpc_bond", { categories: [0, 2, 3, 4, 5] });
  assert.match(fig.caption, /3 scored responses/);
  assert.match(fig.caption, /1 failed judgement \(no score\) left out/);
});

Deno.test("confusionHeatmap() names a task without scored judgements", () => {
  assert.throws(() => confusionHeatmap(fixtureTrials(), "bi_triage"), /no scored bi_triage/);
  assert.throws(
    () => confusionHeatmap(fixtureTrials(), "cpc_bond", { categories: [] }),
    /categories is empty/,
  );
});
