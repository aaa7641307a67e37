/**
 * A rendered figure: standalone SVG with its caption drawn in, shown as SVG in the kernel.
 *
 * @module
 */

import { redact } from "../judge/redact.ts";
import type { PlotOptions } from "./plot_options.ts";

/** What a figure needs besides its Plot element. */
export interface FigureOptions {
  /** Text drawn under the plot (wrapped); say here when the data are synthetic. */
  caption?: string;
  /** The Plot options the element was drawn from, kept as `figure.spec`. */
  spec?: PlotOptions;
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
   * The Plot options the figure was drawn from (kit figures keep theirs): extend them and call
   * `Plot.plot()` yourself, or pass `{ plot: { marks: [...] } }` to the figure function.
   */
  readonly spec: PlotOptions | undefined;

  /**
   * Makes a figure from finished SVG (the figure functions and `plotFigure()` are the usual way).
   *
   * @param svg Standalone SVG text.
   * @param caption The caption drawn in it.
   * @param width Width in pixels.
   * @param height Height in pixels.
   * @param spec The Plot options it was drawn from, when known.
   */
  constructor(
    svg: string,
    caption: string,
    width: number,
    height: number,
    spec?: PlotOptions,
  ) {
    this.svg = svg;
    this.caption = caption;
    this.width = width;
    this.height = height;
    this.spec = spec;
  }

  /** The Jupyter display bundle: the SVG, and the caption as plain text. */
  displayBundle(): Record<string, string> {
    // Notebook output leaves the kit: through the one redaction point, like every message.
    return { "image/svg+xml": redact(this.svg), "text/plain": redact(`Figure: ${this.caption}`) };
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
 * Plot's own `caption` option and its legends wrap the SVG in an HTML `<figure>`, which is
 * neither SVG nor exportable to PNG. So the caption is drawn inside the SVG, and a `<figure>`
 * is redrawn as one SVG: its colour swatches as a row of squares with their labels, its ramp
 * legends (quantized or threshold scales; continuous ramps need a canvas) as they are, above the
 * plot. Plot's own `<figcaption>` is dropped: pass the caption to `figure()`.
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
  if (svg.startsWith("<figure")) svg = _withLegends(svg);
  if (!svg.startsWith("<svg")) {
    throw new Error(
      `figure(): expected an <svg> or a <figure> element from Plot, got <${svg.slice(1, 20)}…>`,
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
  return new Figure(svg, caption, width, height, options.spec);
}

/** A Plot `<figure>` (legends and the plot) redrawn as one SVG: legends above the plot. */
function _withLegends(html: string): string {
  const plot =
    /<svg[^>]*class="plot-[0-9a-f]+"[^>]*>[\s\S]*?<\/svg>(?![\s\S]*<svg[^>]*class="plot-[0-9a-f]+")/
      .exec(html)?.[0];
  if (!plot) return html;
  const width = Number(/\bwidth="([\d.]+)"/.exec(plot)?.[1] ?? 640);
  const height = Number(/\bheight="([\d.]+)"/.exec(plot)?.[1] ?? 400);
  const parts: string[] = [];
  let y = 0;
  // Swatches: <span class="plot-…-swatch"><svg fill="…" …>…</svg>label</span>, in rows.
  for (
    const group of html.match(/<div class="plot-[0-9a-f]+-swatches[^"]*">[\s\S]*?<\/div>/g) ?? []
  ) {
    let x = 0;
    const row = y;
    for (
      const m of group.matchAll(
        /<span class="plot-[0-9a-f]+-swatch">(<svg[\s\S]*?<\/svg>)([\s\S]*?)<\/span>/g,
      )
    ) {
      const label = m[2]!.replace(/<[^>]*>/g, "");
      const advance = 15 + 6 + label.length * 6 + 14;
      if (x > 0 && x + advance > width) (x = 0, y += 20);
      parts.push(
        m[1]!.replace(/^<svg/, `<svg x="${x}" y="${y + 2}"`),
        `<text x="${x + 21}" y="${
          y + 13
        }" font-size="10" font-family="system-ui, sans-serif" fill="currentColor">${label}</text>`,
      );
      x += advance;
    }
    if (y >= row) y += 24;
  }
  // Ramp legends are SVG already.
  for (
    const ramp of html.match(/<svg[^>]*class="plot-[0-9a-f]+-ramp"[^>]*>[\s\S]*?<\/svg>/g) ?? []
  ) {
    const h = Number(/\bheight="([\d.]+)"/.exec(ramp)?.[1] ?? 50);
    parts.push(ramp.replace(/^<svg/, `<svg x="0" y="${y}"`));
    y += h;
  }
  const total = y + height;
  return `<svg width="${width}" height="${total}" viewBox="0 0 ${width} ${total}" ` +
    `font-family="system-ui, sans-serif" font-size="10" fill="currentColor">` +
    parts.join("") + plot.replace(/^<svg/, `<svg x="0" y="${y}"`) + "</svg>";
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
