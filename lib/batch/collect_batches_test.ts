import assert from "node:assert/strict";
import OpenAI from "openai";
import type { BatchProvider } from "../judge/batch_limits.ts";
import { type BatchImitationOptions, startBatchImitation } from "../testing/batch_imitation.ts";
import { imitationJudge, sampleWork } from "./_batch_test_support.ts";
import { _BatchLog, readBatchRecords } from "./batch_records.ts";
import { collectBatches } from "./collect_batches.ts";
import { judgeInBatches } from "./judge_in_batches.ts";

/** An imitation, a judge of it, the first `entries` judgements, and the options they share. */
async function setUp(
  provider: BatchProvider,
  entries: number,
  options: BatchImitationOptions = {},
) {
  const imitation = startBatchImitation(options);
  const url = provider === "openai" ? imitation.baseURL : imitation.anthropicBaseURL;
  const judge = imitationJudge(provider, url);
  const work = [...sampleWork(judge, { entries })];
  const dir = await Deno.makeTempDir();
  const common = { provider, client: judge.client, outputDir: dir, judge: "j", pollMs: 1 };
  const delivered: string[] = [];
  const deliver = (key: string) => Promise.resolve(void delivered.push(key));
  return { imitation, judge, work, dir, common, delivered, deliver };
}

/** Records a chunk as a killed run leaves it: submitting, with no batch id. */
async function killedWhileSubmitting(dir: string, provider: BatchProvider, keys: string[]) {
  const log = await _BatchLog.open(dir, "j");
  await log.append({ event: "submitting", chunk: "c1", provider, judge: "j", keys });
}

Deno.test("collectBatches() finds an OpenAI batch made just before a kill, by its chunk id", async () => {
  const { imitation, judge, work, dir, common, delivered, deliver } = await setUp("openai", 1);
  await using _imitation = imitation;
  const [item] = work;
  await killedWhileSubmitting(dir, "openai", [item!.key]);
  // The upload and the create went through; the process died before recording the id.
  const client = judge.client as OpenAI;
  const line = {
    custom_id: item!.key,
    method: "POST",
    url: "/v1/chat/completions",
    body: item!.body,
  };
  const file = await client.files.create({
    file: new File([JSON.stringify(line) + "\n"], "c1.jsonl"),
    purpose: "batch",
  });
  await client.batches.create({
    input_file_id: file.id,
    endpoint: "/v1/chat/completions",
    completion_window: "24h",
    metadata: { preceptron_chunk: "c1" },
  });
  assert.equal((await collectBatches({ ...common, deliver })).collected, 1);
  assert.deepEqual(delivered, [item!.key]);
  assert.equal(imitation.counts.batchesCreated.openai, 1);
});

Deno.test("collectBatches() abandons an Anthropic chunk a kill left unrecorded: its keys go again", async () => {
  const { imitation, work, dir, common, deliver } = await setUp("anthropic", 2);
  await using _imitation = imitation;
  await killedWhileSubmitting(dir, "anthropic", work.map((w) => w.key));
  assert.equal((await collectBatches({ ...common, deliver })).collected, 0);
  assert.deepEqual((await readBatchRecords(dir, "j")).map((r) => r.state), ["abandoned"]);
  const summary = await judgeInBatches({ ...common, deliver, items: work, detach: true });
  assert.equal(summary.requests, 2);
});

Deno.test("collectBatches() leaves a batch live when the delivery fails, and says why", async () => {
  const { imitation, work, dir, common, delivered, deliver } = await setUp("openai", 3);
  await using _imitation = imitation;
  await judgeInBatches({ ...common, items: work, detach: true, deliver });
  const full = () => Promise.reject(new Error("disk full"));
  await assert.rejects(collectBatches({ ...common, deliver: full }), /disk full/);
  assert.deepEqual((await readBatchRecords(dir, "j")).map((r) => r.state), ["live"]);
  assert.equal((await collectBatches({ ...common, deliver })).collected, 1);
  assert.deepEqual(delivered.sort(), work.map((w) => w.key).sort());
});

Deno.test("collectBatches() detached polls each batch once, and reports its counts", async () => {
  const setup = await setUp("anthropic", 2, { advanceAfterPolls: Infinity });
  await using _imitation = setup.imitation;
  const { work, common, deliver } = setup;
  await judgeInBatches({ ...common, items: work, detach: true, deliver });
  const seen: unknown[] = [];
  const onProgress = (progress: unknown) => void seen.push(progress);
  const summary = await collectBatches({ ...common, deliver, detach: true, onProgress });
  assert.deepEqual(summary, { submitted: 0, requests: 0, alreadyLive: 0, collected: 0, live: 1 });
  assert.deepEqual(seen, [{
    judge: "j",
    provider: "anthropic",
    id: "msgbatch_scripted_1",
    status: "in_progress",
    counts: { processing: 2, succeeded: 0, errored: 0, canceled: 0, expired: 0 },
    requests: 2,
  }]);
});
