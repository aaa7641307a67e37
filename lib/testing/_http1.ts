/**
 * A minimal HTTP/1.1 server over `Deno.listen`, for the scripted server.
 *
 * `Deno.serve` always answers: a handler that throws becomes a 500, and there is no way to close
 * the TCP connection without a response. Clients must be tested against exactly that failure (a
 * provider's load balancer dropping a request), so this server owns its sockets: a handler may
 * return {@linkcode DROP} and the connection is closed with no response at all.
 *
 * It speaks just enough HTTP/1.1 for API clients and curl: keep-alive, `Content-Length` and
 * chunked request bodies, `Expect: 100-continue`. Responses are buffered (no streaming).
 *
 * @module
 */

/** A request as read from the socket. */
export interface HttpRequest {
  /** The method, upper case. */
  method: string;
  /** The path, without the query string. */
  path: string;
  /** The headers (names are case-insensitive). */
  headers: Headers;
  /** The body bytes (empty when there is none). */
  body: Uint8Array;
}

/** A complete response. */
export interface HttpResponse {
  /** The status code. */
  status: number;
  /** Extra headers; `content-length` and `connection` are set by the server. */
  headers?: Record<string, string>;
  /** The body text (UTF-8). */
  body: string;
  /** Close the connection after this response, even if the client wants to keep it alive. */
  close?: boolean;
}

/** Returned by a handler to close the connection without answering. */
export const DROP: unique symbol = Symbol("drop connection");

/** Answers one request, or drops the connection. `signal` aborts when the server closes. */
export type HttpHandler = (
  request: HttpRequest,
  signal: AbortSignal,
) => Promise<HttpResponse | typeof DROP>;

/** A running server. */
export interface Http1Server {
  /** The port it listens on. */
  port: number;
  /**
   * Closes the keep-alive connections that are waiting for a request, so that the next requests
   * arrive on new connections.
   */
  closeIdleConnections(): void;
  /** Stops accepting, closes every connection, and waits for handlers to finish. */
  close(): Promise<void>;
}

const MAX_HEAD = 64 * 1024;
const MAX_BODY = 64 * 1024 * 1024;
const CRLFCRLF = new Uint8Array([13, 10, 13, 10]);
const encoder = new TextEncoder();
const latin1 = new TextDecoder("latin1");

const REASONS: Record<number, string> = {
  100: "Continue",
  200: "OK",
  400: "Bad Request",
  401: "Unauthorized",
  404: "Not Found",
  405: "Method Not Allowed",
  413: "Content Too Large",
  429: "Too Many Requests",
  431: "Request Header Fields Too Large",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

/** A request the server cannot read: answered with `status` and the connection closed. */
class BadRequest extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/**
 * Starts listening on `hostname:port` (port 0 picks a free one) and serves each connection.
 *
 * @param options Where to listen.
 * @param handler Answers requests.
 * @returns The server.
 */
export function serveHttp1(
  options: { hostname: string; port: number },
  handler: HttpHandler,
): Http1Server {
  const listener = Deno.listen({ hostname: options.hostname, port: options.port });
  const controller = new AbortController();
  const connections = new Set<Deno.Conn>();
  /** Connections between requests, with nothing of the next request read yet. */
  const idle = new Set<Deno.Conn>();
  const running = new Set<Promise<void>>();

  const accepting = (async () => {
    while (!controller.signal.aborted) {
      let conn: Deno.Conn;
      try {
        conn = await listener.accept();
      } catch {
        break; // the listener was closed
      }
      connections.add(conn);
      const done = serveConnection(conn, handler, controller.signal, idle).finally(() => {
        connections.delete(conn);
        idle.delete(conn);
        running.delete(done);
      });
      running.add(done);
    }
  })();

  let closing: Promise<void> | undefined;
  return {
    port: (listener.addr as Deno.NetAddr).port,
    closeIdleConnections() {
      for (const conn of idle) closeQuietly(conn);
    },
    close() {
      closing ??= (async () => {
        controller.abort();
        listener.close();
        await accepting;
        // Closing a socket ends its pending read, so idle keep-alive connections finish too.
        for (const conn of connections) closeQuietly(conn);
        await Promise.allSettled([...running]);
      })();
      return closing;
    },
  };
}

async function serveConnection(
  conn: Deno.Conn,
  handler: HttpHandler,
  signal: AbortSignal,
  idle: Set<Deno.Conn>,
): Promise<void> {
  const reader = new ByteReader(conn);
  try {
    while (!signal.aborted) {
      let request: HttpRequest;
      let keepAlive: boolean;
      try {
        if (reader.buffered === 0) idle.add(conn);
        const head = await reader.readHead(() => idle.delete(conn));
        if (head === null) return; // the client closed an idle connection
        const parsed = parseHead(head);
        keepAlive = parsed.keepAlive;
        if (/100-continue/i.test(parsed.headers.get("expect") ?? "")) {
          await writeAll(conn, encoder.encode("HTTP/1.1 100 Continue\r\n\r\n"));
        }
        const body = await readBody(reader, parsed.headers);
        request = { method: parsed.method, path: parsed.path, headers: parsed.headers, body };
      } catch (error) {
        if (error instanceof BadRequest) {
          const text = JSON.stringify({
            error: { message: error.message, type: "invalid_request_error", code: null },
          });
          await writeAll(conn, serialize({ status: error.status, body: text }, false));
        }
        return; // unreadable request or a socket error: give up on this connection
      }
      let response: HttpResponse | typeof DROP;
      try {
        response = await handler(request, signal);
      } catch (error) {
        if (signal.aborted) return;
        const message = error instanceof Error ? error.message : String(error);
        response = {
          status: 500,
          body: JSON.stringify({
            error: { message: `scripted server bug: ${message}`, type: "server_error", code: null },
          }),
        };
      }
      if (response === DROP || signal.aborted) return;
      keepAlive &&= !response.close;
      await writeAll(conn, serialize(response, keepAlive));
      if (!keepAlive) return;
    }
  } catch {
    // The peer went away mid-write, or the server is closing: nothing to answer.
  } finally {
    closeQuietly(conn);
  }
}

function parseHead(head: string): {
  method: string;
  path: string;
  headers: Headers;
  keepAlive: boolean;
} {
  const lines = head.split("\r\n");
  const requestLine = /^([A-Z]+) (\S+) HTTP\/1\.([01])$/.exec(lines[0] ?? "");
  if (!requestLine) throw new BadRequest(400, "malformed request line");
  const headers = new Headers();
  for (const line of lines.slice(1)) {
    if (line === "") continue;
    const colon = line.indexOf(":");
    if (colon <= 0) throw new BadRequest(400, "malformed header line");
    try {
      headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
    } catch {
      throw new BadRequest(400, "invalid header");
    }
  }
  const connection = (headers.get("connection") ?? "").toLowerCase();
  const keepAlive = requestLine[3] === "1"
    ? !connection.includes("close")
    : connection.includes("keep-alive");
  const target = requestLine[2]!;
  const query = target.indexOf("?");
  return {
    method: requestLine[1]!,
    path: query === -1 ? target : target.slice(0, query),
    headers,
    keepAlive,
  };
}

async function readBody(reader: ByteReader, headers: Headers): Promise<Uint8Array> {
  if (/chunked/i.test(headers.get("transfer-encoding") ?? "")) {
    const parts: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const sizeLine = await reader.readLine();
      const size = parseInt(sizeLine.split(";")[0]!.trim(), 16);
      if (!Number.isFinite(size) || size < 0) throw new BadRequest(400, "malformed chunk size");
      if (size === 0) {
        while ((await reader.readLine()) !== "") {
          // trailers are ignored
        }
        break;
      }
      total += size;
      if (total > MAX_BODY) throw new BadRequest(413, "request body too large");
      parts.push(await reader.readExactly(size));
      if ((await reader.readLine()) !== "") throw new BadRequest(400, "malformed chunk");
    }
    const body = new Uint8Array(total);
    let offset = 0;
    for (const part of parts) {
      body.set(part, offset);
      offset += part.length;
    }
    return body;
  }
  const lengthHeader = headers.get("content-length");
  if (lengthHeader === null) return new Uint8Array(0);
  const length = Number(lengthHeader);
  if (!Number.isInteger(length) || length < 0) throw new BadRequest(400, "bad content-length");
  if (length > MAX_BODY) throw new BadRequest(413, "request body too large");
  return await reader.readExactly(length);
}

function serialize(response: HttpResponse, keepAlive: boolean): Uint8Array {
  const body = encoder.encode(response.body);
  const lines = [`HTTP/1.1 ${response.status} ${REASONS[response.status] ?? "Status"}`];
  for (const [name, value] of Object.entries(response.headers ?? {})) {
    lines.push(`${name}: ${value}`);
  }
  lines.push(`content-length: ${body.length}`);
  lines.push(`connection: ${keepAlive ? "keep-alive" : "close"}`);
  lines.push(`date: ${new Date().toUTCString()}`);
  const head = encoder.encode(lines.join("\r\n") + "\r\n\r\n");
  const bytes = new Uint8Array(head.length + body.length);
  bytes.set(head);
  bytes.set(body, head.length);
  return bytes;
}

async function writeAll(conn: Deno.Conn, bytes: Uint8Array): Promise<void> {
  let written = 0;
  while (written < bytes.length) written += await conn.write(bytes.subarray(written));
}

function closeQuietly(conn: Deno.Conn): void {
  try {
    conn.close();
  } catch {
    // already closed
  }
}

/** Buffered reads from a socket: a request head, a line, or an exact number of bytes. */
class ByteReader {
  #buffer = new Uint8Array(16 * 1024);
  #start = 0;
  #end = 0;

  constructor(readonly conn: Deno.Conn) {}

  /** How many bytes are read but not yet consumed. */
  get buffered(): number {
    return this.#end - this.#start;
  }

  /**
   * The head up to the blank line (without it), or null on EOF before any byte.
   *
   * @param onData Called once the first bytes of the head are in.
   */
  async readHead(onData: () => void): Promise<string | null> {
    for (;;) {
      if (this.#end > this.#start) onData();
      const at = indexOf(this.#buffer.subarray(this.#start, this.#end), CRLFCRLF);
      if (at !== -1) {
        const head = latin1.decode(this.#buffer.subarray(this.#start, this.#start + at));
        this.#start += at + 4;
        return head;
      }
      if (this.#end - this.#start > MAX_HEAD) {
        throw new BadRequest(431, "request head too large");
      }
      if (!(await this.#fill())) {
        if (this.#end === this.#start) return null;
        throw new Error("connection closed mid-request");
      }
    }
  }

  /** One CRLF-terminated line, without the CRLF. */
  async readLine(): Promise<string> {
    for (;;) {
      const view = this.#buffer.subarray(this.#start, this.#end);
      const at = indexOf(view, CRLFCRLF.subarray(0, 2));
      if (at !== -1) {
        const line = latin1.decode(view.subarray(0, at));
        this.#start += at + 2;
        return line;
      }
      if (view.length > MAX_HEAD) throw new BadRequest(400, "line too long");
      if (!(await this.#fill())) throw new Error("connection closed mid-request");
    }
  }

  /** Exactly `n` bytes. */
  async readExactly(n: number): Promise<Uint8Array> {
    while (this.#end - this.#start < n) {
      if (!(await this.#fill(n))) throw new Error("connection closed mid-request");
    }
    const bytes = this.#buffer.slice(this.#start, this.#start + n);
    this.#start += n;
    return bytes;
  }

  /** Reads more bytes into the buffer (growing it to hold `want` bytes); false on EOF. */
  async #fill(want = 0): Promise<boolean> {
    if (this.#start > 0) {
      this.#buffer.copyWithin(0, this.#start, this.#end);
      this.#end -= this.#start;
      this.#start = 0;
    }
    const needed = Math.max(want, this.#end + 4096);
    if (needed > this.#buffer.length) {
      const grown = new Uint8Array(Math.max(needed, this.#buffer.length * 2));
      grown.set(this.#buffer.subarray(0, this.#end));
      this.#buffer = grown;
    }
    const n = await this.conn.read(this.#buffer.subarray(this.#end));
    if (n === null) return false;
    this.#end += n;
    return true;
  }
}

function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i <= haystack.length - needle.length; i++) {
    for (let j = 0; j < needle.length; j++) {
      if (haystack[i + j] !== needle[j]) continue outer;
    }
    return i;
  }
  return -1;
}
