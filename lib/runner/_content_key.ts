/**
 * Content addresses: the ledger key of a work item is the SHA-256 of a canonical JSON text of
 * exactly what decides its result (`judgementKey`, and a generation's key).
 *
 * @module
 */

import { createHash } from "node:crypto";

/**
 * The SHA-256 (hex) of a value's canonical JSON text (`_canonicalJson`).
 *
 * @param value What decides the result.
 * @param who Who asks, to start error messages.
 * @returns 64 hex characters.
 * @throws {TypeError} As `_canonicalJson`.
 */
export function _contentKey(value: unknown, who: string): string {
  return createHash("sha256").update(_canonicalJson(value, who), "utf8").digest("hex");
}

/**
 * JSON text with object keys sorted at every depth and `undefined` members dropped (in arrays,
 * `undefined` becomes `null`, as in `JSON.stringify`). Throws rather than let two different
 * values share a text: non-finite numbers, bigints and cycles are errors.
 *
 * @param value The value.
 * @param who Who asks, to start error messages (default `"judgementKey()"`).
 * @returns The canonical text.
 * @throws {TypeError} For a value JSON cannot hold faithfully, naming where it is.
 */
export function _canonicalJson(value: unknown, who = "judgementKey()"): string {
  return write(value, "$", new Set(), who) ?? "null";
}

function write(
  value: unknown,
  path: string,
  ancestors: Set<object>,
  who: string,
): string | undefined {
  if (value === undefined || typeof value === "function" || typeof value === "symbol") {
    return undefined;
  }
  if (value === null || typeof value === "boolean" || typeof value === "string") {
    return JSON.stringify(value);
  }
  if (typeof value === "number") {
    if (!Number.isFinite(value)) {
      throw new TypeError(`${who}: ${path} is ${value}, which JSON cannot hold`);
    }
    return JSON.stringify(value);
  }
  if (typeof value === "bigint") {
    throw new TypeError(`${who}: ${path} is a bigint, which JSON cannot hold`);
  }
  const object = value as object;
  if (ancestors.has(object)) throw new TypeError(`${who}: ${path} refers to itself`);
  const toJSON = (object as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === "function") return write(toJSON.call(object), path, ancestors, who);
  ancestors.add(object);
  try {
    if (Array.isArray(object)) {
      return `[${
        object.map((v, i) => write(v, `${path}[${i}]`, ancestors, who) ?? "null").join(",")
      }]`;
    }
    const members: string[] = [];
    for (const key of Object.keys(object).sort()) {
      const text = write(
        (object as Record<string, unknown>)[key],
        `${path}.${key}`,
        ancestors,
        who,
      );
      if (text !== undefined) members.push(`${JSON.stringify(key)}:${text}`);
    }
    return `{${members.join(",")}}`;
  } finally {
    ancestors.delete(object);
  }
}
