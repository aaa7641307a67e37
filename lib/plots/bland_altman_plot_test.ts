import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { assertSnapshot } from "./_snapshot.ts";
import { fixtureTrials } from "./_fixtures.ts";
import { blandAltmanPlot } from "./bland_altman_plot.ts";

Deno.test("blandAltmanPlot() draws differences, bias and limits per task (snapshot)", async () => {
  const fig = blandAltmanPlot(fixtureTrials(), { synthetic: true });
  assert.equal((fig.svg.match(/<circle/g) ?? []).length, 155);
  assert.match(
    fig.caption,
    /CPC differential \(Bond 0–5\): bias [+−]0\.\d{3}, limits [+−]0\.\d{3} to [+−]0\.\d{3}/,
  );
  await assertSnapshot("bland_altman_plot", fig.svg);
});

Deno.test("blandAltmanPlot() reports the bias and limits of the unjittered shares (hand-worked)", () => {
  // Differences in shares: +0.1, 0, −0.1, +0.2 → bias 0.05; SD = √(0.05/3) = 0.129099…
  const trials = pl.DataFrame({
    judge: Array(5).fill("j"),
    task: Array(5).fill("r_idea"),
    status: ["scored", "scored", "scored", "scored", "failed"],
    score: [8, 5, 2, 10, null],
    grade: [7, 5, 3, 8, 4],
    max_score: Array(5).fill(10),
  });
  const sd = Math.sqrt((0.05 ** 2 + 0.05 ** 2 + 0.15 ** 2 + 0.15 ** 2) / 3);
  const fig = blandAltmanPlot(trials);
  const lower = (0.05 - 1.96 * sd).toFixed(3), upper = (0.05 + 1.96 * sd).toFixed(3);
  assert.match(
    fig.caption,
    new RegExp(
      `Consultation note \\(R-IDEA 0–10\\): bias \\+0\\.050, limits −${
        lower.slice(1)
      } to \\+${upper}`,
    ),
  );
  assert.match(fig.caption, /1 failed judgement \(no score\) left out/);
});
