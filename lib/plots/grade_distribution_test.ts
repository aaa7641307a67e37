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

Deno.test("gradeDistribution() keeps perfect scores in the last bin", () => {
  const df = pl.DataFrame({
    benchmark: ["r_idea", "r_idea"],
    grade: [10, 10],
    max_score: [10, 10],
  });
  const bars = gradeDistribution(df).svg.match(/<rect[^>]*>/g) ?? [];
  assert.equal(bars.length, 1);
  assert.match(bars[0]!, /x="[\d.]+"/);
});
