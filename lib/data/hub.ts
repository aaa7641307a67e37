/**
 * Fetch a dataset from the Hugging Face Hub (`hf:owner/name`) into the local cache.
 *
 * @module
 */

import { readFile } from "node:fs/promises";
import { z } from "zod";
import { displayUrl, redact } from "../judge/redact.ts";
import {
  type _FileDigest,
  _hashFile,
  _readEnv,
  _safeJoin,
  _writeTextAtomic,
  cacheDir,
} from "./cache_dir.ts";
import {
  type _Auth,
  _displayUrl,
  _download,
  _envToken,
  type _Expected,
  _fetchFollowing,
  _formatBytes,
  _hubEndpoint,
  _messageOf,
  _scrubUrls,
  _short,
  _UnreachableError,
  type FetchOptions,
} from "./fetch_source.ts";

/** Options of {@linkcode fetchHubDataset}: those of every fetch, plus the hub endpoint. */
export type HubFetchOptions = FetchOptions & {
  /** The hub's base URL; default `$HF_ENDPOINT`, else `https://huggingface.co`. */
  endpoint?: string;
};

/** The file PrecepTron publishes; when a repository has it, nothing else is considered. */
export const PRECEPTRON_FILE = "combined_dataset.json";

/** Data formats in order of preference: parquet keeps types and is compact; CSV loses the most. */
const FORMAT_PREFERENCE: readonly (readonly string[])[] = [
  [".parquet"],
  [".jsonl", ".ndjson"],
  [".json"],
  [".csv"],
];

const DATA_EXTENSIONS: readonly string[] = FORMAT_PREFERENCE.flat();

/** Files with a data extension that describe a dataset rather than hold it. */
const METADATA_FILES = new Set([
  "dataset_infos.json",
  "dataset_info.json",
  "dataset_dict.json",
  "state.json",
  "croissant.json",
]);

/**
 * Resolve a Hugging Face dataset id to local copies of its data files, downloading what is missing.
 *
 * **Id syntax** — `hf:owner/name[@revision][/path/in/repo]`:
 * - `hf:owner/name` — the `main` branch; the data files are discovered (below).
 * - `hf:owner/name@v1.0` — a branch, tag or commit sha. A `/` inside a revision is written `%2F`
 *   (`hf:owner/name@refs%2Fpr%2F3`), as Hugging Face's own file-system paths do.
 * - `hf:owner/name/data/test.parquet`, `hf:owner/name@v1.0/data/test.parquet` — exactly that file;
 *   a folder (`hf:owner/name/data`) runs discovery inside it.
 *
 * **Discovery.** The repository is listed through the hub API (`/api/datasets/{id}/revision/{rev}`
 * for the commit, then `/tree/{commit}?recursive=true`, following `Link: rel="next"` pages). Data
 * files end in `.json`, `.jsonl`, `.ndjson`, `.csv` or `.parquet`; metadata such as
 * `dataset_infos.json`, README and hidden files are skipped. If `combined_dataset.json` exists it
 * alone is used; otherwise every file of the most preferred format present (parquet > jsonl/ndjson
 * > json > csv) is returned, sorted by path, so sharded splits come back together.
 *
 * **Cache.** Files are stored as `{cacheDir}/hf/{owner}/{name}/{commit}/{path}` and checked against
 * the listing on every call: the LFS sha256 for LFS files, the size and git blob sha1 otherwise. A
 * warm cache therefore costs one listing (two small API requests) and no data download. Two cases
 * need no request at all: an id pinned to a full commit sha whose files are cached, and a hub that
 * cannot be reached (network error, HTTP 5xx or 429) or `HF_HUB_OFFLINE=1`, where the copy last
 * fetched for that revision is used with a notice through `onProgress`.
 *
 * **Credentials.** `options.token`, else `HF_TOKEN`, else `HUGGING_FACE_HUB_TOKEN`, sent as
 * `Authorization: Bearer …` to the endpoint's origin only — the hub redirects downloads to
 * pre-signed CDN URLs on other hosts, which get no token. The token never appears in messages,
 * errors or file names.
 *
 * @param id `hf:owner/name`, optionally with `@revision` and/or `/path/in/repo`.
 * @param options Cache folder, endpoint, token, `fetch`, progress callback and `refresh` (re-list
 *   and re-download, ignoring the cache).
 * @returns Absolute paths of the verified local files, in repository path order.
 * @throws {Error} For a malformed id; HTTP 401 (dataset gated or private: set `HF_TOKEN` to a token
 *   of an account that accepted the terms on the dataset page); HTTP 403 (the token's account has
 *   not been granted access); HTTP 404 (dataset, revision or file not found — the message says
 *   which); a repository without data files (the message lists its files); a broken transfer or a
 *   checksum mismatch (nothing partial is left in the cache); an unreachable hub with no cached copy.
 *
 * @example Fetch the gated GRAND-ROUNDS dataset (needs network and an accepted-terms token)
 * ```ts ignore
 * import { fetchHubDataset } from "./hub.ts";
 *
 * const paths = await fetchHubDataset("hf:tbuckley/GRAND-ROUNDS", { onProgress: console.log });
 * // e.g. [".../hf/tbuckley/GRAND-ROUNDS/<commit>/combined_dataset.json"]
 * ```
 */
export async function fetchHubDataset(
  id: string,
  options: HubFetchOptions = {},
): Promise<string[]> {
  const ref = _parseHubId(id);
  const endpoint = checkedEndpoint(_hubEndpoint(options.endpoint));
  const token = options.token?.trim() || _envToken();
  const progress = options.onProgress ?? (() => {});
  const root = _safeJoin(options.cacheDir ?? cacheDir(), "hf", ref.owner, ref.name);
  const revision = ref.revision ?? "main";
  const shown = `hf:${ref.owner}/${ref.name}@${revision}`;
  const context: HubContext = {
    ref,
    revision,
    endpoint,
    token,
    fetch: options.fetch ?? globalThis.fetch,
    auth: token === undefined ? undefined : { origin: new URL(endpoint).origin, token },
  };

  if (!options.refresh && COMMIT_SHA.test(revision)) {
    // A commit never changes, so a verified copy of it needs no request at all.
    const cached = await cachedCopy(root, ref, revision);
    if (cached.kind === "ok") {
      progress(`cached ${shown} (${cached.paths.length} file(s))`);
      return cached.paths;
    }
  }
  if (/^(1|true|yes|on)$/i.test(_readEnv("HF_HUB_OFFLINE") ?? "")) {
    // The user asked for no network: that wins over `refresh`, which would need it.
    if (options.refresh) throw new Error(`HF_HUB_OFFLINE is set, so ${shown} cannot be refreshed`);
    const cached = await cachedCopy(root, ref, revision);
    if (cached.kind === "ok") {
      progress(`HF_HUB_OFFLINE is set: using the cached copy of ${shown}`);
      return cached.paths;
    }
    throw new Error(`HF_HUB_OFFLINE is set, and ${cached.problem}`);
  }

  progress(`listing ${shown}`);
  let listing: RepoListing;
  try {
    listing = await listRepository(context);
  } catch (error) {
    if (!(error instanceof _UnreachableError) || options.refresh) throw error;
    const cached = await cachedCopy(root, ref, revision);
    if (cached.kind !== "ok") {
      throw new Error(`${error.message}; and ${cached.problem}`, { cause: error });
    }
    progress(
      `the hub cannot be reached (${error.message}); using the cached copy of ${shown} ` +
        `(commit ${_short(cached.commit)}), which may be out of date`,
    );
    return cached.paths;
  }

  const selected = selectForRequest(listing, ref, revision);
  progress(
    `${shown} is commit ${_short(listing.commit)}; using ${selected.length} file(s): ` +
      selected.map((file) => file.path).join(", "),
  );
  const paths: string[] = [];
  const digests: Record<string, ManifestFile> = {};
  for (const file of selected) {
    const { path, digest } = await ensureFile(
      context,
      root,
      listing.commit,
      file,
      options,
      progress,
    );
    paths.push(path);
    digests[file.path] = digest;
  }
  await recordInCache(root, ref, revision, listing.commit, digests, selected);
  return paths;
}

// ---------------------------------------------------------------------------------------------
// Ids
// ---------------------------------------------------------------------------------------------

/** A parsed `hf:` id. @internal */
export interface _HubRef {
  owner: string;
  name: string;
  /** Decoded revision, when the id has `@…`. */
  revision: string | undefined;
  /** Path in the repository, when the id names one. */
  path: string | undefined;
}

/** Hub user, organisation and repository names: letters, digits, `-`, `_`, `.`; no `..`. */
const REPO_PART = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,95}$/;
const COMMIT_SHA = /^[0-9a-f]{40}$/;
const ID_FORMS = "hf:owner/name, hf:owner/name@revision, hf:owner/name[@revision]/path/in/repo";

/**
 * Parse `hf:owner/name[@revision][/path]`. Strict, because owner, name and path become both URL
 * parts and cache folders.
 *
 * @internal
 */
export function _parseHubId(id: string): _HubRef {
  const bad = (why: string) =>
    new Error(`not a Hugging Face dataset id: ${JSON.stringify(id)} (${why}); use ${ID_FORMS}`);
  if (!id.startsWith("hf:")) throw bad('it must start with "hf:"');
  const segments = id.slice(3).split("/");
  while (segments.length > 2 && segments.at(-1) === "") segments.pop();
  const [owner = "", nameAndRevision = "", ...rest] = segments;
  const at = nameAndRevision.indexOf("@");
  const name = at === -1 ? nameAndRevision : nameAndRevision.slice(0, at);
  let revision: string | undefined;
  if (at !== -1) {
    try {
      revision = decodeURIComponent(nameAndRevision.slice(at + 1));
    } catch {
      throw bad("the revision is not valid percent-encoding");
    }
    // deno-lint-ignore no-control-regex
    if (revision === "" || /[\u0000-\u001f]/.test(revision)) throw bad("empty or invalid revision");
  }
  for (const [what, part] of [["owner", owner], ["name", name]] as const) {
    if (!REPO_PART.test(part) || part.includes("..")) {
      throw bad(`invalid ${what} ${JSON.stringify(part)}`);
    }
  }
  if (rest.some((part) => part === "" || part === "." || part === ".." || part.includes("\\"))) {
    throw bad("the path has an empty, '.', '..' or backslash segment");
  }
  return { owner, name, revision, path: rest.length === 0 ? undefined : rest.join("/") };
}

// ---------------------------------------------------------------------------------------------
// Listing
// ---------------------------------------------------------------------------------------------

/** Everything one call needs to talk to the hub. */
interface HubContext {
  ref: _HubRef;
  revision: string;
  endpoint: string;
  token: string | undefined;
  fetch: typeof fetch;
  auth: _Auth | undefined;
}

/** A file in a repository listing. @internal */
export interface _RepoFile {
  path: string;
  size: number;
  /** Git blob sha1 (for an LFS file, that of its pointer). */
  oid: string;
  /** LFS object: sha256 and size of the real content. */
  lfs?: { oid: string; size: number } | undefined;
}

interface RepoListing {
  commit: string;
  files: _RepoFile[];
}

const RevisionInfo = z.object({ sha: z.string().regex(COMMIT_SHA) });
const TreeEntry = z.object({
  type: z.string(),
  path: z.string(),
  size: z.number().int().nonnegative().optional(),
  oid: z.string().optional(),
  lfs: z.object({ oid: z.string().regex(/^[0-9a-f]{64}$/i), size: z.number().int().nonnegative() })
    .nullish(),
});

/**
 * Learn the commit of the revision, then list that commit's tree. Listing by commit rather than by
 * branch keeps the two answers consistent if someone pushes in between.
 */
async function listRepository(context: HubContext): Promise<RepoListing> {
  const { owner, name } = context.ref;
  const api = `${context.endpoint}/api/datasets/${owner}/${name}`;
  const info = await getJson(
    `${api}/revision/${encodeURIComponent(context.revision)}`,
    context,
    "listing",
  );
  const parsed = RevisionInfo.safeParse(info.body);
  if (!parsed.success) {
    throw new Error(
      `the hub's answer for ${owner}/${name}@${context.revision} has no commit sha ` +
        `(${_displayUrl(info.url)})`,
    );
  }
  const commit = parsed.data.sha;

  const files: _RepoFile[] = [];
  let next: URL | undefined = new URL(`${api}/tree/${commit}?recursive=true&expand=false`);
  for (let page = 0; next !== undefined; page++) {
    if (page > 10_000) throw new Error(`the hub's listing of ${owner}/${name} does not end`);
    const { body, url, response } = await getJson(next.href, context, "listing");
    if (!Array.isArray(body)) {
      throw new Error(`the hub's tree listing at ${_displayUrl(url)} is not a list`);
    }
    for (const raw of body) {
      const entry = TreeEntry.safeParse(raw);
      if (!entry.success) {
        throw new Error(`the hub's tree listing has an unreadable entry: ${JSON.stringify(raw)}`);
      }
      const { type, path, size, oid, lfs } = entry.data;
      if (type !== "file") continue;
      if (size === undefined || oid === undefined) {
        throw new Error(`the hub's tree listing gives no size or oid for ${path}`);
      }
      files.push({ path, size, oid, lfs: lfs ?? undefined });
    }
    next = nextPage(response.headers.get("link"), url);
  }
  files.sort((a, b) => compare(a.path, b.path));
  return { commit, files };
}

/** The `rel="next"` target of a `Link` header (GitHub-style pagination, as the hub uses). */
function nextPage(link: string | null, base: URL): URL | undefined {
  if (link === null) return undefined;
  for (const part of link.split(",")) {
    const match = /^\s*<([^>]*)>\s*;(.*)$/.exec(part);
    if (match && /(^|;)\s*rel\s*=\s*"?next"?\s*(;|$)/i.test(match[2] ?? "")) {
      return new URL(match[1] ?? "", base);
    }
  }
  return undefined;
}

/** GET a hub API URL as JSON, turning error statuses into explanations. */
async function getJson(
  url: string,
  context: HubContext,
  stage: "listing",
): Promise<{ body: unknown; url: URL; response: Response }> {
  const { response, url: final } = await _fetchFollowing(
    url,
    context.fetch,
    context.auth,
    "application/json",
  );
  if (!response.ok) throw await hubHttpError(response, final, context, stage, undefined);
  try {
    return { body: await response.json(), url: final, response };
  } catch (error) {
    throw new Error(`the hub's answer at ${_displayUrl(final)} is not JSON: ${_messageOf(error)}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Discovery
// ---------------------------------------------------------------------------------------------

/**
 * Choose the data files among repository paths: `combined_dataset.json` if present (the one nearest
 * the root), else all files of the most preferred format, sorted. Returns `[]` when there is none.
 *
 * @internal
 */
export function _selectDataFiles(paths: readonly string[]): string[] {
  const data = paths.filter(isDataFile);
  const combined = data
    .filter((path) => baseName(path) === PRECEPTRON_FILE)
    .sort((a, b) => a.split("/").length - b.split("/").length || compare(a, b));
  if (combined[0] !== undefined) return [combined[0]];
  for (const extensions of FORMAT_PREFERENCE) {
    const group = data.filter((path) => extensions.some((ext) => path.toLowerCase().endsWith(ext)));
    if (group.length > 0) return group.sort(compare);
  }
  return [];
}

function isDataFile(path: string): boolean {
  const lower = path.toLowerCase();
  if (!DATA_EXTENSIONS.some((ext) => lower.endsWith(ext))) return false;
  // Hidden files and folders (.github/, .cache/) are tooling, not data.
  if (path.split("/").some((part) => part.startsWith("."))) return false;
  return !METADATA_FILES.has(baseName(lower));
}

/** Apply the id's explicit path, or discovery, to a listing. */
function selectForRequest(listing: RepoListing, ref: _HubRef, revision: string): _RepoFile[] {
  const where = `Hugging Face dataset ${ref.owner}/${ref.name} (revision ${revision})`;
  const byPath = new Map(listing.files.map((file) => [file.path, file]));
  let candidates = listing.files;
  if (ref.path !== undefined) {
    const exact = byPath.get(ref.path);
    if (exact !== undefined) return [exact];
    const prefix = `${ref.path}/`;
    candidates = listing.files.filter((file) => file.path.startsWith(prefix));
    if (candidates.length === 0) {
      throw new Error(
        `file "${ref.path}" not found in ${where}; its files are: ${listFiles(listing.files)}`,
      );
    }
  }
  const chosen = _selectDataFiles(candidates.map((file) => file.path));
  if (chosen.length === 0) {
    const scope = ref.path === undefined ? "" : ` under "${ref.path}/"`;
    throw new Error(
      `no data file (${DATA_EXTENSIONS.join(", ")})${scope} in ${where}; ` +
        `it holds: ${listFiles(candidates)}`,
    );
  }
  return chosen.map((path) => byPath.get(path)!);
}

function listFiles(files: readonly _RepoFile[]): string {
  if (files.length === 0) return "no files";
  const shown = files.slice(0, 25).map((file) => file.path).join(", ");
  return files.length > 25 ? `${shown} and ${files.length - 25} more` : shown;
}

// ---------------------------------------------------------------------------------------------
// Files and the cache
// ---------------------------------------------------------------------------------------------

/** What the manifest remembers of a cached file: enough to verify it with no listing. */
interface ManifestFile {
  size: number;
  sha256: string;
}

/** `{root}/manifests/{commit}.json`: what was cached for a commit, for offline and pinned use. */
interface Manifest {
  dataset: string;
  commit: string;
  files: Record<string, ManifestFile>;
  /** Selection key (the id's path, or "" for discovery) → repository paths. */
  selections: Record<string, string[]>;
}

const ManifestSchema = z.object({
  dataset: z.string(),
  commit: z.string().regex(COMMIT_SHA),
  files: z.record(z.string(), z.object({ size: z.number(), sha256: z.string() })),
  selections: z.record(z.string(), z.array(z.string())),
});

/** Use the cached copy of a file if it matches the listing, else download it. */
async function ensureFile(
  context: HubContext,
  root: string,
  commit: string,
  file: _RepoFile,
  options: HubFetchOptions,
  progress: (message: string) => void,
): Promise<{ path: string; digest: ManifestFile }> {
  const { owner, name } = context.ref;
  const local = _safeJoin(root, commit, ...file.path.split("/"));
  const label = `hf:${owner}/${name}/${file.path}`;
  const expected: _Expected = file.lfs
    ? { size: file.lfs.size, sha256: file.lfs.oid }
    : { size: file.size, gitBlobSha1: file.oid };

  if (!options.refresh) {
    const digest = await _hashFile(local);
    if (digest !== undefined) {
      const problem = mismatch(digest, expected);
      if (problem === undefined) {
        progress(`cached ${label} (${_formatBytes(digest.size)})`);
        return { path: local, digest: { size: digest.size, sha256: digest.sha256 } };
      }
      progress(`cached ${label} is corrupted (${problem}); downloading it again`);
    }
  }

  const encodedPath = file.path.split("/").map(encodeURIComponent).join("/");
  const result = await _download({
    url: `${context.endpoint}/datasets/${owner}/${name}/resolve/${commit}/${encodedPath}`,
    label,
    fetch: context.fetch,
    auth: context.auth,
    destination: local,
    expected,
    onProgress: progress,
    httpError: (response, url) => hubHttpError(response, url, context, "file", file.path),
  });
  return { path: result.path, digest: { size: result.size, sha256: result.sha256 } };
}

/** Why a cached file does not match what is expected of it, or undefined when it does. */
function mismatch(digest: _FileDigest, expected: _Expected): string | undefined {
  if (expected.size !== undefined && digest.size !== expected.size) {
    return `${digest.size} bytes instead of ${expected.size}`;
  }
  if (expected.sha256 !== undefined && digest.sha256 !== expected.sha256.toLowerCase()) {
    return `sha256 ${_short(digest.sha256)} instead of ${_short(expected.sha256)}`;
  }
  if (
    expected.gitBlobSha1 !== undefined && digest.gitBlobSha1 !== expected.gitBlobSha1.toLowerCase()
  ) {
    return `git blob ${_short(digest.gitBlobSha1)} instead of ${_short(expected.gitBlobSha1)}`;
  }
  return undefined;
}

type CachedCopy =
  | { kind: "ok"; commit: string; paths: string[] }
  | { kind: "missing"; problem: string };

/** The verified cached files for a revision and selection, found without the network. */
async function cachedCopy(root: string, ref: _HubRef, revision: string): Promise<CachedCopy> {
  const missing = (why: string): CachedCopy => ({
    kind: "missing",
    problem: `no usable cached copy of hf:${ref.owner}/${ref.name}@${revision} (${why})`,
  });
  let commit = revision;
  if (!COMMIT_SHA.test(revision)) {
    const recorded = await readText(_safeJoin(root, "refs", encodeURIComponent(revision)));
    if (recorded === undefined) return missing("never downloaded");
    commit = recorded.trim();
    if (!COMMIT_SHA.test(commit)) return missing("its ref file is damaged");
  }
  const manifest = await readManifest(root, commit);
  if (manifest === undefined) return missing("never downloaded");
  const selection = manifest.selections[ref.path ?? ""];
  if (selection === undefined) {
    return missing(ref.path === undefined ? "discovery never ran" : `${ref.path} never downloaded`);
  }
  const paths: string[] = [];
  for (const path of selection) {
    const recorded = manifest.files[path];
    const local = _safeJoin(root, commit, ...path.split("/"));
    const digest = await _hashFile(local);
    if (recorded === undefined || digest === undefined) return missing(`${path} is missing`);
    const problem = mismatch(digest, recorded);
    if (problem !== undefined) return missing(`${path} is corrupted: ${problem}`);
    paths.push(local);
  }
  return { kind: "ok", commit, paths };
}

/** Remember the revision's commit and what was verified, for later offline or pinned calls. */
async function recordInCache(
  root: string,
  ref: _HubRef,
  revision: string,
  commit: string,
  digests: Record<string, ManifestFile>,
  selected: readonly _RepoFile[],
): Promise<void> {
  const previous = await readManifest(root, commit);
  const manifest: Manifest = {
    dataset: `${ref.owner}/${ref.name}`,
    commit,
    files: { ...previous?.files, ...digests },
    selections: { ...previous?.selections, [ref.path ?? ""]: selected.map((file) => file.path) },
  };
  await _writeTextAtomic(
    _safeJoin(root, "manifests", `${commit}.json`),
    `${JSON.stringify(manifest, null, 2)}\n`,
  );
  if (!COMMIT_SHA.test(revision)) {
    await _writeTextAtomic(_safeJoin(root, "refs", encodeURIComponent(revision)), `${commit}\n`);
  }
}

async function readManifest(root: string, commit: string): Promise<Manifest | undefined> {
  const text = await readText(_safeJoin(root, "manifests", `${commit}.json`));
  if (text === undefined) return undefined;
  try {
    const parsed = ManifestSchema.safeParse(JSON.parse(text));
    // A damaged manifest is only a lost shortcut: the next online call rewrites it.
    return parsed.success && parsed.data.commit === commit ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/**
 * Explain a hub error status. The hub's `X-Error-Code` header (`GatedRepo`, `RepoNotFound`,
 * `RevisionNotFound`, `EntryNotFound`) says which kind of 401/403/404 it is.
 */
async function hubHttpError(
  response: Response,
  url: URL,
  context: HubContext,
  stage: "listing" | "file",
  path: string | undefined,
): Promise<Error> {
  const { owner, name } = context.ref;
  const dataset = `Hugging Face dataset ${owner}/${name}`;
  const endpoint = displayUrl(context.endpoint).replace(/\/+$/, "");
  const page = `${endpoint}/datasets/${owner}/${name}`;
  const code = response.headers.get("x-error-code") ?? "";
  const said = await serverMessage(response, context.token);
  const detail = said === "" ? "" : ` The hub said: "${said}"`;
  const status = response.status;

  if (url.origin !== new URL(context.endpoint).origin) {
    // A storage host (the CDN a download was redirected to) failed: its 403 is an expired or bad
    // signature, not a gated dataset, so the hub's explanations would mislead.
    return new Error(
      `download of "${path}" from ${dataset} failed: the storage server ${_displayUrl(url)} ` +
        `answered HTTP ${status}; try again.${detail}`,
    );
  }
  if (status === 401) {
    const maybeMissing = code === "RepoNotFound" ? " (or does not exist)" : "";
    const why = context.token === undefined
      ? "no access token was given"
      : "the hub did not accept the access token given (invalid or expired)";
    return new Error(
      `${dataset} is gated or private${maybeMissing}, and ${why} (HTTP 401). Set HF_TOKEN to an ` +
        `access token of an account that has accepted the dataset's terms on ${page} ` +
        `(tokens: https://huggingface.co/settings/tokens).${detail}`,
    );
  }
  if (status === 403) {
    return new Error(
      `access to ${dataset} has not been granted to the account of the token given (HTTP 403). ` +
        `Open ${page} logged in as that account and accept the conditions to access it (gated ` +
        `datasets may also wait for the authors' approval); a fine-grained token also needs ` +
        `read access to public gated repositories.${detail}`,
    );
  }
  if (status === 404) {
    if (code === "RevisionNotFound") {
      return new Error(
        `revision "${context.revision}" not found in ${dataset} (HTTP 404).${detail}`,
      );
    }
    if (stage === "file" && code !== "RepoNotFound") {
      return new Error(
        `file "${path}" not found in ${dataset} at revision ${context.revision} (HTTP 404).${detail}`,
      );
    }
    if (code === "RepoNotFound") {
      return new Error(
        `${dataset} not found at ${endpoint} (HTTP 404); check the id.${detail}`,
      );
    }
    return new Error(
      `${dataset} or its revision "${context.revision}" not found at ${endpoint} ` +
        `(HTTP 404).${detail}`,
    );
  }
  const text = `${dataset}: the hub answered HTTP ${status} for the ${stage} request ` +
    `${path === undefined ? "" : `of "${path}" `}(${_displayUrl(url)}).${detail}`;
  // Outages and rate limits may pass; a listing failing this way can fall back to the cache.
  if (stage === "listing" && (status >= 500 || status === 429)) return new _UnreachableError(text);
  return new Error(text);
}

/** The hub's own error text (JSON `error` or `X-Error-Message`), short, with the token removed. */
async function serverMessage(response: Response, token: string | undefined): Promise<string> {
  let text = response.headers.get("x-error-message") ?? "";
  try {
    const body = await response.text();
    if (text === "") {
      try {
        const parsed: unknown = JSON.parse(body);
        if (typeof parsed === "object" && parsed !== null && "error" in parsed) {
          text = String(parsed.error);
        }
      } catch {
        text = body.startsWith("<") ? "" : body; // an HTML error page says nothing useful
      }
    }
  } catch {
    // The body could not be read; the status alone will have to do.
  }
  text = text.replace(/\s+/g, " ").trim();
  // A server echoing the credential (or a signed URL) back must not get it into a message.
  text = _scrubUrls(redact(text, [token]));
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

// ---------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------

function checkedEndpoint(endpoint: string): string {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new Error(
      `the Hugging Face endpoint is not a URL: ${JSON.stringify(_scrubUrls(endpoint))}`,
    );
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new Error(`the Hugging Face endpoint must be http(s), not ${url.protocol}`);
  }
  return endpoint;
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

/** Code-unit order: the same on every machine, unlike `localeCompare`. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
