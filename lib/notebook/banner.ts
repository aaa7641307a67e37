/**
 * Banners: a highlighted note at the top of a notebook's output.
 *
 * @module
 */

import { redact } from "../judge/redact.ts";
import { _escapeHtml } from "./_html.ts";

/** How a banner looks: a warning (amber) or a note (blue). */
export type BannerTone = "warning" | "note";

/** A note that displays as a coloured box in Jupyter and as plain text elsewhere. */
export class Banner {
  /** The title, shown in bold. */
  readonly title: string;
  /** The body text. */
  readonly text: string;
  /** The look. */
  readonly tone: BannerTone;

  /**
   * Makes a banner (`banner()` is the usual way).
   *
   * @param title The bold first words.
   * @param text The rest.
   * @param tone The look.
   */
  constructor(title: string, text: string, tone: BannerTone) {
    // Banners name servers and sources: whatever they quote, no credential is shown.
    this.title = redact(title);
    this.text = redact(text);
    this.tone = tone;
  }

  /** How the Deno kernel asks an object to display itself. */
  [Symbol.for("Jupyter.display")](): Record<string, string> {
    return this.displayBundle();
  }

  /** The Jupyter display bundle: a coloured box as HTML, and the text. */
  displayBundle(): Record<string, string> {
    const [border, background] = this.tone === "warning"
      ? ["#b45309", "#fef3c7"]
      : ["#1d4ed8", "#dbeafe"];
    return {
      "text/html":
        `<div role="note" style="border-left:4px solid ${border};background:${background};` +
        `color:#111;padding:8px 12px;margin:4px 0"><strong>${_escapeHtml(this.title)}</strong> ` +
        `${_escapeHtml(this.text)}</div>`,
      "text/plain": this.toString(),
    };
  }

  /** The banner as one line of text. */
  toString(): string {
    return `${this.tone === "warning" ? "⚠" : "ℹ"} ${this.title} ${this.text}`;
  }
}

/**
 * A banner for the top of a notebook's output.
 *
 * @param title The bold first words, e.g. `"Synthetic data."`.
 * @param text The explanation.
 * @param tone `"warning"` (default) or `"note"`.
 * @returns A displayable banner.
 *
 * @example
 * ```ts
 * import { banner } from "./banner.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(String(banner("Offline.", "No API key is set.")), "⚠ Offline. No API key is set.");
 * ```
 */
export function banner(title: string, text: string, tone: BannerTone = "warning"): Banner {
  return new Banner(title, text, tone);
}
