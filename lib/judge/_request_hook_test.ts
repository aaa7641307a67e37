import assert from "node:assert/strict";
import { startScriptedServer } from "../testing/scripted_server.ts";
import { _observedFetch, type _RequestObserver, _requestObservers } from "./_request_hook.ts";

Deno.test("_observedFetch() is a plain fetch outside an observer", async () => {
  await using server = startScriptedServer();
  const response = await _observedFetch()(`${server.baseURL}/models`);
  assert.equal(response.status, 200);
  await response.body?.cancel();
});

Deno.test("_observedFetch() tells the observer before each request and of its answer", async () => {
  await using server = startScriptedServer({
    faults: [{ kind: "rate_limit", retryAfterSeconds: 2, times: 1 }],
  });
  const seen: unknown[] = [];
  let tickets = 0;
  const observer: _RequestObserver = {
    sending: async () => {
      await new Promise((resolve) => setTimeout(resolve, 1)); // the request waits for this
      seen.push("sending");
      return ++tickets;
    },
    answered: (ticket, status, headers) =>
      seen.push([ticket, status, headers?.get("retry-after") ?? null]),
  };
  const post = () =>
    _observedFetch()(`${server.baseURL}/chat/completions`, {
      method: "POST",
      body: JSON.stringify({ model: "scripted", messages: [{ role: "user", content: "Hi" }] }),
    }).then(async (response) => (await response.body?.cancel(), response.status));
  const statuses = await _requestObservers.run(observer, async () => [await post(), await post()]);
  assert.deepEqual(statuses, [429, 200]);
  assert.deepEqual(seen, ["sending", [1, 429, "2"], "sending", [2, 200, null]]);
});

Deno.test("_observedFetch() tells the observer of a request that got no answer", async () => {
  const server = startScriptedServer();
  const url = `${server.baseURL}/models`;
  await server.close(); // nothing listens there now
  const seen: unknown[] = [];
  const observer: _RequestObserver = {
    sending: () => "ticket",
    answered: (ticket, status, headers) => seen.push([ticket, status, headers]),
  };
  await assert.rejects(_requestObservers.run(observer, () => _observedFetch()(url)));
  assert.deepEqual(seen, [["ticket", 0, undefined]]);
});
