/**
 * Small fixtures for the runner's tests: a temporary folder that cleans up after itself, the
 * error a config file is refused with, and a signal that comes while a request is in flight.
 *
 * @module
 */

import assert from "node:assert/strict";
import { ConfigError } from "./config.ts";

/** A temporary folder that `await using` removes, with all it holds. */
export async function tempDir(): Promise<{ path: string } & AsyncDisposable> {
  const path = await Deno.makeTempDir();
  return { path, [Symbol.asyncDispose]: () => Deno.remove(path, { recursive: true }) };
}

/** The `ConfigError` that `parse` throws; a failed assertion if it throws none or another. */
export function configError(parse: () => unknown): ConfigError {
  try {
    parse();
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${error}`);
    return error;
  }
  assert.fail("expected a ConfigError");
}

/**
 * An `onRequest` for the scripted server that aborts a controller when the `n`th request
 * arrives: a signal that comes while that request is in flight.
 */
export function abortAtRequest(controller: AbortController, n: number): () => void {
  let seen = 0;
  return () => {
    if (++seen === n) controller.abort();
  };
}
