/**
 * `deno task benchmark --config FILE`: score the dataset with every configured judge.
 *
 * Options: `--keys FILE` (PrecepTron's `config.ini` layout, or `[env]` VAR = value), `--dry-run`
 * (print the preflight estimate and stop), `--retry-failed` (re-judge invalid replies too),
 * `--export` (also write PrecepTron's `{name}_{task}.json` arrays), `--quiet` (no progress bar).
 * Ctrl-C stops cleanly: what was judged stays in the ledger and a rerun continues.
 *
 * A config with `mode: generate` runs its `models:` as candidates over the dataset's cases
 * instead (`generateResponses`), writing `{output_dir}/generated_entries.json` for a judging
 * config's `dataset_path`; `--retry-failed` asks again where a reply was empty or refused.
 *
 * Judges with `batch: true` go through their provider's batch API: a run submits, polls and
 * collects; `--detach` submits and exits; `--collect` only collects what earlier runs submitted
 * (a plain later run collects too).
 *
 * `--study PATTERN` picks the studies whose entries are judged (or whose cases are run), in
 * place of the config's `studies`: `brodeur*`, or a comma-separated list of ids.
 *
 * Exit status: 0 when every item was judged (failed judgements are results, not errors), 3 when
 * the run stopped early (budget or Ctrl-C), 1 on a bad config, keys file or dataset.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { exportPreceptron } from "../lib/trials/export_preceptron.ts";
import { loadKeysFile } from "../lib/judge/keys_file.ts";
import { redact } from "../lib/judge/redact.ts";
import { generateResponses } from "../lib/runner/generate_responses.ts";
import { runBenchmark } from "../lib/runner/run_benchmark.ts";
import { envKeys } from "../lib/judge/providers.ts";
import { loadConfig } from "../lib/runner/config.ts";

const USAGE =
  "usage: deno task benchmark --config FILE [--keys FILE] [--dry-run] [--retry-failed] [--export] [--quiet]\n" +
  "       [--study PATTERN]: only these studies' entries (or cases), e.g. 'brodeur*' or a,b\n" +
  "       [--detach]: judges with batch: true submit their batches and exit\n" +
  "       [--collect]: only collect the batches earlier runs submitted";

/**
 * Runs the command line.
 *
 * @param args The arguments.
 * @returns The exit status.
 */
export async function main(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: {
        config: { type: "string" },
        keys: { type: "string" },
        "dry-run": { type: "boolean" },
        "retry-failed": { type: "boolean" },
        export: { type: "boolean" },
        quiet: { type: "boolean" },
        study: { type: "string" },
        detach: { type: "boolean" },
        collect: { type: "boolean" },
        help: { type: "boolean" },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 1;
  }
  const values = parsed.values;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (!values.config) {
    console.error(`--config is required\n${USAGE}`);
    return 1;
  }
  const controller = new AbortController();
  const onSignal = () => {
    console.error("\nstopping: finishing the requests in flight (Ctrl-C again to abandon them)");
    if (controller.signal.aborted) Deno.exit(130);
    controller.abort(new DOMException("stopped by the user", "AbortError"));
  };
  Deno.addSignalListener("SIGINT", onSignal);
  try {
    const config = await loadConfig(values.config);
    const keys = values.keys ? { ...envKeys(), ...(await loadKeysFile(values.keys)) } : envKeys();
    const study = values.study?.split(",").map((s) => s.trim()).filter((s) => s !== "");
    const runOptions = {
      keys,
      dryRun: values["dry-run"] === true,
      retryFailed: values["retry-failed"] === true,
      progress: values.quiet ? "silent" as const : "auto" as const,
      signal: controller.signal,
      detach: values.detach === true,
      collect: values.collect === true,
      ...(study === undefined || study.length === 0
        ? {}
        : { study: study.length === 1 ? study[0]! : study }),
    };
    if (config.mode === "generate") {
      if (values.detach || values.collect) {
        console.error(
          "--detach and --collect apply to judges with batch: true; ignored in generate mode",
        );
      }
      if (values.export) {
        console.error("--export applies to judging runs; ignored in generate mode");
      }
      const summary = await generateResponses(config, {
        ...runOptions,
        detach: false,
        collect: false,
      });
      if (!summary.dry_run) console.log(`wrote ${summary.entries_path}`);
      return summary.stopped === undefined ? 0 : 3;
    }
    const summary = await runBenchmark(config, runOptions);
    if (values.export && !summary.dry_run) {
      for (const path of await exportPreceptron(summary.output_dir)) console.log(`wrote ${path}`);
    }
    return summary.stopped === undefined ? 0 : 3;
  } catch (error) {
    console.error(`benchmark: ${redact((error as Error).message)}`);
    return 1;
  } finally {
    Deno.removeSignalListener("SIGINT", onSignal);
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
