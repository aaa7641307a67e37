/**
 * `score()`: grade one response, the PrecepTron call in TypeScript.
 *
 * @module
 */

import type { TaskKey } from "../data/task_key.ts";
import { getTask, missingInputs } from "../tasks/tasks.ts";
import type { TaskInputs } from "../tasks/task.ts";
import { lexicalJudge } from "./baseline_judge.ts";
import type { Judge } from "./judge.ts";
import type { Judgement } from "./judgement.ts";
import { envKeys, judgeFor, type JudgeSettings, llmJudge, providerFromEnv } from "./providers.ts";
import { clientSecret, redact, redactValue } from "./redact.ts";
import { routeByRules, routeWithLLM, type Routing } from "./router.ts";
import { taskInputs } from "../tasks/task_inputs.ts";

/** What to score, and with what. */
export interface ScoreRequest extends TaskInputs, JudgeSettings {
  /** The task key; leave it out to let the router choose every applicable task. */
  task?: string;
  /** The judge to use. Default: `client` + `model`, else `defaultJudge()`. */
  judge?: Judge;
  /** An `OpenAI`, `AzureOpenAI` or `Anthropic` client (with `model`), as in PrecepTron. */
  client?: unknown;
  /** The model id for `client`. */
  model?: string;
  /** How the router chooses: `"llm"` (default with an LLM judge or a client) or `"rules"`. */
  router?: "llm" | "rules";
  /** Cancels the requests. */
  signal?: AbortSignal;
}

/** What `score()` returns when the router chose the tasks. */
export interface RoutedScore {
  /** What the router chose, and why. */
  router: Routing;
  /** A judgement per chosen task. */
  results: Partial<Record<TaskKey, Judgement>>;
}

/**
 * Scores a response with an LLM judge under a task's rubric — PrecepTron's `score()`.
 *
 * With `task`, returns one judgement: `{ status: "scored", score, justification, raw, usage,
 * provenance }` or `{ status: "failed", reason, detail, raw }` — never a number the judge did not
 * give. Without `task`, a router picks every applicable task (an LLM router when a `client` is
 * given or the judge is an LLM, a rule on the inputs otherwise; tasks whose inputs are missing
 * are skipped) and
 * returns `{ router: { tasks, skipped, method }, results: { [task]: judgement } }`.
 *
 * With no `judge` and no `client`, the judge is `defaultJudge()`: the provider configured in the
 * environment, else the offline lexical baseline (its judgements say `provider: "offline"`).
 *
 * Nothing it returns or throws holds a credential: judgements, router notes and error
 * messages pass through `redact()` with the clients' keys (and the environment's).
 *
 * @param request The response, its context, and the task and judge.
 * @returns A judgement, or the routed judgements.
 * @throws {Error} For an unknown task (listing the valid ones) or missing required inputs
 *   (naming them): input errors, not judge failures.
 *
 * @example
 * ```ts
 * import { score } from "./score.ts";
 * import { lexicalJudge } from "./baseline_judge.ts";
 * import assert from "node:assert/strict";
 *
 * const result = await score({
 *   task: "cpc_bond",
 *   response: "1. Pheochromocytoma\n2. Thyroid storm\n3. Carcinoid syndrome",
 *   final_diagnosis: "Pheochromocytoma",
 *   judge: lexicalJudge(),
 * });
 * assert.equal(result.status === "scored" && result.score, 5);
 * ```
 */
export async function score(request: ScoreRequest & { task: string }): Promise<Judgement>;
/**
 * Grades one response on the tasks the router picks (see the first form): a judgement per task.
 *
 * @param request The response, its inputs, and the judge or client.
 * @returns What the router chose, and a judgement per chosen task.
 */
export async function score(request: ScoreRequest): Promise<Judgement | RoutedScore>;
export async function score(request: ScoreRequest): Promise<Judgement | RoutedScore> {
  const secrets = [clientSecret(request.client), clientSecret(request.judge?.client)];
  try {
    return redactValue(await scoreWith(request), secrets);
  } catch (error) {
    if (error instanceof Error) {
      const message = redact(error.message, secrets);
      if (error.stack) error.stack = redact(error.stack, secrets);
      error.message = message;
    }
    throw error;
  }
}

async function scoreWith(request: ScoreRequest): Promise<Judgement | RoutedScore> {
  const judge = resolveJudge(request);
  const inputs = requestInputs(request);
  const call = request.signal ? { signal: request.signal } : {};
  if (request.task !== undefined) {
    const task = getTask(request.task);
    const missing = missingInputs(task, inputs);
    if (missing.length > 0) {
      throw new Error(
        `score(): task ${task.key} needs ${missing.map((m) => JSON.stringify(m)).join(", ")} ` +
          `(required: ${task.required.join(", ")})`,
      );
    }
    if (task.key === "management_reasoning" && task.scale(inputs).max <= 0) {
      throw new Error(
        "score(): management_reasoning needs max_score, or a rubric whose items have points",
      );
    }
    return await judge.judge(task, inputs, call);
  }
  // The LLM router asks the judge's own model, when the judge is an LLM.
  const routerClient = request.client ?? judge.client;
  const routerModel = request.client !== undefined ? request.model : judge.model;
  const router =
    routerClient !== undefined && routerModel !== undefined && request.router !== "rules"
      ? await routeWithLLM(routerClient, routerModel, inputs)
      : routeByRules(inputs);
  const judged = await Promise.all(
    router.tasks.map(async (key) => [key, await judge.judge(getTask(key), inputs, call)] as const),
  );
  return { router, results: Object.fromEntries(judged) as Partial<Record<TaskKey, Judgement>> };
}

/**
 * The judge to use when none is given: the provider configured in the environment
 * (`providerFromEnv()`), else the offline lexical baseline.
 *
 * @param settings Sampling and retry settings for an LLM judge.
 * @returns The judge; `judge.provider === "offline"` tells the baseline apart.
 *
 * @example
 * ```ts
 * import { defaultJudge } from "./score.ts";
 * import assert from "node:assert/strict";
 *
 * // With no provider configured (as in CI), the offline baseline judges.
 * const judge = defaultJudge({}, {});
 * assert.equal(judge.provider, "offline");
 * ```
 */
export function defaultJudge(
  settings: JudgeSettings = {},
  keys: Readonly<Record<string, string | undefined>> = envKeys(),
): Judge {
  const { entry } = providerFromEnv(keys);
  return entry ? judgeFor(entry, settings, keys) : lexicalJudge();
}

function resolveJudge(request: ScoreRequest): Judge {
  if (request.judge) return request.judge;
  const settings: JudgeSettings = {
    ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
    ...(request.seed === undefined ? {} : { seed: request.seed }),
    ...(request.maxTokens === undefined ? {} : { maxTokens: request.maxTokens }),
    ...(request.retry === undefined ? {} : { retry: request.retry }),
  };
  if (request.client !== undefined) {
    if (!request.model) throw new Error('score(): give `model` with `client` (e.g. "gpt-4o")');
    return llmJudge(request.client, request.model, settings);
  }
  return defaultJudge(settings);
}

function requestInputs(request: ScoreRequest): TaskInputs {
  if (typeof request.response !== "string") {
    throw new Error("score(): `response` (the text to score) is required and must be a string");
  }
  // A rubric from a dataset frame is JSON text: read back so item points can be summed.
  return taskInputs(request);
}
