import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { assertSnapshot } from "./_snapshot.ts";
import { fixtureRatings } from "./_fixtures.ts";
import { physicianScatter } from "./physician_scatter.ts";

Deno.test("physicianScatter() plots first vs second physician per task (snapshot)", async () => {
  const ratings = fixtureRatings();
  const fig = physicianScatter(ratings, { synthetic: true });
  // One dot per distinct (task, first, second) pair of shares.
  const pairs = new Map<string, number[]>();
  for (
    const r of ratings.toRecords() as {
      id: string;
      benchmark: string;
      score: number;
      max_score: number;
    }[]
  ) {
    const list = pairs.get(r.id) ?? [];
    list.push(r.score / r.max_score);
    pairs.set(r.id, list);
  }
  const tasks = new Map(
    (ratings.toRecords() as { id: string; benchmark: string }[]).map((r) => [r.id, r.benchmark]),
  );
  const distinct = new Set(
    [...pairs].filter(([, s]) => s.length >= 2).map(([id, s]) =>
      `${tasks.get(id)}|${s[0]}|${s[1]}`
    ),
  );
  assert.equal((fig.svg.match(/<circle/g) ?? []).length, distinct.size);
  assert.match(fig.caption, /Synthetic data/);
  assert.match(fig.caption, /dot area: number of responses/);
  await assertSnapshot("physician_scatter", fig.svg);
});

Deno.test("physicianScatter() draws tied pairs as one dot and writes large counts on it", () => {
  // Seven responses scored 10 and 10, two scored 8 and 9: two dots, "7" written, "2" not.
  const rows: Record<string, unknown>[] = [];
  const add = (id: string, a: number, b: number) => {
    rows.push({ id, benchmark: "r_idea", max_score: 10, rater: "p1", score: a });
    rows.push({ id, benchmark: "r_idea", max_score: 10, rater: "p2", score: b });
  };
  for (let i = 0; i < 7; i++) add(`full-${i}`, 10, 10);
  for (let i = 0; i < 2; i++) add(`part-${i}`, 8, 9);
  const fig = physicianScatter(pl.DataFrame(rows), { synthetic: false });
  assert.equal((fig.svg.match(/<circle/g) ?? []).length, 2);
  const texts = [...fig.svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
  assert.ok(texts.includes("7"));
  assert.ok(!texts.includes("2"));
  assert.match(fig.caption, /largest 7/);
  // The larger count has the larger dot.
  const radii = [...fig.svg.matchAll(/<circle[^>]* r="([\d.]+)"/g)].map((m) => Number(m[1]));
  assert.equal(radii.length, 2);
  assert.ok(Math.max(...radii) > Math.min(...radii));
});
