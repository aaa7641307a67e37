/**
 * The server-side document Observable Plot renders into.
 *
 * @module
 */

import { parseHTML } from "linkedom";

let cached: Document | undefined;

/**
 * A DOM document for rendering Plot figures outside a browser (linkedom; no canvas, so
 * continuous colour ramps in legends are unavailable: use quantized scales).
 *
 * @returns A document to pass as Plot's `document` option; the same one on every call.
 *
 * @example
 * ```ts
 * import * as Plot from "@observablehq/plot";
 * import { plotDocument } from "./plot_document.ts";
 * import assert from "node:assert/strict";
 *
 * const svg = Plot.dot([[1, 2]]).plot({ document: plotDocument() });
 * assert.match(svg.outerHTML, /^<svg/);
 * ```
 */
export function plotDocument(): Document {
  cached ??= parseHTML("<!DOCTYPE html><html><head></head><body></body></html>")
    .document as unknown as Document;
  return cached;
}
