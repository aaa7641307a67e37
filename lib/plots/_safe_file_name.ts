/**
 * File names for figures named after judges.
 *
 * @module
 */

/**
 * A judge or task name as a file-name part: letters, digits, `.`, `_` and `-` kept, anything
 * else (spaces, slashes, colons, brackets) one `-`, trimmed; `"unnamed"` if nothing is left.
 */
export function _safeFileName(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^[-.]+|-+$/g, "");
  return safe === "" ? "unnamed" : safe;
}
