import assert from "node:assert/strict";
import { _clientProtocol, _readReply, _sendWithRetries } from "./_client_protocol.ts";

Deno.test("_clientProtocol() tells the API from the client's shape", () => {
  assert.equal(_clientProtocol({ chat: { completions: { create() {} } } }), "chat");
  assert.equal(_clientProtocol({ messages: { create() {} } }), "messages");
  assert.equal(_clientProtocol({}), undefined);
});

Deno.test("_sendWithRetries() turns the SDK's retries off and retries itself", async () => {
  const sent: unknown[] = [];
  let calls = 0;
  const client = {
    messages: {
      create(_body: unknown, options: { maxRetries: number }) {
        sent.push(options.maxRetries);
        if (++calls < 2) return Promise.reject(Object.assign(new Error("busy"), { status: 529 }));
        return Promise.resolve("reply");
      },
    },
  };
  const outcome = await _sendWithRetries(client, {}, { sleep: async () => {} });
  assert.deepEqual(outcome, { ok: true, value: "reply", attempts: 2 });
  assert.deepEqual(sent, [0, 0]);
});

Deno.test("_readReply() reads a chat completion: text, usage, finish reason, refusal", () => {
  const reply = _readReply("chat", {
    choices: [{ message: { content: "Hi", refusal: null }, finish_reason: "stop" }],
    usage: { prompt_tokens: 10, completion_tokens: 2, prompt_tokens_details: { cached_tokens: 8 } },
  });
  assert.deepEqual(reply, {
    text: "Hi",
    usage: { input_tokens: 10, output_tokens: 2, cached_input_tokens: 8 },
    finish: "stop",
    refusal: undefined,
  });
  const refused = _readReply("chat", { choices: [{ message: { content: null, refusal: "No." } }] });
  assert.equal(refused.text, null);
  assert.equal(refused.refusal, "No.");
  // A missing count is unknown, not 0.
  assert.ok(Number.isNaN(refused.usage.input_tokens));
});

Deno.test("_readReply() reads a message: its text blocks, usage, stop reason, refusal", () => {
  const reply = _readReply("messages", {
    content: [{ type: "text", text: "a" }, { type: "tool_use", input: {} }, {
      type: "text",
      text: "b",
    }],
    usage: { input_tokens: 10, output_tokens: 2, cache_read_input_tokens: 0 },
    stop_reason: "end_turn",
  });
  assert.deepEqual(reply, {
    text: "a\nb",
    usage: { input_tokens: 10, output_tokens: 2 },
    finish: "end_turn",
    refusal: undefined,
  });
  assert.equal(
    _readReply("messages", { content: [], stop_reason: "refusal" }).refusal,
    "(no text)",
  );
});

Deno.test("_readReply() counts an Anthropic prompt's cache reads and writes in its input tokens", () => {
  const reply = _readReply("messages", {
    content: [{ type: "text", text: "ok" }],
    stop_reason: "end_turn",
    usage: {
      input_tokens: 100,
      cache_read_input_tokens: 900,
      cache_creation_input_tokens: 50,
      output_tokens: 7,
    },
  });
  // 100 uncached + 900 read + 50 written: the whole prompt, of which 900 from the cache.
  assert.deepEqual(reply.usage, { input_tokens: 1050, output_tokens: 7, cached_input_tokens: 900 });
});
