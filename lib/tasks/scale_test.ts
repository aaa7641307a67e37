import assert from "node:assert/strict";
import { bondScale, rangeScale, scoreProblem } from "./scale.ts";

Deno.test("scoreProblem() allows Bond anchors and half points, never 1 or 1.5", () => {
  const bond = bondScale();
  for (const ok of [0, 2, 2.5, 3, 3.5, 4, 4.5, 5]) assert.equal(scoreProblem(ok, bond), undefined);
  for (const bad of [1, 1.5, 0.5, 4.25, 6, -1]) {
    assert.notEqual(scoreProblem(bad, bond), undefined, String(bad));
  }
  assert.match(scoreProblem(1, bond)!, /^1 is not on the scale: Bond score \(0, 2, 2\.5/);
  assert.match(scoreProblem(6, bond)!, /^6 is outside 0\.\.5/);
});

Deno.test("scoreProblem() on a Bond scale without half points rejects 2.5", () => {
  assert.notEqual(scoreProblem(2.5, bondScale(false)), undefined);
  assert.equal(scoreProblem(3, bondScale(false)), undefined);
});

Deno.test("scoreProblem() on integer and stepped ranges", () => {
  assert.equal(scoreProblem(19, rangeScale(0, 19)), undefined);
  assert.match(
    scoreProblem(7.5, rangeScale(0, 19))!,
    /7\.5 is not on the scale: integer from 0 to 19/,
  );
  assert.equal(scoreProblem(7.5, rangeScale(0, 9, 0.5)), undefined);
  assert.match(scoreProblem(Number.NaN, rangeScale(0, 2))!, /not a finite number/);
});
