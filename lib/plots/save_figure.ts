/**
 * `saveFigure()`: a figure written to disk as SVG, or as PNG through resvg (no browser).
 *
 * @module
 */

import { Resvg } from "@resvg/resvg-js";
import { mkdir, rename, writeFile } from "node:fs/promises";
import { dirname, extname } from "node:path";
import type { Figure } from "./figure.ts";

/** How to save a figure. */
export interface SaveFigureOptions {
  /** `"svg"` or `"png"`; default: from the path's extension. */
  format?: "svg" | "png";
  /**
   * The PNG's width in pixels (default: twice the figure's width, for print); the height
   * follows the figure's aspect ratio. Ignored for SVG, which scales freely.
   */
  width?: number;
}

/** Fonts resvg falls back to: DejaVu Sans is on Debian; without one it would draw serif. */
const DEFAULT_FONT = "DejaVu Sans";

/**
 * Writes a figure to `path` as SVG (the figure's standalone text, as it is) or as PNG
 * (rasterised by resvg on a white background with a sans-serif default font, at `width`
 * pixels). Parent folders are created; the file is written whole (to a temporary name, then
 * renamed), so a reader never sees half of one.
 *
 * @param fig A figure from one of the `lib/plots` functions (or `figure()`).
 * @param path Where to write, ending `.svg` or `.png` unless `format` is given.
 * @param options Format and PNG width.
 * @returns The path written.
 * @throws {Error} When the format is neither given nor readable from the extension, or
 *   `width` is not a positive integer up to 16,384.
 *
 * @example
 * ```ts
 * import * as Plot from "@observablehq/plot";
 * import { figure } from "./figure.ts";
 * import { plotDocument } from "./plot_document.ts";
 * import { saveFigure } from "./save_figure.ts";
 * import assert from "node:assert/strict";
 *
 * const fig = figure(Plot.dot([[1, 2], [2, 3]]).plot({ document: plotDocument() }));
 * const dir = await Deno.makeTempDir();
 * await saveFigure(fig, `${dir}/dots.png`, { width: 800 });
 * const png = await Deno.readFile(`${dir}/dots.png`);
 * assert.deepEqual([...png.subarray(1, 4)], [80, 78, 71]); // "PNG"
 * ```
 */
export async function saveFigure(
  fig: Figure,
  path: string,
  options: SaveFigureOptions = {},
): Promise<string> {
  const extension = extname(path).slice(1).toLowerCase();
  const format = options.format ??
    (extension === "svg" || extension === "png" ? extension : undefined);
  if (format === undefined) {
    throw new Error(
      `saveFigure(): cannot tell the format of ${JSON.stringify(path)}; ` +
        'end the path with .svg or .png, or pass { format: "svg" | "png" }',
    );
  }
  const width = options.width ?? fig.width * 2;
  if (!Number.isInteger(width) || width < 1 || width > 16_384) {
    throw new Error(
      `saveFigure(): width must be a whole number of pixels from 1 to 16384, got ${width}`,
    );
  }
  const bytes = format === "svg" ? new TextEncoder().encode(fig.svg) : figurePng(fig, width);
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${Deno.pid}.tmp`;
  await writeFile(temporary, bytes);
  await rename(temporary, path);
  return path;
}

/** A figure rasterised to PNG bytes, `width` pixels wide. */
function figurePng(fig: Figure, width: number): Uint8Array {
  const resvg = new Resvg(fig.svg, {
    fitTo: { mode: "width", value: width },
    background: "white",
    font: { loadSystemFonts: true, defaultFontFamily: DEFAULT_FONT, sansSerifFamily: DEFAULT_FONT },
  });
  return new Uint8Array(resvg.render().asPng());
}
