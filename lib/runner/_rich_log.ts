/**
 * Where a run's tables go: the preflight and the summary show as HTML tables (with their text
 * beside them) in a notebook, and as text in a terminal or a log.
 *
 * @module
 */

import { redact } from "../judge/redact.ts";
import { _inJupyterKernel, _jupyterDisplay } from "../notebook/_html.ts";

/** Shows one table, as text and as HTML. */
export type _RichLog = (text: string, html: string) => Promise<void>;

/**
 * The rich counterpart of a run's `log`. When the caller chose no `log` of their own and this
 * is the Jupyter kernel, a table is displayed as HTML beside its text; otherwise its text goes
 * to `log`. Both pass the one redaction point.
 *
 * @param custom The caller's `log` option, if any.
 * @param log The run's log (redacting).
 */
export function _richLog(
  custom: ((line: string) => void) | undefined,
  log: (line: string) => void,
): _RichLog {
  return async (text, html) => {
    if (custom === undefined && _inJupyterKernel()) {
      try {
        await _jupyterDisplay()({ "text/plain": redact(text), "text/html": redact(html) }, {
          raw: true,
        });
        return;
      } catch {
        // The display failed: fall back to the text.
      }
    }
    log(text);
  };
}
