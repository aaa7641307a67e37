/**
 * What the batch imitation's two dialects share: the book of batches, the answers, the counts,
 * the limits, ids, and the router over each dialect's endpoints.
 *
 * @module
 */

import type { BatchLimit, BatchProvider } from "../judge/batch_limits.ts";
import type { ScriptedAnswers } from "./_batch_answers.ts";
import type { BatchBook, StoredBatch } from "./_batch_store.ts";
import { type Dialect, errorResponse } from "./_batch_http.ts";
import type { BatchImitationCounts } from "./batch_imitation.ts";

/** The state a dialect works on. */
export interface DialectContext {
  readonly book: BatchBook;
  readonly answers: ScriptedAnswers;
  readonly counts: BatchImitationCounts;
  readonly limits: Readonly<Record<BatchProvider, BatchLimit>>;
  /** `http://127.0.0.1:PORT`, for absolute URLs (Anthropic's `results_url`). */
  origin(): string;
  /** A fresh id with this prefix: `batch_scripted_1`, `file-scripted-2`… */
  nextId(prefix: string, separator?: string): string;
  /**
   * Counts a client's retrieval of a batch, which moves it on unless a `drop_polls` fault cuts
   * it: a cut retrieval does not move the batch, so tests can count steps and drops apart.
   *
   * @returns Whether to cut the response mid-body.
   */
  retrieval(batch: StoredBatch): boolean;
  /**
   * Counts a download of a batch's results, which a `drop_results` fault may cut.
   *
   * @returns Whether to cut the response mid-body.
   */
  download(provider: BatchProvider): boolean;
}

/** A dialect's router: a response, or undefined when the path is not its own. */
export type DialectRoute = (
  request: Request,
  path: string,
  url: URL,
) => Promise<Response | undefined>;

/** A dialect's endpoints: `"METHOD /path"`, `{id}` standing for one path segment, → handler. */
export type Endpoints = Record<
  string,
  (id: string, request: Request, url: URL) => Promise<Response>
>;

/**
 * A dialect's router over its endpoints.
 *
 * @param dialect Whose error shape the 405 takes.
 * @param endpoints The endpoints and their handlers.
 * @returns The router: a 405 for a method an endpoint's path does not take, undefined for a
 *   path that is none of the endpoints'.
 */
export function router(dialect: Dialect, endpoints: Endpoints): DialectRoute {
  const routes = Object.entries(endpoints).map(([endpoint, handle]) => {
    const [method, path] = endpoint.split(" ") as [string, string];
    return { method, path: new RegExp(`^${path.replace("{id}", "([^/]+)")}$`), handle };
  });
  return (request, path, url) => {
    const onPath = routes.filter((route) => route.path.test(path));
    if (onPath.length === 0) return Promise.resolve(undefined);
    const route = onPath.find((r) => r.method === request.method);
    if (route) return route.handle(route.path.exec(path)![1] ?? "", request, url);
    const message = `Method ${request.method} is not allowed for ${path}.`;
    return Promise.resolve(errorResponse(dialect, 405, message, { code: "method_not_allowed" }));
  };
}

/** A positive integer query parameter within [1, max], or the default; null when invalid. */
export function pageLimit(url: URL, fallback: number, max: number): number | null {
  const raw = url.searchParams.get("limit");
  if (raw === null) return fallback;
  const limit = Number(raw);
  return Number.isInteger(limit) && limit >= 1 && limit <= max ? limit : null;
}

/** A page of items after (or before) the item with the given id, newest first. */
export function page<T extends { id: string }>(
  items: readonly T[],
  limit: number,
  cursor: { after?: string | null; before?: string | null },
): { data: T[]; hasMore: boolean } {
  let start = 0;
  let end = items.length;
  if (cursor.after) start = items.findIndex((item) => item.id === cursor.after) + 1;
  if (cursor.before) {
    end = Math.max(0, items.findIndex((item) => item.id === cursor.before));
    start = Math.max(start, end - limit);
  }
  const data = items.slice(start, Math.min(end, start + limit));
  const hasMore = cursor.before ? start > 0 : start + limit < end;
  return { data, hasMore };
}
