/**
 * `trialsDir()`: where a notebook keeps its run's ledgers, wherever Jupyter was started.
 *
 * @module
 */

import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The project's root: this file is `lib/runner/trials_dir.ts`. */
const ROOT_URL = new URL("../../", import.meta.url);

/**
 * The folder `out/trials/<name>` in the project — the same folder whether a notebook runs from
 * `vignettes/`, `notebooks/` or the project root, so a vignette run again (or resumed after an
 * interruption) finds the judgements it already paid for. `out/` is not committed.
 *
 * @param name The run's name, e.g. the vignette's: letters, digits, `.`, `_` and `-`.
 * @returns The folder's absolute path (not created: the runner creates it).
 * @throws {RangeError} When `name` is empty or has other characters (a path separator, say).
 *
 * @example
 * ```ts
 * import { trialsDir } from "./trials_dir.ts";
 * import assert from "node:assert/strict";
 *
 * assert.match(trialsDir("validate-judge"), /[\\/]out[\\/]trials[\\/]validate-judge$/);
 * assert.throws(() => trialsDir("../elsewhere"), RangeError);
 * ```
 */
export function trialsDir(name: string): string {
  if (!/^[A-Za-z0-9._-]+$/.test(name) || /^\.+$/.test(name)) {
    throw new RangeError(
      `trialsDir(): a run name is letters, digits, ".", "_" and "-", got ${JSON.stringify(name)}`,
    );
  }
  const root = ROOT_URL.protocol === "file:" ? fileURLToPath(ROOT_URL) : Deno.cwd();
  return join(root, "out", "trials", name);
}
