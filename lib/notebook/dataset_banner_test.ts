import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { datasetBanner } from "./dataset_banner.ts";

Deno.test("datasetBanner() warns that synthetic data are not physician scores", () => {
  const sample = pl.DataFrame({ id: ["a", "b", "c"], synthetic: [true, true, true] });
  const b = datasetBanner(sample, "data/preceptron-sample.json");
  assert.equal(b.tone, "warning");
  assert.equal(b.title, "Synthetic data.");
  assert.match(
    b.text,
    /^These 3 entries are a generated sample shipped with the kit, not physician/,
  );
  assert.match(b.text, /set PRECEPTRON_DATASET/);
});

Deno.test("datasetBanner() names a real source and its size in a note", () => {
  const real = pl.DataFrame({ id: Array.from({ length: 5250 }, (_, i) => `e${i}`) });
  const b = datasetBanner(real, "hf:tbuckley/GRAND-ROUNDS");
  assert.equal(b.tone, "note");
  assert.equal(String(b), "ℹ Dataset: hf:tbuckley/GRAND-ROUNDS — 5,250 entries.");
  assert.equal(datasetBanner(real).text, "(source not given) — 5,250 entries.");
});

Deno.test("datasetBanner() sees the synthetic mark after a CSV round trip", () => {
  const fromCsv = pl.DataFrame({ id: ["a"], synthetic: ["true"] });
  assert.equal(datasetBanner(fromCsv).title, "Synthetic data.");
});

Deno.test("datasetBanner() shows a signed or authenticated URL's origin and path only", () => {
  const real = pl.DataFrame({ id: ["a", "b"] });
  const signed = "https://bucket.s3.amazonaws.com/combined_dataset.json?X-Amz-Algorithm=AWS4" +
    "&X-Amz-Credential=AKIAEXAMPLE%2F20250101&X-Amz-Signature=0123456789abcdef0123456789";
  assert.equal(
    String(datasetBanner(real, signed)),
    "ℹ Dataset: https://bucket.s3.amazonaws.com/combined_dataset.json — 2 entries.",
  );
  const withUser = datasetBanner(real, "https://bob:s3cret-pw-778@data.example/d.json");
  assert.equal(withUser.text, "https://data.example/d.json — 2 entries.");
  assert.equal(
    datasetBanner(real, "data/combined_dataset.json").text,
    "data/combined_dataset.json — 2 entries.",
  );
});
