/**
 * A rendered figure: standalone SVG with its caption drawn in, shown as SVG in the kernel.
 *
 * @module
 */

/** What a figure needs besides its Plot element. */
export interface FigureOptions {
  /** Text drawn under the plot (wrapped); say here when the data are synthetic. */
  caption?: string;
}

const CAPTION_FONT = 12;
const LINE_HEIGHT = 16;
/** Roughly how many caption characters fit per pixel of width at 12px sans-serif. */
const CHARS_PER_PIXEL = 1 / 6.4;

/**
 * A finished figure: a self-contained SVG document (with `xmlns`, the caption drawn inside it)
 * that displays as `image/svg+xml` in a Jupyter kernel and can be written to a file as it is.
 */
export class Figure {
  /** The standalone SVG text. */
  readonly svg: string;
  /** The caption, as text. */
  readonly caption: string;
  /** Width in pixels. */
  readonly width: number;
  /** Height in pixels, caption included. */
  readonly height: number;

  /**
   * @param svg Standalone SVG text.
   * @param caption The caption drawn in it.
   * @param width Width in pixels.
   * @param height Height in pixels.
   */
  constructor(svg: string, caption: string, width: number, height: number) {
    this.svg = svg;
    this.caption = caption;
    this.width = width;
    this.height = height;
  }

  /** The Jupyter display bundle: the SVG, and the caption as plain text. */
  displayBundle(): Record<string, string> {
    return { "image/svg+xml": this.svg, "text/plain": `Figure: ${this.caption}` };
  }

  /** How the Deno kernel asks an object to display itself. */
  [Symbol.for("Jupyter.display")](): Record<string, string> {
    return this.displayBundle();
  }

  /** The SVG text. */
  toString(): string {
    return this.svg;
  }
}

/**
 * Turns a Plot SVG element into a standalone `Figure`, drawing the caption under the plot.
 *
 * Plot's own `caption` option wraps the SVG in an HTML `<figure>`, which is neither SVG nor
 * exportable to PNG; drawing the caption inside the SVG keeps one self-contained image.
 *
 * @param element An element from `Plot.plot(...)` rendered with `plotDocument()`.
 * @param options The caption.
 * @returns The figure.
 * @throws {Error} When the element is not an `<svg>` (e.g. Plot added a legend wrapper).
 *
 * @example
 * ```ts
 * import * as Plot from "@observablehq/plot";
 * import { figure } from "./figure.ts";
 * import { plotDocument } from "./plot_document.ts";
 * import assert from "node:assert/strict";
 *
 * const fig = figure(Plot.dot([[1, 2]]).plot({ document: plotDocument() }), {
 *   caption: "Synthetic data.",
 * });
 * assert.match(fig.svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
 * assert.match(fig.svg, /Synthetic data\./);
 * ```
 */
export function figure(element: { outerHTML: string }, options: FigureOptions = {}): Figure {
  let svg = element.outerHTML;
  if (!svg.startsWith("<svg")) {
    throw new Error(
      `figure(): expected an <svg> element from Plot, got <${svg.slice(1, 20)}…>; ` +
        "leave out Plot's caption and colour legends (use figure()'s caption instead)",
    );
  }
  const width = Number(/\bwidth="([\d.]+)"/.exec(svg)?.[1] ?? 640);
  const plotHeight = Number(/\bheight="([\d.]+)"/.exec(svg)?.[1] ?? 400);
  const caption = options.caption ?? "";
  const lines = caption === "" ? [] : wrap(caption, Math.floor((width - 16) * CHARS_PER_PIXEL));
  const height = plotHeight + (lines.length > 0 ? lines.length * LINE_HEIGHT + 12 : 0);

  // resvg needs the namespace, which linkedom's serialiser leaves out.
  if (!/^<svg[^>]*\bxmlns=/.test(svg)) {
    svg = svg.replace(/^<svg/, '<svg xmlns="http://www.w3.org/2000/svg"');
  }
  svg = svg
    .replace(/(<svg[^>]*?)\bheight="[\d.]+"/, `$1height="${height}"`)
    .replace(
      /(<svg[^>]*?)\bviewBox="([\d.\-]+) ([\d.\-]+) ([\d.]+) [\d.]+"/,
      (_m, head, x, y, w) => `${head}viewBox="${x} ${y} ${w} ${height}"`,
    );
  if (lines.length > 0) {
    const text = lines.map((line, i) =>
      `<text x="8" y="${plotHeight + 12 + (i + 1) * LINE_HEIGHT - 4}">${escapeXml(line)}</text>`
    ).join("");
    svg = svg.replace(
      /<\/svg>$/,
      `<g class="caption" font-size="${CAPTION_FONT}" text-anchor="start" fill="currentColor">` +
        `${text}</g></svg>`,
    );
  }
  return new Figure(svg, caption, width, height);
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/)) {
    if (line !== "" && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === "" ? word : `${line} ${word}`;
  }
  if (line !== "") lines.push(line);
  return lines;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
