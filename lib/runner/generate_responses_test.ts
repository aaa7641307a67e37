import assert from "node:assert/strict";
import { join } from "node:path";
import { TASK_KEYS, type TaskKey } from "../data/task_key.ts";
import type { Entry } from "../data/entry.ts";
import { loadDataset, loadEntries } from "../data/load_dataset.ts";
import {
  type Fault,
  type ScriptedServer,
  startScriptedServer,
} from "../testing/scripted_server.ts";
import type { BenchmarkConfig } from "./config.ts";
import type { ModelConfig } from "../judge/model_config.ts";
import { type GenerateOptions, generateResponses } from "./generate_responses.ts";
import { runBenchmark } from "./run_benchmark.ts";
import { lockJudge, RunLockedError } from "../ledger/run_lock.ts";
import { tempDir } from "./_fixtures_test_support.ts";
import { _filesUnder } from "./_hostile_server_test_support.ts";

const ALL: TaskKey[] = [...TASK_KEYS];

/**
 * Distinct cases of the shipped sample's Brodeur studies, counted by hand from
 * data/preceptron-sample.json (a case is a case id, task, case text and question: each triage
 * case has three touchpoints, each Healer case four stages).
 */
const BRODEUR_CASES: Record<TaskKey, number> = {
  cpc_bond: 16,
  bi_triage: 15,
  cpc_management: 20,
  r_idea: 12,
  diagnostic_reasoning: 4,
  management_reasoning: 12,
};

const sample = (await loadEntries()).entries;
const brodeur = sample.filter((e) => e.study.startsWith("brodeur"));

function config(server: ScriptedServer, output_dir: string, tasks: TaskKey[]): BenchmarkConfig {
  const med42: ModelConfig = {
    name: "med42",
    provider: "openai-compatible",
    model_id: "med42",
    base_url: server.baseURL,
  };
  return candidateConfig(output_dir, tasks, med42);
}

/** A generate config of one candidate, asked once for each case of the tasks. */
function candidateConfig(
  output_dir: string,
  tasks: TaskKey[],
  model: ModelConfig,
): BenchmarkConfig {
  return {
    mode: "generate",
    output_dir,
    tasks,
    models: [model],
    threads: { "openai-compatible": 4 },
    repeats: 1,
    budget: {},
  };
}

const quiet: GenerateOptions = { study: "brodeur*", progress: "silent", log: () => {} };

/** The user message of each chat request the server received. */
function userMessages(server: ScriptedServer): string[] {
  return server.requests.filter((r) => r.path.endsWith("/chat/completions")).map((r) => {
    const body = r.body as { messages: { role: string; content: string }[] };
    return body.messages.find((m) => m.role === "user")!.content;
  });
}

Deno.test("generateResponses() sends one prompt per distinct case, with the case and not the answer", async () => {
  await using server = startScriptedServer();
  const dir = await Deno.makeTempDir();
  const summary = await generateResponses(config(server, dir, ALL), quiet);
  const expected = Object.values(BRODEUR_CASES).reduce((a, b) => a + b, 0);
  assert.equal(expected, 79);
  assert.equal(server.counts.chat, 79);
  assert.deepEqual([summary.cases, summary.generated, summary.cached], [79, 79, 0]);
  assert.deepEqual(summary.failed, {});
  for (const task of ALL) {
    assert.equal(
      summary.entries.filter((e) => e.benchmark === task).length,
      BRODEUR_CASES[task],
      task,
    );
  }
  // Each prompt holds its case's text and none of the answers of that case's entries.
  const messages = userMessages(server);
  for (const entry of brodeur) {
    const prompts = messages.filter((m) => m.includes(entry.case_vignette!));
    assert.ok(prompts.length >= 1, `${entry.id}: no prompt shows its case`);
    for (const prompt of prompts) {
      for (const answer of [entry.final_diagnosis, entry.test_plan, entry.response]) {
        if (answer) assert.ok(!prompt.includes(answer), `${entry.id}: the prompt leaks ${answer}`);
      }
      const rubric = JSON.stringify(entry.rubric ?? "");
      for (const item of (entry.rubric as { items?: { description: string }[] })?.items ?? []) {
        assert.ok(!prompt.includes(item.description), `${entry.id}: the prompt leaks the rubric`);
      }
      assert.ok(rubric === '""' || !prompt.includes(rubric));
    }
  }
  // The question is shown where it is put to the respondent.
  const management = brodeur.find((e) => e.benchmark === "management_reasoning")!;
  assert.ok(messages.some((m) => m.includes(management.question_text!)));
  await Deno.remove(dir, { recursive: true });
});

Deno.test("generateResponses() writes entries with the case's fields, the candidate's name and no grade", async () => {
  await using server = startScriptedServer();
  const dir = await Deno.makeTempDir();
  const summary = await generateResponses(config(server, dir, ["management_reasoning"]), quiet);
  assert.equal(summary.entries_path, join(dir, "generated_entries.json"));
  const written = JSON.parse(await Deno.readTextFile(summary.entries_path)) as Record<
    string,
    unknown
  >[];
  assert.equal(written.length, 12);
  const ids = new Set(written.map((row) => row.id));
  assert.equal(ids.size, 12);
  for (const row of written) {
    assert.equal(row.model, "med42");
    assert.equal("grade" in row, false);
    assert.equal(row.synthetic, true);
    const source = brodeur.find((e) =>
      e.case_id === row.case_id && e.benchmark === row.benchmark &&
      e.question_text === row.question_text
    )!;
    assert.ok(source, `${row.id}: no source case`);
    assert.equal(row.study, source.study);
    assert.equal(row.max_score, source.max_score);
    assert.deepEqual(row.rubric, source.rubric);
    assert.equal(row.case_vignette, source.case_vignette);
    assert.match(String(row.response), /^- .+\.\n- /); // a list of management steps
    assert.equal((row.generation as { model_id: string }).model_id, "med42");
  }
  // The ids are deterministic: a fresh folder gives the same ones.
  const other = await Deno.makeTempDir();
  const again = await generateResponses(config(server, other, ["management_reasoning"]), quiet);
  assert.deepEqual(again.entries.map((e) => e.id), written.map((row) => row.id));
  await Deno.remove(dir, { recursive: true });
  await Deno.remove(other, { recursive: true });
});

Deno.test("generateResponses() re-run sends nothing, and a torn last line is regenerated", async () => {
  await using server = startScriptedServer();
  const dir = await Deno.makeTempDir();
  const first = await generateResponses(config(server, dir, ["cpc_management"]), quiet);
  assert.equal(server.counts.chat, 20);
  const again = await generateResponses(config(server, dir, ["cpc_management"]), quiet);
  assert.equal(server.counts.chat, 20);
  assert.deepEqual([again.generated, again.cached], [0, 20]);
  assert.deepEqual(again.entries, first.entries);

  // A crash mid-append: the last record is cut in half.
  const ledger = join(dir, "generations", "med42_cpc_management.jsonl");
  const text = await Deno.readTextFile(ledger);
  const lines = text.trimEnd().split("\n");
  await Deno.writeTextFile(
    ledger,
    lines.slice(0, -1).join("\n") + "\n" + lines.at(-1)!.slice(0, 40),
  );
  const logged: string[] = [];
  const resumed = await generateResponses(config(server, dir, ["cpc_management"]), {
    ...quiet,
    log: (line) => logged.push(line),
  });
  assert.ok(logged.some((line) => line.includes("torn last line")));
  assert.deepEqual([resumed.generated, resumed.cached, server.counts.chat], [1, 19, 21]);
  assert.equal(resumed.entries.length, 20);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("generateResponses() twice at once on one folder: one run generates, the other stops at once", async () => {
  await using server = startScriptedServer({ faults: [{ kind: "latency", ms: 5 }] });
  const dir = await Deno.makeTempDir({ prefix: "preceptron-gen-" });
  const settings = { ...config(server, dir, ["cpc_bond"]), threads: { "openai-compatible": 2 } };
  const [a, b] = await Promise.allSettled([
    generateResponses(settings, quiet),
    generateResponses(settings, quiet),
  ]);
  const done = [a, b].filter((r) => r.status === "fulfilled");
  const refused = [a, b].filter((r) => r.status === "rejected");
  assert.deepEqual([done.length, refused.length], [1, 1]);
  const error = (refused[0] as PromiseRejectedResult).reason;
  assert.ok(error instanceof RunLockedError, String(error));
  assert.match(error.message, new RegExp(`pid ${Deno.pid} on .*candidate "med42"`));
  assert.equal(server.counts.chat, 16, "one request per case, none paid twice");
  const ledgers = [...(await _filesUnder(dir))].filter(([path]) => path.endsWith(".jsonl"));
  const records = ledgers.flatMap(([, text]) => text.split("\n").filter((line) => line !== ""));
  assert.equal(records.map((line) => JSON.parse(line)).length, 16);
  // The lock went with its run; a judging run's lock of the same name blocks nothing here.
  await using _judging = await lockJudge(dir, "med42");
  const again = await generateResponses(settings, quiet);
  assert.deepEqual([again.generated, again.cached, server.counts.chat], [0, 16, 16]);
});

Deno.test("generateResponses() recovers from scripted 429s and 500s", async () => {
  const faults: Fault[] = [
    { kind: "rate_limit", retryAfterSeconds: 0, times: 2 },
    { kind: "server_error", status: 500, times: 2 },
  ];
  await using server = startScriptedServer({ faults });
  const dir = await Deno.makeTempDir();
  const summary = await generateResponses(config(server, dir, ["diagnostic_reasoning"]), quiet);
  assert.deepEqual([summary.generated, summary.entries.length], [4, 4]);
  assert.deepEqual(summary.failed, {});
  assert.deepEqual([server.counts.byStatus[429], server.counts.byStatus[500]], [2, 2]);
  assert.equal(server.counts.chat, 8);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("generateResponses() keeps retries_exhausted failures and retries them on resume", async () => {
  await using server = startScriptedServer({ faults: [{ kind: "server_error", status: 503 }] });
  const dir = await Deno.makeTempDir();
  const settings = { ...config(server, dir, ["diagnostic_reasoning"]), retry: { max_retries: 0 } };
  const failing = await generateResponses(settings, quiet);
  assert.deepEqual(failing.failed, { retries_exhausted: 4 });
  assert.deepEqual([failing.generated, failing.entries.length], [0, 0]);
  assert.deepEqual(JSON.parse(await Deno.readTextFile(failing.entries_path)), []);
  server.setFaults([]);
  const resumed = await generateResponses(settings, quiet);
  assert.deepEqual([resumed.generated, resumed.cached, resumed.entries.length], [4, 0, 4]);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("generateResponses() counts empty and refused replies as failures, never entries", async () => {
  await using server = startScriptedServer({
    faults: [{ kind: "empty_reply", times: 1 }, { kind: "refusal", times: 1 }],
  });
  const dir = await Deno.makeTempDir();
  const settings = { ...config(server, dir, ["diagnostic_reasoning"]), threads: {} };
  const summary = await generateResponses(settings, quiet);
  assert.deepEqual(summary.failed, { empty_reply: 1, refusal: 1 });
  assert.deepEqual([summary.generated, summary.entries.length], [2, 2]);
  assert.ok(summary.entries.every((e) => e.response.trim() !== "" && !/sorry/i.test(e.response)));
  // Permanent failures stay in the ledger (counted as cached, not asked again) on a plain
  // re-run, and are asked again with retryFailed.
  const again = await generateResponses(settings, quiet);
  assert.deepEqual([again.generated, again.cached, server.counts.chat], [0, 4, 4]);
  assert.equal(again.entries.length, 2);
  const retried = await generateResponses(settings, { ...quiet, retryFailed: true });
  assert.deepEqual([retried.generated, retried.entries.length, server.counts.chat], [2, 4, 6]);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("generateResponses() entries load and the lexical judge scores every one", async () => {
  await using server = startScriptedServer();
  const dir = await Deno.makeTempDir();
  const generated = await generateResponses(config(server, dir, ALL), quiet);
  const loaded = await loadEntries(generated.entries_path);
  assert.equal(loaded.entries.length, 79);
  assert.ok(loaded.entries.every((e) => Number.isNaN(e.grade) && e.model === "med42"));
  assert.ok(loaded.entries.every((e) => e.extra?.synthetic === true));
  // In a frame, the missing grade is a null, as for any missing value.
  const frame = await loadDataset(generated.entries_path);
  assert.deepEqual([frame.height, frame.getColumn("grade").nullCount()], [79, 79]);

  const judge = {
    output_dir: join(dir, "trials"),
    tasks: ALL,
    models: [{ name: "lexical", provider: "offline", model_id: "lexical" }],
    threads: {},
    repeats: 1,
    budget: {},
  };
  const quietRun = { progress: "silent" as const, log: () => {} };
  const fromFile = await runBenchmark(
    { ...judge, dataset_path: generated.entries_path },
    quietRun,
  );
  assert.deepEqual([fromFile.judged, fromFile.failed], [79, {}]);
  const fromEntries = await runBenchmark(
    { ...judge, output_dir: join(dir, "trials2") },
    { ...quietRun, entries: generated.entries },
  );
  assert.deepEqual([fromEntries.judged, fromEntries.failed], [79, {}]);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("generateResponses() picks studies by name, wildcard or RegExp, and names a typo", async () => {
  await using server = startScriptedServer();
  const dir = await Deno.makeTempDir();
  const run = (study: GenerateOptions["study"]) => {
    const { study: _all, ...rest } = quiet;
    return generateResponses(config(server, dir, ["cpc_bond"]), {
      ...rest,
      ...(study === undefined ? {} : { study }),
      dryRun: true,
    });
  };
  assert.equal((await run("brodeur2025_cpc")).cases, 16);
  assert.equal((await run(/^kanjee/)).cases, 14);
  assert.equal((await run(["brodeur2025_cpc", "kanjee2023"])).cases, 30);
  assert.equal((await run(undefined)).cases, sampleCases("cpc_bond"));
  // The config's studies, when the options name none; the options' win.
  const { study: _all, ...rest } = quiet;
  const configured = { ...config(server, dir, ["cpc_bond"]), studies: ["kanjee*"] };
  assert.equal((await generateResponses(configured, { ...rest, dryRun: true })).cases, 14);
  assert.equal((await generateResponses(configured, { ...quiet, dryRun: true })).cases, 16);
  await assert.rejects(() => run("brodeur2025"), /no entries with study "brodeur2025"; present: /);
  await assert.rejects(() => run("nobody*"), /no cases of cpc_bond in study "nobody\*"/);
  await Deno.remove(dir, { recursive: true });
});

for (
  const [title, model, refusal] of [
    [
      "refuses the offline provider, naming the model",
      { name: "base", provider: "offline", model_id: "lexical" },
      /models\[0\] "base": generation needs a language model/,
    ],
    [
      "names the variable to set when a candidate's key is missing",
      { name: "gpt", provider: "openai", model_id: "gpt-4o" },
      /set OPENAI_API_KEY/,
    ],
  ] as const
) {
  Deno.test(`generateResponses() ${title}`, async () => {
    await using dir = await tempDir();
    await assert.rejects(
      () =>
        generateResponses(candidateConfig(dir.path, ["cpc_bond"], model), { ...quiet, keys: {} }),
      refusal,
    );
  });
}

Deno.test("generateResponses() asks Anthropic candidates through the Messages API", async () => {
  await using server = startScriptedServer();
  const dir = await Deno.makeTempDir();
  const claude: ModelConfig = {
    name: "claude",
    provider: "anthropic",
    model_id: "claude-x",
    base_url: server.anthropicBaseURL,
  };
  const summary = await generateResponses(
    { ...candidateConfig(dir, ["bi_triage"], claude), repeats: 2 },
    { ...quiet, keys: { ANTHROPIC_API_KEY: "sk-ant-test" } },
  );
  assert.deepEqual([summary.generated, server.counts.messages, server.counts.chat], [30, 30, 0]);
  assert.ok(summary.entries.every((e) => /^1\. .+\n2\. .+\n3\. .+$/.test(e.response)));
  assert.ok(summary.entries.some((e) => e.id.endsWith("/r1")));
  await Deno.remove(dir, { recursive: true });
});

/** Distinct (study, case, case text, question) of a task in the whole sample. */
function sampleCases(task: TaskKey): number {
  const keys = new Set(
    sample.filter((e: Entry) => e.benchmark === task).map((e) =>
      JSON.stringify([e.study, e.case_id, e.case_vignette, e.question_text])
    ),
  );
  return keys.size;
}

Deno.test("runBenchmark() refuses a mode: generate config (its models are candidates)", async () => {
  await using server = startScriptedServer();
  const dir = await Deno.makeTempDir();
  await assert.rejects(
    () => runBenchmark(config(server, dir, ["cpc_bond"]), { progress: "silent", log: () => {} }),
    /mode: generate; run it with generateResponses\(\)/,
  );
  assert.equal(server.counts.requests, 0);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("generateResponses() takes its cases from given entries instead of the dataset", async () => {
  await using server = startScriptedServer();
  const dir = await Deno.makeTempDir();
  const three = brodeur.filter((e) => e.benchmark === "cpc_bond").slice(0, 3);
  const summary = await generateResponses(config(server, dir, ["cpc_bond"]), {
    progress: "silent",
    log: () => {},
    entries: three,
  });
  assert.deepEqual([summary.cases, server.counts.chat], [3, 3]);
  assert.deepEqual(summary.entries.map((e) => e.case_id), three.map((e) => e.case_id));
  await Deno.remove(dir, { recursive: true });
});

Deno.test("generateResponses() asks every candidate once per case, each with its own entries", async () => {
  await using server = startScriptedServer();
  const dir = await Deno.makeTempDir();
  const base = config(server, dir, ["r_idea"]);
  const summary = await generateResponses({
    ...base,
    models: [
      { ...base.models[0]!, name: "med42" },
      { ...base.models[0]!, name: "meditron", model_id: "meditron" },
    ],
  }, quiet);
  assert.deepEqual([summary.generated, server.counts.chat], [24, 24]);
  const byModel = (name: string) => summary.entries.filter((e) => e.model === name);
  assert.deepEqual([byModel("med42").length, byModel("meditron").length], [12, 12]);
  assert.equal(new Set(summary.entries.map((e) => e.id)).size, 24);
  const models = server.requests.map((r) => (r.body as { model: string }).model);
  assert.deepEqual([...new Set(models)].sort(), ["med42", "meditron"]);
  await Deno.remove(dir, { recursive: true });
});
