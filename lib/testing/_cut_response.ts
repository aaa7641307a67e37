/**
 * A response cut off mid-body, for the imitations' dropped-connection faults.
 *
 * @module
 */

/**
 * A response that sends the first half of `bytes` and ends: closing the stream short of the
 * Content-Length it announces makes the server drop the connection mid-body.
 *
 * @param bytes The whole body the response announces.
 * @param init Status and headers (set `content-length` to the whole body's length).
 */
export function _cutResponse(bytes: Uint8Array, init: ResponseInit): Response {
  const half = bytes.slice(0, Math.floor(bytes.byteLength / 2));
  let sent = false;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent) return controller.close();
      sent = true;
      controller.enqueue(half);
    },
  });
  return new Response(body, init);
}
