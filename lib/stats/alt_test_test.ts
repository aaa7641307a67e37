import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { altTest, type AltTestOptions } from "./alt_test.ts";
import { _benjaminiYekutieli } from "./_benjamini_yekutieli.ts";
import { assertClose } from "./_assert_close.ts";
import { _normal, _uniform } from "./_prng.ts";
import { type TrialRow, trialsFrame } from "./_trials_test_support.ts";

/** A scored judgement of `entry` with the physicians' scores as `{ p1: 2, ... }`. */
function row(
  entry: string,
  score: number | null,
  physicians: Record<string, number>,
  extra: Partial<TrialRow> = {},
): TrialRow {
  return {
    judge: "j",
    task: "t",
    entry_id: entry,
    repeat: 0,
    status: score === null ? "failed" : "scored",
    score,
    raters: Object.keys(physicians),
    rater_scores: Object.values(physicians),
    ...extra,
  };
}

type Records = Record<string, unknown>[];

function records(frame: pl.DataFrame): Records {
  return frame.toRecords() as Records;
}

function physician(result: Records, id: string): Record<string, unknown> {
  const found = result.find((r) => r.physician === id);
  assert.ok(found, id);
  return found;
}

// The hand-worked panel: three physicians; per item the judge's score, then (p1, p2, p3).
//   e1: judge 2 and 4 (two repeats, mean 3); p1 2, p2 3, p3 4
//   e2: judge 2; 1, 1, 4        e3: judge 4; 5, 3, 4        e4: judge 1; 0, 2, 1
//   e5: judge 0; 3, 3, — (p3 did not score it)
//   e6: judge 4; 4, —, — (one physician only: counts for nobody)
//   e7: failed (its row's score 2 must not count); 2, 2, 2
//   e8: status "scored" but a null score (not a score); 2, 2, 2
// Sums of squared differences from the others (the judge's | the physician's own):
//   p1: e1 (3−3)²+(3−4)² = 1 | (2−3)²+(2−4)² = 5 → judge; e2 1+4 = 5 | 0+9 = 9 → judge;
//       e3 1+0 | 4+1 → judge; e4 1+0 | 4+1 → judge; e5 (0−3)² = 9 | 0 → p1.
//       W_judge = 1,1,1,1,0; W_p1 = 0,0,0,0,1; d = 1,1,1,1,−1.
//   p2: e1 1+1 = 2 | 1+1 = 2 → tie, both win; e2 1+4 | 0+9 → judge; e3 1+0 | 4+1 → judge;
//       e4 1+0 | 4+1 → judge; e5 9 | 0 → p2. d = 0,1,1,1,−1.
//   p3: e1 1+0 | 4+1 → judge; e2 1+1 | 9+9 → judge; e3 1+1 | 1+1 → tie; e4 1+1 | 1+1 → tie.
//       d = 1,1,0,0.
function handPanel(): TrialRow[] {
  return [
    row("e1", 2, { p1: 2, p2: 3, p3: 4 }),
    row("e1", 4, { p1: 2, p2: 3, p3: 4 }, { repeat: 1 }),
    row("e2", 2, { p1: 1, p2: 1, p3: 4 }),
    row("e3", 4, { p1: 5, p2: 3, p3: 4 }),
    row("e4", 1, { p1: 0, p2: 2, p3: 1 }),
    row("e5", 0, { p1: 3, p2: 3 }),
    row("e6", 4, { p1: 4 }),
    row("e7", 2, { p1: 2, p2: 2, p3: 2 }, { status: "failed" }),
    row("e8", null, { p1: 2, p2: 2, p3: 2 }, { status: "scored" }),
  ];
}

// t = (mean(d) + ε) / (sd(d) / √n), ε = 0.2, and the exact Student t tails:
//   p1: mean 0.6, sd² = (4·0.4² + 1.6²) / 4 = 0.8, se = √(0.8/5) = 0.4, t = 0.8/0.4 = 2, df 4;
//       df 4: P(T > t) = ½ − (3/8)·(t/√(1 + t²/4))·(1 − t²/(12(1 + t²/4))) = ½ − 5√2/16.
//   p2: mean 0.4, sd² = (0.4² + 3·0.6² + 1.4²) / 4 = 0.8, se 0.4, t = 1.5:
//       ½ − (3/8)·1.2·0.88 = 0.104.
//   p3: mean 0.5, sd² = 1/3, se = √(1/12), t = 0.7·√12 = 1.4√3, df 3;
//       df 3: P(T > t) = ½ − (1/π)·(x/(1 + x²) + atan x), x = t/√3 = 1.4.
const P1 = 0.5 - (5 * Math.SQRT2) / 16;
const P2 = 0.104;
const P3 = 0.5 - (1.4 / (1 + 1.96) + Math.atan(1.4)) / Math.PI;

Deno.test("altTest() by hand: S, W (ties for both), ρ, the t-test and Benjamini–Yekutieli", () => {
  const { physicians, verdict } = altTest(trialsFrame(handPanel()), { minItems: 4 });
  const rows = records(physicians);
  assert.equal(
    physicians.columns.join(","),
    "task,judge,physician,n,rho_judge,rho_physician,p_value,rejected",
  );
  assert.deepEqual(rows.map((r) => [r.physician, r.n]), [["p1", 5], ["p2", 5], ["p3", 4]]);
  assert.deepEqual(rows.map((r) => [r.rho_judge, r.rho_physician]), [
    [4 / 5, 1 / 5],
    [4 / 5, 2 / 5],
    [1, 1 / 2],
  ]);
  assertClose(physician(rows, "p1").p_value as number, P1, 1e-12, "p1");
  assertClose(physician(rows, "p2").p_value as number, P2, 1e-12, "p2");
  assertClose(physician(rows, "p3").p_value as number, P3, 1e-12, "p3");
  // BY with m = 3, c(3) = 11/6, m·c(3) = 5.5; sorted p3 ≈ 0.0469, p1 ≈ 0.0581, p2 = 0.104:
  // adjusted p2 = 5.5·0.104/3 ≈ 0.191, p1 = 5.5·0.0581/2 ≈ 0.160, p3 = min(5.5·0.0469, 0.160).
  // None ≤ 0.05: the judge beats no physician.
  assert.deepEqual(rows.map((r) => r.rejected), [false, false, false]);
  const v = records(verdict)[0]!;
  assert.equal(
    verdict.columns.join(","),
    "task,judge,n_physicians,winning_rate,advantage_probability,passed,note",
  );
  assert.equal(v.n_physicians, 3);
  assert.equal(v.winning_rate, 0);
  assertClose(v.advantage_probability as number, (4 / 5 + 4 / 5 + 1) / 3, 1e-15, "ρ");
  assert.equal(v.passed, false);
  // e7 failed and e8 is "scored" without a score: both are failures, and the note counts them.
  assert.equal(v.note, "the judge failed 2 of 9 judgements");
});

Deno.test("altTest() uses the step-up: at q = 0.17 p3 is rejected through p1's adjusted value", () => {
  // Adjusted p1 = p3 = 5.5·P1/2 ≈ 0.160 ≤ 0.2; p2's 5.5·0.104/3 ≈ 0.191 ≤ 0.2 too.
  const adjusted = Math.min(5.5 * P3, 5.5 * P1 / 2);
  assert.ok(adjusted < 0.2 && 5.5 * P2 / 3 < 0.2);
  let rows = records(altTest(trialsFrame(handPanel()), { minItems: 4, q: 0.2 }).physicians);
  assert.deepEqual(rows.map((r) => r.rejected), [true, true, true]);
  // At q = 0.17: p1 and p3 (adjusted ≈ 0.160) are rejected, p2 (≈ 0.191) is not; ω = 2/3.
  const result = altTest(trialsFrame(handPanel()), { minItems: 4, q: 0.17 });
  rows = records(result.physicians);
  assert.deepEqual(rows.map((r) => r.rejected), [true, false, true]);
  const v = records(result.verdict)[0]!;
  assert.equal(v.winning_rate, 2 / 3);
  assert.equal(v.passed, true);
});

Deno.test("altTest() epsilon moves the test's null: ε = 0 on the hand panel", () => {
  // p1: t = 0.6/0.4 = 1.5 with df 4 — the same tail as p2 at ε = 0.2.
  const rows = records(altTest(trialsFrame(handPanel()), { minItems: 4, epsilon: 0 }).physicians);
  assertClose(physician(rows, "p1").p_value as number, P2, 1e-12, "p1 at ε = 0");
});

Deno.test("altTest() leaves out a physician with too few items, and says so", () => {
  const { physicians, verdict } = altTest(trialsFrame(handPanel()), { minItems: 5 });
  const p3 = physician(records(physicians), "p3");
  assert.equal(p3.n, 4);
  assert.equal(p3.rho_judge, 1); // descriptive rates are still given
  assert.equal(p3.p_value, null);
  assert.equal(p3.rejected, null);
  const v = records(verdict)[0]!;
  assert.equal(v.n_physicians, 2);
  assertClose(v.advantage_probability as number, 4 / 5, 1e-15, "ρ over p1, p2");
  assert.equal(
    v.note,
    "left out, fewer than 5 items: p3 (4); only 2 physicians tested; the authors advise 3 or " +
      "more; the judge failed 2 of 9 judgements",
  );
  // BY over p1, p2 only: m·c(2) = 3; adjusted p1 = min(3·P1, 3·P2/2) = 0.156.
  assert.deepEqual(records(physicians).map((r) => r.rejected), [false, false, null]);
});

Deno.test("altTest() gives no verdict with fewer than two tested physicians", () => {
  const { physicians, verdict } = altTest(trialsFrame(handPanel()), { minItems: 6 });
  assert.deepEqual(records(physicians).map((r) => r.p_value), [null, null, null]);
  const v = records(verdict)[0]!;
  assert.equal(v.n_physicians, 0);
  assert.equal(v.winning_rate, null);
  assert.equal(v.advantage_probability, null);
  assert.equal(v.passed, null);
  assert.equal(
    v.note,
    "no verdict: physicians with at least 6 items: 0 of 3 (items per physician: p1 (5), " +
      "p2 (5), p3 (4)); the alt-test needs 2; the judge failed 2 of 9 judgements",
  );
  // One tested physician (p1, 4 items; p2 and p3 2 each): its test is reported, no verdict.
  const one = altTest(
    trialsFrame([
      row("a", 2, { p1: 2, p2: 3 }),
      row("b", 1, { p1: 0, p3: 1 }),
      row("c", 4, { p1: 4, p2: 5 }),
      row("d", 3, { p1: 2, p3: 3 }),
    ]),
    { minItems: 3 },
  );
  const p1 = physician(records(one.physicians), "p1");
  assert.equal(p1.n, 4);
  // p1's d = 0 (tie), 1, 0 (tie), 1: mean 0.5, sd² 1/3, t = 1.4√3 with df 3 — p3's test above.
  assertClose(p1.p_value as number, P3, 1e-12, "p1");
  assert.equal(p1.rejected, true); // BY with m = 1 is p ≤ q
  assert.equal(p1.rho_judge, 1);
  const w = records(one.verdict)[0]!;
  assert.equal(w.n_physicians, 1);
  assert.equal(w.winning_rate, null);
  assert.equal(w.advantage_probability, p1.rho_judge);
  assert.equal(
    w.note,
    "no verdict: physicians with at least 3 items: 1 of 3 (items per physician: p1 (4), " +
      "p2 (2), p3 (2)); the alt-test needs 2",
  );
});

Deno.test("altTest() notes a judge that scored nothing, and physicians with no pairs", () => {
  const failed = handPanel().map((r) => ({ ...r, judge: "broken", status: "failed" }));
  const { physicians, verdict } = altTest(trialsFrame([...handPanel(), ...failed]), {
    minItems: 4,
  });
  const rows = records(physicians).filter((r) => r.judge === "broken");
  assert.deepEqual(rows.map((r) => [r.physician, r.n, r.rho_judge]), [
    ["p1", 0, null],
    ["p2", 0, null],
    ["p3", 0, null],
  ]);
  const v = records(verdict);
  assert.deepEqual(v.map((r) => r.judge), ["broken", "j"]);
  assert.equal(v[0]!.n_physicians, 0);
  assert.equal(v[0]!.passed, null);
  assert.equal(
    v[0]!.note,
    "no verdict: the judge scored no entry of this task (every judgement failed)",
  );
  // Entries with one physician each: nobody has an item that counts.
  const single = altTest(trialsFrame([row("a", 1, { p1: 1 }), row("b", 2, { p2: 2 })]));
  assert.deepEqual(records(single.physicians).map((r) => r.n), [0, 0]);
  assert.match(
    String(records(single.verdict)[0]!.note),
    /^no verdict: physicians with at least 30 items: 0 of 2 /,
  );
  const none = altTest(trialsFrame([row("a", 1, {})]));
  assert.equal(none.physicians.height, 0);
  assert.equal(
    records(none.verdict)[0]!.note,
    "no verdict: no physician scored an entry of this task",
  );
});

Deno.test("altTest() with zero-variance differences: p = 0 above −ε, 1 at or below", () => {
  // The judge copies p1 on every item: every p1 item is a tie, d = 0 throughout.
  // far is beaten by every physician on every item: d = −1 throughout.
  const rows: TrialRow[] = [];
  const scores = [[1, 2, 3], [4, 4, 2], [0, 1, 1], [5, 3, 4], [2, 2, 0]];
  scores.forEach(([a, b, c], i) => {
    rows.push(row(`e${i}`, a!, { p1: a!, p2: b!, p3: c! }, { judge: "copy" }));
    rows.push(row(`e${i}`, 100, { p1: a!, p2: b!, p3: c! }, { judge: "far" }));
  });
  const at = (epsilon: number) =>
    records(altTest(trialsFrame(rows), { minItems: 5, epsilon }).physicians);
  const copyP1 = (r: Records) => r.find((x) => x.judge === "copy" && x.physician === "p1")!;
  assert.equal(copyP1(at(0.2)).p_value, 0); // 0 > −0.2
  assert.equal(copyP1(at(0.2)).rho_judge, 1);
  assert.equal(copyP1(at(0.2)).rho_physician, 1);
  assert.equal(copyP1(at(0)).p_value, 1); // 0 is not > −0: H0 holds at its boundary
  for (const r of at(0.2).filter((x) => x.judge === "far")) {
    assert.equal(r.p_value, 1);
    assert.equal(r.rejected, false);
    assert.equal(r.rho_judge, 0);
  }
});

Deno.test("altTest() averages repeats, or takes the first scored one", () => {
  // With repeats "first", e1's judge score is 2 = p1's own: a tie for p1 (ρ_p1 2/5, not 1/5).
  const first = records(
    altTest(trialsFrame(handPanel()), { minItems: 4, repeats: "first" }).physicians,
  );
  assert.deepEqual([physician(first, "p1").rho_judge, physician(first, "p1").rho_physician], [
    4 / 5,
    2 / 5,
  ]);
  // The mean (3) is what the hand-worked test used: ρ_p1 = 1/5.
  const mean = records(altTest(trialsFrame(handPanel()), { minItems: 4 }).physicians);
  assert.equal(physician(mean, "p1").rho_physician, 1 / 5);
});

Deno.test("altTest() groups by task and judge, sorted", () => {
  const rows = [
    ...handPanel().map((r) => ({ ...r, task: "z_task" })),
    ...handPanel().map((r) => ({ ...r, judge: "b" })),
    ...handPanel().map((r) => ({ ...r, judge: "a" })),
  ];
  const { physicians, verdict } = altTest(trialsFrame(rows), { minItems: 4 });
  assert.deepEqual(records(verdict).map((r) => [r.task, r.judge]), [
    ["t", "a"],
    ["t", "b"],
    ["z_task", "j"],
  ]);
  assert.equal(physicians.height, 9);
  assert.deepEqual(
    [...new Set(records(verdict).map((r) => r.advantage_probability))],
    [(4 / 5 + 4 / 5 + 1) / 3],
  );
});

Deno.test("altTest() rejects bad options, naming them", () => {
  const frame = trialsFrame(handPanel());
  const bad: [AltTestOptions, RegExp][] = [
    [{ epsilon: -0.1 }, /altTest\(\): options\.epsilon must be in \[0, 1\)/],
    [{ epsilon: 1 }, /options\.epsilon/],
    [{ epsilon: NaN }, /options\.epsilon/],
    [{ epsilon: "0.2" as unknown as number }, /options\.epsilon/],
    [{ q: 0 }, /altTest\(\): options\.q must be in \(0, 1\)/],
    [{ q: 1 }, /options\.q/],
    [{ minItems: 0 }, /altTest\(\): options\.minItems must be a positive integer/],
    [{ minItems: 2.5 }, /options\.minItems/],
    [{ repeats: "median" as "mean" }, /altTest\(\): options\.repeats/],
  ];
  for (const [options, message] of bad) {
    assert.throws(
      () => altTest(frame, options),
      (e) => e instanceof RangeError && message.test(e.message),
    );
  }
});

Deno.test("altTest() rejects a dataset frame, missing columns and mismatched lists", () => {
  const dataset = pl.DataFrame({
    id: ["a"],
    benchmark: ["t"],
    raters: [["p1", "p2"]],
    rater_scores: [[1, 2]],
  });
  assert.throws(
    () => altTest(dataset),
    (e) =>
      e instanceof RangeError && /no "judge" column/.test(e.message) &&
      /dataset frame/.test(e.message),
  );
  assert.throws(
    () => altTest(trialsFrame(handPanel()).drop("rater_scores")),
    (e) => e instanceof RangeError && /altTest\(\).*"rater_scores"/.test(e.message),
  );
  assert.throws(
    () => altTest(trialsFrame(handPanel()).drop("repeat"), { repeats: "first" }),
    (e) => e instanceof RangeError && /"repeat"/.test(e.message),
  );
  assert.throws(
    () => altTest(trialsFrame(handPanel()).head(0)),
    (e) => e instanceof RangeError && /empty/.test(e.message),
  );
  const uneven = [...handPanel(), { ...row("e9", 1, { p1: 1, p2: 2 }), rater_scores: [1] }];
  assert.throws(
    () => altTest(trialsFrame(uneven)),
    (e) => e instanceof RangeError && /entry_id e9 has 2 raters but 1 rater_scores/.test(e.message),
  );
  const twice = [...handPanel(), { ...row("e9", 1, { p1: 1, p2: 2 }), raters: ["p1", "p1"] }];
  assert.throws(
    () => altTest(trialsFrame(twice)),
    (e) => e instanceof RangeError && /entry_id e9 lists physician p1 twice/.test(e.message),
  );
});

// The fixture: seeded panels and their alt-test computed with numpy/scipy by
// fixtures/make_alt_test_fixtures.py, plus the authors' own alt_test() where recorded.
interface Table {
  columns: string[];
  rows: unknown[][];
}
interface Fixture {
  rows: Table;
  cases: {
    options: { epsilon: number; q: number; minItems: number };
    physicians: Table;
    verdict: Table;
    authors: Table;
  }[];
  benjaminiYekutieli: { p: number[]; adjusted: number[] }[];
}

const FIXTURE = JSON.parse(
  await Deno.readTextFile(new URL("./fixtures/alt_test.json", import.meta.url)),
) as Fixture;

function tableRecords(t: Table): Records {
  return t.rows.map((r) => Object.fromEntries(t.columns.map((c, i) => [c, r[i]])));
}

function fixtureFrame(): pl.DataFrame {
  return trialsFrame(tableRecords(FIXTURE.rows) as unknown as TrialRow[]);
}

const key = (r: Record<string, unknown>) => `${r.task}/${r.judge}/${r.physician ?? ""}`;

Deno.test("altTest() matches the numpy/scipy reference on seeded panels", () => {
  const frame = fixtureFrame();
  for (const c of FIXTURE.cases) {
    const label = JSON.stringify(c.options);
    const { physicians, verdict } = altTest(frame, c.options);
    const got = records(physicians), want = tableRecords(c.physicians);
    assert.deepEqual(got.map(key), want.map(key), label);
    got.forEach((g, i) => {
      const w = want[i]!, at = `${label} ${key(w)}`;
      assert.equal(g.n, w.n, at);
      for (const col of ["rho_judge", "rho_physician"]) {
        if (w[col] === null) assert.equal(g[col], null, `${at} ${col}`);
        else assertClose(g[col] as number, w[col] as number, 1e-12, `${at} ${col}`);
      }
      if (w.p_value === null) assert.equal(g.p_value, null, at);
      else {
        const p = w.p_value as number;
        assertClose(g.p_value as number, p, 1e-10 * Math.max(p, 1e-6), `${at} p_value`);
      }
      assert.equal(g.rejected, w.rejected, `${at} rejected`);
    });
    const gotV = records(verdict), wantV = tableRecords(c.verdict);
    assert.deepEqual(gotV.map(key), wantV.map(key), label);
    gotV.forEach((g, i) => {
      const w = wantV[i]!, at = `${label} ${key(w)}`;
      assert.equal(g.n_physicians, w.n_physicians, at);
      assert.equal(g.winning_rate, w.winning_rate, at);
      assert.equal(g.passed, w.passed, at);
      assertClose(
        g.advantage_probability as number,
        w.advantage_probability as number,
        1e-12,
        `${at} ρ`,
      );
    });
  }
});

Deno.test("altTest() agrees with the authors' alt_test() on the fixture's verdicts", () => {
  const frame = fixtureFrame();
  let compared = 0;
  for (const c of FIXTURE.cases) {
    const verdict = records(altTest(frame, c.options).verdict);
    for (const a of tableRecords(c.authors)) {
      const v = verdict.find((r) => r.task === a.task && r.judge === a.judge)!;
      assert.equal(v.winning_rate, a.winning_rate, `${key(a)} ω`);
      assertClose(
        v.advantage_probability as number,
        a.advantage_probability as number,
        1e-12,
        `${key(a)} ρ`,
      );
      compared++;
    }
  }
  assert.ok(compared >= 20, `compared ${compared} verdicts`);
});

Deno.test("altTest()'s fixture covers the cases it claims", () => {
  const want = FIXTURE.cases.flatMap((c) => tableRecords(c.physicians));
  assert.ok(want.some((r) => r.p_value === 0), "a zero-variance p = 0");
  assert.ok(want.some((r) => r.p_value === 1), "a zero-variance p = 1");
  assert.ok(want.some((r) => r.n !== 0 && r.p_value === null), "a physician with too few items");
  const omegas = new Set(
    FIXTURE.cases.flatMap((c) => tableRecords(c.verdict)).map((r) => r.winning_rate),
  );
  assert.ok(omegas.size >= 5, `winning rates ${[...omegas]}`);
});

Deno.test("_benjaminiYekutieli() matches scipy's false_discovery_control(method='by')", () => {
  for (const { p, adjusted } of FIXTURE.benjaminiYekutieli) {
    const got = _benjaminiYekutieli(p, 0.05);
    got.adjusted.forEach((a, i) => assertClose(a, adjusted[i]!, 1e-12, `p = ${p[i]}`));
    assert.deepEqual(got.rejected, adjusted.map((a) => a <= 0.05));
  }
  for (const c of FIXTURE.cases) {
    for (
      const group of Object.values(Object.groupBy(
        tableRecords(c.physicians).filter((r) => r.p_value !== null),
        (r) => `${r.task}/${r.judge}`,
      ))
    ) {
      const got = _benjaminiYekutieli(group!.map((r) => r.p_value as number), c.options.q);
      got.adjusted.forEach((a, i) =>
        assertClose(a, group![i]!.p_adjusted as number, 1e-12, key(group![i]!))
      );
    }
  }
});

Deno.test("_benjaminiYekutieli() is the step-up with c(m) = Σ 1/i, and checks its input", () => {
  // m = 4, c(4) = 25/12: thresholds k·q / (m·c(m)) = k · 0.05 / (25/3) = 0.006·k.
  // Sorted 0.005 ≤ 0.006 ✓, 0.013 > 0.012 ✗, 0.017 ≤ 0.018 ✓, 0.9 ✗: the largest k is 3.
  const { rejected } = _benjaminiYekutieli([0.9, 0.017, 0.005, 0.013], 0.05);
  assert.deepEqual(rejected, [false, true, true, true]);
  assert.deepEqual(_benjaminiYekutieli([], 0.05), { adjusted: [], rejected: [] });
  assert.throws(() => _benjaminiYekutieli([1.2], 0.05), RangeError);
  assert.throws(() => _benjaminiYekutieli([NaN], 0.05), RangeError);
  assert.throws(() => _benjaminiYekutieli([0.1], 0), RangeError);
});

/**
 * A simulated panel: `n` entries with a latent grade on 0–10, four physicians who each score
 * it with normal noise (sd 1.5, rounded, each missing 10% of entries), and two judges.
 */
function simulatedPanel(seed: number, n: number): TrialRow[] {
  const u = _uniform(seed);
  const rows: TrialRow[] = [];
  for (let i = 0; i < n; i++) {
    const truth = u() * 10;
    const physicians: Record<string, number> = {};
    for (const p of ["p1", "p2", "p3", "p4"]) {
      if (u() < 0.9) {
        physicians[p] = Math.min(10, Math.max(0, Math.round(truth + 1.5 * _normal(u))));
      }
    }
    const values = Object.values(physicians);
    const consensus = values.length ? values.reduce((a, b) => a + b, 0) / values.length : truth;
    rows.push(row(`e${i}`, consensus, physicians, { judge: "consensus" }));
    rows.push(row(`e${i}`, Math.floor(u() * 11), physicians, { judge: "noise" }));
  }
  return rows;
}

Deno.test("altTest() behaves: the physicians' consensus passes, noise fails", () => {
  for (const seed of [1, 2, 3]) {
    const verdict = records(altTest(trialsFrame(simulatedPanel(seed, 80))).verdict);
    const consensus = verdict.find((r) => r.judge === "consensus")!;
    const noise = verdict.find((r) => r.judge === "noise")!;
    assert.equal(consensus.n_physicians, 4, `seed ${seed}`);
    assert.equal(consensus.passed, true, `seed ${seed}`);
    assert.equal(noise.passed, false, `seed ${seed}`);
    assert.equal(noise.winning_rate, 0, `seed ${seed}`);
    assert.ok(
      (consensus.advantage_probability as number) > (noise.advantage_probability as number) + 0.3,
      `seed ${seed}`,
    );
  }
});
