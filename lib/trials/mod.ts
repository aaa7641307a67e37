/**
 * A run's results read back: the trials frame (`loadTrials`, one row per judgement), what an
 * output folder holds (`trialsOverview`, `trialsDir`), and the judgements written as PrecepTron
 * dataset entries (`exportPreceptron`).
 *
 * ```ts
 * import { loadTrials } from "./mod.ts";
 *
 * const trials = await loadTrials(await Deno.makeTempDir());
 * console.log(trials.height); // 0: nothing run yet
 * ```
 *
 * @module
 */

export * from "./export_preceptron.ts";
export * from "./load_trials.ts";
export * from "./trials_dir.ts";
export * from "./trials_overview.ts";
