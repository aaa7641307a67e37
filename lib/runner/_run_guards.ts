/**
 * Guards that judging and generating runs share: the cap on a run's size, the credentials
 * registered for redaction, and errors redacted before they leave the run.
 *
 * @module
 */

import { redact, registerSecret } from "../judge/redact.ts";

/** The most (model × item × repeat) slots one run plans: more is refused before allocating. */
export const MAX_WORK_ITEMS = 10_000_000;

/** A run's size, in the words its refusal uses. */
export interface _RunSize {
  /** What one slot makes: `"judgements"` or `"generations"`. */
  makes: string;
  /** The models and what one is (`"judge"`, `"candidate"`). */
  models: number;
  modelWord: string;
  /** The items each model answers and what they are (`"entries"`, `"cases"`). */
  items: number;
  itemWord: string;
  repeats: number;
}

/**
 * Refuses a run that would plan more than `MAX_WORK_ITEMS` slots, before anything is allocated
 * or written.
 *
 * @param size The run's models, items and repeats.
 * @throws {RangeError} Naming the product and what to lower.
 */
export function _refuseOversizedRun(size: _RunSize): void {
  const slots = size.models * size.items * size.repeats;
  if (slots <= MAX_WORK_ITEMS) return;
  const n = (value: number) => value.toLocaleString("en-US");
  throw new RangeError(
    `this run would plan ${n(slots)} ${size.makes} (${size.models} ${size.modelWord}(s) × ` +
      `${n(size.items)} ${size.itemWord} × ${size.repeats} repeat(s)), more than the ` +
      `${n(MAX_WORK_ITEMS)} one run takes: lower repeats, choose fewer studies, or split the ` +
      `${size.modelWord}s over several runs`,
  );
}

/** Environment variables that hold credentials, by name. */
const SECRET_VARIABLE = /(KEY|TOKEN|SECRET|PASSWORD)$/;

/**
 * Registers the credentials among a run's keys with `registerSecret`, so that every later
 * `redact()` removes them (keys from a `--keys` file are not in the environment).
 *
 * @param keys Credentials by environment-variable name.
 */
export function _registerKeys(keys: Readonly<Record<string, string | undefined>>): void {
  for (const [name, value] of Object.entries(keys)) {
    if (SECRET_VARIABLE.test(name)) registerSecret(value);
  }
}

/**
 * Redacts an error's message and stack in place, for rethrowing.
 *
 * @param error What a run threw.
 * @returns The same error.
 */
export function _redactError(error: unknown): unknown {
  if (error instanceof Error) {
    error.message = redact(error.message);
    if (error.stack !== undefined) error.stack = redact(error.stack);
  }
  return error;
}
