import assert from "node:assert/strict";
import { pairedClusterBootstrap } from "./paired_cluster_bootstrap.ts";
import { clusterBootstrap } from "./cluster_bootstrap.ts";
import { meanAbsoluteError } from "./mean_absolute_error.ts";
import { _normal, _uniform } from "./_prng.ts";

// Two judges scoring the same 40 cases, 3 responses each; a case effect shared by everyone.
const uniform = _uniform(99);
const rows = Array.from({ length: 40 }, (_, c) => {
  const effect = _normal(uniform);
  return Array.from({ length: 3 }, () => {
    const physician = 3 + effect + 0.5 * _normal(uniform);
    return {
      case_id: `case-${c}`,
      physician,
      judgeA: physician + 0.3 * _normal(uniform),
      judgeB: physician + 0.6 * _normal(uniform) + 0.2,
    };
  });
}).flat();
type Row = (typeof rows)[number];
const maeA = (s: readonly Row[]) =>
  meanAbsoluteError(s.map((r) => r.judgeA), s.map((r) => r.physician));
const maeB = (s: readonly Row[]) =>
  meanAbsoluteError(s.map((r) => r.judgeB), s.map((r) => r.physician));

Deno.test("pairedClusterBootstrap() evaluates both statistics on the same resamples", () => {
  const options = { cluster: "case_id" as const, resamples: 1000, seed: 5 };
  const paired = pairedClusterBootstrap(rows, maeA, maeB, options);
  // Each side equals its own bootstrap with the same seed: the same clusters were drawn.
  assert.deepEqual(paired.a, clusterBootstrap(rows, maeA, options));
  assert.deepEqual(paired.b, clusterBootstrap(rows, maeB, options));
  // The difference is a − b replicate by replicate, and bootstraps like a − b as one statistic.
  paired.difference.replicates.forEach((d, i) => {
    assert.equal(d, paired.a.replicates[i]! - paired.b.replicates[i]!);
  });
  const direct = clusterBootstrap(rows, (s) => maeA(s) - maeB(s), options);
  assert.equal(paired.difference.estimate, direct.estimate);
  assert.deepEqual(paired.difference.percentile, direct.percentile);
  assert.ok(Math.abs(paired.difference.bca.lower - direct.bca.lower) < 1e-12);
});

Deno.test("pairedClusterBootstrap() gives a narrower interval than unpaired resamples would", () => {
  // Mean scores share the case effect, which pairing cancels: B scores 0.2 higher than A.
  const meanA = (s: readonly Row[]) => s.reduce((t, r) => t + r.judgeA, 0) / s.length;
  const meanB = (s: readonly Row[]) => s.reduce((t, r) => t + r.judgeB, 0) / s.length;
  const paired = pairedClusterBootstrap(rows, meanA, meanB, { cluster: "case_id", seed: 2 });
  // Unpaired: a and b from independent resamples (different seeds).
  const a = clusterBootstrap(rows, meanA, { cluster: "case_id", seed: 3 });
  const b = clusterBootstrap(rows, meanB, { cluster: "case_id", seed: 4 });
  const unpaired = a.replicates.map((x, i) => x - b.replicates[i]!).sort();
  const width = unpaired[1949]! - unpaired[50]!;
  const pairedWidth = paired.difference.percentile.upper - paired.difference.percentile.lower;
  assert.ok(pairedWidth < width / 3, `paired ${pairedWidth} vs unpaired ${width}`);
  // Judge B's lenience shows: the whole paired interval of A − B is below 0, the unpaired one
  // straddles it.
  assert.ok(paired.difference.bca.upper < 0 && paired.difference.percentile.upper < 0);
  assert.ok(unpaired[50]! < 0 && unpaired[1949]! > 0);
});

Deno.test("pairedClusterBootstrap() rejects empty rows and a missing statistic", () => {
  assert.throws(
    () => pairedClusterBootstrap([], maeA, maeB, { cluster: "case_id" }),
    /rows is empty/,
  );
  assert.throws(
    // @ts-expect-error: the second statistic is missing.
    () => pairedClusterBootstrap(rows, maeA, undefined, { cluster: "case_id" }),
    /statistic 2 is not a function/,
  );
});
