/**
 * Agreement statistics as pure functions on arrays, and per-task summaries as frames.
 *
 * @module
 */

export * from "./pearson.ts";
export * from "./physician_agreement.ts";
