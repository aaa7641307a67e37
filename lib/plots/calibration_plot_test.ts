import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { assertSnapshot } from "./_snapshot.ts";
import { fixtureTrials } from "./_fixtures.ts";
import { _calibrationPoints, calibrationPlot } from "./calibration_plot.ts";

Deno.test("calibrationPlot() draws the mean grade per judge score, per task (snapshot)", async () => {
  const fig = calibrationPlot(fixtureTrials(), { synthetic: true });
  assert.match(fig.caption, /^Calibration of gpt-4o/);
  assert.match(fig.caption, /5 failed judgements/);
  await assertSnapshot("calibration_plot", fig.svg);
});

Deno.test("calibrationPlot() averages the physician grades of each judge score (hand-worked)", () => {
  const trials = pl.DataFrame({
    judge: ["j", "j", "j", "j", "j"],
    task: Array(5).fill("r_idea"),
    status: ["scored", "scored", "scored", "scored", "failed"],
    score: [8, 8, 8, 4, null],
    grade: [10, 7, 7, 6, 0],
    max_score: Array(5).fill(10),
  });
  const fig = calibrationPlot(trials, { width: 300 });
  // Judge score 8 (0.8): grades 10, 7, 7 → mean share 0.8; judge score 4 (0.4): 0.6.
  const dots = fig.svg.match(/<circle[^>]*>/g) ?? [];
  assert.equal(dots.length, 2);
  assert.match(fig.caption, /1 failed judgement \(no score\) left out/);
});
