import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { assertSnapshot } from "./_snapshot.ts";
import { fixtureRatings } from "./_fixtures.ts";
import { gradeDistribution } from "./grade_distribution.ts";

Deno.test("gradeDistribution() draws one histogram panel per task (snapshot)", async () => {
  const dataset = fixtureRatings().filter(pl.col("rater").eq(pl.lit("p1")));
  const fig = gradeDistribution(dataset);
  assert.doesNotMatch(fig.svg, /Synthetic/);
  await assertSnapshot("grade_distribution", fig.svg);
});

Deno.test("gradeDistribution() says so when the data are synthetic", () => {
  const dataset = fixtureRatings().withColumns(pl.lit(true).alias("synthetic"));
  assert.match(gradeDistribution(dataset).caption, /Synthetic data: a generated sample/);
  assert.doesNotMatch(gradeDistribution(dataset, { synthetic: false }).caption, /Synthetic/);
});
