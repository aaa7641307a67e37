import assert from "node:assert/strict";
import { join } from "node:path";
import { runBenchmark } from "../lib/runner/run_benchmark.ts";
import { main, report } from "./report.ts";

async function run(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "preceptron-report-" });
  await runBenchmark({
    output_dir: dir,
    tasks: ["cpc_management", "r_idea"],
    models: [{ name: "lexical", provider: "offline", model_id: "lexical" }],
    threads: {},
    repeats: 1,
    budget: {},
  }, { progress: "silent", log: () => {} });
  return dir;
}

Deno.test("report() prints the headline table and writes the tables and figures", async () => {
  const trials = await run();
  const out = await Deno.makeTempDir({ prefix: "preceptron-report-out-" });
  const lines: string[] = [];
  const result = await report({
    trials,
    out,
    resamples: 200,
    pngWidth: 400,
    log: (line) => lines.push(line),
  });
  const text = lines.join("\n");
  assert.match(text, /^Synthetic data/);
  assert.match(text, /kappa_quadratic, 95% intervals over cases: leave-one-case-out jackknife-t/);
  assert.match(text, /Intervals generalise to new cases/);
  // One headline row per task for the judge and for the constant baseline, with its cases.
  for (const task of ["cpc_management", "r_idea"]) {
    assert.match(
      text,
      new RegExp(`${task}\\s+lexical\\s+\\d+\\s+\\d+( few)?\\s+0\\.0%\\s+[\\d.-]+ \\[`),
    );
    assert.match(text, new RegExp(`${task}\\s+constant \\(mode\\)`));
  }
  // The sample's tasks rest on few cases: flagged, with the footnote.
  assert.match(text, /\d+ few/);
  assert.match(text, /few: under 20 cases/);
  // The alt-test table, one row per task for the judge.
  assert.match(text, /May the judge stand in for the physicians\?/);
  assert.match(text, /cpc_management\s+lexical\s+\d+\s+/);
  const names = [...Deno.readDirSync(out)].map((e) => e.name).sort();
  assert.deepEqual(names, [
    "agreement.csv",
    "alt_test.csv",
    "alt_test_physicians.csv",
    "bias_audit.csv",
    "calibrated_agreement.csv",
    "ceiling.csv",
    "figures",
    "overview.csv",
  ]);
  const figures = [...Deno.readDirSync(join(out, "figures"))].map((e) => e.name);
  for (
    const name of ["agreement-forest", "scatter-lexical", "confusion-lexical-r_idea", "bias-audit"]
  ) {
    assert.ok(figures.includes(`${name}.svg`) && figures.includes(`${name}.png`), name);
  }
  assert.equal(result.files.length, 7 + figures.length);
  assert.equal(result.altTest.verdict.height, 2);
  const csv = await Deno.readTextFile(join(out, "agreement.csv"));
  assert.match(csv.split("\n")[0]!, /^task,judge,metric,estimate,lower,upper/);
});

Deno.test("deno task report names what is missing or wrong", async () => {
  const errors: string[] = [];
  const original = console.error;
  console.error = (line: string) => errors.push(line);
  try {
    assert.equal(await main([]), 1);
    assert.equal(await main(["--trials", "/nonexistent/trials"]), 1);
    assert.equal(await main(["--trials", ".", "--resamples", "0"]), 1);
    assert.equal(await main(["--trials", ".", "--interval", "normal"]), 1);
  } finally {
    console.error = original;
  }
  assert.match(errors[0]!, /--trials is required/);
  assert.match(errors[1]!, /no such output folder: \/nonexistent\/trials/);
  assert.match(errors[2]!, /--resamples must be a whole number ≥ 1, got 0/);
  assert.match(errors[3]!, /--interval must be jackknife_t, bca or percentile, got normal/);
});
