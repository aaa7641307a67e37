/**
 * Whether a response was written by physicians rather than by an AI model.
 *
 * @module
 */

/**
 * Whether a respondent (the dataset's `model` column) is a physician group rather than an AI
 * model. The dataset names physician groups in words — "attending physician", "resident
 * physician", "physician (conventional resources)", "physician + gpt-4" — so the rule is a
 * match on those words. A physician who wrote with an AI assistant at hand ("physician +
 * gpt-4") counts as a physician: a physician wrote the response.
 *
 * @param model The respondent's name.
 * @returns `true` for a physician group.
 *
 * @example
 * ```ts
 * import { isPhysicianRespondent } from "./is_physician_respondent.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(isPhysicianRespondent("attending physician"), true);
 * assert.equal(isPhysicianRespondent("physician + gpt-4"), true);
 * assert.equal(isPhysicianRespondent("gpt-4o"), false);
 * ```
 */
export function isPhysicianRespondent(model: string): boolean {
  return /physician|attending|resident|clinician|doctor|intern|fellow|\bmd\b/i.test(model);
}
