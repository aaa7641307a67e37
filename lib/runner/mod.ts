/**
 * The benchmark runner: one pipeline with two kinds of work — judging entries (`runBenchmark`)
 * and generating responses to cases (`generateResponses`) — over a config, a content-addressed
 * ledger (cache, resume point and record), per-provider adaptive concurrency, budget and
 * progress. Reading a run's results is `preceptron/trials`.
 *
 * ```ts
 * import { runBenchmark } from "./mod.ts";
 * import { loadTrials } from "../trials/mod.ts";
 *
 * const output_dir = await Deno.makeTempDir();
 * await runBenchmark({
 *   output_dir,
 *   tasks: ["cpc_management"],
 *   models: [{ name: "lexical", provider: "offline", model_id: "lexical" }],
 *   threads: {},
 *   repeats: 1,
 *   budget: {},
 * }, { progress: "silent", log: () => {} });
 * await loadTrials(output_dir);
 * ```
 *
 * @module
 */

export * from "./budget.ts";
export * from "./candidate_model.ts";
export * from "./config.ts";
export * from "./generate_responses.ts";
export * from "./preflight.ts";
export * from "./progress.ts";
export * from "./provider_pool.ts";
export * from "./run_benchmark.ts";
export * from "./run_options.ts";
