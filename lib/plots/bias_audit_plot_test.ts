import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { biasAudit } from "../stats/bias_audit.ts";
import { assertSnapshot } from "./_snapshot.ts";
import { fixtureTrials } from "./_fixtures.ts";
import { biasAuditPlot } from "./bias_audit_plot.ts";

function count(svg: string, pattern: RegExp): number {
  return (svg.match(pattern) ?? []).length;
}

/** The figure fixture's trials, with responses whose length grows with the entry number. */
function trialsWithText(): pl.DataFrame {
  const trials = fixtureTrials();
  const ids = trials.getColumn("entry_id").toArray() as string[];
  const text = ids.map((id) => Array(30 + 7 * Number(id.split("-").at(-1))).fill("w").join(" "));
  return trials.withColumn(pl.Series("response", text));
}

Deno.test("biasAuditPlot() draws residuals per respondent, gap and self-preference per task (snapshot)", async () => {
  const audit = biasAudit(trialsWithText(), { scale: "share" });
  const fig = biasAuditPlot(audit, { synthetic: true });
  // 4 tasks × (3 AI respondents + "All AI") orange, × (2 physician groups + "All") blue.
  assert.equal(count(fig.svg, /<path fill="#E69F00"/g), 16);
  assert.equal(count(fig.svg, /<path fill="#0072B2"/g), 12);
  // Gap and own family (openai: gpt-4, o1-preview) − other AI (med42), in each task.
  assert.equal(count(fig.svg, /<path fill="#D55E00"/g), 8);
  assert.match(fig.svg, />Own family \(openai\) − other AI</);
  assert.match(fig.caption, /^Bias audit of gpt-4o/);
  assert.match(fig.caption, /95% jackknife-over-cases t intervals/);
  assert.match(fig.caption, /Residual per 100 words \(share of max score\): cpc_bond /);
  assert.match(fig.caption, /Synthetic data/);
  await assertSnapshot("bias_audit_plot", fig.svg);
});

Deno.test("biasAuditPlot() draws rows without an interval hollow and says why", () => {
  const audit = pl.DataFrame({
    task: ["r_idea", "r_idea", "r_idea"],
    judge: ["j", "j", "j"],
    kind: ["model", "model", "length"],
    level: ["gpt-4", "attending physician", "per 100 words"],
    group: ["AI", "physician", null],
    estimate: [0.8, -0.1, NaN],
    lower: [null, -0.6, null],
    upper: [null, 0.4, null],
    scale: ["points", "points", "points"],
  });
  const fig = biasAuditPlot(audit, { level: 0.9 });
  assert.equal(count(fig.svg, /<path stroke="#E69F00"/g), 1); // hollow: outline only
  assert.equal(count(fig.svg, /<path fill="#0072B2"/g), 1);
  assert.match(fig.caption, /90% jackknife/);
  assert.match(fig.caption, /Hollow: no interval \(fewer than 4 cases\)/);
  assert.doesNotMatch(fig.caption, /per 100 words|Synthetic/);
});

Deno.test("biasAuditPlot() asks for a judge among several and names missing columns", () => {
  const a = biasAudit(fixtureTrials());
  const two = pl.concat([a, a.withColumn(pl.lit("claude").alias("judge"))]);
  assert.throws(() => biasAuditPlot(two), /several judges are in the audit; pick one with/);
  assert.match(biasAuditPlot(two, { judge: "claude" }).caption, /^Bias audit of claude/);
  assert.throws(() => biasAuditPlot(two, { judge: "x" }), /no judge "x"/);
  assert.throws(() => biasAuditPlot(a.drop("upper")), /lacks "upper"; pass the frame from/);
  assert.throws(
    () => biasAuditPlot(a, { tasks: ["nope"] }),
    /no finite residuals of gpt-4o to draw/,
  );
});
