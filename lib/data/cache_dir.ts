/**
 * Where downloaded datasets are cached, and the small file-system helpers the downloaders share.
 *
 * @module
 */

import { createHash } from "node:crypto";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";

/**
 * The folder where remote datasets are cached.
 *
 * The first of these that is set wins:
 * 1. `$PRECEPTRON_CACHE` (made absolute against the working directory);
 * 2. `$XDG_CACHE_HOME/preceptron` — only when `XDG_CACHE_HOME` is absolute, because the XDG Base
 *    Directory spec says a relative value is invalid and must be ignored;
 * 3. `~/.cache/preceptron` (home from `$HOME`, else `%USERPROFILE%`, else the OS).
 *
 * Empty variables count as unset. Without permission to read the environment the variables are
 * treated as unset rather than failing, so a sandboxed notebook still gets a cache.
 *
 * @returns An absolute folder path. It is not created here; the downloaders create it on first use.
 * @throws {Error} Never in practice: only if neither the environment nor the home folder is known.
 *
 * @example Pick the cache folder
 * ```ts
 * import { cacheDir } from "./cache_dir.ts";
 * import assert from "node:assert/strict";
 *
 * assert.ok(cacheDir().length > 0);
 * ```
 */
export function cacheDir(): string {
  const explicit = _readEnv("PRECEPTRON_CACHE");
  if (explicit) return resolve(explicit);
  const xdg = _readEnv("XDG_CACHE_HOME");
  if (xdg && isAbsolute(xdg)) return join(xdg, "preceptron");
  // HOME first: node:os homedir() needs --allow-sys, an odd permission to ask of a notebook.
  const home = _readEnv("HOME") ?? _readEnv("USERPROFILE") ?? homedir();
  return join(home, ".cache", "preceptron");
}

/**
 * Read an environment variable, treating "empty" and "not permitted to read" as unset.
 *
 * @internal
 */
export function _readEnv(name: string): string | undefined {
  try {
    const value = Deno.env.get(name);
    return value === undefined || value === "" ? undefined : value;
  } catch {
    // NotCapable when --allow-env does not cover this name: behave as if it were unset.
    return undefined;
  }
}

/**
 * Join `parts` under `root`, refusing any result that escapes `root`. Paths in a hub listing come
 * from a server, so `../` in one must not let it write outside the cache.
 *
 * @internal
 */
export function _safeJoin(root: string, ...parts: string[]): string {
  const full = resolve(root, ...parts);
  const rel = relative(resolve(root), full);
  if (rel === "" || rel.startsWith("..") || isAbsolute(rel) || rel.split(sep).includes("..")) {
    throw new Error(`refusing to use path outside the cache folder: ${parts.join("/")}`);
  }
  return full;
}

/** What {@linkcode _hashFile} learns about a file. @internal */
export interface _FileDigest {
  /** Size in bytes. */
  size: number;
  /** Lowercase hex sha256 of the content (what LFS calls the file's `oid`). */
  sha256: string;
  /** Git blob id: sha1 over `"blob " + size + "\0"` then the content (a hub listing's `oid`). */
  gitBlobSha1: string;
}

/**
 * Hash a file in one streaming pass, so large parquet shards are never held in memory. Both digests
 * come from the same read: sha256 checks LFS files and URL sidecars, the git blob sha1 checks small
 * hub files that are not in LFS. Returns `undefined` when the file does not exist.
 *
 * @internal
 */
export async function _hashFile(path: string): Promise<_FileDigest | undefined> {
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path, { read: true });
  } catch (error) {
    if (_isNotFound(error)) return undefined;
    throw error;
  }
  let size: number;
  try {
    size = (await file.stat()).size;
  } catch (error) {
    file.close();
    throw error;
  }
  const sha256 = createHash("sha256");
  const sha1 = createHash("sha1").update(`blob ${size}\0`);
  let read = 0;
  // `readable` closes the file when the stream ends or fails.
  for await (const bytes of file.readable) {
    sha256.update(bytes);
    sha1.update(bytes);
    read += bytes.byteLength;
  }
  // A file that changed size while being read simply fails its caller's size check.
  return { size: read, sha256: sha256.digest("hex"), gitBlobSha1: sha1.digest("hex") };
}

/**
 * Write a small text file atomically: a temporary file in the same folder, then a rename, so a
 * reader never sees half a manifest.
 *
 * @internal
 */
export async function _writeTextAtomic(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = _tempPathFor(path);
  try {
    await writeFile(temp, text);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/**
 * A unique temporary name next to `path`. It starts with a dot and ends in `.part` so it can never
 * be mistaken for a finished data file.
 *
 * @internal
 */
export function _tempPathFor(path: string): string {
  const base = path.slice(dirname(path).length + 1);
  return join(dirname(path), `.${base}.${crypto.randomUUID()}.part`);
}

/** Whether an error is "file not found" (node:fs or Deno flavour). @internal */
export function _isNotFound(error: unknown): boolean {
  return error instanceof Deno.errors.NotFound ||
    (typeof error === "object" && error !== null && "code" in error && error.code === "ENOENT");
}
