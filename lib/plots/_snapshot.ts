/**
 * SVG snapshot testing: a figure is compared with a committed rendering.
 *
 * @module
 */

import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";

const folder = fileURLToPath(new URL("./__snapshots__/", import.meta.url));

/**
 * Compares `svg` with `__snapshots__/<name>.svg`. On a difference it writes
 * `<name>-changed.svg` beside it to look at, and fails. Run with `UPDATE_SNAPSHOTS=1` to
 * (re)write the committed file after checking the change is wanted.
 */
export async function assertSnapshot(name: string, svg: string): Promise<void> {
  const path = `${folder}${name}.svg`;
  const changed = `${folder}${name}-changed.svg`;
  if (Deno.env.get("UPDATE_SNAPSHOTS") === "1") {
    await Deno.writeTextFile(path, svg);
    await Deno.remove(changed).catch(() => {});
    return;
  }
  let expected: string;
  try {
    expected = await Deno.readTextFile(path);
  } catch {
    await Deno.writeTextFile(changed, svg);
    assert.fail(`no snapshot ${path}; look at ${changed} and rerun with UPDATE_SNAPSHOTS=1`);
  }
  if (expected !== svg) {
    await Deno.writeTextFile(changed, svg);
    assert.fail(`${name} differs from its snapshot; look at ${changed}`);
  }
  await Deno.remove(changed).catch(() => {});
}
