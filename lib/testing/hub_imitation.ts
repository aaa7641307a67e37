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
  files: ImitationFile[];
  /** Default `"public"`. Gated: listing is open, downloads need a granted token (like the hub). */
  access?: "public" | "gated" | "private";
  /** Branch or tag names served, all pointing at the repository's one commit; default `["main"]`. */
  branches?: string[];
}

/** A plain file served at a fixed path by both servers (for URL-fetch tests). */
export interface StaticFile {
  content?: string | Uint8Array;
  contentType?: string;
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
  server: "hub" | "cdn";
  path: string;
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
  requests: SeenRequest[];
  /** When true, the API answers 503 (a hub outage). */
  outage: boolean;
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
  const repos = new Map((options.repos ?? []).map((repo) => [repo.id, repo]));
  const tokens = options.tokens ?? {};
  const mode = options.redirect ?? "cross-origin";
  const commits: Record<string, string> = {};
  for (const repo of repos.values()) commits[repo.id] = sha256Hex(`commit ${repo.id}`).slice(0, 40);

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

  const onListen = () => {};
  const hub = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen },
    (request) => handleHub(request),
  );
  const cdn = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen },
    (request) => handleCdn(request),
  );
  state.endpoint = `http://127.0.0.1:${hub.addr.port}`;
  state.cdnEndpoint = `http://127.0.0.1:${cdn.addr.port}`;

  let closed = false;
  async function close(): Promise<void> {
    if (closed) return;
    closed = true;
    await Promise.all([hub.shutdown(), cdn.shutdown()]);
  }

  function error(status: number, code: string | undefined, message: string, auth: string | null) {
    const echoed = options.echoToken && auth !== null ? `${message} (you sent: ${auth})` : message;
    const headers = new Headers({ "content-type": "application/json", "x-error-message": echoed });
    if (code !== undefined) headers.set("x-error-code", code);
    return new Response(JSON.stringify({ error: echoed }), { status, headers });
  }

  /** The token's grants, `null` when no token was sent, `undefined` when the token is unknown. */
  function grantsOf(auth: string | null): string[] | null | undefined {
    if (auth === null) return null;
    const match = /^Bearer (.+)$/.exec(auth);
    return match?.[1] === undefined ? undefined : tokens[match[1]];
  }

  /** Access control for a repository request, as the hub does it; `undefined` when allowed. */
  function deny(
    repo: ImitationRepo | undefined,
    id: string,
    auth: string | null,
    download: boolean,
  ): Response | undefined {
    const grants = grantsOf(auth);
    if (grants === undefined) {
      return error(401, undefined, "Invalid credentials in Authorization header", auth);
    }
    const access = repo?.access ?? "public";
    if (repo === undefined || (access === "private" && !(grants ?? []).includes(id))) {
      // The hub does not reveal whether a repository it will not show you exists.
      return grants === null
        ? error(401, "RepoNotFound", `Repository Not Found for url: datasets/${id}.`, auth)
        : error(404, "RepoNotFound", `Repository Not Found for url: datasets/${id}.`, auth);
    }
    if (access === "gated" && download && !(grants ?? []).includes(id)) {
      return grants === null
        ? error(
          401,
          "GatedRepo",
          `Access to dataset ${id} is restricted. You must have access to it and be authenticated ` +
            "to access it. Please log in.",
          auth,
        )
        : error(
          403,
          "GatedRepo",
          `Access to dataset ${id} is restricted and you are not in the authorized list. ` +
            `Visit https://huggingface.co/datasets/${id} to ask for access.`,
          auth,
        );
    }
    return undefined;
  }

  function commitOf(repo: ImitationRepo, revision: string): string | undefined {
    const commit = commits[repo.id];
    if (revision === commit) return commit;
    return (repo.branches ?? ["main"]).includes(revision) ? commit : undefined;
  }

  function serveBytes(
    file: { content: string | Uint8Array; corrupt?: boolean; truncate?: boolean },
    contentType?: string,
  ): Response {
    let bytes = bytesOf(file.content);
    if (file.corrupt) bytes = bytes.map((byte, index) => (index === 0 ? byte ^ 0xff : byte));
    state.counts.downloads++;
    const headers = new Headers({ "content-length": String(bytes.byteLength) });
    if (contentType !== undefined) headers.set("content-type", contentType);
    if (!file.truncate) return new Response(bytes, { headers });
    return _cutResponse(bytes, { headers });
  }

  function serveStatic(path: string): Response | undefined {
    const file = options.static?.[path];
    if (file === undefined) return undefined;
    if (file.redirectTo !== undefined) {
      return new Response(null, { status: 302, headers: { location: file.redirectTo } });
    }
    if (file.status !== undefined) return new Response(null, { status: file.status });
    return serveBytes(
      { content: file.content ?? "", truncate: file.truncate ?? false },
      file.contentType,
    );
  }

  /** `/cdn/{owner}/{name}/{path}?X-Amz-Signature=…` on either server. */
  function serveCdn(url: URL): Response {
    state.counts.cdn++;
    const [owner = "", name = "", ...rest] = url.pathname.slice("/cdn/".length).split("/");
    const repo = repos.get(`${owner}/${name}`);
    const path = rest.map(decodeURIComponent).join("/");
    const file = repo?.files.find((candidate) => candidate.path === path);
    if (file === undefined || url.searchParams.get("X-Amz-Signature") !== "imitation") {
      return new Response("<Error><Code>AccessDenied</Code></Error>", { status: 403 });
    }
    if (file.cdnStatus !== undefined) {
      return new Response("<Error><Code>AccessDenied</Code></Error>", { status: file.cdnStatus });
    }
    return serveBytes(file);
  }

  function log(server: "hub" | "cdn", request: Request): URL {
    const url = new URL(request.url);
    state.requests.push({
      server,
      path: url.pathname + url.search,
      authorization: request.headers.get("authorization"),
    });
    return url;
  }

  function handleCdn(request: Request): Response {
    const url = log("cdn", request);
    if (url.pathname.startsWith("/cdn/")) return serveCdn(url);
    return serveStatic(url.pathname) ?? new Response("not found", { status: 404 });
  }

  function handleHub(request: Request): Response {
    const url = log("hub", request);
    const auth = request.headers.get("authorization");
    const parts = url.pathname.split("/").slice(1);
    if (url.pathname.startsWith("/cdn/")) return serveCdn(url);

    if (parts[0] === "api" && parts[1] === "datasets") {
      state.counts.api++;
      if (state.outage) return new Response("upstream unavailable", { status: 503 });
      const [, , owner = "", name = "", kind = "", revisionPart = ""] = parts;
      const id = `${owner}/${name}`;
      const repo = repos.get(id);
      const denied = deny(repo, id, auth, false);
      if (denied !== undefined || repo === undefined) {
        return denied ?? new Response(null, { status: 500 });
      }
      const revision = decodeURIComponent(revisionPart);
      const commit = commitOf(repo, revision);
      if (commit === undefined) {
        return error(404, "RevisionNotFound", `Invalid rev id: ${revision}`, auth);
      }
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
      if (kind === "tree") return treePage(repo, url);
      return new Response("not found", { status: 404 });
    }

    // /datasets/{owner}/{name}/resolve/{rev}/{path}, and /moved/… (a renamed repository).
    if ((parts[0] === "datasets" || parts[0] === "moved") && parts[3] === "resolve") {
      state.counts.resolve++;
      const [kind, owner = "", name = "", , revisionPart = "", ...rest] = parts;
      const id = `${owner}/${name}`;
      const repo = repos.get(id);
      const denied = deny(repo, id, auth, true);
      if (denied !== undefined || repo === undefined) {
        return denied ?? new Response(null, { status: 500 });
      }
      const revision = decodeURIComponent(revisionPart);
      const commit = commitOf(repo, revision);
      if (commit === undefined) {
        return error(404, "RevisionNotFound", `Invalid rev id: ${revision}`, auth);
      }
      const path = rest.map(decodeURIComponent).join("/");
      const file = repo.files.find((candidate) => candidate.path === path);
      if (file === undefined) {
        return error(404, "EntryNotFound", `${path} does not exist on "${revision}"`, auth);
      }
      if (!file.lfs) return serveBytes(file);
      const cdnPath = `/cdn/${id}/${rest.join("/")}?X-Amz-Signature=imitation&X-Amz-Expires=3600`;
      const headers = new Headers({ "x-repo-commit": commit });
      if (mode === "chain" && kind === "datasets") {
        headers.set("location", `/moved/${id}/resolve/${revisionPart}/${rest.join("/")}`);
        return new Response(null, { status: 307, headers });
      }
      const location = mode === "same-origin"
        ? `${state.endpoint}${cdnPath}`
        : mode === "relative"
        ? cdnPath
        : `${state.cdnEndpoint}${cdnPath}`;
      headers.set("location", location);
      return new Response(null, { status: 302, headers });
    }

    return serveStatic(url.pathname) ?? new Response("not found", { status: 404 });
  }

  function treePage(repo: ImitationRepo, url: URL): Response {
    const recursive = url.searchParams.get("recursive") === "true";
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
    const size = options.pageSize ?? entries.length;
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

  return state;
}
