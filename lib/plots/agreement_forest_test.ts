import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { assertSnapshot } from "./_snapshot.ts";
import { fixtureAgreement, fixtureCeiling } from "./_fixtures.ts";
import { agreementForest } from "./agreement_forest.ts";

function count(svg: string, pattern: RegExp): number {
  return (svg.match(pattern) ?? []).length;
}

Deno.test("agreementForest() draws judges, baselines and the ceiling band per task (snapshot)", async () => {
  const fig = agreementForest(fixtureAgreement(), { ceiling: fixtureCeiling(), synthetic: true });
  // Estimates (drawn as symbol paths): 2 LLM judges and 2 baselines on each of 4 tasks; on
  // r_idea (3 cases, no interval) they are hollow.
  assert.equal(count(fig.svg, /<path fill="#009E73"/g), 6);
  assert.equal(count(fig.svg, /<path fill="#7f7f7f"/g), 6);
  assert.equal(count(fig.svg, /<path stroke="#009E73"/g), 2);
  assert.equal(count(fig.svg, /<path stroke="#7f7f7f"/g), 2);
  // Each panel says its number of cases; few-case panels are marked and tinted.
  assert.match(fig.svg, />30 cases</);
  assert.match(fig.svg, />5 cases \(few\)</);
  assert.match(fig.svg, />3 cases \(few\)</);
  assert.equal(count(fig.svg, /fill-opacity="0.05"[^>]*><rect/g), 2);
  assert.match(
    fig.caption,
    /Tinted panels rest on fewer than 20 cases \(Management reasoning \(rubric\); Consultation note \(R-IDEA 0–10\)\)/,
  );
  // One ceiling band per task, although the ceiling frame repeats it for each judge.
  assert.equal(count(fig.svg, /fill-opacity="0.15" fill="#0072B2"><rect/g), 4);
  assert.match(fig.caption, /physician ceiling/);
  // Names from the display table, never raw keys.
  assert.match(fig.caption, /Quadratic-weighted κ/);
  assert.doesNotMatch(fig.svg, />(kappa_quadratic|management_reasoning|cpc_bond)</);
  assert.match(fig.caption, /Synthetic data/);
  await assertSnapshot("agreement_forest", fig.svg);
});

Deno.test("agreementForest() leaves out undefined estimates and names them in the caption", () => {
  const agreement = pl.concat([
    fixtureAgreement().filter(pl.col("metric").eq(pl.lit("kappa_quadratic"))),
    pl.DataFrame({
      task: ["r_idea"],
      judge: ["o3"],
      metric: ["kappa_quadratic"],
      estimate: [NaN],
      lower: [NaN],
      upper: [NaN],
      n_cases: [3],
    }),
  ]);
  const fig = agreementForest(agreement);
  assert.match(fig.caption, /Undefined, so not drawn: o3 on r_idea\./);
  assert.doesNotMatch(fig.svg, />o3</);
});

Deno.test("agreementForest() names a metric with no finite estimate and a missing column", () => {
  assert.throws(
    () => agreementForest(fixtureAgreement(), { metric: "pearson" }),
    /no finite pearson estimates; the frame has "kappa_quadratic", "pearson"/,
  );
  assert.throws(
    () => agreementForest(fixtureAgreement().drop("lower")),
    /the agreement frame lacks "lower"; pass the frame from agreement\(\)/,
  );
  assert.throws(
    () => agreementForest(fixtureAgreement(), { ceiling: fixtureCeiling().drop("ceiling_upper") }),
    /the ceiling frame lacks "ceiling_upper"/,
  );
});

Deno.test("agreementForest()'s caption names only what is drawn", () => {
  const baselines = fixtureAgreement().filter(
    pl.col("judge").eq(pl.lit("lexical-baseline")).or(
      pl.col("judge").eq(pl.lit("constant (mode)")),
    ),
  );
  const caption = agreementForest(baselines).caption;
  assert.doesNotMatch(caption, /green/);
  assert.match(caption, /grey squares: baselines/);
  assert.match(agreementForest(fixtureAgreement()).caption, /green: LLM judges/);
});
