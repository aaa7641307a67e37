import assert from "node:assert/strict";
import { generateSample } from "../sample/generate_sample.ts";
import { startScriptedServer } from "../testing/scripted_server.ts";
import { _ledgerLines, _spawnRun } from "../runner/_resume_child_test_support.ts";
import type { BenchmarkConfig } from "../runner/config.ts";
import { runBenchmark } from "../runner/run_benchmark.ts";
import { lockJudge, RunLockedError } from "./run_lock.ts";

const quiet = { progress: "silent" as const, log: () => {} };

function scripted(output_dir: string, base_url: string): BenchmarkConfig {
  return {
    output_dir,
    tasks: ["cpc_bond"],
    models: [{ name: "scripted", provider: "openai-compatible", model_id: "scripted", base_url }],
    threads: { "openai-compatible": 4 },
    repeats: 1,
    budget: {},
  };
}

Deno.test("runBenchmark() twice at once on one folder: one run judges, the other stops at once", async () => {
  await using server = startScriptedServer({ faults: [{ kind: "latency", ms: 5 }] });
  const dir = await Deno.makeTempDir({ prefix: "preceptron-lock-" });
  const sample = generateSample({ size: "small" }).filter((e) => e.benchmark === "cpc_bond");
  // 100 items, a third of them sharing their content with another (the case that once crashed
  // both runs, each reading records back at offsets the other had shifted).
  const entries = [
    ...sample.slice(0, 67),
    ...sample.slice(0, 33).map((e) => ({ ...e, id: `${e.id}-twin` })),
  ];
  const config = scripted(dir, server.baseURL);
  const [a, b] = await Promise.allSettled([
    runBenchmark(config, { ...quiet, entries }),
    runBenchmark(config, { ...quiet, entries }),
  ]);
  const done = [a, b].filter((r) => r.status === "fulfilled");
  const refused = [a, b].filter((r) => r.status === "rejected");
  assert.equal(done.length, 1);
  assert.equal(refused.length, 1);
  const error = (refused[0] as PromiseRejectedResult).reason;
  assert.ok(error instanceof RunLockedError, String(error));
  assert.match(error.message, new RegExp(`pid ${Deno.pid} on .*judge "scripted"`));
  assert.equal(server.counts.chat, 67, "one request per distinct item, none paid twice");
  const { lines } = await _ledgerLines(dir);
  assert.equal(lines.length, 100);
  assert.equal(new Set(lines.map((l) => `${l.key}\u0000${l.entry_id}`)).size, 100, "no duplicates");
  // The lock is gone with its run: the next run goes ahead, and sends nothing.
  const again = await runBenchmark(config, { ...quiet, entries });
  assert.deepEqual([again.judged, again.cached, server.counts.chat], [0, 100, 67]);
});

Deno.test("runBenchmark() in another process stops at once while a run holds the folder, naming its pid", async () => {
  await using server = startScriptedServer();
  const dir = await Deno.makeTempDir({ prefix: "preceptron-lock-" });
  const held = await lockJudge(dir, "scripted");
  const spawned = _spawnRun({
    base_url: server.baseURL,
    output_dir: dir,
    size: "small",
    limit: 20,
  });
  await assert.rejects(
    () => spawned.report,
    new RegExp(`RunLockedError: .*pid ${Deno.pid} on `),
  );
  assert.equal(server.counts.chat, 0, "the refused run sent nothing");
  await held.release();
  const report = await _spawnRun({
    base_url: server.baseURL,
    output_dir: dir,
    size: "small",
    limit: 20,
  }).report;
  assert.equal(report.judged + report.cached, 20);
  assert.equal(server.counts.chat, report.judged);
});

Deno.test("lockJudge() takes over the lock file of a process that died", async () => {
  const dir = await Deno.makeTempDir({ prefix: "preceptron-lock-" });
  // A run killed with -9 leaves its lock file behind, naming a process that no longer exists;
  // the system dropped its file lock when it died.
  const child = new Deno.Command(Deno.execPath(), { args: ["eval", "1"] }).spawn();
  const { pid } = child;
  await child.status;
  await Deno.writeTextFile(
    `${dir}/scripted.lock`,
    JSON.stringify({ pid, hostname: "here", started: "2025-01-01T00:00:00.000Z" }),
  );
  const lock = await lockJudge(dir, "scripted");
  const holder = JSON.parse(await Deno.readTextFile(lock.path));
  assert.equal(holder.pid, Deno.pid);
  await lock.release();
  await assert.rejects(() => Deno.stat(lock.path), Deno.errors.NotFound);
});
