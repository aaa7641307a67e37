import assert from "node:assert/strict";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { TASK_KEYS } from "../data/task_key.ts";
import { configError, tempDir } from "./_fixtures_test_support.ts";
import { type BenchmarkConfig, ConfigError, loadConfig, parseConfig } from "./config.ts";

/** PrecepTron's example `benchmarking/config.yaml` (validate-judge vignette), verbatim keys. */
const PRECEPTRON_CONFIG = `# PrecepTron benchmark config
dataset_path: "../score_data/combined_dataset.json"
output_dir: "../overall_judge_trials"

tasks:
  - management_reasoning
  - diagnostic_reasoning
  - r_idea
  - cpc_bond
  - cpc_management

threads:
  openai: 30
  openrouter: 20
  anthropic: 20

models:
  - name: "gpt-4o"
    provider: "openai"
    model_id: "gpt-4o"
  - name: "claude-sonnet"
    provider: "anthropic"
    model_id: "claude-sonnet-4-20250514"
`;

const MINIMAL =
  "output_dir: trials\nmodels:\n  - { name: a, provider: openai, model_id: gpt-4o }\n";

const problemsOf = (text: string) => configError(() => parseConfig(text)).problems;

Deno.test("parseConfig() reads PrecepTron's own config.yaml unchanged", () => {
  const config = parseConfig(PRECEPTRON_CONFIG, { baseDir: "/repo/benchmarking" });
  const expected: BenchmarkConfig = {
    dataset_path: "/repo/score_data/combined_dataset.json",
    output_dir: "/repo/overall_judge_trials",
    tasks: ["management_reasoning", "diagnostic_reasoning", "r_idea", "cpc_bond", "cpc_management"],
    threads: { openai: 30, openrouter: 20, anthropic: 20 },
    models: [
      { name: "gpt-4o", provider: "openai", model_id: "gpt-4o" },
      { name: "claude-sonnet", provider: "anthropic", model_id: "claude-sonnet-4-20250514" },
    ],
    repeats: 1,
    budget: {},
    mode: "judge",
  };
  assert.deepEqual(config, expected);
  // Without a base folder, paths stay as written (relative to the working directory).
  const asWritten = parseConfig(PRECEPTRON_CONFIG);
  assert.equal(asWritten.dataset_path, "../score_data/combined_dataset.json");
  assert.equal(asWritten.output_dir, "../overall_judge_trials");
});

Deno.test("parseConfig() fills defaults: all six tasks, repeats 1, 8 threads, judge mode", () => {
  for (const tasks of ["", "tasks:\n", "tasks: []\n"]) {
    const config = parseConfig(tasks + MINIMAL);
    assert.deepEqual(config.tasks, [...TASK_KEYS], JSON.stringify(tasks));
    assert.ok(config.tasks.includes("bi_triage"));
    assert.equal(config.repeats, 1);
    assert.deepEqual(config.threads, { openai: 8 });
    assert.deepEqual(config.budget, {});
    assert.equal(config.mode, "judge");
    assert.equal(config.dataset_path, undefined);
    assert.equal("temperature" in config, false);
  }
  // Listed tasks keep their order; a repeated one counts once.
  assert.deepEqual(parseConfig("tasks: [r_idea, cpc_bond, r_idea]\n" + MINIMAL).tasks, [
    "r_idea",
    "cpc_bond",
  ]);
});

Deno.test("parseConfig() reads our keys: base_url, sampling, repeats, prices, budget, retry, mode", () => {
  const config = parseConfig(`
output_dir: trials
repeats: 3
temperature: 0.7
seed: 11
max_tokens: 400
threads: { openai-compatible: 2 }
models:
  - name: local
    provider: openai-compatible
    model_id: med42
    base_url: http://127.0.0.1:8000/v1
    temperature: 0
    seed: 0
    max_tokens: 200
    price: { input_per_million: 0, output_per_million: 0 }
  - name: gpt-4o
    provider: openai
    model_id: gpt-4o
    price: { input_per_million: 2.5, output_per_million: 10 }
budget: { max_requests: 100, max_tokens: 50000, max_cost: 1.5 }
retry: { max_retries: 0, timeout_seconds: 30 }
mode: generate
`);
  assert.deepEqual(config, {
    output_dir: "trials",
    tasks: [...TASK_KEYS],
    threads: { "openai-compatible": 2, openai: 8 },
    models: [
      {
        name: "local",
        provider: "openai-compatible",
        model_id: "med42",
        base_url: "http://127.0.0.1:8000/v1",
        temperature: 0,
        seed: 0,
        max_tokens: 200,
        price: { input_per_million: 0, output_per_million: 0 },
      },
      {
        name: "gpt-4o",
        provider: "openai",
        model_id: "gpt-4o",
        price: { input_per_million: 2.5, output_per_million: 10 },
      },
    ],
    repeats: 3,
    temperature: 0.7,
    seed: 11,
    max_tokens: 400,
    budget: { max_requests: 100, max_tokens: 50000, max_cost: 1.5 },
    retry: { max_retries: 0, timeout_seconds: 30 },
    mode: "generate",
  });
});

Deno.test("parseConfig() reads studies as a list of ids or patterns (one string is a list of one)", () => {
  assert.deepEqual(parseConfig("studies: [goh2024, 'brodeur*']\n" + MINIMAL).studies, [
    "goh2024",
    "brodeur*",
  ]);
  assert.deepEqual(parseConfig("studies: kanjee2023\n" + MINIMAL).studies, ["kanjee2023"]);
  assert.equal(parseConfig(MINIMAL).studies, undefined);
});

Deno.test("parseConfig() is idempotent over its own output as JSON (how runBenchmark takes objects)", () => {
  for (const text of [PRECEPTRON_CONFIG, MINIMAL]) {
    const once = parseConfig(text, { baseDir: "/x" });
    assert.deepEqual(parseConfig(JSON.stringify(once)), once);
  }
  // The offline judges the runner offers.
  const offline = parseConfig(
    JSON.stringify({
      output_dir: "/tmp/t",
      tasks: ["cpc_management"],
      models: [
        { name: "lexical", provider: "offline", model_id: "lexical" },
        { name: "three", provider: "offline", model_id: "constant:3" },
      ],
      threads: {},
      repeats: 1,
      budget: { max_cost: 1 },
    }),
  );
  assert.deepEqual(offline.threads, { offline: 8 });
});

Deno.test("parseConfig() names the key path of every kind of bad value", () => {
  const model = (extra: string) =>
    `output_dir: t\nmodels:\n  - name: a\n    provider: openai\n    model_id: m\n${extra}`;
  const cases: [string, string, RegExp][] = [
    ["output_dir: 3\nmodels: [{name: a, provider: openai, model_id: m}]", "output_dir", /string/],
    ["output_dir: ''\nmodels: [{name: a, provider: openai, model_id: m}]", "output_dir", /empty/],
    ["models: [{name: a, provider: openai, model_id: m}]", "output_dir", /missing/],
    ["output_dir: t", "models", /missing/],
    ["output_dir: t\nmodels: []", "models", /empty/],
    ["output_dir: t\nmodels: {name: a}", "models", /list of models/],
    ["output_dir: t\nmodels: [gpt-4o]", "models[0]", /mapping/],
    ["dataset_path: [a]\n" + MINIMAL, "dataset_path", /string/],
    [
      "tasks: cpc_bond\n" + MINIMAL,
      "tasks",
      /list of task keys.*valid tasks: management_reasoning/,
    ],
    ["tasks: [cpc_bond, bond_score]\n" + MINIMAL, "tasks[1]", /unknown task "bond_score"; valid/],
    ["threads: 30\n" + MINIMAL, "threads", /mapping of provider/],
    ["threads: {openai: 0}\n" + MINIMAL, "threads.openai", /whole number from 1 to 1,000, got 0/],
    ["threads: {openai: 2.5}\n" + MINIMAL, "threads.openai", /whole number/],
    [
      "threads: {google: 3}\n" + MINIMAL,
      "threads.google",
      /unknown provider.*known providers: openai/,
    ],
    ["studies: []\n" + MINIMAL, "studies", /list of study ids or patterns/],
    ["studies: 3\n" + MINIMAL, "studies", /list of study ids or patterns .*, got 3/],
    ["studies: [goh2024, '']\n" + MINIMAL, "studies[1]", /study id or pattern, got ""/],
    ["repeats: 0\n" + MINIMAL, "repeats", /from 1 to 100, got 0/],
    ["repeats: -2\n" + MINIMAL, "repeats", /negative/],
    ["repeats: '3'\n" + MINIMAL, "repeats", /got "3"/],
    ["temperature: -0.1\n" + MINIMAL, "temperature", /0 to 2.*negative/],
    ["temperature: 2.5\n" + MINIMAL, "temperature", /from 0 to 2, got 2.5/],
    ["temperature: .nan\n" + MINIMAL, "temperature", /got NaN/],
    ["seed: -1\n" + MINIMAL, "seed", /from 0 to .*negative/],
    ["max_tokens: 0\n" + MINIMAL, "max_tokens", /from 1 to 1,000,000/],
    ["budget: 10\n" + MINIMAL, "budget", /mapping with keys max_requests/],
    ["budget: {max_requests: -5}\n" + MINIMAL, "budget.max_requests", /negative/],
    ["budget: {max_tokens: 1.5}\n" + MINIMAL, "budget.max_tokens", /whole number/],
    ["budget: {max_cost: 0}\n" + MINIMAL, "budget.max_cost", /above 0/],
    ["budget: {max_cost: .inf}\n" + MINIMAL, "budget.max_cost", /above 0.*, got Infinity/],
    ["retry: {max_retries: -1}\n" + MINIMAL, "retry.max_retries", /negative/],
    ["retry: {timeout_seconds: 0}\n" + MINIMAL, "retry.timeout_seconds", /above 0/],
    ["mode: score\n" + MINIMAL, "mode", /"judge" or "generate"/],
    ["output_dir: t\nmodels:\n  - provider: openai\n    model_id: m", "models[0].name", /missing/],
    ["output_dir: t\nmodels:\n  - name: a\n    model_id: m", "models[0].provider", /missing/],
    [
      "output_dir: t\nmodels:\n  - name: a\n    provider: gemini\n    model_id: m",
      "models[0].provider",
      /unknown provider "gemini"; known providers: openai, azure, openrouter, anthropic, openai-compatible, offline/,
    ],
    ["output_dir: t\nmodels:\n  - name: a\n    provider: openai", "models[0].model_id", /missing/],
    [
      "output_dir: t\nmodels:\n  - name: 4.5\n    provider: openai\n    model_id: m",
      "models[0].name",
      /expected a string, got 4.5 \(quote it: "4.5"\)/,
    ],
    [
      "output_dir: t\nmodels:\n  - name: a/b\n    provider: openai\n    model_id: m",
      "models[0].name",
      /cannot name output files/,
    ],
    [
      "output_dir: t\nmodels:\n  - name: a\n    provider: offline\n    model_id: gpt-4o",
      "models[0].model_id",
      /"lexical" or "constant:<score>"/,
    ],
    [model("    base_url: localhost:8000"), "models[0].base_url", /http\(s\) URL/],
    [model("    base_url: 8000"), "models[0].base_url", /got 8000/],
    [model("    temperature: 3"), "models[0].temperature", /0 to 2/],
    [model("    seed: 1.5"), "models[0].seed", /whole number/],
    [model("    max_tokens: -1"), "models[0].max_tokens", /negative/],
    [model("    price: 2.5"), "models[0].price", /mapping with keys input_per_million/],
    [
      model("    price: {input_per_million: 2.5}"),
      "models[0].price.output_per_million",
      /missing: a price needs both/,
    ],
    [
      model("    price: {input_per_million: -1, output_per_million: 10}"),
      "models[0].price.input_per_million",
      /negative/,
    ],
    [
      model("    price: {input_per_million: 1, output_per_million: ten}"),
      "models[0].price.output_per_million",
      /got "ten"/,
    ],
    [
      "output_dir: t\nmodels:\n  - name: c\n    provider: anthropic\n    model_id: m\n    temperature: 1.2",
      "models[0].temperature",
      /above 1, the most Anthropic accepts/,
    ],
    [
      "temperature: 1.5\noutput_dir: t\nmodels:\n  - name: c\n    provider: anthropic\n    model_id: m",
      "temperature",
      /above 1.*models\[0\] "c" uses the run-wide temperature/,
    ],
    [
      "budget: {max_cost: 5}\n" + MINIMAL,
      "budget.max_cost",
      /without a price for models\[0\] "a"/,
    ],
  ];
  for (const [text, path, message] of cases) {
    const problems = problemsOf(text);
    assert.deepEqual(problems.map((p) => p.path), [path], `${JSON.stringify(text)}`);
    assert.match(problems[0]!.message, message, `${JSON.stringify(text)}`);
  }
});

Deno.test("parseConfig() rejects duplicate model names, naming both", () => {
  const problems = problemsOf(`output_dir: t
models:
  - { name: judge, provider: openai, model_id: gpt-4o }
  - { name: judge, provider: anthropic, model_id: claude-x }
`);
  assert.deepEqual(problems.map((p) => [p.path, p.line]), [["models[1].name", 4]]);
  assert.match(problems[0]!.message, /"judge" is already the name of models\[0\]/);
});

Deno.test("parseConfig() names unknown keys at every level, with a near miss or where they belong", () => {
  const problems = problemsOf(`output_dir: t
thread: { openai: 4 }
dataset: data.json
base_url: http://127.0.0.1:8000/v1
max_cost: 10
timeout_seconds: 5
colour: blue
models:
  - name: a
    provider: opneai
    model_id: m
    max_token: 100
    repeats: 2
    api_key: sk-live-secret-value-123
    price: { input: 1, output: 2 }
budget: { max_request: 3 }
retry: { retries: 3 }
`);
  const byPath = Object.fromEntries(problems.map((p) => [p.path, p.message]));
  assert.deepEqual(Object.keys(byPath), [
    "thread",
    "dataset",
    "base_url",
    "max_cost",
    "timeout_seconds",
    "colour",
    "models[0].provider",
    "models[0].max_token",
    "models[0].repeats",
    "models[0].api_key",
    "models[0].price.input",
    "models[0].price.output",
    "budget.max_request",
    "retry.retries",
  ]);
  assert.match(byPath.thread!, /did you mean "threads"\?/);
  assert.match(byPath.dataset!, /did you mean "dataset_path"\?/);
  assert.match(byPath.base_url!, /belongs in each models entry/);
  assert.match(byPath.max_cost!, /belongs under budget/);
  assert.match(byPath.timeout_seconds!, /belongs under retry/);
  assert.match(byPath.colour!, /known keys here: dataset_path, output_dir, tasks/);
  assert.match(byPath["models[0].provider"]!, /did you mean "openai"\?/);
  assert.match(byPath["models[0].max_token"]!, /did you mean "max_tokens"\?/);
  assert.match(byPath["models[0].repeats"]!, /belongs at the top level/);
  assert.match(byPath["models[0].api_key"]!, /credentials never go in the config.*--keys/);
  assert.match(byPath["models[0].price.input"]!, /did you mean "input_per_million"\?/);
  assert.match(byPath["budget.max_request"]!, /did you mean "max_requests"\?/);
  assert.match(byPath["retry.retries"]!, /did you mean "max_retries"\?/);
  // A misspelt price field is not also reported as missing.
  assert.equal(problems.filter((p) => p.path.endsWith("_per_million")).length, 0);
});

Deno.test("ConfigError lists every problem, in file order, with lines, and never a credential", () => {
  const text = `output_dir: t
tasks: [cpc_bond, cpc_bnd]
repeats: 0
models:
  - name: a
    provider: openai
    model_id: gpt-4o
    openai_api_key: sk-proj-REALLYSECRET
  - name: a
    provider: anthropic
    model_id: 7
    base_url: "ftp://user:hunter2@example.com"
threads: { openai: -3 }
`;
  const error = configError(() => parseConfig(text, { source: "benchmarking/config.yaml" }));
  assert.equal(error.name, "ConfigError");
  assert.equal(error.source, "benchmarking/config.yaml");
  assert.deepEqual(error.problems.map((p) => `${p.line} ${p.path}`), [
    "2 tasks[1]",
    "3 repeats",
    "8 models[0].openai_api_key",
    "9 models[1].name",
    "11 models[1].model_id",
    "12 models[1].base_url",
    "13 threads.openai",
  ]);
  const lines = error.message.split("\n");
  assert.equal(lines[0], "benchmarking/config.yaml: 7 problems in the benchmark config:");
  assert.equal(
    lines[1],
    '  tasks[1] (line 2): unknown task "cpc_bnd" (did you mean "cpc_bond"?); valid tasks: ' +
      "management_reasoning, bi_triage, cpc_bond, r_idea, diagnostic_reasoning, cpc_management",
  );
  assert.doesNotMatch(error.message, /REALLYSECRET|hunter2/);
});

Deno.test("parseConfig() names the line of a YAML syntax error", () => {
  const cases: [string, number, RegExp][] = [
    [
      "output_dir: t\nmodels:\n  - name: a\n   provider: openai\n",
      4,
      /YAML syntax error at line 4/,
    ],
    ["output_dir: t\noutput_dir: u\nmodels: []\n", 2, /line 2, column 1: Map keys must be unique/],
    ["output_dir: t\ntasks: [cpc_bond\nmodels: []\n", 3, /YAML syntax error at line 3/],
    ["output_dir: t\n\tmodels: []\n", 2, /line 2, column 1: Tabs are not allowed/],
    ["output_dir: t\n---\nmodels: []\n", 2, /line 2.*multiple documents/],
  ];
  for (const [text, line, message] of cases) {
    const problems = problemsOf(text);
    assert.equal(problems[0]!.line, line, JSON.stringify(text));
    assert.equal(problems[0]!.path, "");
    assert.match(problems[0]!.message, message, JSON.stringify(text));
  }
  assert.throws(
    () => parseConfig("models: [\n", { source: "c.yaml" }),
    /^ConfigError: c\.yaml: 1 problem/,
  );
});

Deno.test("parseConfig() rejects an empty file or a top level that is not a mapping", () => {
  assert.match(problemsOf("")[0]!.message, /empty.*output_dir and models/);
  assert.match(problemsOf("# only a comment\n")[0]!.message, /empty/);
  assert.match(problemsOf("- a\n- b\n")[0]!.message, /mapping of keys.*got a list/);
  assert.match(problemsOf("just text\n")[0]!.message, /got "just text"/);
});

Deno.test("parseConfig() takes JSON, YAML anchors and merge keys", () => {
  const json = parseConfig(
    '{"output_dir": "t", "tasks": ["r_idea"], "models": [{"name": "a", "provider": "openai", "model_id": "m"}]}',
  );
  assert.deepEqual(json.tasks, ["r_idea"]);
  const merged = parseConfig(`output_dir: t
models:
  - &openai { name: a, provider: openai, model_id: gpt-4o, temperature: 0 }
  - <<: *openai
    name: b
    temperature: 1
`);
  assert.deepEqual(merged.models[1], {
    name: "b",
    provider: "openai",
    model_id: "gpt-4o",
    temperature: 1,
  });
});

Deno.test("parseConfig() keeps URLs and hub ids as given, and resolves local paths", () => {
  const withSource = (source: string) =>
    parseConfig(`dataset_path: "${source}"\n${MINIMAL}`, { baseDir: "/work/bench" }).dataset_path;
  assert.equal(withSource("hf:tbuckley/GRAND-ROUNDS"), "hf:tbuckley/GRAND-ROUNDS");
  assert.equal(withSource("https://example.org/data.jsonl"), "https://example.org/data.jsonl");
  assert.equal(withSource("data/scores.csv"), "/work/bench/data/scores.csv");
  assert.equal(withSource("/abs/scores.json"), "/abs/scores.json");
  assert.equal(
    parseConfig("output_dir: /abs/out\nmodels: [{name: a, provider: openai, model_id: m}]", {
      baseDir: "/work/bench",
    }).output_dir,
    "/abs/out",
  );
});

Deno.test("loadConfig() resolves relative paths against the config file's folder", async () => {
  await using temp = await tempDir();
  const dir = temp.path;
  await Deno.mkdir(join(dir, "benchmarking"));
  const path = join(dir, "benchmarking", "config.yaml");
  await Deno.writeTextFile(path, PRECEPTRON_CONFIG);
  const config = await loadConfig(path);
  assert.equal(config.dataset_path, join(dir, "score_data", "combined_dataset.json"));
  assert.equal(config.output_dir, join(dir, "overall_judge_trials"));

  await Deno.writeTextFile(path, "output_dir: t\nmodels: []\n");
  await assert.rejects(
    () => loadConfig(path),
    (e: unknown) => e instanceof ConfigError && e.message.startsWith(`${path}: 1 problem`),
  );
  await assert.rejects(
    () => loadConfig(join(dir, "missing.yaml")),
    (e: unknown) => e instanceof ConfigError && /no config file at/.test(e.message),
  );
});

Deno.test("data/benchmark.example.yaml is a valid config with two judges, prices and a budget", async () => {
  const path = fileURLToPath(new URL("../../data/benchmark.example.yaml", import.meta.url));
  const config = await loadConfig(path);
  assert.equal(config.models.length, 2);
  assert.deepEqual(config.models.map((m) => m.provider), ["openai", "openai-compatible"]);
  assert.ok(config.models[1]!.base_url);
  assert.ok(config.models.every((m) => m.price !== undefined));
  assert.ok(config.budget.max_cost !== undefined && config.budget.max_requests !== undefined);
  assert.equal(config.dataset_path, resolve(path, "..", "preceptron-sample.json"));
  await Deno.stat(config.dataset_path!); // the shipped sample
});

Deno.test("data/generate.example.yaml is a valid generation config over the Brodeur studies", async () => {
  const path = fileURLToPath(new URL("../../data/generate.example.yaml", import.meta.url));
  const config = await loadConfig(path);
  assert.equal(config.mode, "generate");
  assert.deepEqual(config.studies, ["brodeur*"]);
  assert.deepEqual(config.models.map((m) => m.provider), ["openai-compatible"]);
  await Deno.stat(config.dataset_path!); // the shipped sample
});

Deno.test("parseConfig() bounds every numeric key from above, naming key and line", () => {
  // Each of these once ran: out of memory after minutes, a timer that overflowed and aborted
  // every request at once, caps that could never be reached.
  const cases: [string, string, RegExp][] = [
    ["repeats: 10000000", "repeats", /from 1 to 100, got 10000000 \(too large\)/],
    ["threads: {openai: 5000}", "threads.openai", /from 1 to 1,000, got 5000/],
    ["max_tokens: 5000000", "max_tokens", /from 1 to 1,000,000/],
    ["retry: {timeout_seconds: 3000000}", "retry.timeout_seconds", /at most 3,600, got 3000000/],
    ["retry: {max_retries: 1000}", "retry.max_retries", /from 0 to 20, got 1000/],
    ["budget: {max_requests: 1.0e+12}", "budget.max_requests", /1,000,000,000/],
    ["budget: {max_tokens: 1.0e+15}", "budget.max_tokens", /1,000,000,000,000/],
    ["budget: {max_cost: 1.0e+9}", "budget.max_cost", /at most 1,000,000, got 1000000000/],
    ["seed: 1.0e+20", "seed", /whole number from 0 to/],
  ];
  for (const [line, path, message] of cases) {
    const problems = problemsOf(
      `output_dir: t\n${line}\n` + MINIMAL.replace(/^output_dir.*\n/m, ""),
    );
    const problem = problems.find((p) => p.path === path);
    assert.ok(problem, `${line}: no problem at ${path} in ${JSON.stringify(problems)}`);
    assert.match(problem.message, message, line);
    assert.equal(problem.line, 2, `${line}: the line`);
  }
  const price = problemsOf(
    "output_dir: t\nmodels:\n  - name: a\n    provider: openai\n    model_id: m\n" +
      "    price: {input_per_million: 99999, output_per_million: 1}\n",
  );
  assert.deepEqual(
    price.map((p) => [p.path, p.line]),
    [["models[0].price.input_per_million", 6]],
  );
});

Deno.test("parseConfig() limits judge names to what a file name holds", () => {
  const named = (name: string) =>
    problemsOf(
      `output_dir: t\nmodels:\n  - name: "${name}"\n    provider: offline\n    model_id: lexical\n`,
    );
  // 300 characters once failed with a raw "File name too long (os error 36)".
  const long = named("m".repeat(300));
  assert.deepEqual(long.map((p) => [p.path, p.line]), [["models[0].name", 3]]);
  assert.match(
    long[0]!.message,
    /too long to name output files: at most 100 characters \(300 given\)/,
  );
  // 80 characters, each 3 bytes in UTF-8, are 720 once percent-encoded.
  assert.match(named("é".repeat(80))[0]!.message, /at most 200 once/);
  const fine = parseConfig(
    `output_dir: t\nmodels:\n  - name: "${
      "m".repeat(100)
    }"\n    provider: offline\n    model_id: lexical\n`,
  );
  assert.equal(fine.models[0]!.name.length, 100);
});

Deno.test("parseConfig() reports a near miss once, not also the key it meant as missing", () => {
  assert.deepEqual(
    problemsOf("outputdir: t\nmodels:\n  - nme: a\n    provider: openai\n    model_id: m\n")
      .map((p) => [p.path, p.line, p.message]),
    [
      ["outputdir", 1, 'unknown key; did you mean "output_dir"?'],
      ["models[0].nme", 3, 'unknown key; did you mean "name"?'],
    ],
  );
});

Deno.test("parseConfig() treats null as absent for known keys only", () => {
  // An unknown key is reported even with no value.
  assert.deepEqual(problemsOf("colour:\n" + MINIMAL).map((p) => [p.path, p.line]), [["colour", 1]]);
  // A price field with no value is missing, not silently dropped with the price.
  const problems = problemsOf(
    "output_dir: t\nmodels:\n  - name: a\n    provider: openai\n    model_id: m\n" +
      "    price: {input_per_million: null, output_per_million: 2}\n",
  );
  assert.deepEqual(problems.map((p) => [p.path, p.line]), [
    ["models[0].price.input_per_million", 6],
  ]);
  assert.match(problems[0]!.message, /missing: a price needs both/);
});

Deno.test("parseConfig() orders problems on one line by column, and survives a YAML cycle", () => {
  const problems = problemsOf(
    "output_dir: t\nmodels: [{name: a, provider: gemini, extra: 1, model_id: 7}]\n",
  );
  assert.deepEqual(problems.map((p) => p.path), [
    "models[0].provider",
    "models[0].extra",
    "models[0].model_id",
  ]);
  assert.ok(problems.every((p) => p.line === 2));
  // An alias may refer to its own anchor: validation goes no deeper than the schema.
  assert.deepEqual(problemsOf("loop: &a [*a]\n" + MINIMAL).map((p) => p.path), ["loop"]);
});

Deno.test("parseConfig() reads batch and batch_discount per model, and checks them", () => {
  const config = parseConfig(`output_dir: t
models:
  - { name: a, provider: openai, model_id: gpt-4o, batch: true }
  - { name: b, provider: anthropic, model_id: claude-x, batch: true, batch_discount: 0.4 }
  - { name: c, provider: openai-compatible, model_id: m, base_url: "http://127.0.0.1:1/v1", batch: false }
`);
  assert.deepEqual(config.models.map((m) => [m.batch, m.batch_discount]), [
    [true, undefined],
    [true, 0.4],
    [false, undefined],
  ]);
  // Absent, they stay absent (the defaults are false and DEFAULT_BATCH_DISCOUNT).
  assert.equal("batch" in parseConfig(MINIMAL).models[0]!, false);
  const cases: [string, RegExp][] = [
    ["batch: yes", /models\[0\]\.batch \(line 3\): expected true or false, got "yes"/],
    ["batch_discount: 0", /models\[0\]\.batch_discount \(line 3\): .*above 0, at most 1, got 0/],
    ["batch_discount: 1.5", /batch_discount \(line 3\): .*at most 1, got 1\.5 \(too large\)/],
  ];
  for (const [extra, message] of cases) {
    assert.throws(
      () =>
        parseConfig(
          `output_dir: t\nmodels:\n  - { name: a, provider: openai, model_id: m, ${extra} }`,
        ),
      (e: unknown) => e instanceof ConfigError && message.test(e.message),
      extra,
    );
  }
});

Deno.test("parseConfig() rejects batch: true for a provider without a batch API, naming model and key", () => {
  for (const [provider, modelId] of [["offline", "lexical"], ["openrouter", "m"]]) {
    const problems = problemsOf(
      `output_dir: t\nmodels:\n  - name: judge-1\n    provider: ${provider}\n    model_id: ${modelId}\n    batch: true\n`,
    );
    assert.deepEqual(problems.map((p) => [p.path, p.line]), [["models[0].batch", 6]], provider);
    assert.equal(
      problems[0]!.message,
      `judge "judge-1" has provider "${provider}", which has no batch API: batch: true needs ` +
        "openai, openai-compatible, azure or anthropic",
    );
  }
  // Azure OpenAI's global batch deployments take batch: true; batch: false is fine anywhere.
  parseConfig("output_dir: t\nmodels: [{ name: a, provider: azure, model_id: d, batch: true }]");
  parseConfig(
    "output_dir: t\nmodels: [{ name: a, provider: offline, model_id: lexical, batch: false }]",
  );
});
