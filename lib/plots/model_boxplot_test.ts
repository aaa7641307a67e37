import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { assertSnapshot } from "./_snapshot.ts";
import { fixtureTrials } from "./_fixtures.ts";
import { modelBoxplot } from "./model_boxplot.ts";

Deno.test("modelBoxplot() draws a box per respondent and task, candidate highlighted (snapshot)", async () => {
  const fig = modelBoxplot(fixtureTrials(), { highlight: "med42", synthetic: true });
  assert.match(fig.caption, /^Distribution of gpt-4o's score per respondent/);
  assert.match(fig.caption, /vermillion: med42/);
  assert.match(fig.caption, /5 rows without a score \(failed judgements\) left out/);
  assert.match(fig.caption, /Synthetic data/);
  // One "n = …" label per (task, respondent): 4 tasks × 5 respondents.
  assert.equal((fig.svg.match(/>n = \d+</g) ?? []).length, 20);
  await assertSnapshot("model_boxplot", fig.svg);
});

Deno.test("modelBoxplot() counts only scored judgements, never a failure as a score", () => {
  const trials = pl.DataFrame([
    { task: "r_idea", model: "gpt-4", status: "scored", score: 8, max_score: 10 },
    { task: "r_idea", model: "gpt-4", status: "scored", score: 10, max_score: 10 },
    { task: "r_idea", model: "gpt-4", status: "failed", score: null, max_score: 10 },
  ]);
  const fig = modelBoxplot(trials);
  assert.match(fig.svg, />n = 2</);
  assert.match(fig.caption, /1 row without a score/);
});

Deno.test("modelBoxplot() reads a dataset's physician grades, and colours physician groups apart", () => {
  const dataset = pl.DataFrame([
    { benchmark: "cpc_bond", model: "attending physician", grade: 4, max_score: 5 },
    { benchmark: "cpc_bond", model: "attending physician", grade: 5, max_score: 5 },
    { benchmark: "cpc_bond", model: "gpt-4", grade: 5, max_score: 5 },
    { benchmark: "cpc_bond", model: "gpt-4", grade: 3, max_score: 5 },
  ]);
  const fig = modelBoxplot(dataset);
  assert.match(fig.caption, /the physician grade/);
  assert.match(fig.svg, /Physician grade ÷ max score/);
  assert.match(fig.svg, /fill="#0072B2"/);
  assert.match(fig.svg, /fill="#E69F00"/);
});

Deno.test("modelBoxplot() names missing columns and an empty selection", () => {
  assert.throws(
    () => modelBoxplot(pl.DataFrame({ task: ["r_idea"], score: [1] })),
    /lacks "model", "max_score"/,
  );
  assert.throws(
    () => modelBoxplot(fixtureTrials(), { tasks: ["bi_triage"] }),
    /no scores to draw for bi_triage/,
  );
});

Deno.test("modelBoxplot() shows the points of a box of six responses or fewer", () => {
  const frame = pl.DataFrame({
    benchmark: Array(9).fill("cpc_bond"),
    model: [...Array(4).fill("small"), ...Array(5).fill("bigger")],
    grade: [1, 2, 3, 4, 0, 2, 3, 4, 5],
    max_score: Array(9).fill(5),
  });
  const svg = modelBoxplot(frame, { value: "grade" }).svg;
  // 4 + 5 responses, every box under 7: one point per response.
  assert.equal((svg.match(/<circle[^>]*r="2"/g) ?? []).length, 9);
});
