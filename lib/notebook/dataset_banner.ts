/**
 * The banner that says what data a notebook is looking at.
 *
 * @module
 */

import { displayUrl } from "../judge/redact.ts";
import { isSynthetic } from "../data/is_synthetic.ts";
import { type Banner, banner } from "./banner.ts";
import type { DataFrame } from "../data/data_frame.ts";

/**
 * Says, at the top of a notebook, whether the loaded data are the synthetic sample (and how to
 * load the real dataset) or a real file, with its size.
 *
 * @param dataset A frame from `loadDataset`.
 * @param source Where it came from, to name in the banner.
 * @returns A displayable banner: a warning for synthetic data, a note otherwise.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { datasetBanner } from "./dataset_banner.ts";
 * import assert from "node:assert/strict";
 *
 * const sample = pl.DataFrame({ id: ["a"], synthetic: [true] });
 * assert.match(String(datasetBanner(sample)), /Synthetic data/);
 * ```
 */
export function datasetBanner(dataset: DataFrame, source?: string): Banner {
  const size = `${dataset.height.toLocaleString("en")} entries`;
  if (isSynthetic(dataset)) {
    return banner(
      "Synthetic data.",
      `These ${size} are a generated sample shipped with the kit, not physician scores from ` +
        "the PrecepTron studies: every count, score and agreement below describes the " +
        "generator, not the benchmark. To use the real dataset, set PRECEPTRON_DATASET to " +
        "combined_dataset.json, a URL or hf:owner/name (see the README).",
    );
  }
  return banner(
    "Dataset:",
    `${source === undefined ? "(source not given)" : displayUrl(source)} — ${size}.`,
    "note",
  );
}
