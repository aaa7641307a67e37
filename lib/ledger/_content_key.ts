/**
 * Content addresses: a ledger key is the SHA-256 of a canonical JSON text of exactly what
 * decides the result (`judgementKey`, and a generation's key).
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
  const ancestors = new Set<object>();
  const write = (value: unknown, path: string): string | undefined => {
    if (value === undefined || typeof value === "function" || typeof value === "symbol") {
      return undefined;
    }
    if (typeof value === "bigint" || (typeof value === "number" && !Number.isFinite(value))) {
      const what = typeof value === "bigint" ? "a bigint" : String(value);
      throw new TypeError(`${who}: ${path} is ${what}, which JSON cannot hold`);
    }
    if (value === null || typeof value !== "object") return JSON.stringify(value);
    if (ancestors.has(value)) throw new TypeError(`${who}: ${path} refers to itself`);
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === "function") return write(toJSON.call(value), path);
    ancestors.add(value);
    try {
      if (Array.isArray(value)) {
        return `[${value.map((v, i) => write(v, `${path}[${i}]`) ?? "null").join(",")}]`;
      }
      const members = Object.keys(value).sort().map((key) => {
        const text = write((value as Record<string, unknown>)[key], `${path}.${key}`);
        return text === undefined ? undefined : `${JSON.stringify(key)}:${text}`;
      });
      return `{${members.filter((m) => m !== undefined).join(",")}}`;
    } finally {
      ancestors.delete(value);
    }
  };
  return write(value, "$") ?? "null";
}
