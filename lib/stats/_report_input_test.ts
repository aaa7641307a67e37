import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { _failureNote, _judgementFailed } from "./_report_input.ts";
import { altTest } from "./alt_test.ts";
import { biasAudit } from "./bias_audit.ts";
import { calibrate } from "./calibrate.ts";
import { physicianEquivalent } from "./physician_equivalent.ts";

Deno.test("_judgementFailed() counts a scored NaN, ±Infinity or null score as failed", () => {
  assert.equal(_judgementFailed("scored", 3), false);
  for (const score of [NaN, Infinity, -Infinity, null, undefined, "4"]) {
    assert.equal(_judgementFailed("scored", score), true, String(score));
  }
  assert.equal(_judgementFailed("failed", null), true);
  assert.equal(_failureNote(0, 5), null);
  assert.equal(_failureNote(2, 5), "the judge failed 2 of 5 judgements");
});

/** Twelve judgements on six cases: two "scored" with NaN and one with Infinity. */
function trials(): pl.DataFrame {
  const n = 12;
  const score = [3, 4, 2, 5, 1, 3, 4, 2, 3, NaN, Infinity, -Infinity];
  return pl.DataFrame([
    pl.Series("judge", Array(n).fill("j")),
    pl.Series("task", Array(n).fill("r_idea")),
    pl.Series("entry_id", score.map((_, i) => `e${i}`)),
    pl.Series("status", Array(n).fill("scored")),
    pl.Series("score", score, pl.Float64),
    pl.Series("grade", [3, 4, 2, 4, 1, 3, 5, 2, 3, 4, 2, 1], pl.Float64),
    pl.Series("max_score", Array(n).fill(5), pl.Float64),
    pl.Series("case_id", score.map((_, i) => `c${i % 6}`)),
    pl.Series("model", score.map((_, i) => i % 2 === 0 ? "gpt-4" : "physician")),
    pl.Series("raters", score.map(() => ["p1", "p2", "p3"]), pl.List(pl.Utf8)),
    pl.Series(
      "rater_scores",
      score.map((_, i) => [i % 5, (i + 1) % 5, (i + 2) % 5]),
      pl.List(pl.Float64),
    ),
  ]);
}

const FAILED = "the judge failed 3 of 12 judgements";

Deno.test("altTest() counts NaN and ±Infinity scores as failures in the verdict's note", () => {
  const { verdict, physicians } = altTest(trials(), { minItems: 3 });
  assert.match(String(verdict.toRecords()[0]!.note), new RegExp(FAILED));
  // Only the 9 finite scores are items.
  assert.deepEqual(physicians.getColumn("n").toArray(), [9, 9, 9]);
});

Deno.test("calibrate() counts NaN and ±Infinity scores as failed, and never fits them", () => {
  const { trials: out, maps } = calibrate(trials(), { folds: 3 });
  assert.equal(maps[0]!.failed, 3);
  assert.equal(maps[0]!.n, 9);
  assert.deepEqual(out.getColumn("score_calibrated").toArray().slice(9), [null, null, null]);
});

Deno.test("biasAudit() counts NaN and ±Infinity scores as failures in every row's note", () => {
  const rows = biasAudit(trials()).toRecords();
  assert.ok(rows.length > 0);
  for (const row of rows) assert.match(String(row.note), new RegExp(FAILED));
});

Deno.test("physicianEquivalent() counts NaN and ±Infinity scores as failures in its note", () => {
  const frame = trials().withColumns(pl.Series("model", Array(12).fill("new-model")));
  const row = physicianEquivalent(frame, {
    respondent: "new-model",
    labeledIds: ["e0", "e1", "e2", "e3", "e9"],
  }).toRecords()[0]!;
  assert.match(String(row.note), new RegExp(FAILED));
  assert.equal(row.n_labeled, 4);
});
