/**
 * Judgements as tables in a notebook.
 *
 * @module
 */

import { redact, redactValue } from "../judge/redact.ts";
import type { Judgement } from "../judge/judgement.ts";
import type { RoutedScore } from "../judge/score.ts";
import { _escapeHtml } from "./_html.ts";

/** A displayable view of one or more judgements. */
export class JudgementView {
  /** The judgements shown, with a label each. */
  readonly rows: readonly { label: string; judgement: Judgement }[];
  /** The router's note, when the tasks were routed. */
  readonly routing?: string;

  /**
   * Makes a view of judgements (`showJudgement()` is the usual way).
   *
   * @param rows The judgements and labels.
   * @param routing A line about the routing, if any.
   */
  constructor(rows: readonly { label: string; judgement: Judgement }[], routing?: string) {
    // A hand-made or stored judgement may quote a key: nothing shown here holds one.
    this.rows = redactValue(rows);
    if (routing !== undefined) this.routing = redact(routing);
  }

  /** The Jupyter display bundle: an HTML table, and text. */
  displayBundle(): Record<string, string> {
    const cells = this.rows.map(({ label, judgement: j }) => {
      const outcome = j.status === "scored"
        ? `<strong>${j.score}</strong>`
        : `<span style="color:#b91c1c">failed: ${_escapeHtml(j.reason)}</span>`;
      const why = j.status === "scored" ? j.justification : j.detail;
      const extra = j.status === "scored" && j.fields
        ? ` ${_escapeHtml(JSON.stringify(j.fields))}`
        : "";
      const tokens = j.usage ? `${j.usage.input_tokens} in / ${j.usage.output_tokens} out` : "–";
      return `<tr><td>${_escapeHtml(label)}</td><td>${outcome}</td><td style="text-align:left">${
        _escapeHtml(why)
      }${extra}</td><td>${
        _escapeHtml(j.provenance.judge)
      }</td><td>${j.provenance.output_mode}</td><td>${tokens}</td></tr>`;
    });
    const note = this.routing ? `<p>${_escapeHtml(this.routing)}</p>` : "";
    return {
      "text/html":
        `${note}<table><thead><tr><th>task</th><th>score</th><th>justification / reason</th>` +
        `<th>judge</th><th>output</th><th>tokens</th></tr></thead><tbody>${
          cells.join("")
        }</tbody></table>`,
      "text/plain": this.toString(),
    };
  }

  /** How the Deno kernel asks an object to display itself. */
  [Symbol.for("Jupyter.display")](): Record<string, string> {
    return this.displayBundle();
  }

  /** The judgements as lines of text. */
  toString(): string {
    const lines = this.rows.map(({ label, judgement: j }) =>
      j.status === "scored"
        ? `${label}: ${j.score} — ${j.justification}`
        : `${label}: failed (${j.reason}) — ${j.detail}`
    );
    return [this.routing, ...lines].filter((l) => l !== undefined).join("\n");
  }
}

/**
 * Shows a `score()` result as a table: task, score (or failure reason), justification, judge,
 * output mode and tokens. A routed result lists each chosen task and the router's choice.
 *
 * @param result A judgement, or the routed result of `score()` without a task.
 * @returns A displayable view.
 *
 * @example
 * ```ts
 * import { showJudgement } from "./judgement_view.ts";
 * import assert from "node:assert/strict";
 *
 * const view = showJudgement({
 *   task: "cpc_management", status: "failed", reason: "invalid_json", detail: "not JSON",
 *   raw: "four", attempts: 1, latency_ms: 3,
 *   provenance: { judge: "j", provider: "p", model: "m", parameters: {}, prompt_version: "1",
 *     prompt_hash: "h", output_mode: "extracted" },
 * });
 * assert.equal(String(view), "cpc_management: failed (invalid_json) — not JSON");
 * ```
 */
export function showJudgement(result: Judgement | RoutedScore): JudgementView {
  if ("router" in result) {
    const rows = Object.entries(result.results).map(([label, judgement]) => ({
      label,
      judgement: judgement!,
    }));
    const skipped = result.router.skipped.map((s) => `${s.task} (${s.why})`).join("; ");
    const routing =
      `Router (${result.router.method}) chose ${result.router.tasks.join(", ") || "no task"}` +
      (skipped ? `; skipped ${skipped}` : "") +
      (result.router.note ? `. ${result.router.note}` : "");
    return new JudgementView(rows, routing);
  }
  return new JudgementView([{ label: result.task, judgement: result }]);
}
