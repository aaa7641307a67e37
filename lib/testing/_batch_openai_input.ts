/**
 * Reading an OpenAI batch input file: JSON Lines of `{custom_id, method: "POST", url, body}`,
 * checked as the Batch API checks them while a batch is `validating`. Problems become the
 * batch's `errors.data` (with the documented codes `empty_file`, `too_many_tasks`,
 * `invalid_json_line`, `duplicate_custom_id`, `url_mismatch`, `model_mismatch`), and the batch
 * then fails.
 *
 * @module
 */

import { isRecord } from "./_batch_http.ts";
import type { InputError } from "./_batch_store.ts";

/** One request line. */
export interface InputRequest {
  customId: string;
  body: Record<string, unknown>;
}

/** What an input file holds. */
export interface ParsedInput {
  requests: InputRequest[];
  errors: InputError[];
  /** The model every request names (null when none does). */
  model: string | null;
}

/** At most this many errors are reported, as the API reports a sample, not every line. */
const MAX_ERRORS = 100;

/**
 * Reads and checks a batch input file.
 *
 * @param text The file's text.
 * @param endpoint The batch's endpoint, which every line's `url` must match.
 * @param limit The most requests a file may hold.
 * @returns The requests, and the errors that make the batch fail (empty when it is valid).
 */
export function parseInputFile(
  text: string,
  endpoint: string,
  limit: { requests: number },
): ParsedInput {
  const lines = text.split("\n").map((line, i) => ({ line: i + 1, text: line.trim() }))
    .filter(({ text }) => text !== "");
  const result: ParsedInput = { requests: [], errors: [], model: null };
  if (lines.length === 0) {
    result.errors.push(error("empty_file", "The batch input file is empty.", null));
    return result;
  }
  if (lines.length > limit.requests) {
    result.errors.push(error(
      "too_many_tasks",
      `The batch input file holds ${lines.length} requests; a batch can hold at most ` +
        `${limit.requests}.`,
      null,
    ));
    return result;
  }
  const seen = new Set<string>();
  for (const { line, text } of lines) {
    const problem = checkLine(line, text, endpoint, seen, result);
    if (problem) result.errors.push(problem);
    if (result.errors.length >= MAX_ERRORS) break;
  }
  if (result.errors.length > 0) result.requests = [];
  return result;
}

/** Checks one line, adding its request to `into` when it is good. */
function checkLine(
  line: number,
  text: string,
  endpoint: string,
  seen: Set<string>,
  into: ParsedInput,
): InputError | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return error("invalid_json_line", "This line is not parseable as valid JSON.", line);
  }
  if (!isRecord(value)) {
    return error("invalid_json_line", "This line is not a JSON object.", line);
  }
  for (const field of ["custom_id", "method", "url", "body"]) {
    if (value[field] === undefined) {
      return error("missing_required_parameter", `Missing required parameter: '${field}'.`, line, {
        param: field,
      });
    }
  }
  const { custom_id: customId, method, url, body } = value;
  if (typeof customId !== "string") {
    return error("invalid_custom_id", "custom_id must be a string.", line, { param: "custom_id" });
  }
  if (method !== "POST") {
    return error("invalid_method", "Only the POST method is supported.", line, { param: "method" });
  }
  if (url !== endpoint) {
    return error(
      "url_mismatch",
      `The URL provided for this request does not match the batch endpoint (${endpoint}).`,
      line,
      { param: "url" },
    );
  }
  if (!isRecord(body)) return error("invalid_body", "body must be a JSON object.", line);
  if (seen.has(customId)) {
    return error(
      "duplicate_custom_id",
      "The custom_id for this request is a duplicate of another request. The custom_id " +
        "parameter must be unique for each request in a batch.",
      line,
      { param: "custom_id" },
    );
  }
  seen.add(customId);
  const model = typeof body.model === "string" ? body.model : null;
  if (into.requests.length > 0 && model !== into.model) {
    return error(
      "model_mismatch",
      "The model provided for this request does not match the model of the other requests in " +
        "the batch: a batch holds requests to one model.",
      line,
      { param: "body.model" },
    );
  }
  into.model = model;
  into.requests.push({ customId, body });
  return undefined;
}

function error(
  code: string,
  message: string,
  line: number | null,
  options: { param?: string } = {},
): InputError {
  return { code, message, line, param: options.param ?? null };
}
