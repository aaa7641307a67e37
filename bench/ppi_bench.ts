/**
 * Coverage and width of `ppiMean()`'s clustered intervals, by simulation with a known truth:
 * the PPI++ interval beside the physicians-only one at the same number of graded responses, and
 * a negative control (the no-cluster normal interval on the same clustered data), which must
 * under-cover for the simulation to be able to catch a bad interval.
 *
 * The data: G cases of m responses each. Case g has its own mean grade 3 + u_g (u ~ N(0, 1)) and
 * its own judge bias b_g (N(0, 0.6²)); a response's quality q ~ N(0, 1); physician grade
 * Y = 3 + u + q + N(0, 0.5²); judge f = 3.5 + 0.8 (u + q) + b + N(0, 0.5²). Every case has m
 * responses, so the mean physician grade over new cases is exactly 3. A simple random sample of
 * the responses (the share in the table) is graded. The last rows have no case effects (u = b =
 * 0), where PPI's gain is not hidden by between-case spread. Seeded; 95% intervals.
 *
 * Usage: `deno run -A bench/ppi_bench.ts [--reps 2000]`. Prints a markdown table.
 *
 * @module
 */

import { ppiMean } from "../lib/stats/ppi_mean.ts";
import { _normal, _uniform } from "../lib/stats/_prng.ts";

const i = Deno.args.indexOf("--reps");
const reps = i >= 0 ? Number(Deno.args[i + 1]) : 2000;

interface Design {
  cases: number;
  size: number;
  share: number;
  caseEffects: boolean;
}

const designs: Design[] = [
  { cases: 5, size: 500, share: 0.1, caseEffects: true },
  { cases: 5, size: 500, share: 0.02, caseEffects: true },
  { cases: 8, size: 300, share: 0.1, caseEffects: true },
  { cases: 20, size: 15, share: 0.15, caseEffects: true },
  { cases: 76, size: 12, share: 0.15, caseEffects: true },
  { cases: 76, size: 12, share: 0.1, caseEffects: true },
  { cases: 20, size: 15, share: 0.15, caseEffects: false },
  { cases: 76, size: 12, share: 0.15, caseEffects: false },
];

/** One simulated data set: the three intervals. */
function once(d: Design, rand: () => number) {
  const y: number[] = [], f: number[] = [], c: string[] = [];
  for (let g = 0; g < d.cases; g++) {
    const u = d.caseEffects ? _normal(rand) : 0, b = d.caseEffects ? 0.6 * _normal(rand) : 0;
    for (let k = 0; k < d.size; k++) {
      const q = _normal(rand);
      y.push(3 + u + q + 0.5 * _normal(rand));
      f.push(3.5 + 0.8 * (u + q) + b + 0.5 * _normal(rand));
      c.push(`case ${g}`);
    }
  }
  const m = y.length, n = Math.round(d.share * m);
  const order = Array.from({ length: m }, (_, k) => k);
  for (let k = 0; k < n; k++) {
    const j = k + Math.floor(rand() * (m - k));
    [order[k], order[j]] = [order[j]!, order[k]!];
  }
  const lab = order.slice(0, n), unl = order.slice(n);
  const pick = <T>(x: T[], at: number[]) => at.map((k) => x[k]!);
  const clustered = ppiMean(
    { judge: pick(f, lab), physician: pick(y, lab), clusters: pick(c, lab) },
    { judge: pick(f, unl), clusters: pick(c, unl) },
  );
  const naive = ppiMean({ judge: pick(f, lab), physician: pick(y, lab) }, { judge: pick(f, unl) });
  return { n, N: m - n, clustered, naive };
}

const median = (x: number[]) => {
  const s = [...x].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

console.log(`PPI++ for a mean with cases as clusters: ${reps} seeded data sets per design\n`);
console.log(
  "| design | n | N | coverage PPI | coverage physicians | coverage no-cluster (control) " +
    "| median width PPI | median width physicians | width saved |",
);
console.log("|---|---|---|---|---|---|---|---|---|");
for (const [k, d] of designs.entries()) {
  const rand = _uniform(20261215 + k);
  let ppi = 0, physicians = 0, naive = 0, n = 0, N = 0;
  const wPpi: number[] = [], wPhys: number[] = [];
  for (let r = 0; r < reps; r++) {
    const s = once(d, rand);
    (n = s.n), (N = s.N);
    const cover = (x: { lower: number; upper: number }) => x.lower <= 3 && 3 <= x.upper;
    if (cover(s.clustered)) ppi++;
    if (cover(s.clustered.physicianOnly)) physicians++;
    if (cover(s.naive)) naive++;
    wPpi.push(s.clustered.upper - s.clustered.lower);
    wPhys.push(s.clustered.physicianOnly.upper - s.clustered.physicianOnly.lower);
  }
  const a = median(wPpi), b = median(wPhys);
  const name = `${d.cases} cases × ${d.size}, ${pct(d.share)} graded${
    d.caseEffects ? "" : ", no case effects"
  }`;
  console.log(
    `| ${name} | ${n} | ${N} | ${pct(ppi / reps)} | ${pct(physicians / reps)} | ${
      pct(naive / reps)
    } | ${a.toFixed(3)} | ${b.toFixed(3)} | ${pct(1 - a / b)} |`,
  );
}
