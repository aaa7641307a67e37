/**
 * The judging kind's batch path: a `batch: true` judge's queued items go to its provider's batch
 * engine (`preceptron/batch`) with the request bodies live judging sends, and each collected
 * reply is read by the same judge and recorded in the same ledger.
 *
 * @module
 */

import type { Entry } from "../data/entry.ts";
import { type BatchLimit, batchProvider } from "../judge/batch_limits.ts";
import type { Judge } from "../judge/judge.ts";
import type { Judgement } from "../judge/judgement.ts";
import type { ProviderJudge } from "../judge/openai_judge.ts";
import { getTask } from "../tasks/tasks.ts";
import { collectBatches } from "../batch/collect_batches.ts";
import { judgeInBatches } from "../batch/judge_in_batches.ts";
import type { BatchItem } from "../batch/chunk_requests.ts";
import type { BatchOptions, BatchProgress } from "../batch/collect_batches.ts";
import type { Budget } from "./budget.ts";
import type { ModelConfig } from "../judge/model_config.ts";
import type { LedgerRecord } from "../ledger/ledger.ts";
import { taskInputs } from "../tasks/task_inputs.ts";
import type { RunOptions } from "./run_options.ts";
import type { _Item } from "./_pipeline.ts";

/** A judging work item, as the batch path needs it. */
type JudgeItem = _Item<Entry, { judge: Judge }, LedgerRecord>;

/**
 * Judges a batch model's queued items through its provider's batch engine: submits what no live
 * batch holds, then (unless `detach`) polls and records every result; with `collect`, only
 * collects the batches earlier runs submitted. Each item submitted takes one of the budget's
 * requests (`max_requests` caps a batch run); tokens and cost are counted as results arrive, so
 * `max_tokens` and `max_cost` cannot stop a batch once it is submitted.
 *
 * @param outputDir The run's output folder (its `batches/` records live there).
 * @param model The judge's config (`batch: true`).
 * @param items Its queued items: every key still to judge.
 * @param record Records one result in the ledger and the run's tally.
 * @param options `detach`, `collect`, `batchPollMs`, `batchLimit`, the run's `budget`, and its
 *   `log`, which redacts.
 * @returns Why submission stopped early (the budget), if it did.
 * @throws {Error} When the judge has no batch API (not an OpenAI or Anthropic judge).
 */
export async function _judgeInBatches<I extends JudgeItem>(
  outputDir: string,
  model: ModelConfig,
  items: readonly I[],
  record: (item: I, judgement: Judgement) => Promise<void>,
  options: RunOptions & {
    batchPollMs?: number;
    batchLimit?: BatchLimit;
    budget: Budget;
    log: (line: string) => void;
  },
): Promise<string | undefined> {
  if (items.length === 0) return undefined; // nothing queued: no key waits in a batch either
  const judge = providerJudge(model, items[0]!.worker.judge);
  const byKey = new Map(items.map((item) => [item.key, item]));
  const { log } = options;
  const told = new Map<string, string>();
  const common: BatchOptions = {
    provider: batchProvider(model.provider),
    client: judge.client,
    outputDir,
    judge: model.name,
    async deliver(key, reply) {
      const item = byKey.get(key);
      // A key this run does not plan (the config changed), or one recorded already (a re-delivery).
      if (item === undefined || !item.ledger.needed(key)) return;
      const task = getTask(item.task);
      await record(item, judge.readReply(task, taskInputs(item.unit), reply));
    },
    onProgress: (progress) => tell(progress, told, log),
    detach: options.detach === true,
    ...(options.batchPollMs === undefined ? {} : { pollMs: options.batchPollMs }),
  };
  if (options.collect === true) {
    await collectBatches(common);
    return undefined;
  }
  let stopped: string | undefined;
  // Each item submitted takes one of the budget's requests; keys a live batch holds take none.
  const admit = () => {
    if (options.budget.tryStart()) return true;
    stopped ??= `budget: ${options.budget.exhausted}`;
    return false;
  };
  const work = function* (): Generator<BatchItem> {
    for (const item of items) {
      yield { key: item.key, body: judge.requestBody(getTask(item.task), taskInputs(item.unit)) };
    }
  };
  const limit = options.batchLimit === undefined ? {} : { limit: options.batchLimit };
  const summary = await judgeInBatches({ ...common, ...limit, admit, items: work() });
  if (summary.live > 0) {
    log(
      `judge "${model.name}": ${summary.live} batch(es) still running; collect them with ` +
        "deno task benchmark --collect (or any later run)",
    );
  }
  return stopped;
}

/** The judge's batch side. */
function providerJudge(model: ModelConfig, judge: Judge): ProviderJudge {
  const { requestBody, readReply } = judge as Partial<ProviderJudge>;
  if (typeof requestBody !== "function" || typeof readReply !== "function") {
    throw new Error(
      `judge "${model.name}": batch: true needs an OpenAI-compatible or Anthropic judge with a ` +
        "batch API; this judge has none",
    );
  }
  return judge as ProviderJudge;
}

/** Tells a batch's state when it changes: id, status and counts. */
function tell(progress: BatchProgress, told: Map<string, string>, log: (line: string) => void) {
  const line = `batch ${progress.id} (judge "${progress.judge}", ${progress.provider}): ` +
    `${progress.status}, ${JSON.stringify(progress.counts)} of ${progress.requests}`;
  if (told.get(progress.id) === line) return;
  told.set(progress.id, line);
  log(line);
}
