/**
 * Work for the batch transport's tests and bench: judgements of the synthetic sample, keyed as
 * the runner keys them, with their judge's request bodies; and, run as a script, a child that
 * judges them in batches and records what it delivers in a ledger, for the kill test:
 * `deno run -A _batch_test_support.ts '<json ChildBatchRun>'`.
 *
 * @module
 */

import { anthropicJudge } from "../judge/anthropic_judge.ts";
import type { BatchProvider } from "../judge/batch_limits.ts";
import { openAIJudge, type ProviderJudge } from "../judge/openai_judge.ts";
import { makeClient } from "../judge/providers.ts";
import { judgementKey } from "../ledger/judgement_key.ts";
import { Ledger, ledgerPath } from "../ledger/ledger.ts";
import { generateSample } from "../sample/generate_sample.ts";
import { taskInputs } from "../tasks/task_inputs.ts";
import type { Task, TaskInputs } from "../tasks/task.ts";
import { getTask, missingInputs } from "../tasks/tasks.ts";
import type { _BatchApi, _Polled, BatchReply } from "./_batch_api.ts";
import type { BatchItem } from "./chunk_requests.ts";
import type { BatchLimit } from "../judge/batch_limits.ts";
import { judgeInBatches } from "./judge_in_batches.ts";

/** One judgement to make. */
export interface Work extends BatchItem {
  task: Task;
  inputs: TaskInputs;
  entryId: string;
  repeat: number;
}

/** A judge of the imitation's provider, through `makeClient` as the runner makes it. */
export function imitationJudge(provider: BatchProvider, baseURL: string): ProviderJudge {
  const keys = { OPENAI_API_KEY: "sk-test-batch-key", ANTHROPIC_API_KEY: "sk-ant-batch-key" };
  const client = makeClient({ provider, model_id: "scripted", base_url: baseURL }, keys);
  return provider === "openai"
    ? openAIJudge({ client: client as never, model: "scripted" })
    : anthropicJudge({ client: client as never, model: "scripted" });
}

/**
 * The judgements of the small synthetic sample's first `entries` entries (all by default),
 * `repeats` times each, in the runner's order: keys by `judgementKey()`, bodies by the judge.
 */
export function* sampleWork(
  judge: ProviderJudge,
  options: { entries?: number; repeats?: number; size?: "small" | "full" } = {},
): Generator<Work> {
  const sample = generateSample({ size: options.size ?? "small" }).slice(0, options.entries);
  const who = { provider: judge.provider, model: judge.model, parameters: { ...judge.parameters } };
  for (const entry of sample) {
    const task = getTask(entry.benchmark);
    const inputs = taskInputs(entry);
    if (missingInputs(task, inputs).length > 0) continue;
    const body = judge.requestBody(task, inputs);
    for (let repeat = 0; repeat < (options.repeats ?? 1); repeat++) {
      const parts = { task: task.key, inputs, judge: who, promptHash: task.promptHash, repeat };
      yield { key: judgementKey(parts), body, task, inputs, entryId: entry.id, repeat };
    }
  }
}

/**
 * A delivery as the runner makes it: the judge reads the reply, and the ledger of its task
 * records it (once: a key the ledger holds is skipped).
 */
export function ledgerDelivery(
  judge: ProviderJudge,
  work: readonly Work[],
  dir: string,
): { deliver(key: string, reply: BatchReply): Promise<void>; close(): Promise<void> } {
  const byKey = new Map(work.map((w) => [w.key, w]));
  const ledgers = new Map<string, Promise<Ledger>>();
  const ledgerOf = (task: Task) => {
    const path = ledgerPath(dir, judge.model, task.key);
    if (!ledgers.has(path)) ledgers.set(path, Ledger.open(path));
    return ledgers.get(path)!;
  };
  return {
    async deliver(key, reply) {
      const w = byKey.get(key)!;
      const ledger = await ledgerOf(w.task);
      if (!ledger.needed(key)) return;
      const judgement = judge.readReply(w.task, w.inputs, reply);
      const record = { key, judge: judge.model, task: w.task.key, entry_id: w.entryId };
      await ledger.append({
        ...record,
        repeat: w.repeat,
        judgement,
        time: new Date().toISOString(),
      });
    },
    async close() {
      for (const ledger of ledgers.values()) await (await ledger).close();
    },
  };
}

/**
 * Polls a batch until it ends, and tells each of its replies by key: `ok`, or `retry: ` (a reply
 * a later run retries) or `refused: ` followed by the error's message.
 */
export async function pollToEnd(
  api: _BatchApi,
  id: string,
): Promise<{ polled: _Polled; replies: Map<string, string> }> {
  let polled = await api.poll(id);
  while (!polled.ended) polled = await api.poll(id);
  const replies = new Map<string, string>();
  for await (const [key, reply] of polled.results()) {
    replies.set(
      key,
      reply.ok ? "ok" : `${reply.exhausted ? "retry" : "refused"}: ${reply.error.message}`,
    );
  }
  return { polled, replies };
}

/** What the child judges. */
export interface ChildBatchRun {
  provider: BatchProvider;
  base_url: string;
  output_dir: string;
  entries: number;
  limit: BatchLimit;
}

if (import.meta.main) {
  const run: ChildBatchRun = JSON.parse(Deno.args[0]!);
  const judge = imitationJudge(run.provider, run.base_url);
  const work = [...sampleWork(judge, { entries: run.entries })];
  const delivery = ledgerDelivery(judge, work, run.output_dir);
  const summary = await judgeInBatches({
    provider: run.provider,
    client: judge.client,
    outputDir: run.output_dir,
    judge: judge.model,
    items: work,
    deliver: delivery.deliver,
    pollMs: 5,
    limit: run.limit,
  });
  await delivery.close();
  console.log(JSON.stringify(summary));
}
