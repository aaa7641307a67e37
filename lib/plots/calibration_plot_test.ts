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

Deno.test("_calibrationPoints() gives each point its 95% interval over cases (hand-worked)", () => {
  // Judge score 1.0 on four cases with physician shares 0.2, 0.4, 0.6, 0.8: mean 0.5 ± t(0.975, 3)
  // · sd/√4 = 0.5 ± 3.182446 · 0.129099 = [0.089148, 0.910852] (scipy: 0.0891479, 0.9108521).
  // Judge score 0 on two cases: none.
  const rows = [0.2, 0.4, 0.6, 0.8].map((g, i) => ({
    task: "r_idea",
    score: 10,
    grade: 10 * g,
    max_score: 10,
    case_id: `c${i}`,
  }));
  rows.push({ task: "r_idea", score: 0, grade: 1, max_score: 10, case_id: "c0" });
  rows.push({ task: "r_idea", score: 0, grade: 3, max_score: 10, case_id: "c1" });
  const [low, high] = _calibrationPoints(rows);
  assert.equal(low!.judge, 0);
  assert.ok(Number.isNaN(low!.lower) && Number.isNaN(low!.upper));
  assert.equal(high!.judge, 1);
  assert.ok(Math.abs(high!.physician - 0.5) < 1e-12);
  assert.ok(Math.abs(high!.lower - 0.0891479) < 1e-6, String(high!.lower));
  assert.ok(Math.abs(high!.upper - 0.9108521) < 1e-6, String(high!.upper));
  const fig = calibrationPlot(
    pl.DataFrame(rows.map((r) => ({ ...r, judge: "j", status: "scored" }))),
    { width: 300 },
  );
  assert.match(fig.caption, /bars: 95% intervals over cases/);
  assert.equal((fig.svg.match(/<line/g) ?? []).length >= 1, true);
});
