import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { join } from "node:path";
import { DatasetError, type DatasetProblem } from "./dataset_error.ts";
import { DATASET_COLUMNS } from "./entries_frame.ts";
import type { Entry } from "./entry.ts";
import { defaultSource, loadDataset, readDataset, SAMPLE_PATH } from "./load_dataset.ts";
import { startHubImitation } from "./_hub_imitation.ts";

const entries: Entry[] = [
  {
    id: "bond-1",
    case_id: "cpc-7",
    benchmark: "cpc_bond",
    study: "kanjee2023",
    model: "gpt-4",
    grade: 4.5,
    max_score: 5,
    response: '1. Pheochromocytoma, "classic"\n2. Thyroid storm',
    final_diagnosis: "Pheochromocytoma",
    grades: [{ rater: "phys-01", score: 4 }, { rater: "phys-02", score: 5 }],
  },
  {
    id: "mgmt-1",
    case_id: "gm-2",
    benchmark: "management_reasoning",
    study: "goh2025",
    model: "physician + gpt-4",
    grade: 7,
    max_score: 9,
    response: "Start heparin; obtain CT pulmonary angiogram.",
    rubric: { items: [{ id: "a", description: "anticoagulate", points: 4 }] },
    case_vignette: "A 54-year-old with pleuritic chest pain…",
    question_text: "What is your next step?",
    grades: [{ rater: "phys-03", score: 7 }, { rater: "phys-01", score: 7 }],
  },
];

async function tempDir(): Promise<string> {
  return await Deno.makeTempDir({ prefix: "preceptron-load-" });
}

Deno.test("loadDataset() reads the same entries from JSON, JSON Lines, CSV and Parquet", async () => {
  const dir = await tempDir();
  const json = join(dir, "d.json");
  await Deno.writeTextFile(json, JSON.stringify(entries));
  const jsonl = join(dir, "d.jsonl");
  await Deno.writeTextFile(jsonl, entries.map((e) => JSON.stringify(e)).join("\n") + "\n");
  const csv = join(dir, "d.csv");
  const header = [
    ...DATASET_COLUMNS.filter((c) => c !== "raters" && c !== "rater_scores"),
    "grades",
  ];
  const cell = (v: unknown) => {
    if (v === undefined) return "";
    const text = typeof v === "string" ? v : typeof v === "number" ? String(v) : JSON.stringify(v);
    return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  await Deno.writeTextFile(
    csv,
    [
      header.join(","),
      ...entries.map((e) => header.map((h) => cell(e[h as keyof Entry])).join(",")),
    ]
      .join("\n"),
  );
  // Parquet as a pandas/pyarrow export would hold it: rater scores as a list of structs.
  const parquet = join(dir, "d.parquet");
  const long = pl.DataFrame(
    entries.flatMap((e) => e.grades!.map((g) => ({ id: e.id, rater: g.rater, score: g.score }))),
  );
  const base = pl.DataFrame(entries.map(({ grades: _, rubric, ...e }) => ({
    ...e,
    rubric: rubric === undefined ? null : JSON.stringify(rubric),
  })));
  base.join(
    long.groupBy("id").agg(pl.struct([pl.col("rater"), pl.col("score")]).alias("grades")),
    { on: "id" },
  ).sort("id").writeParquet(parquet);

  const expected = (await loadDataset(json)).sort("id").toRecords();
  assert.equal(expected.length, 2);
  assert.deepEqual((expected[0] as Record<string, unknown>).rater_scores, [4, 5]);
  for (const path of [jsonl, csv, parquet]) {
    const frame = await loadDataset(path);
    assert.deepEqual(frame.columns, [...DATASET_COLUMNS], path);
    assert.deepEqual(frame.sort("id").toRecords(), expected, path);
  }
});

Deno.test("loadDataset() throws one DatasetError naming every bad row, id and field", async () => {
  const dir = await tempDir();
  const path = join(dir, "bad.jsonl");
  const good = entries[0]!;
  const lines = [
    JSON.stringify(good),
    JSON.stringify({ ...good, id: "no-case", case_id: undefined }),
    JSON.stringify({ ...good, id: "typed", max_score: "5" }),
    JSON.stringify({ ...good, id: "out", grade: 6 }),
    JSON.stringify({ ...good, id: "task", benchmark: "cpc" }),
    JSON.stringify(good),
    '{"id": "cut", "grade": 3',
  ];
  await Deno.writeTextFile(path, lines.join("\n"));
  const error = await loadDataset(path).then(
    () => assert.fail("expected a DatasetError"),
    (e: unknown) => e,
  );
  assert.ok(error instanceof DatasetError);
  assert.deepEqual(error.problems.map((p) => [p.where, p.id, p.field]), [
    ["line 2", "no-case", "case_id"],
    ["line 3", "typed", "max_score"],
    ["line 4", "out", "grade"],
    ["line 5", "task", "benchmark"],
    ["line 6", "bond-1", "id"],
    ["line 7", undefined, undefined],
  ]);
  assert.match(error.message, /^.*bad\.jsonl: 6 problems in 6 rows; nothing was loaded\./);
  assert.match(error.message, /line 4 \(id "out"\), field "grade": 6 is above max_score 5/);
  assert.match(error.message, /line 7: not valid JSON .*the file looks truncated here/);
});

Deno.test("loadDataset() with invalid: 'skip' loads the valid rows and reports each rejected one", async () => {
  const dir = await tempDir();
  const path = join(dir, "mixed.json");
  await Deno.writeTextFile(
    path,
    JSON.stringify([entries[0], { ...entries[1], grade: 99 }, { ...entries[1], id: "ok-2" }]),
  );
  const reported: DatasetProblem[] = [];
  const frame = await loadDataset(path, {
    invalid: "skip",
    onProblems: (problems) => reported.push(...problems),
  });
  assert.deepEqual(frame.getColumn("id").toArray(), ["bond-1", "ok-2"]);
  assert.deepEqual(reported.map((p) => [p.where, p.id, p.field]), [["index 1", "mgmt-1", "grade"]]);
});

Deno.test("loadDataset() never skips past a file it cannot parse", async () => {
  const dir = await tempDir();
  const path = join(dir, "cut.json");
  await Deno.writeTextFile(path, JSON.stringify(entries).slice(0, 120));
  await assert.rejects(loadDataset(path, { invalid: "skip" }), DatasetError);
});

Deno.test("loadDataset() explains a missing file and the sources it accepts", async () => {
  await assert.rejects(
    loadDataset("/no/such/combined_dataset.json"),
    /dataset not found: \/no\/such\/combined_dataset\.json \(give a path to a \.json, \.jsonl, \.csv or \.parquet file, an https: URL, or hf:owner\/name\)/,
  );
});

Deno.test("defaultSource() prefers an explicit source, then PRECEPTRON_DATASET, then the sample", () => {
  const saved = Deno.env.get("PRECEPTRON_DATASET");
  try {
    Deno.env.delete("PRECEPTRON_DATASET");
    assert.equal(defaultSource(), SAMPLE_PATH);
    Deno.env.set("PRECEPTRON_DATASET", "/data/combined_dataset.json");
    assert.equal(defaultSource(), "/data/combined_dataset.json");
    assert.equal(defaultSource("x.csv"), "x.csv");
  } finally {
    if (saved === undefined) Deno.env.delete("PRECEPTRON_DATASET");
    else Deno.env.set("PRECEPTRON_DATASET", saved);
  }
});

Deno.test("readDataset() with no source loads the shipped synthetic sample, marked synthetic", async () => {
  const saved = Deno.env.get("PRECEPTRON_DATASET");
  Deno.env.delete("PRECEPTRON_DATASET");
  try {
    const { source, entries: sample, problems } = await readDataset();
    assert.equal(source, SAMPLE_PATH);
    assert.deepEqual(problems, []);
    assert.ok(sample.length >= 300);
    assert.ok(sample.every((e) => e.extra?.synthetic === true));
  } finally {
    if (saved !== undefined) Deno.env.set("PRECEPTRON_DATASET", saved);
  }
});

Deno.test("loadDataset() reads a gated hub dataset through its API, once, with HF_TOKEN", async () => {
  const cacheDir = await tempDir();
  const token = "hf_loaderTestToken42";
  const jsonl = entries.map((e) => JSON.stringify(e)).join("\n") + "\n";
  await using hub = startHubImitation({
    repos: [{
      id: "clinic/grand-rounds",
      access: "gated",
      files: [
        { path: "README.md", content: "# card" },
        { path: "data/part-0.jsonl", content: jsonl.split("\n")[0] + "\n", lfs: true },
        { path: "data/part-1.jsonl", content: jsonl.split("\n")[1] + "\n", lfs: true },
      ],
    }],
    tokens: { [token]: ["clinic/grand-rounds"] },
  });
  const options = { endpoint: hub.endpoint, cacheDir };
  const refused = await loadDataset("hf:clinic/grand-rounds", options).then(
    () => assert.fail("a gated dataset loaded without a token"),
    (e: Error) => e,
  );
  assert.match(refused.message, /HF_TOKEN/);

  const frame = await loadDataset("hf:clinic/grand-rounds", { ...options, token });
  assert.deepEqual(frame.getColumn("id").toArray(), ["bond-1", "mgmt-1"]);
  assert.deepEqual(frame.getColumn("rater_scores").toArray(), [[4, 5], [7, 7]]);
  const downloads = hub.counts.downloads;
  assert.equal(downloads, 2);
  await loadDataset("hf:clinic/grand-rounds", { ...options, token });
  assert.equal(hub.counts.downloads, downloads, "a warm cache downloads nothing");
});

Deno.test("loadDataset() names the shard and line of a bad row in a sharded hub dataset", async () => {
  const cacheDir = await tempDir();
  await using hub = startHubImitation({
    repos: [{
      id: "clinic/shards",
      files: [
        { path: "a.jsonl", content: JSON.stringify(entries[0]) + "\n" },
        { path: "b.jsonl", content: JSON.stringify({ ...entries[1], grade: -2 }) + "\n" },
      ],
    }],
  });
  await assert.rejects(
    loadDataset("hf:clinic/shards", { endpoint: hub.endpoint, cacheDir }),
    /b\.jsonl line 1 \(id "mgmt-1"\), field "grade": -2 is below 0/,
  );
});

Deno.test("loadDataset() downloads an https-style URL once into the cache", async () => {
  const cacheDir = await tempDir();
  await using hub = startHubImitation({
    static: { "/files/combined_dataset.json": { content: JSON.stringify(entries) } },
  });
  const url = `${hub.endpoint}/files/combined_dataset.json`;
  assert.equal((await loadDataset(url, { cacheDir })).height, 2);
  assert.equal((await loadDataset(url, { cacheDir })).height, 2);
  assert.equal(hub.counts.downloads, 1);
});
