import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { assertSnapshot } from "./_snapshot.ts";
import { physicianEquivalentPlot } from "./physician_equivalent_plot.ts";

function estimates(): pl.DataFrame {
  return pl.DataFrame({
    task: ["cpc_bond", "r_idea"],
    respondent: ["new-model", "new-model"],
    estimate: [3.6, 8.1],
    lower: [3.1, 7.4],
    upper: [4.1, 8.8],
    physician_only_lower: [2.9, 7.0],
    physician_only_upper: [4.4, 9.1],
    max_score: [5, 10],
  });
}

function reference(): pl.DataFrame {
  const columns = ["task", "entry_id", "model", "grade", "max_score"];
  const rows = [
    ["cpc_bond", "e1", "attending physician", 3, 5],
    ["cpc_bond", "e2", "attending physician", 4, 5],
    ["cpc_bond", "e3", "gpt-4o", 5, 5],
    ["cpc_bond", "e3", "gpt-4o", 5, 5], // the same entry twice (two judges' rows): counted once
    ["cpc_bond", "e4", "new-model", 0, 5], // the hidden respondent: not a reference
    ["r_idea", "e5", "resident physician", 6, 10],
    ["r_idea", "e6", "gpt-4o", 9, 10],
    ["cpc_management", "e7", "gpt-4o", 1, 2], // a task without an estimate: not drawn
  ];
  return pl.DataFrame(rows, { columns, orient: "row" });
}

Deno.test("physicianEquivalentPlot() draws the estimate among the respondents, on the share scale (snapshot)", async () => {
  const fig = physicianEquivalentPlot(estimates(), {
    reference: reference(),
    truth: { cpc_bond: 3.5, r_idea: 8 },
    synthetic: true,
  });
  // Two diamonds (estimates), four reference dots (attending and gpt-4o on cpc_bond; resident
  // and gpt-4o on r_idea), two truth rings.
  assert.equal((fig.svg.match(/fill="#0072B2"/g) ?? []).length, 2);
  assert.equal((fig.svg.match(/fill="#E69F00"/g) ?? []).length, 2);
  assert.doesNotMatch(fig.svg, />cpc_management</);
  assert.match(fig.caption, /new-model's physician-equivalent mean grade/);
  assert.match(fig.caption, /ring: the mean the physicians actually gave/);
  assert.match(fig.caption, /Synthetic data/);
  await assertSnapshot("physician_equivalent_plot", fig.svg);
});

Deno.test("physicianEquivalentPlot() names a missing column and an empty estimate", () => {
  assert.throws(
    () => physicianEquivalentPlot(estimates().drop("max_score")),
    /the estimates frame lacks "max_score"; pass the frame from physicianEquivalent\(\)/,
  );
  assert.throws(
    () =>
      physicianEquivalentPlot(
        estimates().withColumns(pl.lit(null).cast(pl.Float64).alias("estimate")),
      ),
    /no task has an estimate/,
  );
  assert.throws(
    () => physicianEquivalentPlot(estimates(), { reference: reference().drop("grade") }),
    /the reference frame lacks "grade"/,
  );
});
