import assert from "node:assert/strict";
import { Budget, costOf } from "./budget.ts";

Deno.test("costOf() prices input and output per million tokens", () => {
  // 12,345 × 2.50 = 30,862.5 and 678 × 10.00 = 6,780; together 37,642.5 per million.
  const price = { input_per_million: 2.5, output_per_million: 10 };
  assert.equal(costOf({ input_tokens: 12_345, output_tokens: 678 }, price), 0.0376425);
  // 1,000,000 × 0.15 + 500,000 × 0.60 = 150,000 + 300,000 per million = 0.45.
  const mini = { input_per_million: 0.15, output_per_million: 0.6 };
  assert.equal(costOf({ input_tokens: 1_000_000, output_tokens: 500_000 }, mini), 0.45);
  assert.equal(costOf({ input_tokens: 0, output_tokens: 0 }, price), 0);
  assert.equal(costOf({ input_tokens: 12_345, output_tokens: 678 }), null);
});

Deno.test("Budget without caps never stops and counts what was spent", () => {
  const budget = new Budget({});
  for (let i = 0; i < 1000; i++) assert.ok(budget.tryStart());
  budget.record({ input_tokens: 100, output_tokens: 20 }, 0.5);
  budget.record(undefined, null); // a judgement without usage: the request counts, nothing else
  budget.record({ input_tokens: 50, output_tokens: 5 }, null);
  assert.deepEqual(budget.spent, {
    requests: 1000,
    input_tokens: 150,
    output_tokens: 25,
    cost: 0.5,
  });
  assert.equal(budget.exhausted, undefined);
});

Deno.test("Budget max_requests counts requests when they start", () => {
  const budget = new Budget({ max_requests: 3 });
  assert.deepEqual(
    Array.from({ length: 5 }, () => budget.tryStart()),
    [true, true, true, false, false],
  );
  assert.equal(budget.spent.requests, 3);
  assert.equal(budget.exhausted, "max_requests 3 reached (3 sent)");
  assert.equal(new Budget({ max_requests: 0 }).tryStart(), false);
});

Deno.test("Budget max_tokens counts input and output once requests finish", () => {
  const budget = new Budget({ max_tokens: 10_000 });
  assert.ok(budget.tryStart());
  assert.ok(budget.tryStart()); // reserved before the first one reported its tokens
  budget.record({ input_tokens: 6000, output_tokens: 1000 }, null);
  assert.ok(budget.tryStart());
  assert.equal(budget.exhausted, undefined);
  budget.record({ input_tokens: 2500, output_tokens: 600 }, null);
  assert.equal(budget.tryStart(), false); // 10,100 used
  assert.equal(budget.exhausted, "max_tokens 10,000 reached (10,100 used)");
  assert.equal(budget.spent.requests, 3);
});

Deno.test("Budget max_cost stops at the cap and says what was spent", () => {
  const budget = new Budget({ max_cost: 5 });
  let started = 0;
  while (budget.tryStart()) {
    started++;
    budget.record({ input_tokens: 1000, output_tokens: 100 }, 1.255);
  }
  assert.equal(started, 4); // 5.02 after the fourth
  assert.equal(budget.exhausted, "max_cost $5.00 reached ($5.02 spent)");
  // Once exhausted, it stays so.
  assert.equal(budget.tryStart(), false);
});

Deno.test("Budget reports the first cap reached, in order requests, tokens, cost", () => {
  const budget = new Budget({ max_requests: 1, max_tokens: 10, max_cost: 0.001 });
  assert.ok(budget.tryStart());
  budget.record({ input_tokens: 50, output_tokens: 50 }, 0.5);
  assert.equal(budget.tryStart(), false);
  assert.match(budget.exhausted!, /^max_requests 1 reached/);
  const small = new Budget({ max_cost: 0.05 });
  assert.ok(small.tryStart());
  small.record(undefined, 0.0512);
  assert.equal(small.tryStart(), false);
  assert.equal(small.exhausted, "max_cost $0.0500 reached ($0.0512 spent)");
});

Deno.test("Budget spent is a copy", () => {
  const budget = new Budget({});
  budget.spent.requests = 99;
  assert.equal(budget.spent.requests, 0);
});

Deno.test("Budget() rejects negative, fractional or non-numeric caps", () => {
  assert.throws(() => new Budget({ max_requests: -1 }), /max_requests must be a whole number/);
  assert.throws(() => new Budget({ max_tokens: 1.5 }), /max_tokens/);
  assert.throws(() => new Budget({ max_cost: Number.NaN }), /max_cost must be a number ≥ 0/);
  assert.doesNotThrow(() => new Budget({ max_cost: 0.5, max_tokens: 0 }));
});
