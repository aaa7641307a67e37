/**
 * `runBenchmark` in a process of its own, for tests that kill it (SIGKILL) while it polls its
 * batches: `deno run -A _batch_child_test_support.ts '<json>'`, the one argument being
 * `{ config, keys, batchPollMs, batchLimit }`.
 *
 * @module
 */

import type { BenchmarkConfig } from "./config.ts";
import { runBenchmark } from "./run_benchmark.ts";

if (import.meta.main) {
  const { config, keys, batchPollMs, batchLimit } = JSON.parse(Deno.args[0]!) as {
    config: BenchmarkConfig;
    keys: Record<string, string>;
    batchPollMs: number;
    batchLimit: { requests: number; bytes: number };
  };
  const options = { keys, batchPollMs, batchLimit, progress: "silent" as const, log: () => {} };
  await runBenchmark(config, options);
}
