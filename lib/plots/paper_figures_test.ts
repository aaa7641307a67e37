import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { fixtureAgreement, fixtureCeiling, fixtureRatings, fixtureTrials } from "./_fixtures.ts";
import { paperFigures } from "./paper_figures.ts";
import { _safeFileName } from "./_safe_file_name.ts";

Deno.test("paperFigures() draws each judge's figures, the forest and the dataset's, by file name", () => {
  const jury = pl.concat([
    fixtureTrials(),
    fixtureTrials().withColumns(pl.lit("claude 3.5 / sonnet").alias("judge")),
  ]);
  const ratings = fixtureRatings();
  const figures = paperFigures(jury, {
    dataset: ratings.filter(pl.col("rater").eq(pl.lit("p1"))),
    ratings,
    agreement: fixtureAgreement(),
    ceiling: fixtureCeiling(),
    synthetic: true,
  });
  const perJudge = (j: string) => [
    `scatter-${j}`,
    `calibration-${j}`,
    `bland-altman-${j}`,
    `respondents-${j}`,
    ...["cpc_bond", "cpc_management", "management_reasoning", "r_idea"].map((t) =>
      `confusion-${j}-${t}`
    ),
  ];
  assert.deepEqual([...figures.keys()], [
    "grade-distribution",
    "physician-scatter",
    "agreement-forest",
    ...perJudge("claude-3.5-sonnet"),
    ...perJudge("gpt-4o"),
  ]);
  for (const [name, figure] of figures) assert.match(figure.caption, /Synthetic data/, name);
  // The Bond confusion matrix shows the scale's values, half points included, and no 1.
  const bond = figures.get("confusion-gpt-4o-cpc_bond")!.svg;
  const axis =
    /aria-label="x-axis tick label"[^>]*>(.*?)<\/g><\/g>|aria-label="x-axis tick label"[^>]*>(.*?)<\/g>/
      .exec(bond);
  const ticks = [...(axis?.[0] ?? "").matchAll(/>([\d.]+)<\/text>/g)].map((m) => m[1]);
  assert.deepEqual(ticks, ["0", "2", "2.5", "3", "3.5", "4", "4.5", "5"]);
});

Deno.test("paperFigures() leaves out a figure with nothing to draw, and passes real errors on", () => {
  const allFailed = fixtureTrials().withColumns(
    pl.when(pl.col("task").eq(pl.lit("r_idea"))).then(pl.lit("failed")).otherwise(pl.col("status"))
      .alias("status"),
  );
  const names = [...paperFigures(allFailed).keys()];
  assert.ok(!names.includes("confusion-gpt-4o-r_idea"));
  assert.ok(names.includes("confusion-gpt-4o-cpc_bond"));
  assert.throws(() => paperFigures(fixtureTrials().drop("grade")), /lacks "grade"/);
});

Deno.test("_safeFileName() keeps names readable and safe", () => {
  assert.deepEqual(
    ["gpt-4o", "claude 3.5 / sonnet", "openai:gpt-4o", "../x", "∅"].map(_safeFileName),
    ["gpt-4o", "claude-3.5-sonnet", "openai-gpt-4o", "x", "unnamed"],
  );
});
