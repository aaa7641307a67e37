import assert from "node:assert/strict";
import { Random } from "../sample/_random.ts";
import { generateSample } from "../sample/generate_sample.ts";
import { startScriptedServer } from "../testing/scripted_server.ts";
import {
  _compareLedgers,
  _distinctJudgements,
  _ledgerLines,
  _spawnRun,
  type ChildRun,
} from "./_resume_child_test_support.ts";
import type { BenchmarkConfig } from "./config.ts";
import { runBenchmark } from "./run_benchmark.ts";

const THREADS = 8;

function config(output_dir: string, base_url: string): BenchmarkConfig {
  return {
    output_dir,
    tasks: [],
    models: [{ name: "scripted", provider: "openai-compatible", model_id: "scripted", base_url }],
    threads: { "openai-compatible": THREADS },
    repeats: 1,
    budget: {},
  };
}

Deno.test("runBenchmark() killed with SIGKILL mid-run resumes to the ledger of an uninterrupted run", async () => {
  // The kill point is random; PRECEPTRON_RESUME_SEED replays a failure.
  const seed = Number(Deno.env.get("PRECEPTRON_RESUME_SEED") ?? Math.floor(Math.random() * 1e9));
  const replay = `(seed ${seed}: PRECEPTRON_RESUME_SEED=${seed} replays it)`;
  const entries = generateSample({ size: "small" }); // 360 entries over all six tasks
  let answered = 0;
  let onAnswer = (_count: number) => {};
  await using server = startScriptedServer({
    faults: [{ kind: "latency", ms: 20 }],
    onRequest: (event) => {
      if (event.path.endsWith("/chat/completions")) onAnswer(++answered);
    },
  });

  // The uninterrupted run, in this process, at no latency: the truth to compare with.
  server.setFaults([]);
  const cleanDir = await Deno.makeTempDir({ prefix: "preceptron-resume-clean-" });
  const clean = await runBenchmark(config(cleanDir, server.baseURL), {
    entries,
    progress: "silent",
    log: () => {},
  });
  const truth = (await _ledgerLines(cleanDir)).lines;
  const requests = server.counts.chat; // one per distinct key
  assert.equal(_distinctJudgements(truth), requests);
  assert.equal(clean.judged + clean.cached, entries.length);

  // The run to kill: a child process, killed once a random share of the answers has come back.
  server.setFaults([{ kind: "latency", ms: 20 }]);
  const dir = await Deno.makeTempDir({ prefix: "preceptron-resume-" });
  const run: ChildRun = {
    base_url: server.baseURL,
    output_dir: dir,
    size: "small",
    threads: THREADS,
  };
  const killAt = Math.floor(requests * (0.15 + 0.7 * new Random(seed).next()));
  const start = server.counts.chat;
  answered = 0;
  const spawned = _spawnRun(run);
  onAnswer = (count) => {
    if (count === killAt) spawned.child.kill("SIGKILL");
  };
  const status = await spawned.child.status;
  await spawned.report.catch(() => {}); // it was killed: no report
  onAnswer = () => {};
  assert.equal(status.signal, "SIGKILL", `the child finished before the kill ${replay}`);
  const killed = await _ledgerLines(dir);
  assert.ok(
    killed.lines.length > 0 && killed.lines.length < truth.length,
    `the ledger is partly written: ${killed.lines.length} of ${truth.length} lines ${replay}`,
  );

  // A kill in the middle of a write leaves half a line; the resume must cut it off.
  const files = [...new Set(killed.lines.map((line) => line.file))];
  const torn = `${dir}/${files.at(-1)}`;
  const last = (await Deno.readTextFile(torn)).trimEnd().split("\n").at(-1)!;
  await Deno.writeTextFile(torn, last.slice(0, Math.floor(last.length / 2)), { append: true });
  assert.equal((await _ledgerLines(dir)).torn, 1);

  // Resume in this process.
  const logged: string[] = [];
  const resumed = await runBenchmark(config(dir, server.baseURL), {
    entries,
    progress: "silent",
    log: (line) => logged.push(line),
  });
  assert.ok(logged.some((line) => line.includes("ignored a torn last line")));
  assert.equal(resumed.judged + resumed.cached, entries.length);
  assert.ok(resumed.cached >= killed.lines.length, `what was on disk was not sent again ${replay}`);

  const final = await _ledgerLines(dir);
  assert.equal(final.torn, 0);
  assert.deepEqual(_compareLedgers(final.lines, truth), {
    keys: truth.length,
    missing: 0,
    extra: 0,
    duplicates: 0,
    scoreMismatches: 0,
    failed: 0,
  }, `the resumed ledger differs from the uninterrupted run's ${replay}`);
  const extra = server.counts.chat - start - requests;
  assert.ok(
    extra >= 0 && extra <= THREADS,
    `requests beyond one per judgement: ${extra}, allowed 0 to ${THREADS} ${replay}`,
  );
});
