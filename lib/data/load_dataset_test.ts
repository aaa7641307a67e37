import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { join } from "node:path";
import { DatasetError, type DatasetProblem, describeProblem } from "./dataset_error.ts";
import { DATASET_COLUMNS } from "./entries_frame.ts";
import type { Entry } from "./entry.ts";
import { defaultSource, loadDataset, loadEntries, SAMPLE_PATH } from "./load_dataset.ts";
import { startHubImitation } from "../testing/hub_imitation.ts";
import { withEnv } from "./_test_support.ts";

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
    ["line 1", "bond-1", "id"],
    ["line 2", "no-case", "case_id"],
    ["line 3", "typed", "max_score"],
    ["line 4", "out", "grade"],
    ["line 5", "task", "benchmark"],
    ["line 6", "bond-1", "id"],
    ["line 7", undefined, undefined],
  ]);
  assert.match(error.message, /^.*bad\.jsonl: 7 problems in 7 rows; nothing was loaded\./);
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

Deno.test("loadEntries() with no source loads the shipped synthetic sample, marked synthetic", async () => {
  const saved = Deno.env.get("PRECEPTRON_DATASET");
  Deno.env.delete("PRECEPTRON_DATASET");
  try {
    const { source, entries: sample, problems } = await loadEntries();
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

/** Writes `content` to a new temporary file named `name`. */
async function write(name: string, content: string): Promise<string> {
  const path = join(await tempDir(), name);
  await Deno.writeTextFile(path, content);
  return path;
}

/** The DatasetError a load fails with. */
async function failure(load: Promise<unknown>): Promise<DatasetError> {
  const error = await load.then(() => assert.fail("expected a DatasetError"), (e: unknown) => e);
  assert.ok(error instanceof DatasetError, String(error));
  return error;
}

const quiet = { onProgress: () => {} };

Deno.test("loadDataset() with invalid: 'skip' reports every row of a rejected duplicate group", async () => {
  const base = entries[0]!;
  const path = await write(
    "dup.json",
    JSON.stringify([
      { ...base, id: "a", grade: 4 },
      { ...base, id: "a", grade: 3 },
      { ...base, id: "b", grade: 3 },
      { ...base, id: "c", grade: 4, grades: undefined, rater: "p1" },
      { ...base, id: "c", grade: 3, grades: undefined, rater: "p2", response: "other" },
    ]),
  );
  const warnings: string[] = [];
  const warn = console.warn;
  console.warn = (line: string) => warnings.push(line);
  let loaded;
  try {
    loaded = await loadEntries(path, { invalid: "skip" });
  } finally {
    console.warn = warn;
  }
  assert.deepEqual(loaded.entries.map((e) => e.id), ["b"]);
  assert.deepEqual(
    [...new Set(loaded.problems.map((p) => p.where))],
    ["index 0", "index 1", "index 3", "index 4"],
  );
  assert.match(warnings.join("\n"), /skipped 4 invalid rows:/);
  assert.match(
    warnings.join("\n"),
    /index 0 \(id "a"\), field "id": rejected with its duplicate at index 1/,
  );
});

Deno.test("loadDataset() refuses a source with no entries, in either mode", async () => {
  const header = "id,case_id,benchmark,study,model,grade,max_score,response\n";
  const sources = [
    await write("empty.json", "[]"),
    await write("empty.jsonl", ""),
    await write("blank.jsonl", "\n\n  \n"),
    await write("header.csv", header),
  ];
  for (const path of sources) {
    const error = await failure(loadDataset(path));
    assert.deepEqual(error.problems.map(describeProblem), [
      "file: no entries: the source holds no rows",
    ], path);
    assert.match(error.message, /: 1 problem with the file as a whole; nothing was loaded\./);
  }
  const allBad = await write("bad.csv", header + "a,c1,cpc_bond,s,m,9,5,x\n");
  const error = await failure(loadDataset(allBad, { invalid: "skip", onProblems: () => {} }));
  assert.deepEqual(error.problems.map(describeProblem), [
    'line 2 (id "a"), field "grade": 9 is above max_score 5',
    "file: no entries: every row was rejected",
  ]);
  assert.match(error.message, /: 2 problems in 1 row and with the file as a whole;/);
});

Deno.test("loadDataset() reads JSON and JSON Lines that start with a byte-order mark", async () => {
  const json = await write("bom.json", "\ufeff" + JSON.stringify(entries));
  const jsonl = await write(
    "bom.jsonl",
    "\ufeff" + entries.map((e) => JSON.stringify(e)).join("\n"),
  );
  assert.equal((await loadDataset(json)).height, 2);
  assert.equal((await loadDataset(jsonl)).height, 2);
});

Deno.test("loadDataset() reads back a frame saved as Parquet or JSON, per-rater scores included", async () => {
  const saved = Deno.env.get("PRECEPTRON_DATASET");
  Deno.env.delete("PRECEPTRON_DATASET");
  try {
    const frame = await loadDataset(); // the synthetic sample: rubrics, raters, a synthetic column
    const expected = frame.toRecords();
    const dir = await tempDir();
    const parquet = join(dir, "saved.parquet");
    frame.writeParquet(parquet);
    const json = join(dir, "saved.json");
    frame.writeJSON(json, { format: "json" });
    const jsonl = join(dir, "saved.jsonl");
    frame.writeJSON(jsonl, { format: "lines" });
    for (const path of [parquet, json, jsonl]) {
      const again = await loadDataset(path);
      assert.deepEqual(again.columns, frame.columns, path);
      assert.deepEqual(again.toRecords(), expected, path);
    }
  } finally {
    if (saved !== undefined) Deno.env.set("PRECEPTRON_DATASET", saved);
  }
});

Deno.test("loadDataset() names the row and field of Python's bare NaN", async () => {
  const path = await write(
    "nan.json",
    JSON.stringify([entries[0], { ...entries[1], grade: 0 }]).replace('"grade":0', '"grade":NaN'),
  );
  const error = await failure(loadDataset(path));
  assert.deepEqual(error.problems.map(describeProblem), [
    'index 1 (id "mgmt-1"), field "grade": NaN is not a finite number',
  ]);
});

Deno.test("loadDataset() loads integer ids alike from JSON, Parquet and CSV", async () => {
  const dir = await tempDir();
  const rows = [1, 2].map((n) => ({
    id: n,
    case_id: 10 + n,
    benchmark: "cpc_bond",
    study: "kanjee2023",
    model: "gpt-4",
    grade: n,
    max_score: 5,
    response: "1. Pheochromocytoma",
  }));
  const json = join(dir, "ints.json");
  await Deno.writeTextFile(json, JSON.stringify(rows));
  // As pandas would write them: integer columns.
  const frame = pl.DataFrame(rows).withColumns(
    pl.col("id").cast(pl.Int64),
    pl.col("case_id").cast(pl.Int64),
  );
  const parquet = join(dir, "ints.parquet");
  frame.writeParquet(parquet);
  const csv = join(dir, "ints.csv");
  frame.writeCSV(csv);
  const expected = (await loadDataset(json)).toRecords();
  assert.deepEqual(expected.map((r) => [r.id, r.case_id]), [["1", "11"], ["2", "12"]]);
  for (const path of [parquet, csv]) {
    assert.deepEqual((await loadDataset(path)).toRecords(), expected);
  }
});

Deno.test("loadDataset() names shards by their path in the repository, in repository order", async () => {
  const cacheDir = await tempDir();
  const [good, bad] = [entries[0]!, { ...entries[1]!, grade: -2 }];
  await using hub = startHubImitation({
    repos: [{
      id: "clinic/splits",
      files: [
        { path: "train/0000.jsonl", content: JSON.stringify(good) + "\n" + JSON.stringify(bad) },
        { path: "test/0000.jsonl", content: "{broken\n" + JSON.stringify({ ...good, id: "t" }) },
      ],
    }],
  });
  const error = await failure(
    loadDataset("hf:clinic/splits", { endpoint: hub.endpoint, cacheDir, ...quiet }),
  );
  // Files come in repository path order (test/ before train/), lines in order within each.
  assert.deepEqual(error.problems.map((p) => p.where), [
    "test/0000.jsonl line 1",
    "train/0000.jsonl line 2",
  ]);
  assert.match(
    error.message,
    /train\/0000\.jsonl line 2 \(id "mgmt-1"\), field "grade": -2 is below 0/,
  );
});

Deno.test("loadDataset() sends the Hugging Face token to the hub's origin only", async () => {
  const cacheDir = await tempDir();
  const token = "hf_notForOtherHosts";
  await using hub = startHubImitation({
    static: { "/files/d.json": { content: JSON.stringify(entries) } },
  });
  // The imitation's CDN is another origin that serves the same static file.
  await loadDataset(`${hub.cdnEndpoint}/files/d.json`, {
    token,
    endpoint: hub.endpoint,
    cacheDir,
    ...quiet,
  });
  await loadDataset(`${hub.endpoint}/files/d.json`, {
    token,
    endpoint: hub.endpoint,
    cacheDir,
    ...quiet,
  });
  assert.deepEqual(hub.requests.map((r) => [r.server, r.authorization]), [
    ["cdn", null],
    ["hub", `Bearer ${token}`],
  ]);
});

Deno.test("loadDataset() refuses a non-UTF-8 file by row and byte offset, even with invalid: 'skip'", async () => {
  const dir = await tempDir();
  const path = join(dir, "latin1.jsonl");
  const lines = [JSON.stringify(entries[0]), JSON.stringify({ ...entries[1], response: "Fièvre" })];
  const text = lines.join("\n") + "\n";
  const bytes = Uint8Array.from(text, (c) => c === "è" ? 0xe8 : c.charCodeAt(0));
  await Deno.writeFile(path, bytes);
  for (const invalid of ["error", "skip"] as const) {
    const error = await loadDataset(path, { invalid, onProblems: () => {} }).then(
      () => assert.fail("expected a DatasetError"),
      (e: unknown) => e,
    );
    assert.ok(error instanceof DatasetError);
    assert.equal(error.problems.length, 1, invalid);
    assert.match(
      error.message,
      new RegExp(
        `line 2 \\(id "mgmt-1"\\): not valid UTF-8: byte 0xE8 at byte offset ${
          text.indexOf("è")
        }\\b`,
      ),
    );
  }
});

Deno.test("loadDataset() loads a UTF-8 file with a byte-order mark", async () => {
  const dir = await tempDir();
  const path = join(dir, "bom.json");
  await Deno.writeFile(
    path,
    new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(JSON.stringify(entries))]),
  );
  const frame = await loadDataset(path);
  assert.deepEqual(frame.getColumn("id").toArray(), ["bond-1", "mgmt-1"]);
});

Deno.test("the data layer never shows a signature, a password or HF_TOKEN in any message", async () => {
  const signature = "X-Amz-Signature=5ec2e7deadbeefcafe0123456789";
  const password = "pa55-word-not-for-eyes";
  const hfToken = "hf_TokenThatMustNeverShow0123";
  const good = JSON.stringify(entries);
  const oneBad = JSON.stringify([entries[0], { ...entries[1], grade: 99 }]);
  const latin1 = Uint8Array.from(good.replace("heparin", "h\u00e9parin"), (c) => c.charCodeAt(0));
  await using server = startHubImitation({
    static: {
      "/good.json": { content: good },
      "/bad-row.json": { content: oneBad },
      "/latin1.json": { content: latin1 },
      "/login.json": { content: "<!DOCTYPE html><html><body>Sign in</body></html>" },
      "/private.json": { status: 401 },
      "/down.json": { status: 500 },
      "/moved.json": { redirectTo: "/private.json?X-Amz-Credential=abc&" + signature },
    },
  });
  const gone = startHubImitation({});
  const goneEndpoint = gone.endpoint;
  await gone.close();
  const withPassword = (base: string) => base.replace("http://", `http://reader:${password}@`);
  const sources = [
    ...["good", "bad-row", "latin1", "login", "private", "down", "missing", "moved"].map(
      (name) => `${server.endpoint}/${name}.json?X-Amz-Date=20250101&${signature}`,
    ),
    `${withPassword(server.endpoint)}/good.json?${signature}`,
    `${withPassword(server.endpoint)}/latin1.json`,
    `${goneEndpoint}/gone.json?${signature}`,
    `${withPassword(goneEndpoint)}/gone.json`,
    `ftp://reader:${password}@example.org/data.json?${signature}`,
  ];
  const seen: string[] = [];
  const warn = console.warn;
  console.warn = (...args: unknown[]) => seen.push(args.join(" "));
  try {
    await withEnv({ HF_TOKEN: hfToken, HF_ENDPOINT: server.endpoint }, async () => {
      for (const source of sources) {
        for (const invalid of ["error", "skip"] as const) {
          const cache = await tempDir();
          try {
            const loaded = await loadEntries(source, {
              invalid,
              cacheDir: cache,
              onProgress: (m) => seen.push(m),
            });
            seen.push(loaded.source);
          } catch (error) {
            assert.ok(error instanceof Error);
            seen.push(error.message, String((error as { source?: unknown }).source ?? ""));
          }
        }
      }
    });
  } finally {
    console.warn = warn;
  }
  assert.ok(seen.length > sources.length * 2, "every source said something");
  assert.ok(seen.some((m) => /not valid UTF-8/.test(m)));
  assert.ok(seen.some((m) => /an HTML page/.test(m)));
  assert.ok(seen.some((m) => /skipped 1 invalid row/.test(m)));
  for (const message of seen) {
    for (const secret of ["5ec2e7deadbeef", password, "TokenThatMustNeverShow", "X-Amz-Date"]) {
      assert.ok(!message.includes(secret), `${JSON.stringify(message)} shows ${secret}`);
    }
  }
});
