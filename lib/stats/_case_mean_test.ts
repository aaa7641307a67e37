import assert from "node:assert/strict";
import { _caseMean } from "./_case_mean.ts";

Deno.test("_caseMean() is the jackknife-t interval of a mean over cases (hand-worked)", () => {
  // Four cases, one value each: the jackknife of a mean is the usual t interval,
  // mean 2.5 ± t(0.975, 3) · s/√4 with s = √(5/3): 2.5 ± 3.182446 · 0.645497 = [0.445739, 4.554261].
  const r = _caseMean([1, 2, 3, 4].map((value, i) => ({ value, caseId: `c${i}` })), 0.95);
  assert.equal(r.mean, 2.5);
  assert.equal(r.cases, 4);
  assert.ok(Math.abs(r.lower - 0.445739) < 1e-6, String(r.lower));
  assert.ok(Math.abs(r.upper - 4.554261) < 1e-6, String(r.upper));
});

Deno.test("_caseMean() gives no interval under four cases, and weighs cases by their values", () => {
  const few = _caseMean([{ value: 1, caseId: "a" }, { value: 3, caseId: "b" }, {
    value: 5,
    caseId: "c",
  }], 0.95);
  assert.equal(few.mean, 3);
  assert.ok(Number.isNaN(few.lower) && Number.isNaN(few.upper));
  // Two values in one case: leaving that case out drops both.
  const r = _caseMean([
    { value: 0, caseId: "a" },
    { value: 0, caseId: "a" },
    { value: 1, caseId: "b" },
    { value: 1, caseId: "c" },
    { value: 1, caseId: "d" },
  ], 0.95);
  assert.equal(r.mean, 0.6);
  assert.ok(r.lower < 0.6 && r.upper > 0.6);
});
