import assert from "node:assert/strict";
import { withEnv } from "../lib/data/_test_support.ts";
import { main } from "./figures.ts";

/** No provider configured, whatever the machine has: the offline baseline judges. */
const OFFLINE = Object.fromEntries(
  [
    "PRECEPTRON_BASE_URL",
    "OPENAI_API_KEY",
    "AZURE_OPENAI_API_KEY",
    "OPENROUTER_API_KEY",
    "ANTHROPIC_API_KEY",
    "PRECEPTRON_DATASET",
  ].map((name) => [name, undefined]),
);

Deno.test("deno task figures writes every paper figure as SVG and PNG, with the tables", async () => {
  const out = await Deno.makeTempDir({ prefix: "preceptron-figures-" });
  const log = console.log;
  console.log = () => {};
  try {
    await withEnv(OFFLINE, async () => {
      assert.equal(await main(["--out", out, "--resamples", "100"]), 0);
    });
  } finally {
    console.log = log;
  }
  const names = new Set([...Deno.readDirSync(out)].map((e) => e.name));
  for (const table of ["agreement.csv", "ceiling.csv", "overview.csv"]) assert.ok(names.has(table));
  for (
    const figure of [
      "agreement-forest",
      "grade-distribution",
      "physician-scatter",
      "scatter-lexical-baseline",
      "calibration-lexical-baseline",
      "bland-altman-lexical-baseline",
      "respondents-lexical-baseline",
      "confusion-lexical-baseline-cpc_bond",
    ]
  ) {
    assert.ok(names.has(`${figure}.svg`) && names.has(`${figure}.png`), figure);
  }
});
