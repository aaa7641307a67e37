import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { assertSnapshot } from "./_snapshot.ts";
import { fixtureTrials } from "./_fixtures.ts";
import { judgeScatter } from "./judge_scatter.ts";

Deno.test("judgeScatter() plots each scored judgement against its grade, per task (snapshot)", async () => {
  const fig = judgeScatter(fixtureTrials(), { synthetic: true });
  // 4 tasks × 40 responses, less the 5 failed judgements.
  assert.equal((fig.svg.match(/<circle/g) ?? []).length, 155);
  assert.match(fig.caption, /5 failed judgements \(no score\) left out/);
  await assertSnapshot("judge_scatter", fig.svg);
});

Deno.test("judgeScatter() asks which judge when the trials hold a jury", () => {
  const jury = pl.concat([
    fixtureTrials(),
    fixtureTrials().withColumns(pl.lit("claude").alias("judge")),
  ]);
  assert.throws(() => judgeScatter(jury), /several judges .* from "claude", "gpt-4o"/);
  assert.throws(() => judgeScatter(jury, { judge: "o3" }), /no judge "o3"/);
  assert.match(judgeScatter(jury, { judge: "claude" }).caption, /^Score of claude against/);
});

Deno.test("judgeScatter() counts failures of the drawn tasks only, and names missing columns", () => {
  const fig = judgeScatter(fixtureTrials(), { tasks: ["cpc_management"] });
  const failed = fixtureTrials().filter(
    pl.col("task").eq(pl.lit("cpc_management")).and(pl.col("status").eq(pl.lit("failed"))),
  ).height;
  assert.equal((fig.svg.match(/<circle/g) ?? []).length, 40 - failed);
  assert.equal(/failed judgement/.test(fig.caption), failed > 0);
  assert.throws(
    () => judgeScatter(pl.DataFrame({ judge: ["j"], task: ["r_idea"], score: [1] })),
    /lacks "status", "grade", "max_score"; pass loadTrials\(dir, \{ dataset \}\)/,
  );
});
