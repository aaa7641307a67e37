import assert from "node:assert/strict";
import { Budget } from "./budget.ts";
import { _providerPools, _retryOptions, _runQueues } from "./_run_queues.ts";

function options(budget: Budget, events: string[], threads = 3) {
  const { poolFor } = _providerPools({ p: threads }, () => {});
  return {
    poolFor,
    budget,
    send: async (item: number) => {
      events.push(`send ${item}`);
      await new Promise((resolve) => setTimeout(resolve, 2));
      return item * 10;
    },
    record: (item: number, result: number) => {
      events.push(`record ${item}=${result}`);
      return Promise.resolve();
    },
  };
}

Deno.test("_runQueues() reads an iterable queue only as workers come free", async () => {
  const events: string[] = [];
  let made = 0;
  function* items(): Generator<number> {
    for (let i = 1; i <= 10; i++) {
      made++;
      events.push(`make ${i}`);
      yield i;
    }
  }
  const stopped = await _runQueues(new Map([["p", items()]]), options(new Budget({}), events));
  assert.equal(stopped, undefined);
  assert.equal(made, 10);
  // Three workers: items 1–3 are made before any is recorded, item 4 only after one was.
  const at = (event: string) => events.indexOf(event);
  assert.ok(at("make 3") < at("record 1=10"));
  assert.ok(at("make 4") > events.findIndex((e) => e.startsWith("record")));
  assert.equal(events.filter((e) => e.startsWith("record")).length, 10);
});

Deno.test("_runQueues() at a budget cap starts no more requests", async () => {
  const events: string[] = [];
  const stopped = await _runQueues(
    new Map([["p", new Set([1, 2, 3, 4, 5])]]),
    options(new Budget({ max_requests: 2 }), events, 1),
  );
  assert.match(stopped ?? "", /^budget: max_requests 2/);
  assert.deepEqual(events, ["send 1", "record 1=10", "send 2", "record 2=20"]);
});

Deno.test("_retryOptions() turns the config's retry section into the judges' options", () => {
  assert.deepEqual(_retryOptions({}), {});
  assert.deepEqual(_retryOptions({ retry: { max_retries: 2 } }), { maxRetries: 2 });
  assert.deepEqual(
    _retryOptions({ retry: { max_retries: 0, timeout_seconds: 1.5 } }),
    { maxRetries: 0, timeoutMs: 1500 },
  );
});
