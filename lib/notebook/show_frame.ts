/**
 * `showFrame()`: a Polars frame as a displayable object, with chosen display options.
 *
 * @module
 */

import { redact } from "../judge/redact.ts";
import type { FrameDisplayOptions } from "./_frame_view.ts";
import { frameHtml } from "./frame_html.ts";
import { frameText } from "./frame_text.ts";
import type { DataFrame } from "../data/data_frame.ts";

export type { FrameDisplayOptions } from "./_frame_view.ts";

/** The Jupyter bundle of a frame display. */
export interface FrameBundle {
  /** The fixed-width table of {@linkcode frameText}. */
  "text/plain": string;
  /** The HTML table of {@linkcode frameHtml}. */
  "text/html": string;
}

/** What {@linkcode showFrame} returns: the Deno kernel displays it as the frame's table. */
export class FrameDisplay {
  /** The frame shown. */
  readonly frame: DataFrame;
  /** The display options. */
  readonly options: FrameDisplayOptions;

  /**
   * Makes a display of a frame (`showFrame()` is the usual way).
   *
   * @param frame The frame shown.
   * @param options The display options.
   */
  constructor(frame: DataFrame, options: FrameDisplayOptions = {}) {
    this.frame = frame;
    this.options = options;
  }

  /** The bundle: `text/plain` and `text/html`. */
  bundle(): FrameBundle {
    return _frameBundle(this.frame, this.options);
  }

  /** How the Deno kernel asks an object to display itself. */
  [Symbol.for("Jupyter.display")](): FrameBundle {
    return this.bundle();
  }
}

/** The `text/plain` and `text/html` of a frame. */
export function _frameBundle(frame: DataFrame, options: FrameDisplayOptions = {}): FrameBundle {
  // Notebook output leaves the kit: through the one redaction point, like every message.
  return {
    "text/plain": redact(frameText(frame, options)),
    "text/html": redact(frameHtml(frame, options)),
  };
}

/**
 * Wraps a frame for display with chosen options, e.g. more rows than the default 20. A frame
 * left as a cell's result already shows the kit's table once the kit is imported (see
 * {@linkcode installFrameDisplay}); `showFrame` is for other row counts or digits. The
 * options are checked when the object is displayed.
 *
 * @param frame Any frame; it is not copied, so display it before changing it in place.
 * @param options Rows shown (negative: all), significant digits, characters per text cell.
 * @returns An object the kernel displays with `text/plain` and `text/html`.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { showFrame } from "./show_frame.ts";
 * import assert from "node:assert/strict";
 *
 * const frame = pl.DataFrame({ i: Array.from({ length: 100 }, (_, i) => i) });
 * const bundle = showFrame(frame, { maxRows: 4 }).bundle();
 * assert.match(bundle["text/plain"], /showing 4 of 100 rows \(first 2, last 2\)/);
 * assert.match(bundle["text/html"], /^<div style="overflow-x:auto/);
 * ```
 */
export function showFrame(frame: DataFrame, options: FrameDisplayOptions = {}): FrameDisplay {
  return new FrameDisplay(frame, options);
}
