import assert from "node:assert/strict";
import { assertSnapshot } from "./_snapshot.ts";
import { fixtureRatings } from "./_fixtures.ts";
import { physicianScatter } from "./physician_scatter.ts";

Deno.test("physicianScatter() plots first vs second physician per task (snapshot)", async () => {
  const fig = physicianScatter(fixtureRatings(), { synthetic: true });
  assert.equal((fig.svg.match(/<circle/g) ?? []).length, 150);
  assert.match(fig.caption, /Synthetic data/);
  await assertSnapshot("physician_scatter", fig.svg);
});

Deno.test("physicianScatter() jitter is fixed by the seed", () => {
  const ratings = fixtureRatings();
  assert.equal(physicianScatter(ratings).svg, physicianScatter(ratings).svg);
  assert.notEqual(physicianScatter(ratings).svg, physicianScatter(ratings, { seed: 2 }).svg);
});
