/**
 * `saveFigure()`: a figure written to disk as SVG, or as PNG through resvg (no browser).
 *
 * @module
 */

import { Resvg } from "@resvg/resvg-js";
import { mkdir, rename, writeFile } from "node:fs/promises";
import { dirname, extname } from "node:path";
import { Figure, figure } from "./figure.ts";

/** How to save a figure. */
export interface SaveFigureOptions {
  /** `"svg"` or `"png"`; default: from the path's extension. */
  format?: "svg" | "png";
  /**
   * The width: pixels (a number; default twice the figure's width, for print), or a physical
   * length — `"85mm"`, `"8.5cm"`, `"3.35in"`, `"240pt"` — such as a journal column. The height
   * follows the figure's aspect ratio. A PNG is rasterised at `dpi`; an SVG gets the physical
   * size in its `width`/`height` (a pixel width leaves an SVG as it is: it scales freely).
   */
  width?: number | string;
  /** Dots per inch for a physical width (default 300, print). */
  dpi?: number;
}

/** Millimetres per unit. */
const UNITS: Record<string, number> = { mm: 1, cm: 10, in: 25.4, pt: 25.4 / 72 };

/** Fonts resvg falls back to: DejaVu Sans is on Debian; without one it would draw serif. */
const DEFAULT_FONT = "DejaVu Sans";

/**
 * Writes a figure to `path` as SVG (the figure's standalone text, as it is) or as PNG
 * (rasterised by resvg on a white background with a sans-serif default font, at `width`
 * pixels). Parent folders are created; the file is written whole (to a temporary name, then
 * renamed), so a reader never sees half of one.
 *
 * @param fig A figure from one of the `lib/plots` functions (or `figure()`), or an element
 *   straight from `Plot.plot()` (it is made a figure first, legends included).
 * @param path Where to write, ending `.svg` or `.png` unless `format` is given.
 * @param options Format and PNG width.
 * @returns The path written.
 * @throws {Error} When the format is neither given nor readable from the extension, `width` is
 *   neither a whole number of pixels from 1 to 16,384 nor a length in mm, cm, in or pt, or
 *   `dpi` is not a positive number.
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
  fig: Figure | { outerHTML: string },
  path: string,
  options: SaveFigureOptions = {},
): Promise<string> {
  const figureToSave = fig instanceof Figure ? fig : figure(fig);
  const extension = extname(path).slice(1).toLowerCase();
  const format = options.format ??
    (extension === "svg" || extension === "png" ? extension : undefined);
  if (format === undefined) {
    throw new Error(
      `saveFigure(): cannot tell the format of ${JSON.stringify(path)}; ` +
        'end the path with .svg or .png, or pass { format: "svg" | "png" }',
    );
  }
  const size = _size(figureToSave, options);
  const bytes = format === "svg"
    ? new TextEncoder().encode(_physicalSvg(figureToSave, size.physical))
    : figurePng(figureToSave, size.pixels);
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${Deno.pid}.tmp`;
  await writeFile(temporary, bytes);
  await rename(temporary, path);
  return path;
}

/** The PNG width in pixels, and the physical width in mm when one was asked for. */
function _size(
  fig: Figure,
  options: SaveFigureOptions,
): { pixels: number; physical: number | undefined } {
  const dpi = options.dpi ?? 300;
  if (!(typeof dpi === "number" && dpi > 0 && Number.isFinite(dpi))) {
    throw new Error(`saveFigure(): dpi must be a positive number, got ${String(options.dpi)}`);
  }
  const width = options.width ?? fig.width * 2;
  if (typeof width === "string") {
    const m = /^\s*([\d.]+)\s*(mm|cm|in|pt)\s*$/.exec(width);
    const mm = m ? Number(m[1]) * UNITS[m[2]!]! : NaN;
    const pixels = Math.round(mm / 25.4 * dpi);
    if (!(mm > 0) || pixels < 1 || pixels > 16_384) {
      throw new Error(
        `saveFigure(): width must be pixels or a length such as "85mm", "8.5cm", "3.35in" or ` +
          `"240pt" (at most 16384 pixels at ${dpi} dpi), got ${JSON.stringify(width)}`,
      );
    }
    return { pixels, physical: mm };
  }
  if (!Number.isInteger(width) || width < 1 || width > 16_384) {
    throw new Error(
      `saveFigure(): width must be a whole number of pixels from 1 to 16384, got ${width}`,
    );
  }
  return { pixels: width, physical: undefined };
}

/** The figure's SVG, sized in millimetres when a physical width was asked for. */
function _physicalSvg(fig: Figure, mm: number | undefined): string {
  if (mm === undefined) return fig.svg;
  const height = (mm * fig.height) / fig.width;
  return fig.svg.replace(/^<svg[^>]*>/, (tag) =>
    tag
      .replace(/\bwidth="[\d.]+"/, `width="${+mm.toFixed(3)}mm"`)
      .replace(/\bheight="[\d.]+"/, `height="${+height.toFixed(3)}mm"`));
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
