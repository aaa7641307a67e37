import assert from "node:assert/strict";
import type { BatchProvider } from "../judge/batch_limits.ts";
import { Ledger, ledgerPath } from "../ledger/ledger.ts";
import { type BatchFault, startBatchImitation } from "../testing/batch_imitation.ts";
import { startScriptedServer } from "../testing/scripted_server.ts";
import type { Judgement } from "../judge/judgement.ts";
import {
  type ChildBatchRun,
  imitationJudge,
  ledgerDelivery,
  sampleWork,
  type Work,
} from "./_batch_test_support.ts";
import type { BatchReply } from "./_batch_api.ts";
import { readBatchRecords } from "./batch_records.ts";
import { collectBatches } from "./collect_batches.ts";
import { judgeInBatches } from "./judge_in_batches.ts";

const PROVIDERS: BatchProvider[] = ["openai", "anthropic"];
const LIMIT = { requests: 5, bytes: 10_000_000 };
const fast = { sleep: () => Promise.resolve(), maxRetries: 3 };

function setUp(provider: BatchProvider, faults: BatchFault[] = [], entries = 12) {
  const imitation = startBatchImitation({
    seed: 5,
    faults,
    limits: { [provider]: LIMIT },
  });
  const url = provider === "openai" ? imitation.baseURL : imitation.anthropicBaseURL;
  const judge = imitationJudge(provider, url);
  const work = [...sampleWork(judge, { entries })];
  return { imitation, judge, work };
}

/** Judges in batches, keeping every outcome delivered (a key delivered twice fails the test). */
async function judged(
  provider: BatchProvider,
  setup: ReturnType<typeof setUp>,
  outputDir: string,
  work: readonly Work[] = setup.work,
) {
  const outcomes = new Map<string, Judgement>();
  const byKey = new Map(setup.work.map((w) => [w.key, w]));
  const summary = await judgeInBatches({
    provider,
    client: setup.judge.client,
    outputDir,
    judge: "scripted",
    items: work,
    deliver(key: string, reply: BatchReply) {
      assert.ok(!outcomes.has(key), `${key} delivered twice`);
      const w = byKey.get(key)!;
      outcomes.set(key, setup.judge.readReply(w.task, w.inputs, reply));
      return Promise.resolve();
    },
    pollMs: 1,
    retry: fast,
    limit: LIMIT,
  });
  return { summary, outcomes };
}

const brief = (j: Judgement) => j.status === "scored" ? `scored ${j.score}` : `failed ${j.reason}`;

for (const provider of PROVIDERS) {
  Deno.test(`judgeInBatches() judges as live judging does, one batch per chunk (${provider})`, async () => {
    const setup = setUp(provider);
    await using _imitation = setup.imitation;
    const { summary, outcomes } = await judged(provider, setup, await Deno.makeTempDir());
    const chunks = Math.ceil(setup.work.length / LIMIT.requests);
    assert.deepEqual(summary, {
      submitted: chunks,
      requests: setup.work.length,
      alreadyLive: 0,
      collected: chunks,
      live: 0,
    });
    assert.equal(setup.imitation.counts.batchesCreated[provider], chunks);
    // The same judgements as live calls to a scripted server with the same seed.
    await using live = startScriptedServer({ seed: 5 });
    const liveJudge = imitationJudge(
      provider,
      provider === "openai" ? live.baseURL : live.anthropicBaseURL,
    );
    for (const w of setup.work) {
      const expected = await liveJudge.judge(w.task, w.inputs);
      assert.equal(brief(outcomes.get(w.key)!), brief(expected));
      assert.deepEqual(outcomes.get(w.key)!.usage, expected.usage);
    }
  });

  Deno.test(`judgeInBatches() re-queues only the unfinished items of an expired batch (${provider})`, async () => {
    const setup = setUp(provider, [{ kind: "expire", afterItems: 2, batches: 1 }], 4);
    await using _imitation = setup.imitation;
    const dir = await Deno.makeTempDir();
    const first = await judged(provider, setup, dir);
    const outcomes = setup.work.map((w) => brief(first.outcomes.get(w.key)!));
    assert.deepEqual(outcomes.map((o) => o.split(" ")[0]), [
      "scored",
      "scored",
      "failed",
      "failed",
    ]);
    assert.deepEqual(outcomes.slice(2), ["failed retries_exhausted", "failed retries_exhausted"]);
    // The runner re-queues the transient failures: only they go in the next batch.
    const again = setup.work.filter((w) => first.outcomes.get(w.key)!.status === "failed");
    const second = await judged(provider, setup, dir, again);
    assert.equal(second.summary.requests, 2);
    const batches = setup.imitation.control.batches(provider);
    assert.deepEqual(batches.at(-1)!.customIds, again.map((w) => w.key));
    assert.ok([...second.outcomes.values()].every((j) => j.status === "scored"));
  });

  Deno.test(`judgeInBatches() reads failed items by the live retry rules, in any order (${provider})`, async () => {
    const setup = setUp(provider, [], 5);
    await using _imitation = setup.imitation;
    const [refused, busy] = setup.work;
    setup.imitation.control.setFaults([
      { kind: "fail_items", customIds: [refused!.key], status: 400 },
      { kind: "fail_items", customIds: [busy!.key], status: 503 },
      { kind: "out_of_order" },
    ]);
    const { outcomes } = await judged(provider, setup, await Deno.makeTempDir());
    assert.equal(brief(outcomes.get(refused!.key)!), "failed request_rejected");
    assert.equal(brief(outcomes.get(busy!.key)!), "failed retries_exhausted");
    const rest = setup.work.slice(2).map((w) => outcomes.get(w.key)!.status);
    assert.deepEqual(rest, ["scored", "scored", "scored"]);
  });

  Deno.test(`judgeInBatches() retries polls and downloads cut mid-response (${provider})`, async () => {
    const setup = setUp(provider, [
      { kind: "drop_polls", times: 2 },
      { kind: "drop_results", times: 1 },
    ], 5);
    await using _imitation = setup.imitation;
    const { outcomes } = await judged(provider, setup, await Deno.makeTempDir());
    assert.equal(setup.imitation.counts.pollsDropped, 2);
    assert.equal(setup.imitation.counts.resultsDropped, 1);
    assert.equal(outcomes.size, 5);
    assert.ok([...outcomes.values()].every((j) => j.status === "scored"));
  });

  Deno.test(`judgeInBatches() says why an upload failed, and nothing of it is live (${provider})`, async () => {
    const setup = setUp(provider, [{ kind: "upload_error", times: 1, status: 503 }], 3);
    await using _imitation = setup.imitation;
    const dir = await Deno.makeTempDir();
    await assert.rejects(
      judged(provider, setup, dir),
      /scripted: could not submit a batch of 3 requests to .*HTTP 503.*nothing of it is live/,
    );
    const records = await readBatchRecords(dir, "scripted");
    assert.deepEqual(records.map((r) => r.state), ["abandoned"]);
    const { summary } = await judged(provider, setup, dir);
    assert.equal(summary.requests, 3);
    assert.equal(setup.imitation.counts.batchesCreated[provider], 1);
  });

  Deno.test(`judgeInBatches() detaches, and collectBatches() collects later (${provider})`, async () => {
    const setup = setUp(provider, [], 3);
    await using _imitation = setup.imitation;
    const dir = await Deno.makeTempDir();
    const delivery = ledgerDelivery(setup.judge, setup.work, dir);
    const common = {
      provider,
      client: setup.judge.client,
      outputDir: dir,
      judge: "scripted",
      deliver: delivery.deliver,
      pollMs: 1,
    };
    const detached = await judgeInBatches({ ...common, items: setup.work, detach: true });
    assert.deepEqual(detached, {
      submitted: 1,
      requests: 3,
      alreadyLive: 0,
      collected: 0,
      live: 1,
    });
    assert.equal(setup.imitation.counts.polls[provider], 0);
    // A second run does not submit what a live batch holds.
    const again = await judgeInBatches({ ...common, items: setup.work, detach: true });
    assert.equal(again.alreadyLive, 3);
    const seen: string[] = [];
    const collected = await collectBatches({ ...common, onProgress: (p) => seen.push(p.status) });
    assert.equal(collected.collected, 1);
    assert.ok(seen.length >= 1);
    await delivery.close();
    assert.equal(setup.imitation.counts.batchesCreated[provider], 1);
    const records = await readBatchRecords(dir, "scripted");
    assert.deepEqual(records.map((r) => r.state), ["collected"]);
  });

  Deno.test(`judgeInBatches() resumes after kill -9 while polling: each key judged once (${provider})`, async () => {
    await using imitation = startBatchImitation({
      seed: 5,
      advanceAfterPolls: Infinity,
      limits: { [provider]: LIMIT },
    });
    const url = provider === "openai" ? imitation.baseURL : imitation.anthropicBaseURL;
    const dir = await Deno.makeTempDir();
    const run: ChildBatchRun = {
      provider,
      base_url: url,
      output_dir: dir,
      entries: 12,
      limit: LIMIT,
    };
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        new URL("./_batch_test_support.ts", import.meta.url).pathname,
        JSON.stringify(run),
      ],
      stdout: "null",
      stderr: "inherit",
    }).spawn();
    while (imitation.counts.polls[provider] < 4) await new Promise((r) => setTimeout(r, 10));
    child.kill("SIGKILL");
    await child.status;
    imitation.control.finish();
    // The second run: the same work, collected, nothing submitted again.
    const judge = imitationJudge(provider, url);
    const work = [...sampleWork(judge, { entries: 12 })];
    const delivery = ledgerDelivery(judge, work, dir);
    const summary = await judgeInBatches({
      provider,
      client: judge.client,
      outputDir: dir,
      judge: judge.model,
      items: work,
      deliver: delivery.deliver,
      pollMs: 1,
      limit: LIMIT,
    });
    await delivery.close();
    const chunks = Math.ceil(work.length / LIMIT.requests);
    assert.deepEqual(summary, {
      submitted: 0,
      requests: 0,
      alreadyLive: work.length,
      collected: chunks,
      live: 0,
    });
    assert.equal(imitation.counts.batchesCreated[provider], chunks);
    const lines: string[] = [];
    for (const task of new Set(work.map((w) => w.task.key))) {
      const ledger = await Ledger.open(ledgerPath(dir, judge.model, task), { readOnly: true });
      lines.push(...ledger.records().map((r) => r.key));
      await ledger.close();
    }
    assert.equal(new Set(lines).size, lines.length, "every key judged once");
    assert.deepEqual(lines.sort(), work.map((w) => w.key).sort());
  });
}
