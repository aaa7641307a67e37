/**
 * How long the synthetic sample takes to generate: the published size (`size: "full"`) and ten
 * times the demo sample (`scale: 10`), the median of three runs each. Targets: under 1 s and
 * under 5 s on a laptop-class core (they were a timed unit test; timings belong here).
 *
 * Usage: `deno run -A bench/sample_bench.ts`
 *
 * @module
 */

import { generateSample, type SampleOptions } from "../lib/sample/generate_sample.ts";

const RUNS = 3;
const cases: { name: string; options: SampleOptions; targetMs: number }[] = [
  { name: 'size: "full"', options: { size: "full", seed: 11 }, targetMs: 1000 },
  { name: "scale: 10", options: { scale: 10, seed: 11 }, targetMs: 5000 },
];

const rows = cases.map(({ name, options, targetMs }) => {
  let entries = 0;
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    entries = generateSample(options).length;
    times.push(performance.now() - started);
  }
  const median = times.sort((a, b) => a - b)[Math.floor(RUNS / 2)]!;
  return {
    sample: name,
    entries,
    "median ms": Math.round(median),
    "target ms": targetMs,
    met: median < targetMs ? "yes" : "NO",
  };
});
console.log("Synthetic sample generation (SYNTHETIC data), median of 3 runs");
console.table(rows);
