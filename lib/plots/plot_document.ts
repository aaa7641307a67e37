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

/**
 * Makes `plotDocument()` the global `document` when there is none, so that a plain
 * `Plot.plot({...})` works in a notebook without a `document` option (outside a browser Plot
 * otherwise fails with "Cannot read properties of undefined (reading 'documentElement')"). The
 * kit calls it when it is imported in a Jupyter kernel; `window` is left alone, so libraries that
 * look for a browser still find none.
 *
 * @returns Whether the global was set (false when a `document` already exists).
 *
 * @example
 * ```ts
 * import { installPlotDocument, plotDocument } from "./plot_document.ts";
 * import assert from "node:assert/strict";
 *
 * const had = "document" in globalThis;
 * assert.equal(installPlotDocument(), !had);
 * assert.equal((globalThis as { document?: unknown }).document, plotDocument());
 * ```
 */
export function installPlotDocument(): boolean {
  const global = globalThis as { document?: unknown };
  if (global.document !== undefined) return false;
  global.document = plotDocument();
  return true;
}

/** Whether this code runs in Deno's Jupyter kernel. */
function _inKernel(): boolean {
  try {
    // Outside `deno jupyter`, reading Deno.jupyter throws.
    const jupyter = (Deno as unknown as { jupyter?: { display?: unknown } }).jupyter;
    return typeof jupyter?.display === "function";
  } catch {
    return false;
  }
}

if (_inKernel()) installPlotDocument();
