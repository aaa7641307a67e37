/**
 * A scripted LLM provider on 127.0.0.1: OpenAI-compatible chat completions and the Anthropic
 * Messages API, answering judge prompts deterministically and failing on cue.
 *
 * Tests, notebooks and dry runs point a judge at it instead of a real provider. It reads the task
 * from the judge prompt's header line and the entry from the fenced user message, and answers
 * with a plausible score on that task's scale; faults make it rate-limit, fail, drop connections,
 * or return malformed content, so that every failure path of a judge can be exercised offline.
 *
 * @module
 */

import { DROP, type HttpRequest, type HttpResponse, serveHttp1 } from "./_http1.ts";
import { type ContentFault, FaultSchedule, type RequestedFormat } from "./_faults.ts";
import { type Answer, readPrompt, scriptedAnswer } from "./_scripted_answer.ts";

export { REFUSAL_TEXT, ROUTER_MARKER } from "./_scripted_answer.ts";

/**
 * A scripted failure. Faults apply, in the order given, to chat-completion and messages
 * requests: the first one that applies decides the answer, and one with `times` is used up after
 * that many requests (without `times`, every request meets it). The malformed-reply faults
 * (`non_json`, `out_of_range`, `missing_field`, `refusal`, `empty_reply`) answer with a
 * well-formed HTTP 200 whose *content* is bad.
 *
 * - `latency`: delay every answer by `ms` (never used up; does not stop later faults).
 * - `rate_limit`: 429 with `Retry-After` (whole seconds) and `retry-after-ms`, at once (before
 *   any `latency`), as providers answer.
 * - `server_error`: 500, or the given 5xx status.
 * - `drop_connection`: close the TCP connection without any response; clients see a connection
 *   error. While a drop is to come, the server closes each connection after its answer (and
 *   `setFaults` closes idle ones), because Deno's fetch silently resends a request once when a
 *   reused keep-alive connection closes unanswered, which would hide the drop.
 * - `non_json`: a reply in words, with no JSON.
 * - `out_of_range`: a score off the task's scale (1 on the Bond scale, else max + 3).
 * - `missing_field`: JSON without `"score"`.
 * - `refusal`: "I'm sorry, but I can't help with grading this."
 * - `empty_reply`: empty content.
 * - `no_structured_output`: 400 for `response_format: {type: "json_schema"}` (and Anthropic's
 *   `output_config.format`), like servers without structured output.
 * - `no_json_mode`: 400 for `json_schema` and `json_object` both.
 * - `rate_limit_above`: let at most `requestsPerSecond` requests through in any sliding second;
 *   the others get 429 at once, before any `latency` (and do not count), with a `Retry-After`
 *   of `retryAfterSeconds` or, by default, the time until a slot frees. With `headers`, every
 *   answer carries OpenAI's `x-ratelimit-limit-requests`, `x-ratelimit-remaining-requests` and
 *   `x-ratelimit-reset-requests` (the time the used part takes to refill at the limit's rate,
 *   as a token bucket of the same limit would say).
 * - `reply`: a 200 whose content is `content` exactly (and whose `refusal` is `refusal`, when
 *   given), whatever the prompt: for replies that quote the graded response or leak a key.
 *   Anthropic's endpoint sends it as a text block, with `stop_reason: "refusal"` when a
 *   refusal is given.
 * - `echo_error`: an error with this status and message, like a provider that echoes the
 *   credentials it was sent.
 *
 * In `reply` and `echo_error` texts, `{{authorization}}` becomes the `Authorization` (or
 * `x-api-key`) header the request carried and `{{key}}` the key in it, so tests can check that
 * a leaked credential never reaches a judgement.
 *
 * @example Fail twice, then answer
 * ```ts
 * import { type Fault, startScriptedServer } from "./scripted_server.ts";
 * import assert from "node:assert/strict";
 *
 * const faults: Fault[] = [{ kind: "server_error", status: 503, times: 2 }];
 * await using server = startScriptedServer({ faults });
 * const post = () =>
 *   fetch(`${server.baseURL}/chat/completions`, {
 *     method: "POST",
 *     body: JSON.stringify({ model: "scripted", messages: [{ role: "user", content: "Hi" }] }),
 *   }).then(async (response) => (await response.body?.cancel(), response.status));
 * assert.deepEqual([await post(), await post(), await post()], [503, 503, 200]);
 * ```
 */
export type Fault =
  | { kind: "latency"; ms: number }
  | { kind: "rate_limit"; retryAfterSeconds: number; times?: number }
  | { kind: "server_error"; status?: number; times?: number }
  | { kind: "drop_connection"; times?: number }
  | { kind: "non_json"; times?: number }
  | { kind: "out_of_range"; times?: number }
  | { kind: "missing_field"; times?: number }
  | { kind: "refusal"; times?: number }
  | { kind: "empty_reply"; times?: number }
  | { kind: "no_structured_output" }
  | { kind: "no_json_mode" }
  | {
    kind: "rate_limit_above";
    requestsPerSecond: number;
    retryAfterSeconds?: number;
    headers?: boolean;
  }
  | { kind: "reply"; content: string; refusal?: string; times?: number }
  | { kind: "echo_error"; status: number; message: string; times?: number };

/**
 * One request as the server saw it, for logging (never carries the API key).
 *
 * @example
 * ```ts
 * import { type RequestEvent, startScriptedServer } from "./scripted_server.ts";
 * import assert from "node:assert/strict";
 *
 * const seen: RequestEvent[] = [];
 * await using server = startScriptedServer({ onRequest: (event) => seen.push(event) });
 * await (await fetch(`${server.baseURL}/models`)).body?.cancel();
 * assert.equal(seen[0]?.status, 200);
 * ```
 */
export interface RequestEvent {
  /** The HTTP method. */
  method: string;
  /** The path, e.g. `/v1/chat/completions`. */
  path: string;
  /** The status sent, or 0 when the connection was dropped. */
  status: number;
  /** The task of a judge prompt. */
  task?: string;
  /** The fault that decided the answer. */
  fault?: Fault["kind"];
  /** Time to answer, in milliseconds. */
  ms: number;
}

/**
 * Options of {@linkcode startScriptedServer}.
 *
 * @example
 * ```ts
 * import { type ScriptedServerOptions, startScriptedServer } from "./scripted_server.ts";
 *
 * const options: ScriptedServerOptions = { seed: 7, model: "scripted", apiKey: "sk-test" };
 * await using _server = startScriptedServer(options);
 * ```
 */
export interface ScriptedServerOptions {
  /** Seeds the scores' noise (default 0): the same seed and prompt give the same answer. */
  seed?: number;
  /** Faults, in order (default none). */
  faults?: Fault[];
  /** The model id(s) accepted; others get 404. Any id by default. */
  model?: string | readonly string[];
  /**
   * When set, requests must carry it (`Authorization: Bearer <key>`, or Anthropic's
   * `x-api-key`); others get 401. The key is never echoed in answers.
   */
  apiKey?: string;
  /** The port (default 0: a free one). */
  port?: number;
  /** Called after each request is answered (or dropped). */
  onRequest?: (event: RequestEvent) => void;
  /**
   * Input tokens to report as read from a prompt cache on every request, at most the prompt's
   * (default 0). As the providers report them: OpenAI counts them inside `prompt_tokens`
   * (`prompt_tokens_details.cached_tokens`); Anthropic apart from `input_tokens`
   * (`cache_read_input_tokens`).
   */
  cachedTokens?: number;
}

/**
 * What the server has counted so far.
 *
 * @example
 * ```ts
 * import { type ServerCounts, startScriptedServer } from "./scripted_server.ts";
 * import assert from "node:assert/strict";
 *
 * await using server = startScriptedServer();
 * const counts: ServerCounts = server.counts;
 * assert.equal(counts.requests, 0);
 * ```
 */
export interface ServerCounts {
  /** Every HTTP request received. */
  requests: number;
  /** Requests to `/v1/chat/completions`. */
  chat: number;
  /** Requests to `/v1/messages`. */
  messages: number;
  /** Estimated input tokens of the answered requests (characters / 4, rounded up). */
  inputTokens: number;
  /** Estimated output tokens of the answers. */
  outputTokens: number;
  /** Responses by status code; dropped connections count under 0. */
  byStatus: Record<number, number>;
}

/**
 * A request as it arrived, for assertions about prompts and parameters.
 *
 * @example
 * ```ts
 * import { type RecordedRequest, startScriptedServer } from "./scripted_server.ts";
 * import assert from "node:assert/strict";
 *
 * await using server = startScriptedServer();
 * await (await fetch(`${server.baseURL}/models`)).body?.cancel();
 * const first: RecordedRequest | undefined = server.requests[0];
 * assert.deepEqual(first, { path: "/v1/models", body: null, authorization: null });
 * ```
 */
export interface RecordedRequest {
  /** The path, without the query string. */
  path: string;
  /** The JSON body (the raw text when it is not JSON; null when empty). */
  body: unknown;
  /**
   * The `Authorization` header, or the `x-api-key` header when that is what came, for tests that
   * check a key is sent. Do not print it.
   */
  authorization: string | null;
}

/**
 * A running scripted server. `await using` closes it.
 *
 * @example
 * ```ts
 * import { startScriptedServer } from "./scripted_server.ts";
 * import assert from "node:assert/strict";
 *
 * const server = startScriptedServer();
 * assert.match(server.baseURL, /^http:\/\/127\.0\.0\.1:\d+\/v1$/);
 * server.setFaults([{ kind: "rate_limit", retryAfterSeconds: 1, times: 1 }]);
 * await server.close();
 * ```
 */
export interface ScriptedServer extends AsyncDisposable {
  /** `http://127.0.0.1:PORT/v1`, for OpenAI clients. */
  readonly baseURL: string;
  /** `http://127.0.0.1:PORT`, for the Anthropic SDK (which appends `/v1/messages`). */
  readonly anthropicBaseURL: string;
  /** The port. */
  readonly port: number;
  /** Counters, updated as requests arrive. */
  readonly counts: ServerCounts;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[];
  /**
   * Replaces the faults (and restarts their `times` and rate windows).
   *
   * @throws {RangeError} For an invalid fault parameter.
   */
  setFaults(faults: Fault[]): void;
  /** Closes the server and every connection; resolves when all handlers have finished. */
  close(): Promise<void>;
}

/** A failed request: status and error, in the dialect of the endpoint. */
interface Failure {
  status: number;
  type: string;
  code: string | null;
  message: string;
  headers?: Record<string, string>;
}

type Dialect = "openai" | "anthropic";

const decoder = new TextDecoder();

/**
 * Starts a scripted OpenAI-compatible and Anthropic-compatible server on 127.0.0.1.
 *
 * Endpoints: `POST /v1/chat/completions` (non-streaming; also as an `AzureOpenAI` client sends it,
 * `/openai/deployments/{deployment}/chat/completions`), `POST /v1/messages`, `GET /v1/models`.
 * A judge prompt (system prompt starting `PrecepTron judge · task: <key> · prompt <version>`) is
 * answered with `{score, justification}` (and `best_rank` on the Bond tasks): the score is the
 * share of the reference's key words found in the response, plus noise seeded by `seed` and the
 * response, placed on the task's scale. `response_format` `json_schema` and `json_object` get
 * exactly the JSON; without one the JSON comes inside a sentence, so that extraction is
 * exercised. A system prompt containing "PrecepTron router" gets `{"tasks": [...]}`; anything
 * else gets a short deterministic text (a differential, or next tests).
 *
 * @param options Seed, faults, accepted models, required API key, port.
 * @returns The running server; close it (or `await using` it) when done.
 * @throws {RangeError} For an invalid fault parameter.
 *
 * @example Grade a Bond prompt with plain fetch
 * ```ts
 * import { startScriptedServer } from "./scripted_server.ts";
 * import { getTask } from "../tasks/tasks.ts";
 * import { scoreProblem } from "../tasks/scale.ts";
 * import assert from "node:assert/strict";
 *
 * await using server = startScriptedServer({ seed: 1 });
 * const bond = getTask("cpc_bond");
 * const inputs = { response: "1. Sarcoidosis\n2. Lymphoma", final_diagnosis: "Sarcoidosis" };
 * const { system, user } = bond.prompt(inputs);
 * const response = await fetch(`${server.baseURL}/chat/completions`, {
 *   method: "POST",
 *   headers: { "content-type": "application/json" },
 *   body: JSON.stringify({
 *     model: "scripted",
 *     messages: [{ role: "system", content: system }, { role: "user", content: user }],
 *     response_format: { type: "json_schema", json_schema: { name: "grade", schema: bond.outputSchema } },
 *   }),
 * });
 * const completion = await response.json();
 * const grade = JSON.parse(completion.choices[0].message.content);
 * assert.equal(scoreProblem(grade.score, bond.scale(inputs)), undefined);
 * assert.equal(server.counts.chat, 1);
 * ```
 */
export function startScriptedServer(options: ScriptedServerOptions = {}): ScriptedServer {
  const script = new Script(options);
  const http = serveHttp1(
    { hostname: "127.0.0.1", port: options.port ?? 0 },
    (request, signal) => script.handle(request, signal),
  );
  const close = () => http.close();
  return {
    baseURL: `http://127.0.0.1:${http.port}/v1`,
    anthropicBaseURL: `http://127.0.0.1:${http.port}`,
    port: http.port,
    counts: script.counts,
    requests: script.requests,
    setFaults(faults: Fault[]) {
      script.schedule = new FaultSchedule(faults);
      // Idle keep-alive connections would hide the next drop (see Script.handle()).
      if (script.schedule.dropPending()) http.closeIdleConnections();
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}

/** One request being answered, and what its log event and answer headers collect on the way. */
interface Call {
  request: HttpRequest;
  signal: AbortSignal;
  event: Omit<RequestEvent, "status" | "ms">;
  /** Rate-limit headers for whatever the answer is (a `rate_limit_above` fault's `headers`). */
  rateHeaders: Record<string, string>;
}

/** The server's side of each request: counting, recording, routing, faults, scripted replies. */
class Script {
  readonly counts: ServerCounts = {
    requests: 0,
    chat: 0,
    messages: 0,
    inputTokens: 0,
    outputTokens: 0,
    byStatus: {},
  };
  readonly requests: RecordedRequest[] = [];
  schedule: FaultSchedule;
  readonly #options: ScriptedServerOptions;
  readonly #models: string[] | undefined;
  #answered = 0;

  constructor(options: ScriptedServerOptions) {
    this.#options = options;
    this.schedule = new FaultSchedule(options.faults ?? []);
    this.#models = options.model === undefined
      ? undefined
      : typeof options.model === "string"
      ? [options.model]
      : [...options.model];
  }

  /** Answers one request, recording it, counting its status and reporting it to `onRequest`. */
  async handle(request: HttpRequest, signal: AbortSignal): Promise<HttpResponse | typeof DROP> {
    const started = performance.now();
    this.counts.requests++;
    const body = readBody(request.body);
    this.requests.push({
      path: request.path,
      body,
      authorization: request.headers.get("authorization") ?? request.headers.get("x-api-key"),
    });
    const call: Call = {
      request,
      signal,
      event: { method: request.method, path: request.path },
      rateHeaders: {},
    };
    const response = await this.#answer(call, body);
    if (response !== DROP) response.headers = { ...response.headers, ...call.rateHeaders };
    // Deno's fetch silently resends a request once when a reused keep-alive connection closes
    // without an answer, so a drop on such a connection never reaches the client. While a drop
    // is to come, every connection is closed after its answer so that drops land on new ones.
    if (response !== DROP && this.schedule.dropPending()) response.close = true;
    const status = response === DROP ? 0 : response.status;
    this.counts.byStatus[status] = (this.counts.byStatus[status] ?? 0) + 1;
    this.#options.onRequest?.({ ...call.event, status, ms: performance.now() - started });
    return response;
  }

  /** Routing, the API key and the request's own checks, then {@linkcode Script.#complete}. */
  async #answer(call: Call, body: unknown): Promise<HttpResponse | typeof DROP> {
    const { request } = call;
    // Clients configured with or without the /v1 suffix both work, and an AzureOpenAI client's
    // deployment path (`/openai/deployments/{deployment}/chat/completions`) is a chat route.
    const route = request.path.replace(/^(\/v1)+(?=\/)/, "")
      .replace(/^\/openai\/deployments\/[^/]+(?=\/chat\/completions$)/, "");
    const dialect: Dialect = route === "/messages" ? "anthropic" : "openai";
    const misrouted = routeFailure(request, route);
    if (misrouted) return failure(dialect, misrouted);
    if (route === "/chat/completions") this.counts.chat++;
    if (route === "/messages") this.counts.messages++;
    const apiKey = this.#options.apiKey;
    if (apiKey !== undefined && !hasKey(request.headers, apiKey)) {
      return failure(dialect, {
        status: 401,
        type: dialect === "openai" ? "invalid_request_error" : "authentication_error",
        code: "invalid_api_key",
        message: "Incorrect API key provided.",
      });
    }
    const models = this.#models;
    if (route === "/models") return ok(modelList(models));

    const latency = this.schedule.latencyMs();
    const parsed = route === "/chat/completions" ? readChat(body) : readMessages(body);
    const unserved = "status" in parsed || (models !== undefined && !models.includes(parsed.model));
    if (unserved && latency > 0) await sleep(latency, call.signal);
    if ("status" in parsed) return failure(dialect, parsed);
    if (models && !models.includes(parsed.model)) {
      return failure(dialect, {
        status: 404,
        type: "invalid_request_error",
        code: "model_not_found",
        message: `The model \`${parsed.model}\` does not exist. This server serves: ` +
          `${models.join(", ")}.`,
      });
    }
    return await this.#complete(call, dialect, parsed, latency);
  }

  /** A valid chat or messages request: the faults decide, else the scripted answer goes. */
  async #complete(
    call: Call,
    dialect: Dialect,
    parsed: ParsedRequest,
    latency: number,
  ): Promise<HttpResponse | typeof DROP> {
    const { event, request } = call;
    const prompt = readPrompt(parsed.system, parsed.user);
    if (prompt.kind === "judge") event.task = prompt.task.key;

    const outcome = this.schedule.decide(parsed.format, performance.now(), call.rateHeaders);
    // Decided on arrival: a 429 goes at once, as providers send it; the rest after the latency.
    const limited = outcome.kind === "error" && outcome.status === 429;
    if (!limited && latency > 0) await sleep(latency, call.signal);
    if (outcome.kind === "drop") {
      event.fault = "drop_connection";
      return DROP;
    }
    if (outcome.kind === "error") {
      event.fault = outcome.fault;
      const message = withCredentials(outcome.message, request.headers);
      return failure(dialect, { ...outcome, message });
    }
    if (outcome.kind === "verbatim") {
      event.fault = "reply";
      const fill = (text: string) => withCredentials(text, request.headers);
      const refusal = outcome.refusal === undefined ? undefined : fill(outcome.refusal);
      return ok(
        verbatimReply(dialect, ++this.#answered, parsed.model, fill(outcome.content), refusal),
      );
    }
    let fault: ContentFault | undefined;
    if (outcome.kind === "content") {
      fault = outcome.fault;
      event.fault = fault;
    }
    const structured = parsed.format !== "none" || !!parsed.tool;
    const answer = scriptedAnswer(prompt, this.#options.seed ?? 0, fault, structured);
    return ok(this.#reply(dialect, parsed, answer, fault));
  }

  /** The body of a scripted answer, in the endpoint's dialect, counting its tokens. */
  #reply(
    dialect: Dialect,
    parsed: ParsedRequest,
    answer: Answer,
    fault: ContentFault | undefined,
  ): Record<string, unknown> {
    const n = ++this.#answered;
    const inputTokens = tokens(parsed.promptChars);
    const cached = Math.min(this.#options.cachedTokens ?? 0, inputTokens);
    this.counts.inputTokens += inputTokens;
    if (dialect === "openai") {
      const content = renderText(answer, parsed.format);
      this.counts.outputTokens += tokens(content.length);
      return chatCompletion(n, parsed.model, content, fault, inputTokens, cached);
    }
    const message = anthropicMessage(n, parsed, answer, fault, inputTokens, cached);
    this.counts.outputTokens += message.usage.output_tokens;
    return message;
  }
}

/** A request body as JSON, or its text when it is not JSON, or null when empty. */
function readBody(bytes: Uint8Array): unknown {
  const text = decoder.decode(bytes);
  if (text === "") return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A 404 for a path the server does not serve, or a 405 for the wrong method. */
function routeFailure(request: HttpRequest, route: string): Failure | undefined {
  const endpoint = ENDPOINTS[route];
  if (!endpoint) {
    return {
      status: 404,
      type: "invalid_request_error",
      code: "unknown_url",
      message: `Unknown request URL: ${request.method} ${request.path}.`,
    };
  }
  if (request.method === endpoint) return undefined;
  return {
    status: 405,
    type: "invalid_request_error",
    code: "method_not_allowed",
    message: `Use ${endpoint} for ${request.path}.`,
  };
}

/** The method each route answers. */
const ENDPOINTS: Record<string, string | undefined> = {
  "/chat/completions": "POST",
  "/messages": "POST",
  "/models": "GET",
};

/** What the server needs from a chat or messages request. */
interface ParsedRequest {
  model: string;
  system: string;
  user: string;
  promptChars: number;
  format: RequestedFormat;
  /** The tool the Anthropic request forces, if any. */
  tool?: string;
}

function readChat(body: unknown): ParsedRequest | Failure {
  if (!isRecord(body)) return invalid("The request body must be a JSON object.");
  if (typeof body.model !== "string") return invalid("you must provide a model parameter");
  if (!Array.isArray(body.messages) || body.messages.length === 0) {
    return invalid("'messages' must be a non-empty array.");
  }
  if (body.stream === true) {
    return invalid(
      "The scripted server does not stream: send stream: false (or leave it out).",
      "stream_unsupported",
    );
  }
  const messages = body.messages.filter(isRecord);
  const system = messages
    .filter((m) => m.role === "system" || m.role === "developer")
    .map((m) => textOf(m.content))
    .join("\n\n");
  const user = messages.findLast((m) => m.role === "user");
  const format = isRecord(body.response_format) ? body.response_format.type : undefined;
  return {
    model: body.model,
    system,
    user: user ? textOf(user.content) : "",
    promptChars: messages.reduce((sum, m) => sum + textOf(m.content).length, 0),
    format: format === "json_schema" || format === "json_object" ? format : "none",
  };
}

function readMessages(body: unknown): ParsedRequest | Failure {
  if (!isRecord(body)) return invalid("The request body must be a JSON object.");
  if (typeof body.model !== "string") return invalid("model: Field required");
  if (typeof body.max_tokens !== "number") return invalid("max_tokens: Field required");
  if (!Array.isArray(body.messages) || body.messages.length === 0) {
    return invalid("messages: at least one message is required");
  }
  if (body.stream === true) {
    return invalid("The scripted server does not stream: send stream: false (or leave it out).");
  }
  const messages = body.messages.filter(isRecord);
  const system = textOf(body.system);
  const user = messages.findLast((m) => m.role === "user");
  const outputFormat = isRecord(body.output_config) && isRecord(body.output_config.format)
    ? body.output_config.format.type
    : undefined;
  const tools = Array.isArray(body.tools) ? body.tools.filter(isRecord) : [];
  const choice = isRecord(body.tool_choice) ? body.tool_choice : undefined;
  let tool: string | undefined;
  if (choice?.type === "tool" && typeof choice.name === "string") tool = choice.name;
  else if (choice?.type === "any" && tools.length === 1 && typeof tools[0]!.name === "string") {
    tool = tools[0]!.name;
  }
  if (tool !== undefined && !tools.some((t) => t.name === tool)) {
    return invalid(`tool_choice names a tool that is not in tools: ${tool}`);
  }
  const parsed: ParsedRequest = {
    model: body.model,
    system,
    user: user ? textOf(user.content) : "",
    promptChars: system.length + messages.reduce((sum, m) => sum + textOf(m.content).length, 0),
    format: outputFormat === "json_schema" ? "json_schema" : "none",
  };
  if (tool !== undefined) parsed.tool = tool;
  return parsed;
}

function invalid(message: string, code: string | null = null): Failure {
  return { status: 400, type: "invalid_request_error", code, message };
}

/** The text of a message's content: a string, or the text parts of a list of blocks. */
function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((part) => isRecord(part) && typeof part.text === "string" ? part.text : "")
    .filter((text) => text !== "")
    .join("\n");
}

/** A chat answer's content: JSON as it is in a JSON mode, else inside a sentence. */
function renderText(answer: Answer, format: RequestedFormat): string {
  if (answer.kind === "text") return answer.text;
  const json = JSON.stringify(answer.value);
  return format === "none" ? `${answer.lead}${json}` : json;
}

function chatCompletion(
  n: number,
  model: string,
  content: string,
  fault: ContentFault | undefined,
  promptTokens: number,
  cachedTokens = 0,
): Record<string, unknown> {
  const completionTokens = tokens(content.length);
  return {
    id: `chatcmpl-scripted-${n}`,
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{
      index: 0,
      message: {
        role: "assistant",
        content,
        // OpenAI reports structured-output refusals here too; the text stays in content so that
        // judges reading only content see it.
        refusal: fault === "refusal" ? content : null,
        annotations: [],
      },
      logprobs: null,
      finish_reason: "stop",
    }],
    usage: {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
      prompt_tokens_details: { cached_tokens: cachedTokens },
      completion_tokens_details: { reasoning_tokens: 0 },
    },
    service_tier: "default",
    system_fingerprint: "fp_scripted",
  };
}

function anthropicMessage(
  n: number,
  request: ParsedRequest,
  answer: Answer,
  fault: ContentFault | undefined,
  inputTokens: number,
  cachedTokens = 0,
): { usage: Record<string, unknown> & { output_tokens: number } } & Record<string, unknown> {
  let content: Record<string, unknown>[];
  let stopReason = "end_turn";
  let outputChars: number;
  if (answer.kind === "json" && request.tool !== undefined) {
    // A forced tool: the JSON object is the tool call's input.
    content = [{
      type: "tool_use",
      id: `toolu_scripted_${n}`,
      name: request.tool,
      input: answer.value,
      caller: { type: "direct" },
    }];
    stopReason = "tool_use";
    outputChars = JSON.stringify(answer.value).length;
  } else {
    const text = renderText(answer, request.format);
    // Anthropic sends no text block at all for an empty reply.
    content = text === "" ? [] : [{ type: "text", text, citations: null }];
    if (fault === "refusal") stopReason = "refusal";
    outputChars = text.length;
  }
  const outputTokens = tokens(outputChars);
  return {
    id: `msg_scripted_${n}`,
    type: "message",
    role: "assistant",
    model: request.model,
    content,
    stop_reason: stopReason,
    stop_sequence: null,
    stop_details: null,
    container: null,
    usage: {
      input_tokens: inputTokens - cachedTokens,
      output_tokens: outputTokens,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: cachedTokens,
      service_tier: "standard",
    },
  };
}

/** One list that both SDKs can read: OpenAI's `object`/`owned_by`, Anthropic's paging fields. */
function modelList(models: readonly string[] | undefined): Record<string, unknown> {
  const ids = models ?? ["scripted"];
  return {
    object: "list",
    data: ids.map((id) => ({
      id,
      object: "model",
      type: "model",
      created: 0,
      created_at: "1970-01-01T00:00:00Z",
      owned_by: "preceptron-scripted",
      display_name: `Scripted judge (${id})`,
    })),
    has_more: false,
    first_id: ids[0] ?? null,
    last_id: ids.at(-1) ?? null,
  };
}

function ok(value: Record<string, unknown>): HttpResponse {
  return {
    status: 200,
    headers: { "content-type": "application/json", "x-request-id": crypto.randomUUID() },
    body: JSON.stringify(value),
  };
}

/** An error in the endpoint's own shape: OpenAI's `{error: {message, type, code}}` or Anthropic's. */
function failure(dialect: Dialect, error: Failure): HttpResponse {
  const headers = { "content-type": "application/json", ...error.headers };
  if (dialect === "openai") {
    return {
      status: error.status,
      headers,
      body: JSON.stringify({
        error: { message: error.message, type: error.type, param: null, code: error.code },
      }),
    };
  }
  const type = error.status === 401
    ? "authentication_error"
    : error.status === 404
    ? "not_found_error"
    : error.status === 429
    ? "rate_limit_error"
    : error.status >= 500
    ? "api_error"
    : "invalid_request_error";
  return {
    status: error.status,
    headers,
    body: JSON.stringify({
      type: "error",
      error: { type, message: error.message },
      request_id: null,
    }),
  };
}

/** A scripted text with `{{authorization}}` and `{{key}}` filled in from the request's headers. */
function withCredentials(text: string, headers: Headers): string {
  const authorization = headers.get("authorization") ?? headers.get("x-api-key") ?? "";
  const key = authorization.replace(/^Bearer\s+/i, "");
  return text.replaceAll("{{authorization}}", authorization).replaceAll("{{key}}", key);
}

/** A 200 answer with exactly this content (the `reply` fault), in the endpoint's shape. */
function verbatimReply(
  dialect: Dialect,
  n: number,
  model: string,
  content: string,
  refusal: string | undefined,
): Record<string, unknown> {
  const out = tokens(content.length);
  if (dialect === "openai") {
    const completion = chatCompletion(n, model, content, undefined, 0);
    const choice = (completion.choices as Record<string, Record<string, unknown>>[])[0]!;
    choice.message!.refusal = refusal ?? null;
    return completion;
  }
  const text = refusal === undefined
    ? content
    : `${content}${content === "" ? "" : "\n"}${refusal}`;
  return {
    id: `msg_scripted_${n}`,
    type: "message",
    role: "assistant",
    model,
    content: text === "" ? [] : [{ type: "text", text, citations: null }],
    stop_reason: refusal === undefined ? "end_turn" : "refusal",
    stop_sequence: null,
    usage: { input_tokens: 0, output_tokens: out },
  };
}

function hasKey(headers: Headers, key: string): boolean {
  return headers.get("authorization") === `Bearer ${key}` || headers.get("x-api-key") === key;
}

/** Tokens estimated as characters / 4, rounded up (about right for English). */
function tokens(chars: number): number {
  return Math.ceil(chars / 4);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
