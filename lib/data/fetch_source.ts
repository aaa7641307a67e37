/**
 * Download a dataset from an `http(s)` URL once into the local cache, with a checksum.
 *
 * This file also holds the transfer machinery that the Hugging Face downloader (`hub.ts`) shares:
 * redirects followed by hand (so credentials never cross to another host), streaming to a temporary
 * file with hashing, verification, and an atomic rename into place.
 *
 * @module
 */

import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { displayUrl, redact } from "../judge/redact.ts";
import { _hashFile, _readEnv, _tempPathFor, _writeTextAtomic, cacheDir } from "./cache_dir.ts";

/** Options shared by {@linkcode fetchUrlToCache} and `fetchHubDataset`. */
export interface FetchOptions {
  /** Cache folder; default {@linkcode cacheDir}(). */
  cacheDir?: string;
  /** The `fetch` to use (tests inject one); default `globalThis.fetch`. */
  fetch?: typeof fetch;
  /**
   * A bearer token. It is sent only to the origin it is meant for (the URL's own origin, or the hub
   * endpoint), never along a redirect to another host, and never written to messages or file names.
   */
  token?: string;
  /** Called with short human-readable progress messages; default: silent. */
  onProgress?: (message: string) => void;
  /** Ignore any cached copy and download again. */
  refresh?: boolean;
}

/** The data formats the loader can parse, by file extension. */
const DATA_EXTENSIONS: readonly string[] = [
  ".json",
  ".jsonl",
  ".ndjson",
  ".csv",
  ".parquet",
];

/** Media types used to name a download whose URL has no data extension (`/export?id=7`). */
const EXTENSION_BY_MEDIA_TYPE: Readonly<Record<string, string>> = {
  "application/json": ".json",
  "text/json": ".json",
  "application/jsonl": ".jsonl",
  "application/x-jsonlines": ".jsonl",
  "application/jsonlines": ".jsonl",
  "application/x-ndjson": ".ndjson",
  "application/ndjson": ".ndjson",
  "text/csv": ".csv",
  "application/csv": ".csv",
  "application/vnd.apache.parquet": ".parquet",
  "application/x-parquet": ".parquet",
  "application/parquet": ".parquet",
};

/**
 * Download an `http:` or `https:` URL once into the cache and return the local path.
 *
 * The file is stored as `{cacheDir}/url/{sha256(url)}/{basename}`, keeping the URL's file name and
 * thus its extension (`.json`, `.jsonl`, `.ndjson`, `.csv`, `.parquet`) so the loader can pick a
 * parser; a URL without such an extension is named from the response's `Content-Type` instead.
 * At download time a `{file}.sha256` sidecar (in `sha256sum` format) is written next to it; every
 * later call re-hashes the cached file against that sidecar and downloads again, with a message,
 * when they differ. A verified cached copy is used without contacting the server at all: URL
 * content is assumed not to change (pass `refresh: true` to fetch it again).
 *
 * The transfer goes to a temporary file in the same folder and is renamed into place only after
 * its length (against `Content-Length`, when the body is not compressed) has been checked, so a
 * broken transfer leaves nothing behind. Query strings are left out of messages, because they often
 * carry signatures or keys.
 *
 * Credentials: `options.token` is sent as `Authorization: Bearer …` to the URL's own origin only.
 * Without it, `HF_TOKEN` (or `HUGGING_FACE_HUB_TOKEN`) is sent, but only when the URL is on the
 * Hugging Face endpoint (`HF_ENDPOINT`, default `https://huggingface.co`). Redirects to any other
 * origin are followed without the header.
 *
 * @param url An absolute `http:` or `https:` URL.
 * @param options Cache folder, `fetch`, token, progress callback and `refresh`.
 * @returns The absolute path of the verified local copy.
 * @throws {Error} When the URL is not http(s), the server cannot be reached, answers with an error
 *   status, the transfer breaks off before `Content-Length` bytes, or there are too many redirects.
 *
 * @example Fetch a CSV once (needs network)
 * ```ts ignore
 * import { fetchUrlToCache } from "./fetch_source.ts";
 *
 * const path = await fetchUrlToCache("https://example.org/scores.csv", {
 *   onProgress: console.log,
 * });
 * // path ends in "/url/<sha256 of the URL>/scores.csv"; a second call downloads nothing.
 * ```
 */
export async function fetchUrlToCache(url: string, options: FetchOptions = {}): Promise<string> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`not a valid URL: ${JSON.stringify(_scrubUrls(url))}`);
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
    throw new Error(
      `only http: and https: URLs can be fetched, not ${parsed.protocol} (${displayUrl(url)})`,
    );
  }
  // The fragment never reaches the server, so it must not split the cache.
  parsed.hash = "";
  const shown = _displayUrl(parsed);
  const progress = options.onProgress ?? (() => {});
  const folder = join(
    options.cacheDir ?? cacheDir(),
    "url",
    createHash("sha256").update(parsed.href).digest("hex"),
  );

  if (!options.refresh) {
    const hit = await cachedUrlCopy(folder);
    if (hit.kind === "valid") {
      progress(`cached ${shown}`);
      return hit.path;
    }
    if (hit.kind === "corrupt") {
      progress(`cached copy of ${shown} is corrupted (${hit.reason}); downloading it again`);
    }
  }

  const token = options.token?.trim() ||
    (parsed.origin === hubOrigin() ? _envToken() : undefined);
  const result = await _download({
    url: parsed.href,
    label: shown,
    fetch: options.fetch ?? globalThis.fetch,
    auth: token === undefined ? undefined : { origin: parsed.origin, token },
    destination: (response) => join(folder, urlFileName(parsed, response)),
    sidecar: true,
    onProgress: progress,
  });
  await removeOtherCopies(folder, result.path);
  return result.path;
}

/** What the cache folder for one URL holds. */
type CachedCopy =
  | { kind: "valid"; path: string }
  | { kind: "corrupt"; reason: string }
  | { kind: "missing" };

/** Find the data file with a sidecar in a URL's cache folder and check it against the sidecar. */
async function cachedUrlCopy(folder: string): Promise<CachedCopy> {
  let names: string[];
  try {
    names = (await readdir(folder)).sort();
  } catch {
    return { kind: "missing" };
  }
  const data = names.find((name) =>
    !name.startsWith(".") && !name.endsWith(".sha256") && names.includes(`${name}.sha256`)
  );
  if (data === undefined) return { kind: "missing" };
  const path = join(folder, data);
  const recorded = (await readFile(`${path}.sha256`, "utf8")).trim().split(/\s+/)[0] ?? "";
  const digest = await _hashFile(path);
  if (digest === undefined) return { kind: "missing" };
  if (digest.sha256 !== recorded.toLowerCase()) {
    return {
      kind: "corrupt",
      reason: `sha256 ${_short(digest.sha256)} instead of ${_short(recorded)}`,
    };
  }
  return { kind: "valid", path };
}

/** After a fresh download, drop copies stored under another name (e.g. a changed Content-Type). */
async function removeOtherCopies(folder: string, keep: string): Promise<void> {
  const name = basename(keep);
  for (const entry of await readdir(folder)) {
    // Dot files are temporaries of a concurrent download: leave them to it.
    if (entry.startsWith(".") || entry === name || entry === `${name}.sha256`) continue;
    await rm(join(folder, entry), { force: true, recursive: true });
  }
}

/** The local file name for a URL: its last path segment, made safe, with a data extension. */
function urlFileName(url: URL, response: Response): string {
  let last = url.pathname.split("/").pop() ?? "";
  try {
    last = decodeURIComponent(last);
  } catch {
    // Keep the raw segment when it is not valid percent-encoding.
  }
  let name = last.replace(/[^A-Za-z0-9._-]/g, "_").replace(/^\.+/, "");
  if (name === "") name = "download";
  if (!DATA_EXTENSIONS.some((ext) => name.toLowerCase().endsWith(ext))) {
    const mediaType = (response.headers.get("content-type") ?? "").split(";")[0]?.trim()
      .toLowerCase() ?? "";
    const ext = EXTENSION_BY_MEDIA_TYPE[mediaType];
    if (ext !== undefined) name += ext;
  }
  return name;
}

// ---------------------------------------------------------------------------------------------
// Transfer machinery shared with hub.ts. Exported with a leading underscore: not public API.
// ---------------------------------------------------------------------------------------------

/** Redirects followed before giving up (the hub uses one or two). @internal */
export const _MAX_REDIRECTS = 10;

/** A bearer token and the one origin it may be sent to. @internal */
export interface _Auth {
  origin: string;
  token: string;
}

/** What a download must match; every given field is checked. @internal */
export interface _Expected {
  size?: number | undefined;
  sha256?: string | undefined;
  gitBlobSha1?: string | undefined;
}

/** One download into the cache. @internal */
export interface _DownloadRequest {
  /** Where to start; redirects are followed from here. */
  url: string;
  /** How messages name the file (no query string, no token). */
  label: string;
  fetch: typeof fetch;
  auth?: _Auth | undefined;
  /** The final path, or a function choosing it once the response headers are known. */
  destination: string | ((response: Response) => string);
  expected?: _Expected | undefined;
  /** Also write a `{file}.sha256` sidecar (before the data file is renamed into place). */
  sidecar?: boolean;
  onProgress: (message: string) => void;
  /** Build the error for a non-2xx final response; must consume or cancel the body. */
  httpError?: (response: Response, url: URL) => Promise<Error>;
}

/** What a finished download was. @internal */
export interface _DownloadResult {
  path: string;
  size: number;
  sha256: string;
}

/**
 * Fetch `url` following redirects by hand, sending the bearer token only while the request stays on
 * `auth.origin`. The hub answers file requests with 302/307 to a pre-signed CDN URL on another host;
 * the token must not go there (fetch's own redirect handling is not relied on for this).
 *
 * @returns The final non-redirect response and its URL.
 * @internal
 */
export async function _fetchFollowing(
  url: string,
  fetchFn: typeof fetch,
  auth: _Auth | undefined,
  accept?: string,
): Promise<{ response: Response; url: URL }> {
  let current = new URL(url);
  for (let hop = 0;; hop++) {
    const headers = new Headers();
    if (accept !== undefined) headers.set("accept", accept);
    if (auth !== undefined && current.origin === auth.origin) {
      headers.set("authorization", `Bearer ${auth.token}`);
    }
    let response: Response;
    try {
      response = await fetchFn(current.href, { headers, redirect: "manual" });
    } catch (error) {
      throw new _UnreachableError(
        `could not reach ${_displayUrl(current)}: ${_messageOf(error)}`,
        { cause: error },
      );
    }
    if (![301, 302, 303, 307, 308].includes(response.status)) return { response, url: current };
    const location = response.headers.get("location");
    await response.body?.cancel();
    if (location === null) {
      throw new Error(`${_displayUrl(current)} redirected (HTTP ${response.status}) to nowhere`);
    }
    if (hop >= _MAX_REDIRECTS) {
      throw new Error(
        `too many redirects (over ${_MAX_REDIRECTS}) from ${_displayUrl(new URL(url))}`,
      );
    }
    // Location may be relative ("/datasets/…"): resolve it against the URL that sent it.
    const next = new URL(location, current);
    if (next.protocol !== "https:" && next.protocol !== "http:") {
      throw new Error(`${_displayUrl(current)} redirected to a ${next.protocol} URL`);
    }
    current = next;
  }
}

/**
 * Stream one URL into the cache: temp file in the destination folder, hash while writing, check
 * length and checksums, then rename. Any failure removes the temp file, so the cache never holds a
 * partial or unverified file under a real name.
 *
 * @internal
 */
export async function _download(request: _DownloadRequest): Promise<_DownloadResult> {
  const { response, url } = await _fetchFollowing(request.url, request.fetch, request.auth);
  if (!response.ok) {
    throw request.httpError
      ? await request.httpError(response, url)
      : await genericHttpError(response, url, request.label);
  }
  const path = typeof request.destination === "string"
    ? request.destination
    : request.destination(response);
  const expected = request.expected ?? {};
  // With a Content-Encoding, fetch hands over decoded bytes, so the header's length is not theirs.
  const encoding = (response.headers.get("content-encoding") ?? "identity").toLowerCase();
  const lengthHeader = response.headers.get("content-length");
  const advertised = encoding === "identity" && lengthHeader !== null && /^\d+$/.test(lengthHeader)
    ? Number(lengthHeader)
    : undefined;
  const announced = expected.size ?? advertised;
  request.onProgress(
    `downloading ${request.label}${announced === undefined ? "" : ` (${_formatBytes(announced)})`}`,
  );

  await mkdir(dirname(path), { recursive: true });
  const temp = _tempPathFor(path);
  const sidecar = `${path}.sha256`;
  const sidecarTemp = _tempPathFor(sidecar);
  let committed = false;
  try {
    // The blob id's header needs the size up front; a wrong size fails the size check anyway.
    const sha1 = expected.gitBlobSha1 !== undefined && expected.size !== undefined
      ? createHash("sha1").update(`blob ${expected.size}\0`)
      : undefined;
    const sha256 = createHash("sha256");
    const received = await _streamTo(
      response,
      temp,
      [sha256, sha1],
      () => `download of ${request.label} broke off after`,
      advertised ?? expected.size,
    );
    const digest = sha256.digest("hex");
    _verify(request.label, { received, advertised, digest, blob: sha1?.digest("hex") }, expected);
    if (request.sidecar) {
      // Sidecar first: a data file under its real name then always has its checksum beside it.
      await Deno.writeTextFile(sidecarTemp, `${digest}  ${basename(path)}\n`);
      await rename(sidecarTemp, sidecar);
    }
    await rename(temp, path);
    committed = true;
    return { path, size: received, sha256: digest };
  } finally {
    if (!committed) {
      await rm(temp, { force: true });
      await rm(sidecarTemp, { force: true });
    }
  }
}

/** Streams a response's body into a new file, feeding the hashes; returns the bytes written. */
async function _streamTo(
  response: Response,
  temp: string,
  hashes: readonly (ReturnType<typeof createHash> | undefined)[],
  brokeOff: () => string,
  total: number | undefined,
): Promise<number> {
  let received = 0;
  const file = await Deno.open(temp, { write: true, createNew: true });
  try {
    if (response.body === null) return 0;
    const reader = response.body.getReader();
    try {
      for (;;) {
        let chunk: ReadableStreamReadResult<Uint8Array>;
        try {
          chunk = await reader.read();
        } catch (error) {
          throw new Error(
            `${brokeOff()} ${formatCount(received, total)} (${
              _messageOf(error)
            }); nothing was kept in the cache`,
            { cause: error },
          );
        }
        if (chunk.done) break;
        for (const hash of hashes) hash?.update(chunk.value);
        received += chunk.value.byteLength;
        await writeAll(file, chunk.value);
      }
    } finally {
      // Harmless after the end; releases the connection when we stop early.
      await reader.cancel().catch(() => {});
    }
  } finally {
    file.close();
  }
  return received;
}

/** Throws when the bytes received are not the bytes announced or listed. */
function _verify(
  label: string,
  got: {
    received: number;
    advertised: number | undefined;
    digest: string;
    blob?: string | undefined;
  },
  expected: NonNullable<_DownloadRequest["expected"]>,
): void {
  const { received, advertised, digest, blob } = got;
  if (advertised !== undefined && received !== advertised) {
    throw new Error(
      `download of ${label} ended after ${
        formatCount(received, advertised)
      } (connection closed early); nothing was kept in the cache`,
    );
  }
  if (expected.size !== undefined && received !== expected.size) {
    throw new Error(
      `download of ${label} has ${received} bytes, but the listing says ${expected.size}; ` +
        `it was discarded`,
    );
  }
  if (expected.sha256 !== undefined && digest !== expected.sha256.toLowerCase()) {
    throw new Error(
      `checksum mismatch for ${label}: expected sha256 ${expected.sha256}, got ${digest}; ` +
        `the download was discarded`,
    );
  }
  if (blob !== undefined && expected.gitBlobSha1 !== undefined) {
    if (blob !== expected.gitBlobSha1.toLowerCase()) {
      throw new Error(
        `checksum mismatch for ${label}: expected git blob ${expected.gitBlobSha1}, ` +
          `got ${blob}; the download was discarded`,
      );
    }
  }
}

/** Write every byte (a single `write` may write fewer). */
async function writeAll(file: Deno.FsFile, bytes: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < bytes.byteLength) offset += await file.write(bytes.subarray(offset));
}

/** The server could not be reached, or is down (5xx/429): the caller may fall back to a cache. @internal */
export class _UnreachableError extends Error {
  override name = "UnreachableError";
}

/** An error for an unexpected status from a plain URL. @internal */
async function genericHttpError(response: Response, url: URL, label: string): Promise<Error> {
  await response.body?.cancel();
  const status = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""}`;
  if (response.status === 401 || response.status === 403) {
    return new Error(
      `${label}: the server refused access (${status}); if it needs credentials, pass a token`,
    );
  }
  if (response.status === 404) return new Error(`${label}: not found (${status})`);
  const where = _displayUrl(url) === label ? "" : ` (at ${_displayUrl(url)})`;
  return new Error(`${label}: the server answered ${status}${where}`);
}

/**
 * A URL as shown to people: `displayUrl`'s origin and path (no credentials, no query string
 * with its signatures or keys, no fragment), then `?…` when there was a query. @internal
 */
export function _displayUrl(url: URL): string {
  return `${displayUrl(url.href)}${url.search === "" ? "" : "?…"}`;
}

/**
 * A message with every URL in it shown as `_displayUrl` shows it, and secrets redacted: errors
 * of `fetch` quote the URL they were given, query string and credentials included. @internal
 */
export function _scrubUrls(text: string): string {
  return redact(
    text.replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>()]+/gi, (match) => {
      try {
        return _displayUrl(new URL(match));
      } catch {
        // Not a URL after all: at least drop what could be credentials or a query.
        return match.replace(/\/\/[^/@]*@/, "//").replace(/\?.*$/, "?…");
      }
    }),
  );
}

/** The Hugging Face endpoint: `HF_ENDPOINT`, else https://huggingface.co, without a trailing slash. @internal */
export function _hubEndpoint(explicit?: string): string {
  return (explicit ?? _readEnv("HF_ENDPOINT") ?? "https://huggingface.co").replace(/\/+$/, "");
}

/** The hub endpoint's origin, or undefined when it is not a valid URL. */
function hubOrigin(): string | undefined {
  try {
    return new URL(_hubEndpoint()).origin;
  } catch {
    return undefined;
  }
}

/** The Hugging Face token from the environment: `HF_TOKEN`, else `HUGGING_FACE_HUB_TOKEN`. @internal */
export function _envToken(): string | undefined {
  return (_readEnv("HF_TOKEN") ?? _readEnv("HUGGING_FACE_HUB_TOKEN"))?.trim() || undefined;
}

/** A human size: 512 B, 1.2 kB, 3.4 MB. @internal */
export function _formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ["kB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = "B";
  for (const next of units) {
    if (value < 1000) break;
    value /= 1000;
    unit = next;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${unit}`;
}

/** "N of M bytes", or "N bytes" when M is unknown. */
function formatCount(received: number, total: number | undefined): string {
  return total === undefined ? `${received} bytes` : `${received} of ${total} bytes`;
}

/** The first 12 hex digits, enough to tell digests apart in a message. @internal */
export function _short(hex: string): string {
  return hex.length > 12 ? `${hex.slice(0, 12)}…` : hex;
}

/** The message of anything thrown, its URLs shown without credentials or query, secrets redacted. @internal */
export function _messageOf(error: unknown): string {
  return _scrubUrls(error instanceof Error ? error.message : String(error));
}
