import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { modelSummary } from "./model_summary.ts";
import { _tQuantile } from "./_distributions.ts";

function dataset(): pl.DataFrame {
  // [benchmark, model, max_score, case_id, grades]: one row per case, since the jackknife leaves
  // out a case at a time. gpt-4o on cpc_bond: cases a–d with two entries each; on cpc_management:
  // two cases. Entries are numbered e1, e2, … in order.
  const cases: [string, string, number, string, number[]][] = [
    ["cpc_bond", "gpt-4o", 5, "a", [5, 3]],
    ["cpc_bond", "gpt-4o", 5, "b", [4, 4]],
    ["cpc_bond", "gpt-4o", 5, "c", [2, 0]],
    ["cpc_bond", "gpt-4o", 5, "d", [5, 5]],
    ["cpc_management", "gpt-4o", 2, "a", [2]],
    ["cpc_management", "gpt-4o", 2, "b", [1]],
    ["management_reasoning", "attending physician", 4, "m", [3]],
    ["management_reasoning", "attending physician", 7, "m", [6]],
  ];
  const rows = cases.flatMap(([benchmark, model, max, caseId, grades]) =>
    grades.map((grade) => [benchmark, model, grade, max, caseId])
  );
  return pl.DataFrame(rows.map((row, i) => [`e${i + 1}`, ...row]), {
    columns: ["id", "benchmark", "model", "grade", "max_score", "case_id"],
    orient: "row",
  });
}

const byKey = (frame: pl.DataFrame) =>
  new Map(frame.toRecords().map((r) => [`${r.task}|${r.model}`, r as Record<string, unknown>]));

Deno.test("modelSummary() gives each task's mean on its own scale and as a share, with a jackknife-t over cases", () => {
  const summary = modelSummary(dataset());
  assert.equal(
    summary.columns.join(","),
    "task,model,group,n,n_cases,mean,lower,upper,max_score,share,share_lower,share_upper,note",
  );
  const bond = byKey(summary).get("cpc_bond|gpt-4o")!;
  // Case means 4, 4, 1, 5 (equal sizes): the jackknife-t is the t interval of the case means,
  // mean 3.5, sd √(((0.5)² + (0.5)² + (2.5)² + (1.5)²) / 3) = √3, SE √3 / 2, t(3).
  const half = _tQuantile(0.975, 3) * Math.sqrt(3) / 2;
  assert.equal(bond.mean, 3.5);
  assert.ok(Math.abs((bond.lower as number) - (3.5 - half)) < 1e-9);
  assert.ok(Math.abs((bond.upper as number) - (3.5 + half)) < 1e-9);
  assert.equal(bond.share, 0.7);
  assert.ok(Math.abs((bond.share_upper as number) - (3.5 + half) / 5) < 1e-9);
  assert.deepEqual([bond.n, bond.n_cases, bond.max_score, bond.group], [8, 4, 5, "AI"]);
  assert.equal(bond.note, "few cases (4): the interval covers about 90–95%");
  // Two cases: no interval, and the note says why.
  const management = byKey(summary).get("cpc_management|gpt-4o")!;
  assert.ok(Number.isNaN(management.lower as number));
  assert.match(management.note as string, /2 cases: too few for an interval/);
});

Deno.test("modelSummary() pools a respondent's tasks only on the share scale, and flags varying maxima", () => {
  const rows = byKey(modelSummary(dataset()));
  const pooled = rows.get("all tasks (share)|gpt-4o")!;
  // Shares: cpc_bond 28/40 over 8 entries, cpc_management 1 and 0.5: (5.6 + 1.5) / 10.
  assert.ok(Math.abs((pooled.share as number) - 0.71) < 1e-12);
  assert.equal(pooled.mean, null);
  assert.equal(pooled.n_cases, 6); // a–d of cpc_bond, a–b of cpc_management: cases per task
  assert.match(pooled.note as string, /^pooled over 2 tasks on the share scale/);
  const physician = rows.get("management_reasoning|attending physician")!;
  assert.equal(physician.group, "physician");
  assert.equal(physician.max_score, null);
  assert.match(physician.note as string, /max_score varies \(4–7\): compare on the share/);
  assert.ok(Math.abs((physician.share as number) - (0.75 + 6 / 7) / 2) < 1e-12);
});

Deno.test("modelSummary() of a trials frame summarises one judge's scores, failures never counted", () => {
  const trials = pl.DataFrame({
    judge: ["j", "j", "j", "j", "k"],
    task: ["r_idea", "r_idea", "r_idea", "r_idea", "r_idea"],
    entry_id: ["a", "a", "b", "c", "a"],
    model: ["m", "m", "m", "m", "m"],
    status: ["scored", "scored", "scored", "failed", "scored"],
    score: [6, 8, 9, null, 1],
    grade: [7, 7, 9, 2, 7],
    max_score: [10, 10, 10, 10, 10],
    case_id: ["x", "x", "y", "y", "x"],
  });
  // Judge j: a's repeats averaged (7), b 9; c failed.
  const row = byKey(modelSummary(trials, { judge: "j" })).get("r_idea|m")!;
  assert.deepEqual([row.mean, row.n], [8, 2]);
  // The physicians' grades of the same entries, with value "grade".
  const grades = byKey(modelSummary(trials, { value: "grade" })).get("r_idea|m")!;
  assert.deepEqual([grades.mean, grades.n], [6, 3]);
  assert.throws(
    () => modelSummary(trials),
    /several judges \("j", "k"\); pick one with options.judge/,
  );
});

Deno.test("modelSummary() names a missing column and a bad level", () => {
  assert.throws(() => modelSummary(dataset().drop("case_id")), /"case_id"/);
  assert.throws(() => modelSummary(dataset(), { level: 2 }), /options.level must be in \(0, 1\)/);
  assert.throws(() => modelSummary(dataset().head(0)), /frame is empty/);
});
