import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { physicianAgreement } from "./physician_agreement.ts";

Deno.test("physicianAgreement() counts every rater pair once, per task (hand-worked)", () => {
  const long = pl.DataFrame({
    id: ["a", "a", "a", "b", "b", "c", "d", "d"],
    benchmark: [
      "cpc_bond",
      "cpc_bond",
      "cpc_bond",
      "cpc_bond",
      "cpc_bond",
      "cpc_bond",
      "r_idea",
      "r_idea",
    ],
    max_score: [5, 5, 5, 5, 5, 5, 10, 10],
    rater: ["p1", "p2", "p3", "p1", "p2", "p1", "p4", "p5"],
    score: [5, 5, 4, 0, 2, 3, 7, 9],
  });
  const rows = physicianAgreement(long).toRecords();
  // cpc_bond pairs: (5,5) (5,4) (5,4) from a; (0,2) from b; c has one rater and is left out.
  assert.equal(rows[0]?.benchmark, "cpc_bond");
  assert.equal(rows[0]?.entries, 2);
  assert.equal(rows[0]?.pairs, 4);
  assert.equal(rows[0]?.exact_agreement, 0.25);
  assert.equal(rows[0]?.mean_abs_difference, (0 + 1 + 1 + 2) / 4);
  assert.equal(rows[0]?.normalised_mad, (0 + 1 + 1 + 2) / 4 / 5);
  // Pearson over the pairs (5,5) (5,4) (5,4) (0,2); numpy.corrcoef gives 0.9271726499455306.
  assert.ok(Math.abs((rows[0]?.pearson as number) - 0.9271726499455306) < 1e-12);
  // One pair is too few for a correlation.
  assert.deepEqual(rows[1], {
    benchmark: "r_idea",
    entries: 1,
    pairs: 1,
    exact_agreement: 0,
    mean_abs_difference: 2,
    normalised_mad: 0.2,
    pearson: NaN,
  });
});
