import assert from "node:assert/strict";
import { physicianEquivalent } from "./physician_equivalent.ts";
import { ppiMean } from "./ppi_mean.ts";
import { assertClose } from "./_assert_close.ts";
import { type TrialRow, trialsFrame } from "./_trials_test_support.ts";

const row = (
  entry_id: string,
  case_id: string,
  score: number | null,
  grade: number | null,
  more: Partial<TrialRow> = {},
): TrialRow => ({
  model: "new",
  judge: "j",
  task: "cpc",
  entry_id,
  repeat: 0,
  status: score === null ? "failed" : "scored",
  score,
  grade,
  max_score: 5,
  case_id,
  ...more,
});

/** Task "cpc": 3 cases × 4 responses of "new", a repeat, a failure, and another model's rows. */
const ROWS: TrialRow[] = [
  row("x1", "x", 3, 2),
  row("x1", "x", 4, 2, { repeat: 1 }), // repeats average: 3.5
  row("x2", "x", 4, null),
  row("x3", "x", 2, null),
  row("x4", "x", null, 3), // failed: never a score, so left out although graded
  row("y1", "y", 5, 4),
  row("y2", "y", 3, null),
  row("y3", "y", 4, 4),
  row("y4", "y", 2, null),
  row("z1", "z", 1, 1),
  row("z2", "z", 2, null),
  row("z3", "z", 1, null, { status: "failed" }), // failed with a number: still not a score
  row("z4", "z", 3, 2),
  row("o1", "x", 4, 3, { model: "old" }),
  row("o2", "y", 2, 2, { model: "old" }),
];

Deno.test("physicianEquivalent() is ppiMean() on the respondent's scored responses by case", () => {
  const labeledIds = ["x1", "x4", "y1", "y3", "z1", "z4"];
  const out = physicianEquivalent(trialsFrame(ROWS), { respondent: "new", labeledIds });
  assert.equal(out.height, 1);
  const got = out.toRecords()[0]!;
  // Labeled: x1 (3.5, 2), y1 (5, 4), y3 (4, 4), z1 (1, 1), z4 (3, 2); x4 failed, z3 failed.
  const want = ppiMean(
    { judge: [3.5, 5, 4, 1, 3], physician: [2, 4, 4, 1, 2], clusters: ["x", "y", "y", "z", "z"] },
    { judge: [4, 2, 3, 2, 2], clusters: ["x", "x", "y", "y", "z"] },
  );
  assert.equal(got.task, "cpc");
  assert.equal(got.respondent, "new");
  assert.equal(got.judge, "j");
  assertClose(got.estimate as number, want.estimate, 1e-12, "estimate");
  assertClose(got.lower as number, want.lower, 1e-12, "lower");
  assertClose(got.upper as number, want.upper, 1e-12, "upper");
  assertClose(got.standard_error as number, want.standardError, 1e-12, "SE");
  assertClose(got.lambda as number, want.lambda, 1e-12, "lambda");
  assertClose(got.physician_only as number, 13 / 5, 1e-12, "physician mean");
  assertClose(got.physician_only_upper as number, want.physicianOnly.upper, 1e-12, "upper");
  assert.equal(got.n_labeled, 5);
  assert.equal(got.n_unlabeled, 5);
  assert.equal(got.n_cases, 3);
  assert.equal(got.max_score, 5);
  assert.match(got.note as string, /1 graded id\(s\) have no judge score/);
  assert.equal(
    out.columns.join(","),
    "task,respondent,judge,estimate,lower,upper,standard_error,lambda,physician_only,physician_only_lower,physician_only_upper,n_labeled,n_unlabeled,n_cases,max_score,note",
  );
});

Deno.test("physicianEquivalent() keeps a row with a note for every task it cannot estimate", () => {
  const rows = [
    ...ROWS,
    // "ddx": no graded id; "one": one case; "all": every response graded.
    row("d1", "x", 3, null, { task: "ddx" }),
    row("d2", "y", 4, null, { task: "ddx" }),
    row("s1", "x", 3, 2, { task: "one" }),
    row("s2", "x", 4, 3, { task: "one" }),
    row("a1", "x", 3, 2, { task: "all" }),
    row("a2", "y", 4, 3, { task: "all" }),
    row("a3", "y", 5, 5, { task: "all" }),
  ];
  const labeledIds = ["x1", "y1", "y3", "z1", "x2", "s1", "a1", "a2", "a3"];
  const out = physicianEquivalent(trialsFrame(rows), { respondent: "new", labeledIds });
  const byTask = new Map(out.toRecords().map((r) => [r.task, r]));
  assert.deepEqual([...byTask.keys()], ["all", "cpc", "ddx", "one"]);
  const ddx = byTask.get("ddx")!;
  assert.ok(Number.isNaN(ddx.estimate as number));
  assert.equal(ddx.n_labeled, 0);
  assert.match(ddx.note as string, /no physician-graded response/);
  const one = byTask.get("one")!;
  assert.match(one.note as string, /responses from 1 case/);
  assert.ok(Number.isNaN(one.lower as number));
  const all = byTask.get("all")!;
  assert.match(all.note as string, /every scored response is graded/);
  assertClose(all.estimate as number, 10 / 3, 1e-12, "physicians' mean");
  assert.equal(all.lambda, 0);
  assertClose(all.lower as number, all.physician_only_lower as number, 1e-12, "lower");
  // x2 was listed but has no grade: it counts as ungraded, and the note says so.
  assert.match(byTask.get("cpc")!.note as string, /1 listed id\(s\) have no grade/);
  assert.equal(byTask.get("cpc")!.n_unlabeled, 6);
});

Deno.test("physicianEquivalent() picks the judge, and a fixed lambda and level are passed on", () => {
  const rows = [...ROWS, ...ROWS.map((r) => ({ ...r, judge: "k", score: 0 }))];
  const labeledIds = ["x1", "y1", "y3", "z1", "z4"];
  const j = physicianEquivalent(trialsFrame(rows), { respondent: "new", labeledIds, judge: "j" });
  const base = physicianEquivalent(trialsFrame(ROWS), { respondent: "new", labeledIds });
  assert.equal(j.toRecords()[0]!.estimate, base.toRecords()[0]!.estimate);
  const zero = physicianEquivalent(trialsFrame(ROWS), {
    respondent: "new",
    labeledIds,
    lambda: 0,
    level: 0.9,
  }).toRecords()[0]!;
  assert.equal(zero.lambda, 0);
  assertClose(zero.estimate as number, zero.physician_only as number, 1e-12, "λ = 0");
  assertClose(zero.upper as number, zero.physician_only_upper as number, 1e-12, "λ = 0 upper");
});

Deno.test("physicianEquivalent() rejects bad input with a RangeError naming the argument", () => {
  const trials = trialsFrame(ROWS);
  const bad = (f: () => unknown, message: RegExp) =>
    assert.throws(f, (e: unknown) => e instanceof RangeError && message.test(e.message));
  bad(
    () => physicianEquivalent(trials, { respondent: "gpt-9", labeledIds: ["x1"] }),
    /options.respondent "gpt-9" is not in trials' model column; respondents: "new", "old"/,
  );
  bad(
    () => physicianEquivalent(trials, { respondent: "new", labeledIds: ["x1", "q1", "o1"] }),
    /labeledIds has 2 ids that are not entries of "new" in trials: "q1", "o1"/,
  );
  bad(
    () => physicianEquivalent(trials, { respondent: "new", labeledIds: [] }),
    /options.labeledIds must be a non-empty array/,
  );
  const twoJudges = trialsFrame([...ROWS, { ...ROWS[0]!, judge: "k" }]);
  bad(
    () => physicianEquivalent(twoJudges, { respondent: "new", labeledIds: ["x1"] }),
    /trials has several judges \("j", "k"\); choose one with options.judge/,
  );
  bad(
    () => physicianEquivalent(trials, { respondent: "new", labeledIds: ["x1"], judge: "m" }),
    /options.judge "m" is not in trials; judges: "j"/,
  );
  bad(
    () => physicianEquivalent(trials.head(0), { respondent: "new", labeledIds: ["x1"] }),
    /physicianEquivalent\(\): trials is empty/,
  );
  bad(
    () => physicianEquivalent(trials.drop("model"), { respondent: "new", labeledIds: ["x1"] }),
    /trials lacks the column "model"/,
  );
  bad(
    () => physicianEquivalent(trials, { respondent: "new", labeledIds: ["x1"], level: 2 }),
    /options.level must be in \(0, 1\)/,
  );
  bad(
    () => physicianEquivalent(trials, { respondent: "new", labeledIds: ["x1"], lambda: NaN }),
    /options.lambda must be "tuned" or a finite number/,
  );
  const noCase = trialsFrame(ROWS.map((r) => (r.entry_id === "y2" ? { ...r, case_id: "" } : r)));
  bad(
    () => physicianEquivalent(noCase, { respondent: "new", labeledIds: ["x1", "y1", "z1"] }),
    /entry y2 has no case_id/,
  );
});
