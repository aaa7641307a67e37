/**
 * `deno task figures`: every paper figure, as SVG and PNG, in `out/figures/` — the judge
 * configured in the environment (else the offline lexical baseline), and the baseline beside an
 * LLM judge, run over the dataset (default: the shipped synthetic sample), then the report.
 *
 * Options: `--dataset SOURCE`, `--out DIR` (default `out/figures`), `--resamples N`.
 * A re-run judges nothing already in `out/trials/figures/`.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { defaultSource } from "../lib/data/load_dataset.ts";
import type { ModelConfig } from "../lib/judge/model_config.ts";
import { defaultJudgeConfig } from "../lib/judge/default_judge_config.ts";
import { runBenchmark } from "../lib/runner/run_benchmark.ts";
import { trialsDir } from "../lib/trials/trials_dir.ts";
import { report } from "./report.ts";

const BASELINE: ModelConfig = {
  name: "lexical-baseline",
  provider: "offline",
  model_id: "lexical",
};

/**
 * Runs the command line.
 *
 * @param args The arguments.
 * @returns The exit status.
 */
export async function main(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      dataset: { type: "string" },
      out: { type: "string" },
      resamples: { type: "string" },
    },
    strict: true,
  });
  try {
    const judge = defaultJudgeConfig();
    const output_dir = trialsDir("figures");
    const dataset = defaultSource(values.dataset);
    await runBenchmark({
      dataset_path: dataset,
      output_dir,
      tasks: [],
      models: judge.provider === "offline" ? [judge] : [judge, BASELINE],
      threads: { openai: 30, anthropic: 20, openrouter: 20, "openai-compatible": 8 },
      repeats: 1,
      budget: {},
    });
    const resamples = values.resamples === undefined ? undefined : Number(values.resamples);
    const out = values.out ?? "out/figures";
    await report({
      trials: output_dir,
      dataset,
      out,
      figuresDir: out,
      ...(resamples ? { resamples } : {}),
    });
    return 0;
  } catch (error) {
    console.error(`figures: ${(error as Error).message}`);
    return 1;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
