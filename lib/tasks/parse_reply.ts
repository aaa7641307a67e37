/**
 * Reading a judge's reply as a score: strictly, so that a reply that is not a valid score is a
 * failure with a reason, never a number.
 *
 * @module
 */

import { scoreProblem, type ScoreScale } from "./scale.ts";
import type { ParsedReply } from "./task.ts";

/** Phrases that mark a refusal when a reply holds no JSON. */
const REFUSAL =
  /\b(I can(?:no|')t|I am unable|I'm unable|I won't|I will not|cannot assist|can't help|not able to (?:help|assist|provide))\b/i;

/**
 * Reads a judge's reply: one JSON object with a numeric `score` on the task's scale and a
 * string `justification`.
 *
 * The whole reply must be that object (a surrounding code fence is tolerated). When it is not,
 * a reply holding exactly one JSON object is accepted (`allowExtraction`, for servers without
 * a JSON mode); several objects, or none, fail — so JSON quoted from the graded response inside
 * a free-text reply is never mistaken for the judge's score. A numeric string score ("4") is
 * not accepted: the judge did not give a number.
 *
 * @param reply The reply text.
 * @param scale The task's scale.
 * @param options `allowExtraction`: accept one JSON object embedded in text (default false).
 * @returns The score and justification, or the failure reason and details.
 *
 * @example
 * ```ts
 * import { parseReply } from "./parse_reply.ts";
 * import { bondScale } from "./scale.ts";
 * import assert from "node:assert/strict";
 *
 * const ok = parseReply('{"score": 4.5, "justification": "Close."}', bondScale());
 * assert.deepEqual(ok, { ok: true, score: 4.5, justification: "Close.", fields: {} });
 * const one = parseReply('{"score": 1, "justification": "x"}', bondScale());
 * assert.equal(one.ok ? "scored" : one.reason, "score_not_allowed");
 * ```
 */
export function parseReply(
  reply: string | null | undefined,
  scale: ScoreScale,
  options: { allowExtraction?: boolean } = {},
): ParsedReply {
  const text = (reply ?? "").trim();
  if (text === "") {
    return { ok: false, reason: "empty_reply", detail: "the judge's reply is empty" };
  }
  let value: unknown;
  const unfenced = text.replace(/^```(?:json)?\s*\n([\s\S]*?)\n```$/i, "$1").trim();
  try {
    value = JSON.parse(unfenced);
  } catch {
    const objects = options.allowExtraction ? jsonObjects(text) : [];
    if (objects.length === 1) value = objects[0];
    else if (objects.length > 1) {
      return {
        ok: false,
        reason: "invalid_json",
        detail:
          `the reply holds ${objects.length} JSON objects, so which is the score is ambiguous`,
      };
    } else if (REFUSAL.test(text)) {
      return { ok: false, reason: "refusal", detail: `the judge declined: ${clip(text)}` };
    } else {
      return { ok: false, reason: "invalid_json", detail: `the reply is not JSON: ${clip(text)}` };
    }
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return {
      ok: false,
      reason: "invalid_json",
      detail: `expected a JSON object, got ${clip(unfenced)}`,
    };
  }
  const { score, justification, ...fields } = value as Record<string, unknown>;
  if (score === undefined || score === null) {
    return { ok: false, reason: "missing_score", detail: 'the reply has no "score"' };
  }
  if (typeof score !== "number") {
    return {
      ok: false,
      reason: "missing_score",
      detail: `"score" is ${JSON.stringify(score)}, not a number`,
    };
  }
  const problem = scoreProblem(score, scale);
  if (problem) return { ok: false, reason: "score_not_allowed", detail: problem };
  return {
    ok: true,
    score,
    justification: typeof justification === "string" ? justification : "",
    fields,
  };
}

/** Every top-level JSON object in a text, found by balanced braces outside strings. */
function jsonObjects(text: string): unknown[] {
  const found: unknown[] = [];
  for (let start = text.indexOf("{"); start !== -1; start = text.indexOf("{", start + 1)) {
    let depth = 0;
    let inString = false;
    for (let i = start; i < text.length; i++) {
      const ch = text[i];
      if (inString) {
        if (ch === "\\") i++;
        else if (ch === '"') inString = false;
      } else if (ch === '"') inString = true;
      else if (ch === "{") depth++;
      else if (ch === "}" && --depth === 0) {
        try {
          found.push(JSON.parse(text.slice(start, i + 1)));
          start = i; // continue after this object: nested ones are part of it
        } catch {
          // not JSON: keep looking from the next brace
        }
        break;
      }
    }
  }
  return found;
}

function clip(text: string): string {
  const one = text.replace(/\s+/g, " ");
  return JSON.stringify(one.length > 160 ? one.slice(0, 160) + "…" : one);
}
