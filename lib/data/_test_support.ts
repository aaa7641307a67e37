/**
 * Helpers shared by the dataset layer's tests: a well-formed entry, a CSV with a stray quote, a
 * scratch folder, a scoped environment, and the error of a promise that must reject.
 *
 * @module
 */

import assert from "node:assert/strict";
import { rm } from "node:fs/promises";
import type { Entry } from "./entry.ts";

/** A well-formed `cpc_bond` entry, for tests to vary one field at a time. */
export const BOND_ENTRY: Entry = {
  id: "e1",
  case_id: "c1",
  benchmark: "cpc_bond",
  study: "kanjee2023",
  model: "gpt-4",
  grade: 5,
  max_score: 5,
  response: "1. Pheochromocytoma\n2. Thyroid storm",
  final_diagnosis: "Pheochromocytoma",
};

/**
 * A CSV whose stray quote on line 2 runs on to the closing quote on line 4: read naively, it
 * would swallow rows `b` and `c`.
 */
export const STRAY_QUOTE_CSV: string = [
  "id,grade,response",
  'a,4,"Pheo',
  "b,3,fine",
  'c,2,"quoted" answer',
  "d,5,last",
].join("\n") + "\n";

/**
 * Runs `fn` with a fresh temporary folder, removed afterwards.
 *
 * @param prefix The folder name's prefix.
 * @param fn The test body.
 */
export async function withTempDir(
  prefix: string,
  fn: (dir: string) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix });
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Runs `fn` with environment variables set (or removed, for `undefined`), restoring them after.
 *
 * @param vars The variables to set or remove.
 * @param fn The test body.
 */
export async function withEnv(
  vars: Record<string, string | undefined>,
  fn: () => void | Promise<void>,
): Promise<void> {
  const saved = Object.fromEntries(Object.keys(vars).map((name) => [name, Deno.env.get(name)]));
  const apply = (values: Record<string, string | undefined>) => {
    for (const [name, value] of Object.entries(values)) {
      if (value === undefined) Deno.env.delete(name);
      else Deno.env.set(name, value);
    }
  };
  apply(vars);
  try {
    await fn();
  } finally {
    apply(saved);
  }
}

/**
 * The error a promise rejects with; fails the test when it resolves.
 *
 * @param promise The promise expected to reject.
 * @returns The error, for assertions on its type and message.
 */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof Error);
    return error;
  }
  assert.fail("expected a rejection");
}
