/**
 * Helpers shared by the dataset layer's tests: a scratch folder and a scoped environment.
 *
 * @module
 */

import { rm } from "node:fs/promises";

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
