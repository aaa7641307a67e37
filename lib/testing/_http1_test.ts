import assert from "node:assert/strict";
import { DROP, type Http1Server, type HttpRequest, serveHttp1 } from "./_http1.ts";

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** A server that echoes method, path and body, and drops requests to /drop. */
function echoServer(): Http1Server & AsyncDisposable {
  const server = serveHttp1({ hostname: "127.0.0.1", port: 0 }, (request: HttpRequest) => {
    if (request.path === "/drop") return Promise.resolve(DROP);
    return Promise.resolve({
      status: 200,
      headers: { "content-type": "text/plain" },
      body: `${request.method} ${request.path} ${decoder.decode(request.body)}`,
      ...(request.path === "/close" ? { close: true } : {}),
    });
  });
  return Object.assign(server, { [Symbol.asyncDispose]: () => server.close() });
}

/** Sends raw bytes and reads until the server closes the connection. */
async function exchange(port: number, ...writes: string[]): Promise<string> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    for (const text of writes) await conn.write(encoder.encode(text));
    let received = "";
    const buffer = new Uint8Array(4096);
    for (;;) {
      const n = await conn.read(buffer).catch(() => null);
      if (n === null) return received;
      received += decoder.decode(buffer.subarray(0, n));
    }
  } finally {
    conn.close();
  }
}

Deno.test("serveHttp1() serves several requests on one keep-alive connection", async () => {
  await using server = echoServer();
  const received = await exchange(
    server.port,
    "POST /a?x=1 HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc",
    "GET /b HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n",
  );
  const answers = received.split("HTTP/1.1 200 OK\r\n").slice(1);
  assert.equal(answers.length, 2);
  assert.match(answers[0]!, /connection: keep-alive\r\n[\s\S]*\r\n\r\nPOST \/a abc$/);
  assert.match(answers[1]!, /connection: close\r\n[\s\S]*\r\n\r\nGET \/b $/);
});

Deno.test("serveHttp1() reads chunked bodies and answers Expect: 100-continue", async () => {
  await using server = echoServer();
  const received = await exchange(
    server.port,
    "POST /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n" +
      "Connection: close\r\n\r\n",
    "4\r\nWiki\r\n6;ext=1\r\npedia \r\n0\r\n\r\n",
  );
  assert.match(received, /^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 200 OK\r\n/);
  assert.match(received, /\r\n\r\nPOST \/c Wikipedia $/);
});

Deno.test("serveHttp1() closes HTTP/1.0 connections and on request", async () => {
  await using server = echoServer();
  assert.match(
    await exchange(server.port, "GET /old HTTP/1.0\r\n\r\n"),
    /connection: close\r\n[\s\S]*GET \/old $/,
  );
  assert.match(
    await exchange(server.port, "GET /close HTTP/1.1\r\n\r\n"),
    /connection: close\r\n/,
  );
});

Deno.test("serveHttp1() drops a connection with no answer at all", async () => {
  await using server = echoServer();
  assert.equal(
    await exchange(server.port, "POST /drop HTTP/1.1\r\nContent-Length: 0\r\n\r\n"),
    "",
  );
});

Deno.test("serveHttp1() answers a malformed request with 400 and closes", async () => {
  await using server = echoServer();
  const received = await exchange(server.port, "NOT HTTP\r\n\r\n");
  assert.match(received, /^HTTP\/1\.1 400 Bad Request\r\n/);
  assert.match(received, /malformed request line/);
});

Deno.test("serveHttp1() closeIdleConnections() closes connections waiting for a request", async () => {
  await using server = echoServer();
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
  try {
    await conn.write(encoder.encode("GET /a HTTP/1.1\r\n\r\n"));
    const buffer = new Uint8Array(4096);
    assert.ok((await conn.read(buffer))! > 0);
    await new Promise((resolve) => setTimeout(resolve, 20));
    server.closeIdleConnections();
    assert.equal(await conn.read(buffer), null);
  } finally {
    conn.close();
  }
});
