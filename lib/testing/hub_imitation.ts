/**
 * A small imitation of the Hugging Face Hub HTTP API on 127.0.0.1, for tests of the dataset
 * loaders (`lib/data/hub.ts`, `lib/data/fetch_source.ts`). A test double, not product code.
 *
 * It answers, like the hub does:
 * - `GET /api/datasets/{owner}/{name}/revision/{rev}` → `{ id, sha, siblings, gated, private }`;
 * - `GET /api/datasets/{owner}/{name}/tree/{rev}?recursive=true` → `[{ type, path, size, oid, lfs? }]`,
 *   paged with a `Link: <…>; rel="next"` header when `pageSize` is set;
 * - `GET /datasets/{owner}/{name}/resolve/{rev}/{path}` → the bytes for small (non-LFS) files; a
 *   redirect to a pre-signed "CDN" URL for LFS files (same origin, relative `Location`, another
 *   origin, or a chain of a relative 307 then a cross-origin 302);
 * - errors with `X-Error-Code` (`GatedRepo`, `RepoNotFound`, `RevisionNotFound`, `EntryNotFound`)
 *   and `X-Error-Message`: 401 for a missing or unknown token, 403 for a gated dataset the token's
 *   account was not granted, 404 for what does not exist (private repositories hide as 404).
 *
 * Files can be flagged to break the transfer (`truncate`: advertise the full `Content-Length`, send
 * half, close) or to serve bytes that do not match the listing (`corrupt`). Counters and a request
 * log let tests assert that a warm cache downloads nothing and that the token never reaches the
 * CDN.
 *
 * @module
 */

import { createHash } from "node:crypto";
import { _cutResponse } from "./_cut_response.ts";

/** One file of an imitated repository. */
export interface ImitationFile {
  /** Path in the repository, `/`-separated. */
  path: string;
  /** The file's bytes (text is sent as UTF-8). */
  content: string | Uint8Array;
  /** Stored in LFS: listed with `lfs.oid` (sha256) and served through a CDN redirect. */
  lfs?: boolean;
  /** Serve bytes of the right length that do not match the listing's checksum. */
  corrupt?: boolean;
  /** Advertise the full Content-Length, send half of the bytes, then close the connection. */
  truncate?: boolean;
  /** The CDN refuses this LFS file with that status (an expired signature, say). */
  cdnStatus?: number;
}

/** One imitated dataset repository. */
export interface ImitationRepo {
  /** `owner/name`. */
  id: string;
  /** The files at the repository's one commit. */
  files: ImitationFile[];
  /** Default `"public"`. Gated: listing is open, downloads need a granted token (like the hub). */
  access?: "public" | "gated" | "private";
  /** Branch or tag names served, all pointing at the repository's one commit; default `["main"]`. */
  branches?: string[];
}

/** A plain file served at a fixed path by both servers (for URL-fetch tests). */
export interface StaticFile {
  /** The bytes served (text as UTF-8); default empty. */
  content?: string | Uint8Array;
  /** The `Content-Type` header, when given. */
  contentType?: string;
  /** Advertise the full Content-Length, send half of the bytes, then close the connection. */
  truncate?: boolean;
  /** Answer with a 302 to this location (absolute or relative) instead of content. */
  redirectTo?: string;
  /** Answer with this status and no content. */
  status?: number;
}

/** How `resolve` sends LFS files to the CDN. */
export type RedirectMode = "same-origin" | "relative" | "cross-origin" | "chain";

/** Options of {@linkcode startHubImitation}. */
export interface HubImitationOptions {
  /** The dataset repositories served (default none). */
  repos?: ImitationRepo[];
  /** Known tokens → the repository ids their account has been granted (gated or private). */
  tokens?: Record<string, string[]>;
  /** Default `"cross-origin"`, as on the real hub. */
  redirect?: RedirectMode;
  /** Entries per tree page; default: everything on one page. */
  pageSize?: number;
  /** Put the received Authorization header into error messages (tests that they are redacted). */
  echoToken?: boolean;
  /** Path → file, served by both servers. */
  static?: Record<string, StaticFile>;
}

/** One request as the imitation saw it. */
export interface SeenRequest {
  /** Which server received it. */
  server: "hub" | "cdn";
  /** The path with its query string. */
  path: string;
  /** The `Authorization` header, or `null` when none was sent. */
  authorization: string | null;
}

/** A running imitation. Close it (or `await using` it) at the end of the test. */
export interface HubImitation extends AsyncDisposable {
  /** The hub origin, e.g. `http://127.0.0.1:43123`. */
  endpoint: string;
  /** The CDN's origin: another port, hence another origin. */
  cdnEndpoint: string;
  /** The commit sha each repository is at. */
  commits: Record<string, string>;
  /** Request counters; `downloads` counts file bodies served (hub, CDN or static). */
  counts: { api: number; resolve: number; cdn: number; downloads: number };
  /** Every request received by either server, in order. */
  requests: SeenRequest[];
  /** When true, the API answers 503 (a hub outage). */
  outage: boolean;
  /** Stops both servers; resolves when they have shut down. Closing twice is harmless. */
  close(): Promise<void>;
}

const encoder = new TextEncoder();

function bytesOf(content: string | Uint8Array): Uint8Array<ArrayBuffer> {
  return typeof content === "string" ? encoder.encode(content) : new Uint8Array(content);
}

function sha256Hex(bytes: Uint8Array | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}

function gitBlobSha1(bytes: Uint8Array): string {
  return createHash("sha1").update(`blob ${bytes.byteLength}\0`).update(bytes).digest("hex");
}

/**
 * Start the imitation hub and its CDN on 127.0.0.1 (random free ports).
 *
 * @param options Repositories, tokens, redirect mode, paging and static files.
 * @returns The running imitation; close it when done (it is `AsyncDisposable`).
 * @throws {Error} When no port can be bound on 127.0.0.1.
 *
 * @example Ask the imitation for a repository's commit
 * ```ts
 * import { startHubImitation } from "./hub_imitation.ts";
 * import assert from "node:assert/strict";
 *
 * await using hub = startHubImitation({ repos: [{ id: "o/n", files: [{ path: "a.csv", content: "x\n" }] }] });
 * const info = await (await fetch(`${hub.endpoint}/api/datasets/o/n/revision/main`)).json();
 * assert.equal(info.sha, hub.commits["o/n"]);
 * ```
 */
export function startHubImitation(options: HubImitationOptions = {}): HubImitation {
  const commits: Record<string, string> = {};
  for (const repo of options.repos ?? []) {
    commits[repo.id] = sha256Hex(`commit ${repo.id}`).slice(0, 40);
  }
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await Promise.all([hubServer.shutdown(), cdnServer.shutdown()]);
  };
  const state: HubImitation = {
    endpoint: "",
    cdnEndpoint: "",
    commits,
    counts: { api: 0, resolve: 0, cdn: 0, downloads: 0 },
    requests: [],
    outage: false,
    close,
    [Symbol.asyncDispose]: close,
  };
  const imitation = new Imitation(options, state);
  const onListen = () => {};
  const hubServer = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen },
    (request) => imitation.handleHub(request),
  );
  const cdnServer = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen },
    (request) => imitation.handleCdn(request),
  );
  state.endpoint = `http://127.0.0.1:${hubServer.addr.port}`;
  state.cdnEndpoint = `http://127.0.0.1:${cdnServer.addr.port}`;
  return state;
}

/** A repository request that passed access control, at a revision that exists. */
interface Opened {
  id: string;
  repo: ImitationRepo;
  commit: string;
  revision: string;
}

/** The two servers' request handling, over the state the test sees. */
class Imitation {
  readonly #options: HubImitationOptions;
  readonly #state: HubImitation;
  readonly #repos: Map<string, ImitationRepo>;

  constructor(options: HubImitationOptions, state: HubImitation) {
    this.#options = options;
    this.#state = state;
    this.#repos = new Map((options.repos ?? []).map((repo) => [repo.id, repo]));
  }

  /** The hub's routes: the CDN path, the API, `resolve` downloads, then static files. */
  handleHub(request: Request): Response {
    const url = this.#log("hub", request);
    const auth = request.headers.get("authorization");
    const parts = url.pathname.split("/").slice(1);
    if (url.pathname.startsWith("/cdn/")) return this.#serveCdn(url);
    if (parts[0] === "api" && parts[1] === "datasets") return this.#serveApi(url, parts, auth);
    // /datasets/{owner}/{name}/resolve/{rev}/{path}, and /moved/… (a renamed repository).
    if ((parts[0] === "datasets" || parts[0] === "moved") && parts[3] === "resolve") {
      return this.#serveResolve(parts, auth);
    }
    return this.#serveStatic(url.pathname) ?? new Response("not found", { status: 404 });
  }

  handleCdn(request: Request): Response {
    const url = this.#log("cdn", request);
    if (url.pathname.startsWith("/cdn/")) return this.#serveCdn(url);
    return this.#serveStatic(url.pathname) ?? new Response("not found", { status: 404 });
  }

  #log(server: "hub" | "cdn", request: Request): URL {
    const url = new URL(request.url);
    this.#state.requests.push({
      server,
      path: url.pathname + url.search,
      authorization: request.headers.get("authorization"),
    });
    return url;
  }

  /** `/api/datasets/{owner}/{name}/{revision|tree}/{rev}`. */
  #serveApi(url: URL, parts: string[], auth: string | null): Response {
    this.#state.counts.api++;
    if (this.#state.outage) return new Response("upstream unavailable", { status: 503 });
    const [, , owner = "", name = "", kind = "", revisionPart = ""] = parts;
    const opened = this.#open(owner, name, revisionPart, auth, false);
    if (opened instanceof Response) return opened;
    const { id, repo, commit } = opened;
    if (kind === "revision") {
      return Response.json({
        _id: commit.slice(0, 24),
        id,
        sha: commit,
        private: repo.access === "private",
        gated: repo.access === "gated" ? "manual" : false,
        siblings: repo.files.map((file) => ({ rfilename: file.path })),
      });
    }
    if (kind === "tree") return this.#treePage(repo, url);
    return new Response("not found", { status: 404 });
  }

  /** `resolve`: small files' bytes, LFS files a redirect to the CDN by the redirect mode. */
  #serveResolve(parts: string[], auth: string | null): Response {
    this.#state.counts.resolve++;
    const [kind, owner = "", name = "", , revisionPart = "", ...rest] = parts;
    const opened = this.#open(owner, name, revisionPart, auth, true);
    if (opened instanceof Response) return opened;
    const { id, repo, commit, revision } = opened;
    const path = rest.map(decodeURIComponent).join("/");
    const file = repo.files.find((candidate) => candidate.path === path);
    if (file === undefined) {
      return this.#error(404, "EntryNotFound", `${path} does not exist on "${revision}"`, auth);
    }
    if (!file.lfs) return this.#serveBytes(file);
    const cdnPath = `/cdn/${id}/${rest.join("/")}?X-Amz-Signature=imitation&X-Amz-Expires=3600`;
    const headers = new Headers({ "x-repo-commit": commit });
    const mode = this.#options.redirect ?? "cross-origin";
    if (mode === "chain" && kind === "datasets") {
      headers.set("location", `/moved/${id}/resolve/${revisionPart}/${rest.join("/")}`);
      return new Response(null, { status: 307, headers });
    }
    const location = mode === "same-origin"
      ? `${this.#state.endpoint}${cdnPath}`
      : mode === "relative"
      ? cdnPath
      : `${this.#state.cdnEndpoint}${cdnPath}`;
    headers.set("location", location);
    return new Response(null, { status: 302, headers });
  }

  /** A repository at a revision, or the error the hub answers (access first, then revision). */
  #open(
    owner: string,
    name: string,
    revisionPart: string,
    auth: string | null,
    download: boolean,
  ): Opened | Response {
    const id = `${owner}/${name}`;
    const repo = this.#repos.get(id);
    const denied = this.#deny(repo, id, auth, download);
    if (denied !== undefined || repo === undefined) {
      return denied ?? new Response(null, { status: 500 });
    }
    const revision = decodeURIComponent(revisionPart);
    const commit = this.#state.commits[repo.id];
    const known = revision === commit || (repo.branches ?? ["main"]).includes(revision);
    if (commit === undefined || !known) {
      return this.#error(404, "RevisionNotFound", `Invalid rev id: ${revision}`, auth);
    }
    return { id, repo, commit, revision };
  }

  /** Access control for a repository request, as the hub does it; `undefined` when allowed. */
  #deny(
    repo: ImitationRepo | undefined,
    id: string,
    auth: string | null,
    download: boolean,
  ): Response | undefined {
    const grants = this.#grantsOf(auth);
    if (grants === undefined) {
      return this.#error(401, undefined, "Invalid credentials in Authorization header", auth);
    }
    const access = repo?.access ?? "public";
    if (repo === undefined || (access === "private" && !(grants ?? []).includes(id))) {
      // The hub does not reveal whether a repository it will not show you exists.
      const message = `Repository Not Found for url: datasets/${id}.`;
      return this.#error(grants === null ? 401 : 404, "RepoNotFound", message, auth);
    }
    if (access === "gated" && download && !(grants ?? []).includes(id)) {
      return grants === null
        ? this.#error(
          401,
          "GatedRepo",
          `Access to dataset ${id} is restricted. You must have access to it and be authenticated ` +
            "to access it. Please log in.",
          auth,
        )
        : this.#error(
          403,
          "GatedRepo",
          `Access to dataset ${id} is restricted and you are not in the authorized list. ` +
            `Visit https://huggingface.co/datasets/${id} to ask for access.`,
          auth,
        );
    }
    return undefined;
  }

  /** The token's grants, `null` when no token was sent, `undefined` when the token is unknown. */
  #grantsOf(auth: string | null): string[] | null | undefined {
    if (auth === null) return null;
    const match = /^Bearer (.+)$/.exec(auth);
    return match?.[1] === undefined ? undefined : (this.#options.tokens ?? {})[match[1]];
  }

  #error(status: number, code: string | undefined, message: string, auth: string | null): Response {
    const echoed = this.#options.echoToken && auth !== null
      ? `${message} (you sent: ${auth})`
      : message;
    const headers = new Headers({ "content-type": "application/json", "x-error-message": echoed });
    if (code !== undefined) headers.set("x-error-code", code);
    return new Response(JSON.stringify({ error: echoed }), { status, headers });
  }

  #serveBytes(
    file: { content: string | Uint8Array; corrupt?: boolean; truncate?: boolean },
    contentType?: string,
  ): Response {
    let bytes = bytesOf(file.content);
    if (file.corrupt) bytes = bytes.map((byte, index) => (index === 0 ? byte ^ 0xff : byte));
    this.#state.counts.downloads++;
    const headers = new Headers({ "content-length": String(bytes.byteLength) });
    if (contentType !== undefined) headers.set("content-type", contentType);
    if (!file.truncate) return new Response(bytes, { headers });
    return _cutResponse(bytes, { headers });
  }

  #serveStatic(path: string): Response | undefined {
    const file = this.#options.static?.[path];
    if (file === undefined) return undefined;
    if (file.redirectTo !== undefined) {
      return new Response(null, { status: 302, headers: { location: file.redirectTo } });
    }
    if (file.status !== undefined) return new Response(null, { status: file.status });
    return this.#serveBytes(
      { content: file.content ?? "", truncate: file.truncate ?? false },
      file.contentType,
    );
  }

  /** `/cdn/{owner}/{name}/{path}?X-Amz-Signature=…` on either server. */
  #serveCdn(url: URL): Response {
    this.#state.counts.cdn++;
    const [owner = "", name = "", ...rest] = url.pathname.slice("/cdn/".length).split("/");
    const repo = this.#repos.get(`${owner}/${name}`);
    const path = rest.map(decodeURIComponent).join("/");
    const file = repo?.files.find((candidate) => candidate.path === path);
    if (file === undefined || url.searchParams.get("X-Amz-Signature") !== "imitation") {
      return new Response("<Error><Code>AccessDenied</Code></Error>", { status: 403 });
    }
    if (file.cdnStatus !== undefined) {
      return new Response("<Error><Code>AccessDenied</Code></Error>", { status: file.cdnStatus });
    }
    return this.#serveBytes(file);
  }

  /** A page of the repository's tree listing, with a relative `Link` to the next one. */
  #treePage(repo: ImitationRepo, url: URL): Response {
    const entries = treeEntries(repo, url.searchParams.get("recursive") === "true");
    const size = this.#options.pageSize ?? entries.length;
    const start = Number(url.searchParams.get("cursor") ?? "0");
    const page = entries.slice(start, start + size);
    const headers = new Headers();
    if (start + size < entries.length) {
      const next = new URL(url);
      next.searchParams.set("cursor", String(start + size));
      // Relative on purpose: the client must resolve it against the page it came from.
      headers.set("link", `<${next.pathname}${next.search}>; rel="next"`);
    }
    return Response.json(page, { headers });
  }
}

/** The tree listing: folders and files in path order, LFS files with their pointer's sha. */
function treeEntries(repo: ImitationRepo, recursive: boolean): Record<string, unknown>[] {
  const entries: Record<string, unknown>[] = [];
  const folders = new Set<string>();
  for (const file of [...repo.files].sort((a, b) => (a.path < b.path ? -1 : 1))) {
    const segments = file.path.split("/");
    for (let depth = 1; depth < segments.length; depth++) {
      const folder = segments.slice(0, depth).join("/");
      if (!folders.has(folder) && (recursive || depth === 1)) {
        folders.add(folder);
        entries.push({
          type: "directory",
          oid: sha256Hex(folder).slice(0, 40),
          size: 0,
          path: folder,
        });
      }
    }
    if (!recursive && segments.length > 1) continue;
    const bytes = bytesOf(file.content);
    if (file.lfs) {
      const pointer = encoder.encode(
        `version https://git-lfs.github.com/spec/v1\noid sha256:${
          sha256Hex(bytes)
        }\nsize ${bytes.byteLength}\n`,
      );
      entries.push({
        type: "file",
        oid: gitBlobSha1(pointer),
        size: bytes.byteLength,
        path: file.path,
        lfs: { oid: sha256Hex(bytes), size: bytes.byteLength, pointerSize: pointer.byteLength },
      });
    } else {
      entries.push({
        type: "file",
        oid: gitBlobSha1(bytes),
        size: bytes.byteLength,
        path: file.path,
      });
    }
  }
  return entries;
}
