/**
 * Providers: building clients and judges from the environment or from a config entry.
 *
 * @module
 */

import Anthropic from "@anthropic-ai/sdk";
import OpenAI, { AzureOpenAI } from "openai";
import { anthropicJudge, type MessagesClient } from "./anthropic_judge.ts";
import type { Judge } from "./judge.ts";
import { type ChatCompletionsClient, guessProvider, openAIJudge } from "./openai_judge.ts";
import { registerSecret } from "./redact.ts";
import { _observedFetch } from "./_request_hook.ts";
import { _clientProtocol } from "./_client_protocol.ts";
import type { ErrorClass, RetryOptions } from "./retry.ts";

/** The providers the kit knows. */
export const PROVIDERS = [
  "openai",
  "azure",
  "openrouter",
  "anthropic",
  "openai-compatible",
] as const;

/** A provider name. */
export type ProviderName = typeof PROVIDERS[number];

/** A judge as a benchmark config names it (PrecepTron's `models:` entries, plus `base_url`). */
export interface ProviderEntry {
  /** `openai`, `azure`, `openrouter`, `anthropic`, or `openai-compatible` (needs `base_url`). */
  provider: string;
  /** The model id sent to the API (for Azure, the deployment). */
  model_id: string;
  /** An OpenAI-compatible server's base URL (vLLM, Ollama, the scripted server). */
  base_url?: string;
  /** The judge's name in outputs (default `provider:model_id`). */
  name?: string;
}

/** Where each provider's credentials come from. */
export const PROVIDER_ENV: Readonly<Record<ProviderName, readonly string[]>> = {
  openai: ["OPENAI_API_KEY"],
  azure: ["AZURE_OPENAI_API_KEY", "AZURE_OPENAI_ENDPOINT", "OPENAI_API_VERSION"],
  openrouter: ["OPENROUTER_API_KEY"],
  anthropic: ["ANTHROPIC_API_KEY"],
  "openai-compatible": ["PRECEPTRON_BASE_URL"],
};

const OPENROUTER_URL = "https://openrouter.ai/api/v1";

/** Every client's fetch: lets the runner's provider pool pace requests and read their headers. */
const observedFetch = _observedFetch();

/** A client from `makeClient`: OpenAI-compatible or Anthropic. */
export type ProviderClient = ChatCompletionsClient | MessagesClient;

/**
 * Builds the client for a provider entry, reading its key from the environment (or `keys`).
 *
 * @param entry The provider, model and optional base URL.
 * @param keys Credentials by environment-variable name (default: the process environment),
 *   e.g. read from a PrecepTron `config.ini`.
 * @returns An `OpenAI`, `AzureOpenAI` or `Anthropic` client.
 * @throws {Error} For an unknown provider (listing the known ones) or a missing credential
 *   (naming the environment variable to set). The message never contains a key.
 *
 * @example
 * ```ts
 * import { makeClient } from "./providers.ts";
 * import assert from "node:assert/strict";
 *
 * assert.throws(
 *   () => makeClient({ provider: "openai", model_id: "gpt-4o" }, {}),
 *   /set OPENAI_API_KEY/,
 * );
 * const local = makeClient({ provider: "openai-compatible", model_id: "med42", base_url: "http://127.0.0.1:8000/v1" }, {});
 * assert.ok("chat" in local);
 * ```
 */
export function makeClient(
  entry: ProviderEntry,
  keys: Readonly<Record<string, string | undefined>> = envKeys(),
): ProviderClient {
  const need = (name: string): string => {
    const value = keys[name];
    if (value === undefined || value.trim() === "") {
      throw new Error(
        `no credential for provider ${
          JSON.stringify(entry.provider)
        } (model ${entry.model_id}): set ${name}`,
      );
    }
    registerSecret(value.trim());
    return value.trim();
  };
  registerSecret(keys.PRECEPTRON_API_KEY);
  if (entry.base_url) registerUrlCredentials(entry.base_url);
  switch (entry.provider) {
    case "openai":
      return new OpenAI({
        apiKey: need("OPENAI_API_KEY"),
        ...(entry.base_url ? { baseURL: entry.base_url } : {}),
        fetch: observedFetch,
      });
    case "azure":
      return new AzureOpenAI({
        apiKey: need("AZURE_OPENAI_API_KEY"),
        endpoint: entry.base_url ?? need("AZURE_OPENAI_ENDPOINT"),
        apiVersion: need("OPENAI_API_VERSION"),
        deployment: entry.model_id,
        fetch: observedFetch,
      });
    case "openrouter":
      return new OpenAI({
        apiKey: need("OPENROUTER_API_KEY"),
        baseURL: entry.base_url ?? OPENROUTER_URL,
        fetch: observedFetch,
      });
    case "anthropic":
      return new Anthropic({
        apiKey: need("ANTHROPIC_API_KEY"),
        ...(entry.base_url ? { baseURL: entry.base_url } : {}),
        fetch: observedFetch,
      });
    case "openai-compatible": {
      const baseURL = entry.base_url ?? need("PRECEPTRON_BASE_URL");
      // Local servers (vLLM, Ollama) usually take any key; PRECEPTRON_API_KEY when one is needed.
      return new OpenAI({
        apiKey: keys.PRECEPTRON_API_KEY || "unused",
        baseURL,
        fetch: observedFetch,
      });
    }
    default:
      throw new Error(
        `unknown provider ${JSON.stringify(entry.provider)}; known providers: ${
          PROVIDERS.join(", ")
        }`,
      );
  }
}

/** Options for judges built from entries or the environment. */
export interface JudgeSettings {
  /** Sampling temperature (default 0). */
  temperature?: number;
  /** Sampling seed, where the provider supports one. */
  seed?: number;
  /** Reply tokens allowed per request. */
  maxTokens?: number;
  /** How failed requests are retried. */
  retry?: RetryOptions;
  /** Told before each retry (the benchmark runner slows a provider down on 429s). */
  onRetry?: (error: ErrorClass, waitMs: number, attempt: number) => void;
}

/**
 * A judge for a provider entry: Anthropic's forced tool call for `anthropic`, structured
 * output over chat completions for the rest.
 *
 * @param entry The provider, model and optional base URL.
 * @param settings Sampling and retry settings.
 * @param keys Credentials by environment-variable name (default: the environment).
 * @returns The judge.
 * @throws {Error} As `makeClient`.
 */
export function judgeFor(
  entry: ProviderEntry,
  settings: JudgeSettings = {},
  keys?: Readonly<Record<string, string | undefined>>,
): Judge {
  const client = makeClient(entry, keys);
  return llmJudge(client, entry.model_id, {
    ...settings,
    ...(entry.name ? { id: entry.name } : {}),
    provider: entry.provider,
  });
}

/**
 * An LLM judge for any supported client: an `Anthropic` client gets the tool-call judge, an
 * `OpenAI`/`AzureOpenAI` client (any base URL) the chat-completions judge.
 *
 * @param client The client.
 * @param model The model id.
 * @param settings Sampling and retry settings, id and provider name.
 * @returns The judge.
 * @throws {TypeError} When the client is neither kind.
 */
export function llmJudge(
  client: unknown,
  model: string,
  settings: JudgeSettings & { id?: string; provider?: string } = {},
): Judge {
  const common = {
    model,
    ...(settings.id === undefined ? {} : { id: settings.id }),
    ...(settings.temperature === undefined ? {} : { temperature: settings.temperature }),
    ...(settings.maxTokens === undefined ? {} : { maxTokens: settings.maxTokens }),
    ...(settings.retry === undefined ? {} : { retry: settings.retry }),
    ...(settings.onRetry === undefined ? {} : { onRetry: settings.onRetry }),
  };
  const protocol = _clientProtocol(client);
  if (protocol === "chat") {
    const c = client as ChatCompletionsClient;
    return openAIJudge({
      client: c,
      ...common,
      provider: settings.provider ?? guessProvider(c),
      ...(settings.seed === undefined ? {} : { seed: settings.seed }),
    });
  }
  if (protocol === "messages") {
    return anthropicJudge({ client: client as MessagesClient, ...common });
  }
  throw new TypeError(
    "client must be an OpenAI, AzureOpenAI (any OpenAI-compatible baseURL) or Anthropic client",
  );
}

/** A judge configured from the environment, and how it was chosen. */
export interface ConfiguredJudge {
  /** The provider entry chosen, or `undefined` when none is configured. */
  entry?: ProviderEntry;
  /** Which environment variable decided it, for banners. */
  source?: string;
}

/** Default models per provider when `PRECEPTRON_MODEL` is not set. */
export const DEFAULT_MODELS: Readonly<Record<ProviderName, string>> = {
  openai: "gpt-4o",
  azure: "gpt-4o",
  openrouter: "openai/gpt-4o",
  anthropic: "claude-sonnet-4-20250514",
  "openai-compatible": "default",
};

/**
 * The provider configured in the environment, in this order: `PRECEPTRON_BASE_URL` (a local or
 * scripted OpenAI-compatible server), `OPENAI_API_KEY`, the three Azure variables,
 * `OPENROUTER_API_KEY`, `ANTHROPIC_API_KEY`. `PRECEPTRON_MODEL` overrides the default model.
 *
 * @param keys The environment (default: the process's).
 * @returns The entry and the variable that chose it, or `{}` when nothing is configured.
 *
 * @example
 * ```ts
 * import { providerFromEnv } from "./providers.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(providerFromEnv({}), {});
 * assert.deepEqual(
 *   providerFromEnv({ PRECEPTRON_BASE_URL: "http://127.0.0.1:8000/v1", PRECEPTRON_MODEL: "med42" }),
 *   {
 *     entry: { provider: "openai-compatible", model_id: "med42", base_url: "http://127.0.0.1:8000/v1" },
 *     source: "PRECEPTRON_BASE_URL",
 *   },
 * );
 * ```
 */
export function providerFromEnv(
  keys: Readonly<Record<string, string | undefined>> = envKeys(),
): ConfiguredJudge {
  const set = (name: string) => (keys[name] ?? "").trim() !== "";
  const model = (provider: ProviderName) =>
    keys.PRECEPTRON_MODEL?.trim() || DEFAULT_MODELS[provider];
  if (set("PRECEPTRON_BASE_URL")) {
    return {
      entry: {
        provider: "openai-compatible",
        model_id: model("openai-compatible"),
        base_url: keys.PRECEPTRON_BASE_URL!.trim(),
      },
      source: "PRECEPTRON_BASE_URL",
    };
  }
  for (const provider of ["openai", "azure", "openrouter", "anthropic"] as const) {
    if (PROVIDER_ENV[provider].every(set)) {
      return { entry: { provider, model_id: model(provider) }, source: PROVIDER_ENV[provider][0]! };
    }
  }
  return {};
}

/** The environment variables providers read, as a plain record (empty without env permission). */
export function envKeys(): Record<string, string | undefined> {
  const names = new Set([
    ...Object.values(PROVIDER_ENV).flat(),
    "PRECEPTRON_MODEL",
    "PRECEPTRON_API_KEY",
  ]);
  const out: Record<string, string | undefined> = {};
  for (const name of names) {
    try {
      out[name] = Deno.env.get(name);
    } catch {
      out[name] = undefined; // no --allow-env: behave as if unset
    }
  }
  return out;
}

/** A base URL's password and credential-carrying query values, as secrets. */
function registerUrlCredentials(url: string): void {
  try {
    const u = new URL(url);
    registerSecret(decodeURIComponent(u.password));
    for (const [name, value] of u.searchParams) {
      if (/sig|signature|token|key|secret|password|credential|auth/i.test(name)) {
        registerSecret(value);
      }
    }
  } catch {
    // Not a URL: the client will say so.
  }
}
