import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { biasAudit } from "./bias_audit.ts";
import { _normal, _uniform } from "./_prng.ts";

/** scipy.stats.t.ppf(0.975, 3). */
const T_975_3 = 3.1824463052837078;

type Row = Record<string, unknown>;

function find(audit: pl.DataFrame, kind: string, level: string): Row {
  const row = (audit.toRecords() as Row[]).find((r) => r.kind === kind && r.level === level);
  assert.ok(row, `no ${kind} row ${level}`);
  return row;
}

function words(n: number): string {
  return Array.from({ length: n }, (_, i) => `w${i}`).join(" ");
}

/** Ten entries on four cases, worked by hand below. */
function tiny(): pl.DataFrame {
  const e = (
    id: string,
    c: string,
    model: string,
    score: number | null,
    grade: number | null,
    length: number,
    status = "scored",
    repeat = 0,
  ) => ({
    judge: "j",
    judge_model: "gpt-4o",
    task: "r_idea",
    entry_id: id,
    repeat,
    status,
    score,
    grade,
    max_score: 10,
    case_id: c,
    model,
    response: words(length),
  });
  return pl.DataFrame([
    e("e1", "A", "gpt-4", 6, 5, 100), // repeats 6 and 8: mean 7, residual 2
    e("e1", "A", "gpt-4", 8, 5, 100, "scored", 1),
    e("e2", "A", "attending physician", 4, 4, 50), // 0
    e("e3", "B", "gpt-4", 5, 5, 200), // 0
    e("e4", "B", "attending physician", 3, 4, 100), // −1
    e("e10", "B", "claude-3.5-sonnet", 4, 5, 100), // −1
    e("e5", "C", "o1-preview", 9, 6, 300), // 3
    e("e6", "C", "physician + gpt-4", 5, 5, 150), // 0
    e("e6", "C", "physician + gpt-4", null, 5, 150, "failed", 1), // never a score
    e("e7", "D", "o1-preview", 6, 5, 200), // 1
    e("e8", "D", "attending physician", 2, 3, 50), // −1
    e("e9", "D", "gpt-4", 7, null, 80), // no grade: left out
  ]);
}

Deno.test("biasAudit() residual means, gap and jackknife interval (hand-worked)", () => {
  const audit = biasAudit(tiny());
  // AI: e1 2, e3 0, e10 −1, e5 3, e7 1 → 1. Physicians: e2 0, e4 −1, e6 0, e8 −1 → −0.5.
  const ai = find(audit, "group", "AI");
  assert.equal(ai.estimate, 1);
  // e6's failed judgement is counted in the note (new), never used as a score.
  assert.deepEqual(
    [ai.n, ai.n_cases, ai.group, ai.scale, ai.note],
    [5, 4, "AI", "points", "the judge failed 1 of 12 judgements"],
  );
  // Leaving out A: 3/4; B: 6/3 = 2; C: 2/4; D: 4/4. Mean 1.0625; Σ dev² = 1.296875;
  // SE² = (3/4) · 1.296875 = 0.97265625; interval 1 ± t(0.975, 3) · SE.
  const se = Math.sqrt(0.97265625);
  assert.ok(Math.abs((ai.lower as number) - (1 - T_975_3 * se)) < 1e-9);
  assert.ok(Math.abs((ai.upper as number) - (1 + T_975_3 * se)) < 1e-9);
  assert.equal(find(audit, "group", "physician").estimate, -0.5);
  assert.equal(find(audit, "group", "AI − physician").estimate, 1.5);
  // Respondents: gpt-4 (e1, e3) 1 on two cases: no interval, and a note saying why.
  const gpt4 = find(audit, "model", "gpt-4");
  assert.deepEqual(
    [gpt4.estimate, gpt4.lower, gpt4.upper, gpt4.n, gpt4.n_cases, gpt4.group],
    [1, null, null, 2, 2, "AI"],
  );
  assert.match(String(gpt4.note), /2 cases: too few for a cluster interval \(needs 4\)/);
  assert.equal(find(audit, "model", "o1-preview").estimate, 2);
  assert.equal(find(audit, "model", "attending physician").estimate, -2 / 3);
  assert.equal(find(audit, "model", "physician + gpt-4").group, "physician");
  // Model rows: AI first, then physician groups, each by name.
  assert.deepEqual(
    (audit.toRecords() as Row[]).filter((r) => r.kind === "model").map((r) => r.level),
    ["claude-3.5-sonnet", "gpt-4", "o1-preview", "attending physician", "physician + gpt-4"],
  );
});

Deno.test("biasAudit() length slope and self-preference (hand-worked)", () => {
  const audit = biasAudit(tiny());
  // x = words / 100: 1, .5, 2, 1, 1, 3, 1.5, 2, .5; residuals 2, 0, 0, −1, −1, 3, 0, 1, −1.
  // x̄ = 25/18, ȳ = 1/3, Sxy / Sxx = 114/97 (numpy.polyfit: 1.175257731958762).
  const length = find(audit, "length", "per 100 words");
  assert.ok(Math.abs((length.estimate as number) - 114 / 97) < 1e-12);
  assert.deepEqual([length.n, length.n_cases], [9, 4]);
  assert.ok((length.lower as number) < 114 / 97 && 114 / 97 < (length.upper as number));
  // Judge gpt-4o is openai: gpt-4 and o1-preview (2, 0, 3, 1 → 1.5) minus claude (−1): 2.5.
  const self = find(audit, "self_preference", "same family (openai) − other AI");
  assert.equal(self.estimate, 2.5);
  // Leaving out case B leaves no other-family response: no jackknife interval.
  assert.equal(self.lower, null);
  assert.match(String(self.note), /leaving out one case leaves the estimate undefined/);
});

Deno.test("biasAudit() joins the dataset's responses, or says there is no text", () => {
  const trials = tiny();
  const dataset = pl.DataFrame({
    id: trials.getColumn("entry_id").toArray(),
    response: trials.getColumn("response").toArray(),
  }).unique({ subset: ["id"], keep: "first", maintainOrder: true });
  const joined = find(biasAudit(trials.drop("response"), { dataset }), "length", "per 100 words");
  assert.ok(Math.abs((joined.estimate as number) - 114 / 97) < 1e-12);
  const none = find(biasAudit(trials.drop("response")), "length", "per 100 words");
  assert.ok(Number.isNaN(none.estimate));
  assert.deepEqual([none.lower, none.n], [null, 0]);
  assert.match(String(none.note), /no response text: pass options\.dataset/);
});

interface Simulation {
  seed: number;
  cases: number;
  /** Added to AI respondents' scores. */
  aiBonus?: number;
  /** Points per 100 words. */
  lengthSlope?: number;
  /** Added to responses by the judge's family (openai). */
  familyBonus?: number;
  judgeModel?: string;
}

/** A seeded trials frame: each case answered by four AI models and two physician groups. */
function simulate(s: Simulation): pl.DataFrame {
  const u = _uniform(s.seed);
  const models = ["gpt-4", "o1-preview", "claude-3.5-sonnet", "llama-3.1-405b"];
  const physicians = ["attending physician", "resident physician"];
  const rows: Row[] = [];
  for (let c = 0; c < s.cases; c++) {
    const caseEffect = 0.5 * _normal(u); // a case the judge reads harshly or leniently
    for (const model of [...models, ...physicians]) {
      for (let k = 0; k < 3; k++) {
        const grade = Math.round(u() * 10);
        const length = 50 + Math.floor(u() * 400);
        const ai = !physicians.includes(model);
        const family = model.startsWith("gpt") || model.startsWith("o1");
        const score = grade + caseEffect + 0.8 * _normal(u) +
          (ai ? s.aiBonus ?? 0 : 0) + (ai && family ? s.familyBonus ?? 0 : 0) +
          (s.lengthSlope ?? 0) * (length - 250) / 100;
        rows.push({
          judge: "judge",
          judge_model: s.judgeModel ?? "gpt-4o",
          task: "r_idea",
          entry_id: `${c}-${model}-${k}`,
          status: "scored",
          score,
          grade,
          max_score: 10,
          case_id: `case-${c}`,
          model,
          response: words(length),
        });
      }
    }
  }
  return pl.DataFrame(rows);
}

Deno.test("biasAudit() finds a judge that adds a point to AI responses, and not one that does not", () => {
  for (const seed of [1, 2, 3]) {
    const biased = find(
      biasAudit(simulate({ seed, cases: 12, aiBonus: 1 })),
      "group",
      "AI − physician",
    );
    assert.ok((biased.lower as number) > 0, `seed ${seed}: ${biased.lower}`);
    assert.ok((biased.lower as number) < 1 && 1 < (biased.upper as number));
    const fair = find(biasAudit(simulate({ seed, cases: 12 })), "group", "AI − physician");
    assert.ok((fair.lower as number) < 0 && 0 < (fair.upper as number), `seed ${seed}`);
    assert.equal(fair.n_cases, 12);
    assert.equal(fair.n, 12 * 6 * 3);
  }
});

Deno.test("biasAudit() recovers a planted length slope", () => {
  for (const seed of [4, 5]) {
    const audit = biasAudit(simulate({ seed, cases: 10, lengthSlope: 0.5 }));
    const slope = find(audit, "length", "per 100 words");
    assert.ok(Math.abs((slope.estimate as number) - 0.5) < 0.15, `seed ${seed}: ${slope.estimate}`);
    assert.ok((slope.lower as number) > 0 && (slope.lower as number) < 0.5);
    assert.ok((slope.upper as number) > 0.5);
    const flat = find(biasAudit(simulate({ seed, cases: 10 })), "length", "per 100 words");
    assert.ok((flat.lower as number) < 0 && 0 < (flat.upper as number));
  }
});

Deno.test("biasAudit() detects a planted same-family bonus (self-preference)", () => {
  const level = "same family (openai) − other AI";
  for (const seed of [6, 7]) {
    const self = find(
      biasAudit(simulate({ seed, cases: 10, familyBonus: 1.5 })),
      "self_preference",
      level,
    );
    assert.ok((self.lower as number) > 0 && (self.lower as number) < 1.5, `seed ${seed}`);
    assert.ok((self.upper as number) > 1.5);
    assert.equal(self.n, 10 * 4 * 3); // AI responses only
    const none = find(biasAudit(simulate({ seed, cases: 10 })), "self_preference", level);
    assert.ok((none.lower as number) < 0 && 0 < (none.upper as number));
  }
  // A Gemini judge: no Gemini respondent, so a row with a note and no estimate.
  const gemini = biasAudit(simulate({ seed: 8, cases: 5, judgeModel: "gemini-1.5-pro" }));
  const row = find(gemini, "self_preference", "same family (google) − other AI");
  assert.ok(Number.isNaN(row.estimate));
  assert.match(String(row.note), /no responses by the judge's family \(google\)/);
  // The family option overrides the rule (here: every model its own family by name).
  const own = biasAudit(simulate({ seed: 8, cases: 5, judgeModel: "llama-3.1-405b" }), {
    family: (name) => name,
  });
  assert.equal(find(own, "self_preference", "same family (llama-3.1-405b) − other AI").n, 60);
});

Deno.test("biasAudit() jackknife t intervals cover about 95% in simulation", () => {
  // 8 cases, a true AI − physician gap of 0.5 with case effects: count covering intervals.
  let covered = 0;
  const runs = 200;
  for (let seed = 100; seed < 100 + runs; seed++) {
    const gap = find(
      biasAudit(simulate({ seed, cases: 8, aiBonus: 0.5 })),
      "group",
      "AI − physician",
    );
    if ((gap.lower as number) <= 0.5 && 0.5 <= (gap.upper as number)) covered++;
  }
  // Recorded: 0.925 (the jackknife t under-covers slightly with 8 cases).
  assert.ok(covered / runs > 0.9 && covered / runs < 0.99, `coverage ${covered / runs}`);
});

Deno.test("biasAudit() gives no interval with fewer than 4 cases, and says why", () => {
  const audit = biasAudit(simulate({ seed: 9, cases: 3, aiBonus: 1 }));
  for (const r of audit.toRecords() as Row[]) {
    assert.equal(r.lower, null);
    assert.equal(r.upper, null);
    assert.equal(r.n_cases, 3);
    assert.match(String(r.note), /3 cases: too few for a cluster interval \(needs 4\)/);
    assert.ok(Number.isFinite(r.estimate), String(r.level));
  }
});

Deno.test("biasAudit() puts physician + gpt-4 with physicians unless told otherwise", () => {
  const trials = tiny();
  assert.equal(find(biasAudit(trials), "group", "physician").n, 4);
  const moved = biasAudit(trials, {
    isPhysician: (m) => m.includes("physician") && !m.includes("gpt"),
  });
  assert.equal(find(moved, "group", "physician").n, 3);
  assert.equal(find(moved, "model", "physician + gpt-4").group, "AI");
});

Deno.test("biasAudit() on the share scale divides by each entry's max_score", () => {
  const trials = tiny().withColumn(pl.lit(5).alias("max_score"));
  const audit = biasAudit(trials, { scale: "share" });
  assert.ok(Math.abs((find(audit, "group", "AI − physician").estimate as number) - 0.3) < 1e-12);
  assert.equal(find(audit, "group", "AI").scale, "share");
});

Deno.test("biasAudit() audits each judge × task separately, sorted by task and judge", () => {
  const a = simulate({ seed: 10, cases: 5, aiBonus: 1 });
  const b = simulate({ seed: 11, cases: 5 }).withColumn(pl.lit("other").alias("judge"));
  const audit = biasAudit(pl.concat([b, a]));
  const pairs = [...new Set((audit.toRecords() as Row[]).map((r) => `${r.task}/${r.judge}`))];
  assert.deepEqual(pairs, ["r_idea/judge", "r_idea/other"]);
  const alone = biasAudit(a);
  assert.deepEqual(
    audit.filter(pl.col("judge").eq(pl.lit("judge"))).toRecords(),
    alone.toRecords(),
  );
  assert.equal(
    audit.columns.join(","),
    "task,judge,kind,level,group,estimate,lower,upper,n,n_cases,scale,note",
  );
});

Deno.test("biasAudit() names bad options and missing columns in a RangeError", () => {
  const trials = tiny();
  const rangeError = (pattern: RegExp) => (e: unknown) =>
    e instanceof RangeError && pattern.test(e.message);
  assert.throws(() => biasAudit(trials, { level: 1 }), rangeError(/options\.level must be in/));
  assert.throws(
    // deno-lint-ignore no-explicit-any
    () => biasAudit(trials, { scale: "percent" as any }),
    rangeError(/options\.scale must be "points" or "share"/),
  );
  assert.throws(
    () => biasAudit(trials.drop("model")),
    rangeError(/biasAudit\(\): trials lacks the column "model"/),
  );
  assert.throws(
    () => biasAudit(trials.drop("response"), { dataset: pl.DataFrame({ id: ["e1"] }) }),
    rangeError(/options\.dataset lacks the column "response"/),
  );
  assert.throws(
    () => biasAudit(trials.withColumn(pl.lit(null).cast(pl.Utf8).alias("case_id"))),
    rangeError(/has no case_id/),
  );
});
