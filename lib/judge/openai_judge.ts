/**
 * An LLM judge over any OpenAI-compatible chat-completions API: OpenAI, Azure OpenAI,
 * OpenRouter, vLLM, Ollama, or the scripted test server.
 *
 * @module
 */

import type { Task, TaskInputs } from "../tasks/task.ts";
import { readFences } from "../tasks/_prompt.ts";
import { parseReply } from "../tasks/parse_reply.ts";
import type { Judge, JudgeCallOptions } from "./judge.ts";
import type { Judgement, OutputMode, Provenance } from "./judgement.ts";
import { clientSecret, redactValue } from "./redact.ts";
import { _requestFailure, type ErrorClass, type RetryOptions, type RetryOutcome } from "./retry.ts";
import { _readReply, _sendWithRetries } from "./_client_protocol.ts";

/** The part of an OpenAI client this judge uses (an `OpenAI` or `AzureOpenAI` instance). */
export interface ChatCompletionsClient {
  /** The Chat Completions API. */
  chat: {
    completions: {
      // deno-lint-ignore no-explicit-any
      create(body: any, options?: any): Promise<any>;
    };
  };
  /** The server's base URL. */
  baseURL?: string;
  /** The client's key, for redaction. */
  apiKey?: string | null;
}

/** How to build an OpenAI-compatible judge. */
export interface OpenAIJudgeOptions {
  /** An `OpenAI` / `AzureOpenAI` client (any OpenAI-compatible `baseURL`). */
  client: ChatCompletionsClient;
  /** The model id sent to the provider (for Azure, the deployment name). */
  model: string;
  /** The provider's name in provenance (default: guessed from the client's base URL). */
  provider?: string;
  /** The judge's id (default `${provider}:${model}`). */
  id?: string;
  /** Sampling temperature (default 0: judgements should be as repeatable as the model allows). */
  temperature?: number;
  /** Sampling seed, where the provider supports one. */
  seed?: number;
  /** Largest reply in tokens (default 1,000). */
  maxTokens?: number;
  /**
   * How to get JSON: `"auto"` (default) asks for structured output (`json_schema`) and falls
   * back to JSON mode, then to extracting one JSON object from free text, when the server
   * rejects a mode with HTTP 400; or one mode, fixed.
   */
  outputMode?: "auto" | "json_schema" | "json_object" | "extracted";
  /** Retry limits. */
  retry?: RetryOptions;
  /** Told about each retry (e.g. to log rate limiting). */
  onRetry?: (error: ErrorClass, waitMs: number, attempt: number) => void;
}

/**
 * What came back for one request: the provider's response body, or the request's failure (the
 * shape `withRetries` gives), with every attempt counted.
 */
type Reply = RetryOutcome<unknown>;

/**
 * A judge that sends one request per judgement to a provider's API, and lets another transport
 * (a provider's batch engine) send it instead: `requestBody` is the exact body a live call
 * sends first (structured output included), `readReply` the judgement a live call makes of the
 * provider's answer. Both are pure — they read only the judge's settings and their arguments —
 * and the live path uses them, so a batched judgement and a live one are the same.
 *
 * @example Judge from a body sent elsewhere
 * ```ts
 * import OpenAI from "openai";
 * import { getTask } from "../tasks/tasks.ts";
 * import { openAIJudge } from "./openai_judge.ts";
 * import { startScriptedServer } from "../testing/scripted_server.ts";
 * import assert from "node:assert/strict";
 *
 * await using server = startScriptedServer();
 * const client = new OpenAI({ apiKey: "unused", baseURL: server.baseURL });
 * const judge = openAIJudge({ client, model: "scripted" });
 * const task = getTask("cpc_management");
 * const inputs = { response: "Temporal artery biopsy", test_plan: "Temporal artery biopsy" };
 * const value = await client.chat.completions.create(judge.requestBody(task, inputs) as never);
 * const judgement = judge.readReply(task, inputs, { ok: true, value, attempts: 1 });
 * assert.equal(judgement.status, "scored");
 * ```
 */
export interface ProviderJudge extends Judge {
  /** The provider client the judge sends with. */
  readonly client: unknown;
  /**
   * The body of the first request a live call sends.
   *
   * @param task The task.
   * @param inputs The response and its context.
   * @returns The request body.
   */
  requestBody(task: Task, inputs: TaskInputs): Record<string, unknown>;
  /**
   * The judgement a reply gives: scored, or failed with its reason; redacted.
   *
   * @param task The task.
   * @param inputs The response and its context.
   * @param reply The provider's response body (`ok: true`), or why the request failed.
   * @param latencyMs Wall time to record (default 0).
   * @returns The judgement.
   */
  readReply(
    task: Task,
    inputs: TaskInputs,
    reply: RetryOutcome<unknown>,
    latencyMs?: number,
  ): Judgement;
}

const FALLBACK: Record<string, OutputMode | undefined> = {
  json_schema: "json_object",
  json_object: "extracted",
};

/**
 * A judge that asks an OpenAI-compatible model for `{ score, justification }`.
 *
 * Structured output first; on a 400 for the mode it falls back (JSON mode, then one JSON object
 * extracted from text) and remembers what worked, recording the mode in each judgement's
 * provenance. SDK retries are turned off in favour of its own: bounded, with backoff, honouring
 * `Retry-After` on 429, and retrying 5xx, timeouts and dropped connections. Every outcome is a
 * judgement: a reply that is not a valid score, a refusal, or exhausted retries come back as
 * `{ status: "failed", reason }`. The API key never appears in a judgement: every text in it
 * (`raw`, `detail`, `justification`, fields) passes through `redact()` with the client's key,
 * so a provider that echoes the key — in an error or in a reply — cannot put it in a ledger.
 * Replies read by extraction never take JSON quoted from the prompt's fenced data.
 *
 * @example
 * ```ts
 * import OpenAI from "openai";
 * import { getTask } from "../tasks/tasks.ts";
 * import { openAIJudge } from "./openai_judge.ts";
 * import { startScriptedServer } from "../testing/scripted_server.ts";
 * import assert from "node:assert/strict";
 *
 * await using server = startScriptedServer();
 * const judge = openAIJudge({
 *   client: new OpenAI({ apiKey: "unused", baseURL: server.baseURL }),
 *   model: "scripted",
 * });
 * const result = await judge.judge(getTask("cpc_bond"), {
 *   response: "1. Pheochromocytoma\n2. Thyroid storm",
 *   final_diagnosis: "Pheochromocytoma",
 * });
 * assert.equal(result.status, "scored");
 * assert.equal(result.provenance.output_mode, "json_schema");
 * ```
 */
export function openAIJudge(options: OpenAIJudgeOptions): ProviderJudge {
  return new OpenAIJudge(options);
}

class OpenAIJudge implements ProviderJudge {
  readonly id: string;
  readonly provider: string;
  readonly model: string;
  #options: OpenAIJudgeOptions;

  /** The client, so the router can ask the same model. */
  get client(): ChatCompletionsClient {
    return this.#options.client;
  }

  /** The sampling parameters sent with every request. */
  get parameters(): Record<string, unknown> {
    return this.#provenance(undefined, "json_schema").parameters;
  }
  /** The output mode a judgement starts with: structured output, unless one mode is fixed. */
  readonly #firstMode: OutputMode;
  /** The output mode that last worked. */
  #mode: OutputMode;

  /** The client's API key, removed from everything the judge returns. */
  #secret: string | undefined;

  constructor(options: OpenAIJudgeOptions) {
    this.#options = options;
    this.#secret = clientSecret(options.client);
    this.model = options.model;
    this.provider = options.provider ?? guessProvider(options.client);
    this.id = options.id ?? `${this.provider}:${options.model}`;
    this.#firstMode = options.outputMode === undefined || options.outputMode === "auto"
      ? "json_schema"
      : options.outputMode;
    this.#mode = this.#firstMode;
  }

  async judge(task: Task, inputs: TaskInputs, call: JudgeCallOptions = {}): Promise<Judgement> {
    return redactValue(await this.#judge(task, inputs, call), [this.#secret]);
  }

  requestBody(task: Task, inputs: TaskInputs): Record<string, unknown> {
    return this.#body(task, inputs, this.#firstMode);
  }

  readReply(task: Task, inputs: TaskInputs, reply: Reply, latencyMs = 0): Judgement {
    return redactValue(this.#read(task, inputs, reply, latencyMs, this.#firstMode), [this.#secret]);
  }

  async #judge(task: Task, inputs: TaskInputs, call: JudgeCallOptions): Promise<Judgement> {
    const o = this.#options;
    const started = performance.now();
    let attempts = 0;
    const fixed = o.outputMode !== undefined && o.outputMode !== "auto";
    let mode = this.#mode;
    for (;;) {
      const body = this.#body(task, inputs, mode);
      const outcome = await _sendWithRetries(o.client, body, o.retry, call.signal, o.onRetry);
      attempts += outcome.attempts;
      const next = FALLBACK[mode];
      if (!outcome.ok && !fixed && outcome.error.status === 400 && next) {
        // The server may not take this response_format: try the next mode down.
        mode = next;
        continue;
      }
      if (outcome.ok) this.#mode = mode; // This mode works here: start from it next time.
      return this.#read(task, inputs, { ...outcome, attempts }, performance.now() - started, mode);
    }
  }

  #body(task: Task, inputs: TaskInputs, mode: OutputMode): Record<string, unknown> {
    const o = this.#options;
    const prompt = task.prompt(inputs);
    return {
      model: o.model,
      messages: [
        { role: "system", content: prompt.system },
        { role: "user", content: prompt.user },
      ],
      temperature: o.temperature ?? 0,
      max_tokens: o.maxTokens ?? 1000,
      ...(o.seed === undefined ? {} : { seed: o.seed }),
      ...responseFormat(mode, task),
    };
  }

  /** The judgement a chat completion (or the request's failure) gives, before redaction. */
  #read(
    task: Task,
    inputs: TaskInputs,
    reply: Reply,
    latency_ms: number,
    mode: OutputMode,
  ): Judgement {
    const provenance = this.#provenance(task, mode);
    const { attempts } = reply;
    if (!reply.ok) {
      return {
        task: task.key,
        status: "failed",
        ..._requestFailure(reply),
        raw: null,
        usage: { input_tokens: 0, output_tokens: 0 },
        provenance,
        attempts,
        latency_ms,
      };
    }
    const { text: raw, usage, finish, refusal } = _readReply("chat", reply.value);
    const base = { task: task.key, raw, usage, provenance, attempts, latency_ms };
    if (refusal !== undefined) {
      return {
        ...base,
        status: "failed",
        reason: "refusal",
        detail: `the model refused: ${refusal}`,
      };
    }
    const parsed = parseReply(raw, task.scale(inputs), {
      allowExtraction: mode === "extracted",
      fenced: readFences(task.prompt(inputs).user),
    });
    if (!parsed.ok) {
      const truncated = finish === "length" ? " (the reply was cut off at max_tokens)" : "";
      return {
        ...base,
        status: "failed",
        reason: parsed.reason,
        detail: parsed.detail + truncated,
      };
    }
    return {
      ...base,
      status: "scored",
      score: parsed.score,
      justification: parsed.justification,
      ...(Object.keys(parsed.fields).length > 0 ? { fields: parsed.fields } : {}),
    };
  }

  #provenance(task: Task | undefined, mode: OutputMode): Provenance {
    const o = this.#options;
    return {
      judge: this.id,
      provider: this.provider,
      model: o.model,
      parameters: {
        temperature: o.temperature ?? 0,
        ...(o.seed === undefined ? {} : { seed: o.seed }),
        max_tokens: o.maxTokens ?? 1000,
      },
      prompt_version: task?.promptVersion ?? "",
      prompt_hash: task?.promptHash ?? "",
      output_mode: mode,
    };
  }
}

function responseFormat(mode: OutputMode, task: Task): Record<string, unknown> {
  if (mode === "json_schema") {
    return {
      response_format: {
        type: "json_schema",
        json_schema: { name: `preceptron_${task.key}`, schema: task.outputSchema, strict: true },
      },
    };
  }
  if (mode === "json_object") return { response_format: { type: "json_object" } };
  return {};
}

/** The provider's name from the client's base URL. */
export function guessProvider(
  client: { baseURL?: string; constructor?: { name?: string } },
): string {
  const url = client.baseURL ?? "";
  if (client.constructor?.name === "AzureOpenAI" || /\.openai\.azure\.com|azure/i.test(url)) {
    return "azure";
  }
  if (/openrouter\.ai/i.test(url)) return "openrouter";
  if (/api\.openai\.com/i.test(url) || url === "") return "openai";
  return "openai-compatible";
}
