import assert from "node:assert/strict";
import { type PoolEvent, ProviderPool } from "./provider_pool.ts";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A promise to settle by hand. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

Deno.test("ProviderPool.run() never has more than `limit` tasks in flight", async () => {
  const pool = new ProviderPool({ provider: "p", concurrency: 5 });
  let running = 0;
  let most = 0;
  const results = await Promise.all(
    Array.from({ length: 60 }, (_, i) =>
      pool.run(async () => {
        running++;
        most = Math.max(most, running);
        assert.ok(pool.active <= pool.limit);
        await sleep(i % 3); // uneven durations
        running--;
        return i;
      })),
  );
  assert.deepEqual(results, Array.from({ length: 60 }, (_, i) => i));
  assert.equal(most, 5);
  assert.deepEqual([pool.active, pool.waiting], [0, 0]);
});

Deno.test("ProviderPool.run() keeps exactly `limit` in flight while tasks wait", async () => {
  const pool = new ProviderPool({ provider: "p", concurrency: 3 });
  const gates = Array.from({ length: 7 }, gate);
  const runs = gates.map((g) => pool.run(() => g.promise));
  assert.deepEqual([pool.active, pool.waiting], [3, 4]);
  gates[0]!.open();
  await runs[0];
  assert.deepEqual([pool.active, pool.waiting], [3, 3]); // the slot went straight to a waiter
  for (const g of gates) g.open();
  await Promise.all(runs);
  assert.deepEqual([pool.active, pool.waiting], [0, 0]);
});

Deno.test("ProviderPool.run() starts waiting tasks first come, first served", async () => {
  const pool = new ProviderPool({ provider: "p", concurrency: 2 });
  const started: number[] = [];
  await Promise.all(
    Array.from({ length: 12 }, (_, i) =>
      pool.run(async () => {
        started.push(i);
        await sleep(1);
      })),
  );
  assert.deepEqual(started, Array.from({ length: 12 }, (_, i) => i));
});

Deno.test("ProviderPool.run() frees the slot when the task throws", async () => {
  const pool = new ProviderPool({ provider: "p", concurrency: 1 });
  await assert.rejects(pool.run(() => Promise.reject(new Error("boom"))), /boom/);
  assert.equal(pool.active, 0);
  assert.equal(await pool.run(() => Promise.resolve(7)), 7);
});

Deno.test("ProviderPool.run() gives up waiting when its signal aborts", async () => {
  const pool = new ProviderPool({ provider: "p", concurrency: 1 });
  const first = gate();
  const running = pool.run(() => first.promise);
  const controller = new AbortController();
  let ranAborted = false;
  const aborted = pool.run(() => {
    ranAborted = true;
    return Promise.resolve();
  }, controller.signal);
  const third = pool.run(() => Promise.resolve("third"));
  assert.equal(pool.waiting, 2);
  controller.abort(new Error("stop waiting"));
  await assert.rejects(aborted, /stop waiting/);
  assert.equal(pool.waiting, 1);
  first.open();
  await running;
  assert.equal(await third, "third"); // the aborted waiter was skipped, not started
  assert.equal(ranAborted, false);
  // Already aborted: rejected at once, without queueing.
  await assert.rejects(pool.run(() => Promise.resolve(), AbortSignal.abort(new Error("no"))), /no/);
  assert.deepEqual([pool.active, pool.waiting], [0, 0]);
});

Deno.test("ProviderPool.rateLimited() halves once per wave, not below min", async () => {
  const events: PoolEvent[] = [];
  const pool = new ProviderPool({
    provider: "openai",
    concurrency: 8,
    min: 3,
    onEvent: (e) => events.push(e),
  });
  pool.rateLimited(0);
  pool.rateLimited(0);
  pool.rateLimited(); // a burst from one wave: one halving
  assert.equal(pool.limit, 4);
  await sleep(110); // past the quiet window (100 ms at least)
  pool.rateLimited(0);
  assert.equal(pool.limit, 3); // half of 4 is 2, but min is 3
  await sleep(110);
  pool.rateLimited(0);
  assert.equal(pool.limit, 3);
  assert.deepEqual(events.map((e) => [e.kind, e.from, e.to]), [["decrease", 8, 4], [
    "decrease",
    4,
    3,
  ]]);
  assert.deepEqual(pool.events, events);
  assert.equal(events[0]!.provider, "openai");
  assert.match(events[0]!.reason, /429/);
  assert.ok(!Number.isNaN(Date.parse(events[0]!.time)));
});

Deno.test("ProviderPool.rateLimited() lowers no further than the rate of successes sustains", () => {
  const pool = new ProviderPool({ provider: "p", concurrency: 16 });
  // 60 answers in the last second at 200 ms each: 60/s × 0.2 s = 12 in flight sustain that rate.
  for (let i = 0; i < 60; i++) pool.succeeded(200);
  pool.rateLimited(0);
  assert.equal(pool.limit, 12); // halving would give 8
  assert.match(pool.events.at(-1)!.reason, /60\/s at 200 ms a request sustains 12/);
  // From there the pool probes one round (12 successes) per step, not half a round.
  for (let i = 0; i < 11; i++) pool.succeeded(200);
  assert.equal(pool.limit, 12);
  pool.succeeded(200);
  assert.equal(pool.limit, 13);
  // A rate that sustains less than half: halving, as without latencies.
  const slow = new ProviderPool({ provider: "p", concurrency: 16 });
  for (let i = 0; i < 10; i++) slow.succeeded(200); // 10/s × 0.2 s = 2
  slow.rateLimited(0);
  assert.equal(slow.limit, 8);
});

Deno.test("ProviderPool.rateLimited() quiet window lasts the Retry-After", async () => {
  const pool = new ProviderPool({ provider: "p", concurrency: 16 });
  pool.rateLimited(300);
  await sleep(150);
  pool.rateLimited(300); // still the first window
  assert.equal(pool.limit, 8);
  await sleep(200);
  pool.rateLimited(0); // the window has passed
  assert.equal(pool.limit, 4);
});

Deno.test("ProviderPool.rateLimited() pauses new starts for the Retry-After", async () => {
  const pool = new ProviderPool({ provider: "p", concurrency: 4 });
  const running = gate();
  const inFlight = pool.run(() => running.promise);
  const t0 = performance.now();
  pool.rateLimited(60);
  assert.deepEqual(
    pool.events.map((e) => [e.kind, e.from, e.to]),
    [["decrease", 4, 2], ["pause", 2, 2]],
  );
  assert.match(pool.events[1]!.reason, /60 ms/);
  // A slot is free (1 of 2 in use), but nothing starts before the Retry-After has passed.
  const waited = await pool.run(() => Promise.resolve(performance.now() - t0));
  assert.ok(waited >= 55, `started after ${waited.toFixed(1)} ms`);
  // The task already running was not disturbed, and starts flow again after the pause.
  running.open();
  await inFlight;
  const t1 = performance.now();
  await pool.run(() => Promise.resolve());
  assert.ok(performance.now() - t1 < 40);
  // A later 429 within the pause extends it without a second pause event.
  pool.rateLimited(30);
  pool.rateLimited(40);
  assert.equal(pool.events.filter((e) => e.kind === "pause").length, 2);
});

Deno.test("ProviderPool.rateLimited() pause timer goes when the last waiter aborts", async () => {
  // The test sanitizer fails this test if a timer is left behind.
  const pool = new ProviderPool({ provider: "p", concurrency: 2 });
  pool.rateLimited(10_000);
  const controller = new AbortController();
  const waiting = pool.run(() => Promise.resolve(), controller.signal);
  assert.equal(pool.waiting, 1);
  controller.abort();
  await assert.rejects(waiting);
  assert.equal(pool.waiting, 0);
});

Deno.test("ProviderPool.succeeded() climbs back to the ceiling, quicker below the last 429", () => {
  const pool = new ProviderPool({ provider: "p", concurrency: 8 });
  pool.succeeded(); // at the ceiling: nothing to do
  pool.rateLimited(0);
  assert.equal(pool.limit, 4);
  const limits: number[] = [];
  for (let i = 0; i < 40 && pool.limit < 8; i++) {
    pool.succeeded();
    limits.push(pool.limit);
  }
  // Below 8 (the limit that drew the 429): +1 per half a round, ceil(limit / 2) successes.
  assert.deepEqual(limits, [4, 5, 5, 5, 6, 6, 6, 7, 7, 7, 7, 8]);
  for (let i = 0; i < 20; i++) pool.succeeded();
  assert.equal(pool.limit, 8); // never above the ceiling
  assert.deepEqual(
    pool.events.filter((e) => e.kind === "increase").map((e) => [e.from, e.to]),
    [[4, 5], [5, 6], [6, 7], [7, 8]],
  );
  assert.match(pool.events.at(-1)!.reason, /4 successes at 7/);
});

Deno.test("ProviderPool.succeeded() probes past the last 429 one round at a time", async () => {
  const pool = new ProviderPool({ provider: "p", concurrency: 10 });
  pool.rateLimited(0); // 10 → 5
  await sleep(110);
  for (let i = 0; i < 3; i++) pool.succeeded(); // 5 → 6
  pool.rateLimited(0); // 6 → 3; the limit that drew the 429 is now 6
  for (let i = 0; i < 2 + 2 + 3; i++) pool.succeeded(); // 3 → 4 (2), 4 → 5 (2), 5 → 6 (3)
  assert.equal(pool.limit, 6);
  for (let i = 0; i < 5; i++) pool.succeeded();
  assert.equal(pool.limit, 6); // at 6 and beyond, a whole round: 6 successes
  pool.succeeded();
  assert.equal(pool.limit, 7);
});

Deno.test("ProviderPool.succeeded() honours increaseAfter and starts waiters at once", async () => {
  const pool = new ProviderPool({ provider: "p", concurrency: 2, increaseAfter: 1 });
  pool.rateLimited(0);
  assert.equal(pool.limit, 1);
  const gates = [gate(), gate(), gate()];
  const runs = gates.map((g) => pool.run(() => g.promise));
  assert.deepEqual([pool.active, pool.waiting], [1, 2]);
  pool.succeeded();
  assert.equal(pool.limit, 2);
  assert.deepEqual([pool.active, pool.waiting], [2, 1]);
  for (const g of gates) g.open();
  await Promise.all(runs);
});

Deno.test("ProviderPool.run() adds little: 300 tasks of 20 ms at 30 take about 200 ms", async () => {
  const pool = new ProviderPool({ provider: "p", concurrency: 30 });
  const t0 = performance.now();
  await Promise.all(Array.from({ length: 300 }, () => pool.run(() => sleep(20))));
  const ms = performance.now() - t0;
  assert.ok(ms < 400, `took ${ms.toFixed(0)} ms; ideal 200 ms`);
});

Deno.test("ProviderPool() rejects a bad ceiling, floor or pace", () => {
  assert.throws(() => new ProviderPool({ provider: "p", concurrency: 0 }), /concurrency must be/);
  assert.throws(() => new ProviderPool({ provider: "p", concurrency: 2.5 }), RangeError);
  assert.throws(() => new ProviderPool({ provider: "p", concurrency: 2, min: 3 }), /exceeds/);
  assert.throws(
    () => new ProviderPool({ provider: "p", concurrency: 2, increaseAfter: 0 }),
    RangeError,
  );
});
