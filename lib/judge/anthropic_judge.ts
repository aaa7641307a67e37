/**
 * An LLM judge over Anthropic's Messages API, with a forced tool call for the JSON.
 *
 * @module
 */

import type { Task, TaskInputs } from "../tasks/task.ts";
import { readFences } from "../tasks/_prompt.ts";
import { parseReply } from "../tasks/parse_reply.ts";
import type { JudgeCallOptions } from "./judge.ts";
import type { Judgement, Provenance } from "./judgement.ts";
import { clientSecret, redactValue } from "./redact.ts";
import { _requestFailure, type ErrorClass, type RetryOptions, type RetryOutcome } from "./retry.ts";
import type { ProviderJudge } from "./openai_judge.ts";
import { _readReply, _sendWithRetries } from "./_client_protocol.ts";

/** The part of an `Anthropic` client this judge uses. */
export interface MessagesClient {
  /** The Messages API. */
  messages: {
    // deno-lint-ignore no-explicit-any
    create(body: any, options?: any): Promise<any>;
  };
  /** The client's key, for redaction. */
  apiKey?: string | null;
}

/** How to build an Anthropic judge. */
export interface AnthropicJudgeOptions {
  /** An `Anthropic` client. */
  client: MessagesClient;
  /** The model id, e.g. `"claude-sonnet-4-20250514"`. */
  model: string;
  /** The judge's id (default `anthropic:${model}`). */
  id?: string;
  /** Sampling temperature (default 0). Anthropic has no seed. */
  temperature?: number;
  /** Largest reply in tokens (default 1,000). */
  maxTokens?: number;
  /** Retry limits (429 and 529 "overloaded" are retried, honouring `Retry-After`). */
  retry?: RetryOptions;
  /** Told about each retry. */
  onRetry?: (error: ErrorClass, waitMs: number, attempt: number) => void;
}

/** The provider's response body, or why the request failed (as `withRetries` gives it). */
type Reply = RetryOutcome<unknown>;

/** The tool the judge is made to call: its input is the judgement. */
const TOOL_NAME = "record_judgement";

/**
 * A judge that has an Anthropic model call a `record_judgement` tool whose input schema is the
 * task's reply schema, so the JSON arrives as the tool call's arguments. A reply without the
 * tool call is read as text (one JSON object of the judge's own — never one quoted from the
 * prompt's fenced data — or a refusal); every outcome is a judgement. Every text in a judgement
 * passes through `redact()` with the client's key, so an echoed key never reaches a ledger.
 *
 * @example
 * ```ts
 * import Anthropic from "@anthropic-ai/sdk";
 * import { getTask } from "../tasks/tasks.ts";
 * import { anthropicJudge } from "./anthropic_judge.ts";
 * import { startScriptedServer } from "../testing/scripted_server.ts";
 * import assert from "node:assert/strict";
 *
 * await using server = startScriptedServer();
 * const judge = anthropicJudge({
 *   client: new Anthropic({ apiKey: "unused", baseURL: server.anthropicBaseURL }),
 *   model: "claude-sonnet-4-20250514",
 * });
 * const result = await judge.judge(getTask("cpc_management"), {
 *   response: "24-hour urine metanephrines",
 *   test_plan: "Plasma free metanephrines",
 * });
 * assert.equal(result.status, "scored");
 * assert.equal(result.provenance.output_mode, "tool_call");
 * ```
 */
export function anthropicJudge(options: AnthropicJudgeOptions): ProviderJudge {
  const id = options.id ?? `anthropic:${options.model}`;
  const maxTokens = options.maxTokens ?? 1000;
  const temperature = options.temperature ?? 0;
  const secret = clientSecret(options.client);
  const settings = { id, model: options.model, maxTokens, temperature };
  const requestBody = (task: Task, inputs: TaskInputs) => messagesBody(settings, task, inputs);
  return {
    id,
    provider: "anthropic",
    model: options.model,
    client: options.client,
    parameters: { temperature, max_tokens: maxTokens },
    requestBody,
    readReply(task: Task, inputs: TaskInputs, reply: Reply, latencyMs = 0): Judgement {
      return redactValue(readMessage(settings, task, inputs, reply, latencyMs), [secret]);
    },
    async judge(task: Task, inputs: TaskInputs, call: JudgeCallOptions = {}): Promise<Judgement> {
      const started = performance.now();
      const body = requestBody(task, inputs);
      const { client, retry, onRetry } = options;
      const reply = await _sendWithRetries(client, body, retry, call.signal, onRetry);
      const latency = performance.now() - started;
      return redactValue(readMessage(settings, task, inputs, reply, latency), [secret]);
    },
  };
}

/** What decides a request: the judge's id and model, and its sampling settings. */
interface Settings {
  id: string;
  model: string;
  maxTokens: number;
  temperature: number;
}

/** The body of a Messages API request. */
function messagesBody(settings: Settings, task: Task, inputs: TaskInputs): Record<string, unknown> {
  const prompt = task.prompt(inputs);
  return {
    model: settings.model,
    max_tokens: settings.maxTokens,
    temperature: settings.temperature,
    // The static rubric as a system block marked for Anthropic's prompt cache (with the tool
    // before it, the part every item of the task shares); the entry last. Anthropic caches a
    // marked prefix from 1,024 tokens (2,048 on Haiku); a shorter one is sent uncached.
    system: [{ type: "text", text: prompt.system, cache_control: { type: "ephemeral" } }],
    messages: [{ role: "user", content: prompt.user }],
    tools: [{
      name: TOOL_NAME,
      description: "Record the score and justification for the graded response.",
      input_schema: task.outputSchema,
    }],
    tool_choice: { type: "tool", name: TOOL_NAME },
  };
}

/** The judgement a message (or the request's failure) gives, before redaction. */
function readMessage(
  settings: Settings,
  task: Task,
  inputs: TaskInputs,
  reply: Reply,
  latency_ms: number,
): Judgement {
  const provenance: Provenance = {
    judge: settings.id,
    provider: "anthropic",
    model: settings.model,
    parameters: { temperature: settings.temperature, max_tokens: settings.maxTokens },
    prompt_version: task.promptVersion,
    prompt_hash: task.promptHash,
    output_mode: "tool_call",
  };
  const { attempts } = reply;
  if (!reply.ok) {
    return {
      task: task.key,
      status: "failed",
      ..._requestFailure(reply), // redacted, with the rest, by the caller
      raw: null,
      provenance,
      attempts,
      latency_ms,
    };
  }
  // deno-lint-ignore no-explicit-any
  const message = reply.value as any;
  const { text, usage, refusal } = _readReply("messages", message);
  // deno-lint-ignore no-explicit-any
  const blocks: any[] = Array.isArray(message?.content) ? message.content : [];
  const tool = blocks.find((b) => b?.type === "tool_use" && b?.name === TOOL_NAME);
  const raw = tool ? JSON.stringify(tool.input ?? null) : text;
  const base = { task: task.key, raw, usage, attempts, latency_ms };
  const parsed = parseReply(raw, task.scale(inputs), {
    allowExtraction: !tool,
    fenced: readFences(task.prompt(inputs).user),
  });
  const mode = tool ? "tool_call" as const : "extracted" as const;
  if (!parsed.ok) {
    const why = refusal === undefined ? parsed.reason : "refusal" as const;
    return {
      ...base,
      provenance: { ...provenance, output_mode: mode },
      status: "failed",
      reason: why,
      detail: parsed.detail,
    };
  }
  return {
    ...base,
    provenance: { ...provenance, output_mode: mode },
    status: "scored",
    score: parsed.score,
    justification: parsed.justification,
    ...(Object.keys(parsed.fields).length > 0 ? { fields: parsed.fields } : {}),
  };
}
