import assert from "node:assert/strict";
import type OpenAI from "openai";
import { judgeFor, makeClient } from "../judge/providers.ts";
import { getTask } from "../tasks/tasks.ts";
import { startScriptedServer } from "../testing/scripted_server.ts";
import { type PoolEvent, ProviderPool } from "./provider_pool.ts";

/** A cpc_bond judge request for `response`. */
function bond(response: string) {
  const prompt = getTask("cpc_bond").prompt({ response, final_diagnosis: "Sarcoidosis" });
  return {
    model: "scripted",
    messages: [
      { role: "system" as const, content: prompt.system },
      { role: "user" as const, content: prompt.user },
    ],
  };
}

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

Deno.test("ProviderPool.rateLimited() with nothing sent pauses new requests for the Retry-After", async () => {
  const events: PoolEvent[] = [];
  const pool = new ProviderPool({ provider: "p", concurrency: 4, onEvent: (e) => events.push(e) });
  pool.rateLimited(150);
  const t0 = performance.now();
  await pool.run(() => Promise.resolve());
  assert.ok(performance.now() - t0 >= 140, "the task waited for the Retry-After");
  assert.deepEqual(events.map((e) => e.kind), ["pause"]);
  assert.equal(pool.events.length, 1);
});

Deno.test("ProviderPool.rateLimited() paces to what went through, after the window empties", async () => {
  const pool = new ProviderPool({ provider: "p", concurrency: 4 });
  await Promise.all(Array.from({ length: 10 }, () => pool.run(() => Promise.resolve())));
  pool.rateLimited(1000); // 10 went through in the second before the 429
  await sleep(60); // the pool waits 50 ms for the rest of the wave before measuring it
  assert.equal(pool.rate?.toFixed(1), "9.7");
  const t0 = performance.now();
  await Promise.all(Array.from({ length: 3 }, () => pool.run(() => Promise.resolve())));
  // The window holds 10 until the first 10 leave it; then one every 103 ms.
  assert.ok(performance.now() - t0 >= 900, `took ${performance.now() - t0} ms`);
  assert.equal(pool.limit, 4); // pacing never touches the concurrency
});

Deno.test("ProviderPool.run() gives up waiting for the pacer when its signal aborts", async () => {
  const pool = new ProviderPool({ provider: "p", concurrency: 4 });
  pool.rateLimited(60_000); // nothing to measure: a minute's pause
  const controller = new AbortController();
  let ran = false;
  const waiting = pool.run(() => Promise.resolve(ran = true), controller.signal);
  await sleep(5);
  assert.deepEqual([pool.active, pool.waiting], [1, 1]);
  controller.abort(new Error("stop"));
  await assert.rejects(waiting, /stop/);
  assert.deepEqual([pool.active, pool.waiting, ran], [0, 0, false]);
});

Deno.test("ProviderPool sees a makeClient client's requests: the 429 with its headers, once", async () => {
  await using server = startScriptedServer({
    faults: [{ kind: "rate_limit", retryAfterSeconds: 0.05, times: 1 }],
  });
  const pool = new ProviderPool({ provider: "openai-compatible", concurrency: 2 });
  const client = makeClient(
    { provider: "openai-compatible", model_id: "scripted", base_url: server.baseURL },
    {},
  ) as OpenAI;
  const status = await pool.run(async () => {
    try {
      await client.chat.completions.create(bond("first"), { maxRetries: 0 });
      return 200;
    } catch (error) {
      pool.rateLimited(50); // what a judge's onRetry does: the pool has read it already
      return (error as { status: number }).status;
    }
  });
  assert.equal(status, 429);
  // The wave is measured once the rest of its answers could have come (asking for the rate
  // measures it when it is due).
  for (let i = 0; i < 100 && pool.rate === undefined && pool.events.length === 0; i++) {
    await sleep(10);
  }
  // One 429 with nothing before it: one pause, for its Retry-After (50 ms).
  assert.deepEqual(pool.events.map((e) => [e.kind, e.reason.includes("50 ms")]), [["pause", true]]);
});

Deno.test("ProviderPool reads the headers of an Anthropic client's answers too", async () => {
  await using server = startScriptedServer({
    faults: [{ kind: "rate_limit_above", requestsPerSecond: 100, headers: true }],
  });
  const pool = new ProviderPool({ provider: "anthropic", concurrency: 2 });
  const judge = judgeFor(
    { provider: "anthropic", model_id: "scripted", base_url: server.anthropicBaseURL },
    {},
    { ANTHROPIC_API_KEY: "sk-ant-test" },
  );
  const inputs = { response: "1. Sarcoidosis", final_diagnosis: "Sarcoidosis" };
  const result = await pool.run(() => judge.judge(getTask("cpc_bond"), inputs));
  assert.equal(result.status, "scored");
  assert.equal(pool.rate, 97); // 100 a second, from the first answer's headers
});

for (const headers of [false, true]) {
  Deno.test(
    `ProviderPool keeps 100 judgements under a 20/s limit with few 429s (${
      headers ? "x-ratelimit headers" : "no headers"
    })`,
    async () => {
      await using server = startScriptedServer({
        faults: [
          { kind: "latency", ms: 50 },
          { kind: "rate_limit_above", requestsPerSecond: 20, retryAfterSeconds: 1, headers },
        ],
      });
      // 5 threads at 50 ms a request would send 100 a second: five times the limit.
      const pool = new ProviderPool({ provider: "openai-compatible", concurrency: 5 });
      const judge = judgeFor(
        { provider: "openai-compatible", model_id: "scripted", base_url: server.baseURL },
        {
          retry: { maxRetries: 10 },
          onRetry: (error) => error.status === 429 && pool.rateLimited(error.retryAfterMs),
        },
        {},
      );
      const task = getTask("cpc_bond");
      let next = 0;
      const statuses: string[] = [];
      await Promise.all(Array.from({ length: 10 }, async () => {
        while (next < 100) {
          const inputs = { response: `1. Diagnosis ${next++}`, final_diagnosis: "Sarcoidosis" };
          statuses.push((await pool.run(() => judge.judge(task, inputs))).status);
        }
      }));
      assert.deepEqual(statuses, Array(100).fill("scored"));
      const limited = server.counts.byStatus[429] ?? 0;
      assert.ok(limited < 10, `${limited} answers were 429`);
      assert.ok(pool.events.some((e) => e.kind === "pace"));
      assert.ok(pool.rate! > 15 && pool.rate! < 21, `paced at ${pool.rate}/s`);
    },
  );
}

Deno.test("ProviderPool.run() adds little: 300 tasks of 20 ms at 30 take about 200 ms", async () => {
  const pool = new ProviderPool({ provider: "p", concurrency: 30 });
  const t0 = performance.now();
  await Promise.all(Array.from({ length: 300 }, () => pool.run(() => sleep(20))));
  const ms = performance.now() - t0;
  assert.ok(ms < 400, `took ${ms.toFixed(0)} ms; ideal 200 ms`);
});

Deno.test("ProviderPool() rejects a bad ceiling", () => {
  assert.throws(() => new ProviderPool({ provider: "p", concurrency: 0 }), /concurrency must be/);
  assert.throws(() => new ProviderPool({ provider: "p", concurrency: 2.5 }), RangeError);
});
