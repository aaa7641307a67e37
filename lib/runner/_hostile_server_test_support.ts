/**
 * A hostile provider for the runner's tests: a proxy on 127.0.0.1 in front of the scripted
 * server that rejects keys (echoing them back, as some servers do), puts the key into a
 * reply's content, or reports impossible token usage; and what the key guards' tests check
 * with it: no piece of a key written or told, a run refused for its key, a ledger of rejected
 * records as older runs wrote them.
 *
 * @module
 */

import assert from "node:assert/strict";
import { AuthenticationError } from "../judge/authentication_error.ts";
import { startScriptedServer } from "../testing/scripted_server.ts";

/** How the proxy misbehaves. */
export interface HostileOptions {
  /** Requests whose bearer token is not this get a 401 whose body quotes the token sent. */
  acceptKey?: string;
  /** Answer 401 to every request from the `rejectAfter`-th on (1-based), key or not. */
  rejectAfter?: number;
  /**
   * Put the bearer token sent (whole, base64 and a piece) into each 200 reply: a judge's
   * justification, or a candidate's plain answer.
   */
  echoKeyInContent?: boolean;
  /** Replace the usage of each 200 reply with this. */
  usage?: Record<string, unknown>;
}

/** A running hostile server. */
export interface HostileServer extends AsyncDisposable {
  /** The OpenAI-compatible base URL. */
  baseURL: string;
  /** Chat requests received (answered or rejected). */
  readonly chat: number;
}

/**
 * Starts the proxy (and a scripted server behind it).
 *
 * @param options How it misbehaves.
 * @returns The server; `await using` closes both.
 */
export function _startHostileServer(options: HostileOptions): HostileServer {
  const upstream = startScriptedServer();
  let chat = 0;
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    async (request) => {
      const path = new URL(request.url).pathname;
      const body = await request.text();
      if (path.endsWith("/chat/completions")) chat++;
      const sent = (request.headers.get("authorization") ?? "").replace(/^Bearer /, "");
      const rejectAll = options.rejectAfter !== undefined && chat >= options.rejectAfter;
      if (rejectAll || (options.acceptKey !== undefined && sent !== options.acceptKey)) {
        return Response.json({
          error: {
            message: `Incorrect API key provided: ${sent} (${btoa(sent)}, ending ` +
              `${sent.slice(-10)}). You can find your API key at ...`,
            type: "invalid_request_error",
            code: "invalid_api_key",
          },
        }, { status: 401 });
      }
      const answer = await fetch(`${upstream.baseURL}${path.replace(/^\/v1/, "")}`, {
        method: request.method,
        headers: { "content-type": "application/json" },
        ...(request.method === "GET" ? {} : { body }),
      });
      const json = await answer.json();
      if (answer.ok && json?.choices?.[0]?.message) {
        const message = json.choices[0].message;
        if (options.echoKeyInContent && typeof message.content === "string") {
          const echo = `(your key ${sent} works; ${btoa(sent)}; it ends ${sent.slice(-10)})`;
          message.content = withEcho(message.content, echo);
        }
        if (options.usage !== undefined) json.usage = options.usage;
      }
      return Response.json(json, { status: answer.status });
    },
  );
  const close = async () => {
    await server.shutdown();
    await upstream.close();
  };
  return {
    baseURL: `http://127.0.0.1:${server.addr.port}/v1`,
    get chat() {
      return chat;
    },
    [Symbol.asyncDispose]: close,
  };
}

/** A reply's content with the echo added: to a judge's JSON justification, else to the text. */
function withEcho(content: string, echo: string): string {
  try {
    const reply = JSON.parse(content);
    if (typeof reply?.justification === "string") {
      reply.justification = `${reply.justification} ${echo}`;
      return JSON.stringify(reply);
    }
  } catch {
    // A candidate's answer is plain text.
  }
  return `${content} ${echo}`;
}

/**
 * Every file under a folder, with its text.
 *
 * @param dir The folder.
 * @returns Text by path.
 */
export async function _filesUnder(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for await (const item of Deno.readDir(dir)) {
    const path = `${dir}/${item.name}`;
    if (item.isDirectory) { for (const [p, t] of await _filesUnder(path)) out.set(p, t); }
    else out.set(path, await Deno.readTextFile(path));
  }
  return out;
}

/**
 * The forms of an `sk-proj-` key that must never be written or told: whole, without its
 * prefix, base64, and every 8-character piece.
 *
 * @param key The key.
 * @returns The pieces.
 */
function _keyPieces(key: string): string[] {
  const pieces = [key, key.slice("sk-proj-".length), btoa(key)];
  for (let i = 0; i + 8 <= key.length; i++) pieces.push(key.slice(i, i + 8));
  return pieces;
}

/**
 * Asserts that no piece of any of the keys (see `_keyPieces`) is in a file under a folder or in
 * what a run told.
 *
 * @param keys The keys.
 * @param dir The run's folder.
 * @param told Its log lines, error messages, summary.
 */
export async function _assertNoKeyPieces(
  keys: string[],
  dir: string,
  told: string[],
): Promise<void> {
  const everything = [...(await _filesUnder(dir)).values(), ...told].join("\n");
  for (const piece of keys.flatMap(_keyPieces)) {
    assert.ok(!everything.includes(piece), `a piece of a key was written or logged: ${piece}`);
  }
}

/**
 * Rewrites every record of a ledger as runs before the key guard wrote them for a rejected key:
 * its result a permanent failure with a 401.
 *
 * @param path The ledger.
 * @param result The field of the result: `judgement` or `generation`.
 * @param answer The result's fields that a failure has not (its score, its text).
 */
export async function _rewriteAsRejected(
  path: string,
  result: "judgement" | "generation",
  answer: string[],
): Promise<void> {
  const rejected = (await Deno.readTextFile(path)).trim().split("\n").map((line) => {
    const record = JSON.parse(line);
    for (const field of answer) delete record[result][field];
    record[result] = {
      ...record[result],
      status: "failed",
      reason: "request_rejected",
      detail: "HTTP 401: 401 Incorrect API key provided.",
    };
    return JSON.stringify(record) + "\n";
  });
  await Deno.writeTextFile(path, rejected.join(""));
}

/**
 * Asserts that a run fails with an `AuthenticationError`.
 *
 * @param run The run.
 * @returns The error.
 */
export async function _authenticationError(
  run: () => Promise<unknown>,
): Promise<AuthenticationError> {
  const error = await run().then(
    () => assert.fail("expected an AuthenticationError"),
    (e: unknown) => e,
  );
  assert.ok(error instanceof AuthenticationError, String(error));
  return error;
}
