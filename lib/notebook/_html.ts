/**
 * HTML escaping and the Deno Jupyter kernel's display, shared by every notebook rendering in the
 * kit (frames, banners, judgements, progress, run tables); and the run tables' text twin.
 *
 * @module
 */

const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Escapes text for an HTML element body or a double-quoted attribute. */
export function _escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** A Jupyter display call, as `Deno.jupyter.display`. */
export type _DisplayFunction = (
  bundle: Record<string, string>,
  options: { raw: true; display_id?: string; update?: boolean },
) => Promise<void> | void;

/**
 * Whether this process is the Deno Jupyter kernel. `Deno.jupyter` itself tells: outside
 * `deno jupyter` reading it throws ("Deno.jupyter is only available in `deno jupyter`
 * subcommand"); inside, it is the namespace with `display`. No environment variable is as
 * reliable: Jupyter sets none on Linux, and a kernel spec's `env` is up to whoever wrote it.
 */
export function _inJupyterKernel(): boolean {
  try {
    return typeof Deno.jupyter?.display === "function";
  } catch {
    return false;
  }
}

/** The kernel's display function (call only where `_inJupyterKernel()` holds). */
export function _jupyterDisplay(): _DisplayFunction {
  return (bundle, options) => Deno.jupyter.display(bundle, options);
}

/** A table of display-ready cells, for `_htmlTable` and `_textTable`. */
export interface _CellTable {
  /** Shown above the table. */
  caption: string;
  header: readonly string[];
  rows: readonly (readonly string[])[];
  /** Rows set apart below the body, such as totals. */
  footer?: readonly (readonly string[])[];
  /** Per column: right-aligned figures, else left-aligned text. */
  numeric: readonly boolean[];
  /** Lines of small print below the table. */
  notes?: readonly string[];
}

const TABLE_STYLE =
  "border-collapse:collapse;width:auto;margin:0;font-variant-numeric:tabular-nums";
const CELL_STYLE = "padding:2px 10px;white-space:nowrap";

/**
 * A small HTML table with inline styles (front ends strip `<style>` from untrusted outputs),
 * scrolling sideways when wide. Every cell is escaped here.
 */
export function _htmlTable(table: _CellTable): string {
  const cell = (tag: "td" | "th", text: string, i: number, extra = "") =>
    `<${tag} style="${CELL_STYLE};text-align:${table.numeric[i] ? "right" : "left"}${extra}">${
      _escapeHtml(text)
    }</${tag}>`;
  const row = (cells: readonly string[], extra = "") =>
    `<tr>${cells.map((text, i) => cell("td", text, i, extra)).join("")}</tr>`;
  const footer = (table.footer ?? []).map((cells) =>
    row(cells, ";border-top:1px solid currentColor;font-weight:600")
  );
  const notes = (table.notes ?? []).map((note) =>
    `<div style="opacity:0.75;font-size:0.9em">${_escapeHtml(note)}</div>`
  );
  return `<div style="overflow-x:auto;max-width:100%;font-size:13px">` +
    `<table style="${TABLE_STYLE}"><caption style="caption-side:top;text-align:left;` +
    `padding:0 0 4px;font-weight:600">${_escapeHtml(table.caption)}</caption>` +
    (table.header.some((text) => text !== "")
      ? `<thead><tr>${table.header.map((text, i) => cell("th", text, i)).join("")}</tr></thead>`
      : "") +
    `<tbody>${table.rows.map((cells) => row(cells)).join("")}${footer.join("")}</tbody>` +
    `</table>${notes.join("")}</div>`;
}

/**
 * The same table as aligned text: figures right-aligned, text left-aligned, columns two spaces
 * apart. Plain: caption, header, rows, footer, notes, line after line. Ruled: a blank line after
 * the caption, rules above and below the body, and a blank line before the notes.
 */
export function _textTable(table: _CellTable, options: { ruled?: boolean } = {}): string {
  const footer = table.footer ?? [];
  const lines = [table.header, ...table.rows, ...footer];
  const widths = table.header.map((_, i) => Math.max(...lines.map((line) => line[i]!.length)));
  const render = (line: readonly string[]) =>
    line.map((cell, i) => table.numeric[i] ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))
      .join("  ").trimEnd();
  const notes = table.notes ?? [];
  if (!options.ruled) return [table.caption, ...lines.map(render), ...notes].join("\n");
  const rule = widths.map((w) => "─".repeat(w)).join("  ");
  const body = [render(table.header), rule, ...table.rows.map(render), rule, ...footer.map(render)];
  return [table.caption, "", ...body, "", ...notes].join("\n");
}
