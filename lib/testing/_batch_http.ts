/**
 * Responses of the batch imitation: JSON and JSONL bodies, each provider's error shape, and
 * responses cut mid-body.
 *
 * @module
 */

import { _cutResponse } from "./_cut_response.ts";

const encoder = new TextEncoder();

/** The request-id header each provider sends. */
const REQUEST_ID_HEADER = { openai: "x-request-id", anthropic: "request-id" } as const;

/** Which provider's dialect a response speaks. */
export type Dialect = keyof typeof REQUEST_ID_HEADER;

let requestCounter = 0;

/** A fresh request id. */
export function requestId(): string {
  return `req_scripted_${++requestCounter}`;
}

/** A response with these bytes; `cut` advertises them all but closes after half. */
export function bytesResponse(
  dialect: Dialect,
  bytes: Uint8Array<ArrayBuffer>,
  contentType: string,
  options: { status?: number; cut?: boolean } = {},
): Response {
  const headers = new Headers({
    "content-type": contentType,
    "content-length": String(bytes.byteLength),
    [REQUEST_ID_HEADER[dialect]]: requestId(),
  });
  const status = options.status ?? 200;
  if (!options.cut) return new Response(bytes, { status, headers });
  return _cutResponse(bytes, { status, headers });
}

/** A JSON response (cut mid-body when `cut`). */
export function jsonResponse(
  dialect: Dialect,
  value: unknown,
  options: { status?: number; cut?: boolean } = {},
): Response {
  return bytesResponse(dialect, encoder.encode(JSON.stringify(value)), "application/json", options);
}

/** JSON Lines text from values, one a line, ending with a newline. */
export function jsonl(values: readonly unknown[]): string {
  return values.map((value) => JSON.stringify(value) + "\n").join("");
}

/** OpenAI's error `type` for a status. */
export function openaiErrorType(status: number): string {
  if (status === 429) return "rate_limit_error";
  return status >= 500 ? "server_error" : "invalid_request_error";
}

/** Anthropic's error `type` for a status. */
export function anthropicErrorType(status: number): string {
  const types: Record<number, string> = {
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    413: "request_too_large",
    429: "rate_limit_error",
    529: "overloaded_error",
  };
  return types[status] ?? (status >= 500 ? "api_error" : "invalid_request_error");
}

/** OpenAI's error body: `{error: {message, type, param, code}}`. */
export function openaiErrorBody(
  status: number,
  message: string,
  details: { type?: string; param?: string | null; code?: string | null } = {},
): Record<string, unknown> {
  return {
    error: {
      message,
      type: details.type ?? openaiErrorType(status),
      param: details.param ?? null,
      code: details.code ?? null,
    },
  };
}

/** Anthropic's error body: `{type: "error", error: {type, message}, request_id}`. */
export function anthropicErrorBody(
  status: number,
  message: string,
  id: string | null = null,
): Record<string, unknown> {
  return { type: "error", error: { type: anthropicErrorType(status), message }, request_id: id };
}

/** An error response in the dialect's shape. */
export function errorResponse(
  dialect: Dialect,
  status: number,
  message: string,
  details: { type?: string; param?: string | null; code?: string | null } = {},
): Response {
  const body = dialect === "openai"
    ? openaiErrorBody(status, message, details)
    : anthropicErrorBody(status, message, requestId());
  return jsonResponse(dialect, body, { status });
}

/** Seconds since the epoch, as OpenAI dates things. */
export function unixSeconds(ms: number | undefined): number | null {
  return ms === undefined ? null : Math.floor(ms / 1000);
}

/** An RFC 3339 time, as Anthropic dates things. */
export function rfc3339(ms: number | undefined): string | null {
  return ms === undefined ? null : new Date(ms).toISOString();
}

/** Whether a value is a plain JSON object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** One day in milliseconds: both providers' completion window. */
export const DAY_MS = 24 * 60 * 60 * 1000;
