import assert from "node:assert/strict";
import { judgeFor, llmJudge, makeClient, providerFromEnv } from "./providers.ts";

Deno.test("providerFromEnv() picks a local server first, then OpenAI, Azure, OpenRouter, Anthropic", () => {
  assert.deepEqual(providerFromEnv({ OPENAI_API_KEY: "k", ANTHROPIC_API_KEY: "a" }).entry, {
    provider: "openai",
    model_id: "gpt-4o",
  });
  assert.equal(
    providerFromEnv({
      AZURE_OPENAI_API_KEY: "k",
      AZURE_OPENAI_ENDPOINT: "https://x.openai.azure.com",
      OPENAI_API_VERSION: "2024-12-01-preview",
    })
      .entry?.provider,
    "azure",
  );
  // Azure needs all three variables.
  assert.deepEqual(providerFromEnv({ AZURE_OPENAI_API_KEY: "k" }), {});
  assert.equal(providerFromEnv({ OPENROUTER_API_KEY: "k" }).entry?.model_id, "openai/gpt-4o");
  assert.deepEqual(providerFromEnv({ ANTHROPIC_API_KEY: "k", PRECEPTRON_MODEL: "claude-x" }), {
    entry: { provider: "anthropic", model_id: "claude-x" },
    source: "ANTHROPIC_API_KEY",
  });
  assert.equal(
    providerFromEnv({ OPENAI_API_KEY: "k", PRECEPTRON_BASE_URL: "http://127.0.0.1:1/v1" }).source,
    "PRECEPTRON_BASE_URL",
  );
  assert.deepEqual(providerFromEnv({ OPENAI_API_KEY: "   " }), {});
});

Deno.test("makeClient() builds each provider's client and names a missing variable", () => {
  const keys = {
    OPENAI_API_KEY: "sk-test-openai-0000",
    OPENROUTER_API_KEY: "sk-or-test-0000",
    ANTHROPIC_API_KEY: "sk-ant-test-0000",
    AZURE_OPENAI_API_KEY: "azure-key-0000",
    AZURE_OPENAI_ENDPOINT: "https://example.openai.azure.com",
    OPENAI_API_VERSION: "2024-12-01-preview",
  };
  const openrouter = makeClient({ provider: "openrouter", model_id: "m" }, keys) as {
    baseURL: string;
  };
  assert.equal(openrouter.baseURL, "https://openrouter.ai/api/v1");
  const azure = makeClient({ provider: "azure", model_id: "gpt-4o-deploy" }, keys);
  assert.equal(azure.constructor.name, "AzureOpenAI");
  assert.equal((azure as { baseURL: string }).baseURL, "https://example.openai.azure.com/openai");
  assert.ok("messages" in makeClient({ provider: "anthropic", model_id: "m" }, keys));
  assert.throws(
    () => makeClient({ provider: "azure", model_id: "d" }, { AZURE_OPENAI_API_KEY: "k" }),
    /set AZURE_OPENAI_ENDPOINT/,
  );
  assert.throws(
    () => makeClient({ provider: "anthropic", model_id: "m" }, {}),
    /set ANTHROPIC_API_KEY/,
  );
  assert.throws(
    () => makeClient({ provider: "gemini", model_id: "m" }, keys),
    /unknown provider "gemini"; known providers: openai, azure, openrouter, anthropic, openai-compatible/,
  );
});

Deno.test("a missing-key error names the variable and never contains another key", () => {
  const secret = "sk-test-should-not-appear-123456";
  const error = (() => {
    try {
      makeClient({ provider: "anthropic", model_id: "m" }, { OPENAI_API_KEY: secret });
    } catch (e) {
      return e as Error;
    }
  })();
  assert.ok(error);
  assert.doesNotMatch(error.message, /sk-test/);
});

Deno.test("judgeFor() and llmJudge() give each provider's judge its id and provider", () => {
  const judge = judgeFor(
    {
      provider: "openai-compatible",
      model_id: "med42",
      base_url: "http://127.0.0.1:9/v1",
      name: "med42-local",
    },
    {},
    {},
  );
  assert.deepEqual([judge.id, judge.provider, judge.model], [
    "med42-local",
    "openai-compatible",
    "med42",
  ]);
  const anthropic = judgeFor({ provider: "anthropic", model_id: "claude-x" }, {}, {
    ANTHROPIC_API_KEY: "k-0000",
  });
  assert.deepEqual([anthropic.id, anthropic.provider], ["anthropic:claude-x", "anthropic"]);
  assert.throws(
    () => llmJudge({}, "m"),
    /client must be an OpenAI, AzureOpenAI .* or Anthropic client/,
  );
});
