/**
 * Token usage as a server reports it is checked before it counts: negative, fractional,
 * non-numeric or absurd numbers would let a run overspend its budget (or stop it), so they are
 * replaced by an estimate, and the record says so.
 *
 * @module
 */

import type { Usage } from "../judge/judgement.ts";

/** More tokens than any one request can use today (context windows are a few million). */
export const _MAX_REQUEST_TOKENS = 10_000_000;

function validCount(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= 0 &&
    value <= _MAX_REQUEST_TOKENS;
}

/**
 * Tokens in a text, roughly: a token is about four characters of English.
 *
 * @param chars The text's length in characters.
 * @returns The estimate.
 */
export function _estimateTokens(chars: number): number {
  return Math.ceil(chars / 4);
}

/**
 * The usage to count for a judgement or generation: the reported one when it holds whole
 * numbers from 0 to `_MAX_REQUEST_TOKENS`, else an estimate from the prompt and reply lengths.
 *
 * @param reported What the server reported (after the judge read it), if anything.
 * @param lengths The prompt's and the reply's length in characters, for an estimate (asked for
 *   only when one is needed).
 * @returns The usage to record and count, and what was wrong with the reported one (if it was).
 */
export function _checkedUsage(
  reported: Usage | undefined,
  lengths: () => { prompt: number; reply: number },
): { usage: Usage | undefined; invalid?: string } {
  if (reported === undefined) return { usage: undefined };
  const { input_tokens, output_tokens, cached_input_tokens } = reported as unknown as Record<
    string,
    unknown
  >;
  if (validCount(input_tokens) && validCount(output_tokens)) {
    if (cached_input_tokens === undefined || validCount(cached_input_tokens)) {
      return { usage: reported };
    }
    const { cached_input_tokens: _, ...rest } = reported;
    return { usage: rest, invalid: `cached_input_tokens ${String(cached_input_tokens)}` };
  }
  const { prompt, reply } = lengths();
  const bad = [["input_tokens", input_tokens], ["output_tokens", output_tokens]]
    .filter(([, value]) => !validCount(value))
    .map(([name, value]) => `${name} ${String(value)}`).join(", ");
  return {
    usage: {
      input_tokens: validCount(input_tokens) ? input_tokens : _estimateTokens(prompt),
      output_tokens: validCount(output_tokens) ? output_tokens : _estimateTokens(reply),
    },
    invalid: bad,
  };
}

/** A usage check that tells, once per model, when it replaced what a server reported. */
export type _UsageCheck = (
  name: string,
  reported: Usage | undefined,
  lengths: () => { prompt: number; reply: number },
) => { usage: Usage | undefined; estimated: boolean };

/**
 * The usage check a run applies to every reply before it is recorded and counted: invalid
 * usage becomes an estimate (`_checkedUsage`), and the first time a model's server reports
 * such usage the run says so in the log.
 *
 * @param role What the models are, for the message: `"judge"` or `"candidate"`.
 * @param log Where the message goes.
 * @returns The check: the usage to record and count, and whether it is an estimate.
 */
export function _usageCheck(role: "judge" | "candidate", log: (line: string) => void): _UsageCheck {
  const warned = new Set<string>();
  return (name, reported, lengths) => {
    const checked = _checkedUsage(reported, lengths);
    if (checked.invalid === undefined) return { usage: checked.usage, estimated: false };
    if (!warned.has(name)) {
      warned.add(name);
      log(
        `${role} "${name}": the server reported token usage that cannot be right ` +
          `(${checked.invalid}); counting an estimate (characters / 4) instead, marked ` +
          "usage_estimated in the ledger",
      );
    }
    return { usage: checked.usage, estimated: true };
  };
}
