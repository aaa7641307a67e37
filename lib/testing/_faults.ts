/**
 * The fault schedule of the scripted server: which fault, if any, a request meets.
 *
 * @module
 */

import type { Fault } from "./scripted_server.ts";

/** The structured-output mode a request asked for. */
export type RequestedFormat = "json_schema" | "json_object" | "none";

/** A fault that spoils the content of an otherwise well-formed 200 answer. */
export type ContentFault =
  | "non_json"
  | "out_of_range"
  | "missing_field"
  | "refusal"
  | "empty_reply";

/** What a request meets. */
export type FaultOutcome =
  | {
    kind: "error";
    /** The fault that produced it. */
    fault: Fault["kind"];
    status: number;
    /** OpenAI-style error type and code; the Anthropic endpoint maps the type. */
    type: string;
    code: string | null;
    message: string;
    headers: Record<string, string>;
  }
  | { kind: "drop" }
  | { kind: "content"; fault: ContentFault }
  /** A 200 with exactly this content and refusal (`{{authorization}}`/`{{key}}` still to fill). */
  | { kind: "verbatim"; content: string; refusal?: string }
  | { kind: "none" };

interface Slot {
  fault: Fault;
  /** Requests still to meet it; `Infinity` for "all". */
  remaining: number;
  /** Arrival times (ms) of the requests let through, for `rate_limit_above`. */
  window: number[];
}

/**
 * Faults in the order given. For each request the schedule goes through them in order and the
 * first one that applies decides the answer; a fault with `times` is used up after that many
 * requests. `latency` never decides: it delays every answer. The capability faults
 * (`no_structured_output`, `no_json_mode`) apply only to requests asking for the format they
 * reject, and `rate_limit_above` only when its window is full; neither is used up.
 */
export class FaultSchedule {
  #slots: Slot[];

  /**
   * @param faults The faults, in order.
   * @throws {RangeError} For a negative or fractional `times`, or another invalid parameter.
   */
  constructor(faults: readonly Fault[]) {
    this.#slots = faults.map((fault) => {
      validate(fault);
      const times = "times" in fault ? fault.times : undefined;
      return { fault, remaining: times ?? Infinity, window: [] };
    });
  }

  /** The total delay, in milliseconds, that `latency` faults add to each answer. */
  latencyMs(): number {
    let ms = 0;
    for (const { fault } of this.#slots) if (fault.kind === "latency") ms += fault.ms;
    return ms;
  }

  /** Whether a `drop_connection` fault is still to come. */
  dropPending(): boolean {
    return this.#slots.some(({ fault, remaining }) =>
      fault.kind === "drop_connection" && remaining > 0
    );
  }

  /**
   * Decides what one request meets, using up a counted fault when it applies.
   *
   * @param format The structured-output mode the request asked for.
   * @param now The arrival time in milliseconds (`performance.now()`).
   * @param headers Filled with the rate-limit headers to send with whatever the answer is, for
   *   a `rate_limit_above` fault with `headers`.
   */
  decide(
    format: RequestedFormat,
    now: number,
    headers: Record<string, string> = {},
  ): FaultOutcome {
    for (const slot of this.#slots) {
      const { fault } = slot;
      switch (fault.kind) {
        case "latency":
          continue;
        case "no_structured_output":
        case "no_json_mode": {
          const rejected = format === "json_schema" ||
            (fault.kind === "no_json_mode" && format === "json_object");
          if (!rejected) continue;
          return {
            kind: "error",
            fault: fault.kind,
            status: 400,
            type: "invalid_request_error",
            code: "unsupported_response_format",
            message: `This server does not support response_format type "${format}".`,
            headers: {},
          };
        }
        case "rate_limit_above": {
          const outcome = admitOrLimit(slot, fault, now, headers);
          if (outcome === undefined) continue;
          return outcome;
        }
        default: {
          if (slot.remaining <= 0) continue;
          slot.remaining--;
          return outcome(fault);
        }
      }
    }
    return { kind: "none" };
  }
}

/**
 * One request against a `rate_limit_above` window: let through (`undefined`, and counted) while
 * fewer than `requestsPerSecond` went through in the last second, else a 429 (not counted).
 * With `headers`, `headers` gets OpenAI's `x-ratelimit-{limit,remaining,reset}-requests`: the
 * limit, what is left of it after this request, and the time the used part takes to refill at
 * the limit's rate (what a token bucket of the same limit reports, and how OpenAI's reset
 * reads: `(limit − remaining) / reset` is the limit's rate).
 */
function admitOrLimit(
  slot: Slot,
  fault: Extract<Fault, { kind: "rate_limit_above" }>,
  now: number,
  headers: Record<string, string>,
): FaultOutcome | undefined {
  slot.window = slot.window.filter((t) => now - t < 1000);
  const limit = fault.requestsPerSecond;
  const admitted = slot.window.length < limit;
  if (admitted) slot.window.push(now);
  if (fault.headers) {
    const used = slot.window.length;
    Object.assign(headers, {
      "x-ratelimit-limit-requests": String(limit),
      "x-ratelimit-remaining-requests": String(limit - used),
      "x-ratelimit-reset-requests": goDuration(used * 1000 / limit),
    });
  }
  if (admitted) return undefined;
  // Tell the client exactly when a slot frees up, unless a fixed wait was scripted.
  const waitMs = fault.retryAfterSeconds !== undefined
    ? fault.retryAfterSeconds * 1000
    : Math.max(1, Math.ceil(1000 - (now - slot.window[0]!)));
  const limited = rateLimited(fault.kind, waitMs, `more than ${limit} per second`);
  if (limited.kind === "error") Object.assign(limited.headers, headers);
  return limited;
}

/** Milliseconds as Go writes a duration, as OpenAI's reset headers do: `20ms`, `1s`, `1.5s`. */
function goDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)}ms` : `${+(ms / 1000).toFixed(3)}s`;
}

function outcome(fault: Fault): FaultOutcome {
  switch (fault.kind) {
    case "rate_limit":
      return rateLimited(fault.kind, fault.retryAfterSeconds * 1000, "scripted rate limit");
    case "server_error": {
      const status = fault.status ?? 500;
      return {
        kind: "error",
        fault: fault.kind,
        status,
        type: "server_error",
        code: null,
        message: status === 500
          ? "The server had an error while processing your request (scripted)."
          : `The upstream service is unavailable (scripted ${status}).`,
        headers: {},
      };
    }
    case "drop_connection":
      return { kind: "drop" };
    case "reply":
      return {
        kind: "verbatim",
        content: fault.content,
        ...(fault.refusal === undefined ? {} : { refusal: fault.refusal }),
      };
    case "echo_error":
      return {
        kind: "error",
        fault: fault.kind,
        status: fault.status,
        type: fault.status === 401 ? "invalid_request_error" : "api_error",
        code: fault.status === 401 ? "invalid_api_key" : null,
        message: fault.message,
        headers: {},
      };
    case "non_json":
    case "out_of_range":
    case "missing_field":
    case "refusal":
    case "empty_reply":
      return { kind: "content", fault: fault.kind };
    default:
      return { kind: "none" };
  }
}

function rateLimited(fault: Fault["kind"], waitMs: number, why: string): FaultOutcome {
  return {
    kind: "error",
    fault,
    status: 429,
    type: "rate_limit_error",
    code: "rate_limit_exceeded",
    message: `Rate limit reached (${why}). Please try again in ${waitMs / 1000}s.`,
    // Retry-After is whole seconds by RFC 9110; retry-after-ms carries the exact wait, and both
    // SDKs prefer it.
    headers: {
      "retry-after": String(Math.ceil(waitMs / 1000)),
      "retry-after-ms": String(Math.round(waitMs)),
    },
  };
}

function validate(fault: Fault): void {
  const bad = (what: string) => {
    throw new RangeError(`invalid ${fault.kind} fault: ${what}`);
  };
  if ("times" in fault && fault.times !== undefined) {
    if (!Number.isInteger(fault.times) || fault.times < 0) bad("times must be an integer ≥ 0");
  }
  switch (fault.kind) {
    case "latency":
      if (!(fault.ms >= 0)) bad("ms must be ≥ 0");
      break;
    case "rate_limit":
      if (!(fault.retryAfterSeconds >= 0)) bad("retryAfterSeconds must be ≥ 0");
      break;
    case "server_error":
      if (fault.status !== undefined && !(fault.status >= 500 && fault.status <= 599)) {
        bad("status must be a 5xx code");
      }
      break;
    case "echo_error":
      if (!Number.isInteger(fault.status) || fault.status < 400 || fault.status > 599) {
        bad("status must be a 4xx or 5xx code");
      }
      break;
    case "rate_limit_above":
      if (!Number.isInteger(fault.requestsPerSecond) || fault.requestsPerSecond < 1) {
        bad("requestsPerSecond must be an integer ≥ 1");
      }
      if (fault.retryAfterSeconds !== undefined && !(fault.retryAfterSeconds >= 0)) {
        bad("retryAfterSeconds must be ≥ 0");
      }
      break;
  }
}
