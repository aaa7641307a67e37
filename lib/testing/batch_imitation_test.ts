import assert from "node:assert/strict";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI, { AzureOpenAI, toFile } from "openai";
import { BATCH_LIMITS } from "../judge/batch_limits.ts";
import { parseReply } from "../tasks/parse_reply.ts";
import type { TaskInputs } from "../tasks/task.ts";
import { getTask } from "../tasks/tasks.ts";
import {
  type BatchFault,
  type BatchImitation,
  type BatchImitationOptions,
  startBatchImitation,
} from "./batch_imitation.ts";
import { startScriptedServer } from "./scripted_server.ts";

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

type Chat = OpenAI.Chat.ChatCompletionCreateParamsNonStreaming;
type MessageParams = Anthropic.MessageCreateParamsNonStreaming;

/** Judge entries: Bond and test-plan prompts whose grades differ. */
const ENTRIES: { key: string; inputs: TaskInputs }[] = [
  {
    key: "cpc_bond",
    inputs: { response: "1. Sarcoidosis\n2. Lymphoma", final_diagnosis: "Sarcoidosis" },
  },
  {
    key: "cpc_bond",
    inputs: { response: "1. Gout\n2. Pseudogout", final_diagnosis: "Sarcoidosis" },
  },
  {
    key: "cpc_bond",
    inputs: { response: "1. Tuberculosis\n2. Whipple disease", final_diagnosis: "Whipple disease" },
  },
  {
    key: "cpc_management",
    inputs: { response: "Temporal artery biopsy.", test_plan: "Temporal artery biopsy" },
  },
  { key: "cpc_management", inputs: { response: "Chest X-ray.", test_plan: "Echocardiography" } },
];

function chatBody(i: number): Chat {
  const { key, inputs } = ENTRIES[i % ENTRIES.length]!;
  const task = getTask(key);
  const { system, user } = task.prompt(inputs);
  return {
    model: "scripted",
    messages: [{ role: "system", content: system }, { role: "user", content: user }],
    response_format: {
      type: "json_schema",
      json_schema: { name: "grade", schema: task.outputSchema, strict: true },
    },
  };
}

function messageBody(i: number): MessageParams {
  const { key, inputs } = ENTRIES[i % ENTRIES.length]!;
  const { system, user } = getTask(key).prompt(inputs);
  return {
    model: "scripted",
    max_tokens: 400,
    system,
    messages: [{ role: "user", content: user }],
  };
}

/** The score a reply gives entry `i` (undefined when the reply does not parse). */
function scoreOf(i: number, reply: string): number | undefined {
  const { key, inputs } = ENTRIES[i % ENTRIES.length]!;
  const parsed = parseReply(reply, getTask(key).scale(inputs), { allowExtraction: true });
  return parsed.ok ? parsed.score : undefined;
}

function openai(imitation: BatchImitation, apiKey = "sk-test-key"): OpenAI {
  return new OpenAI({ apiKey, baseURL: imitation.baseURL, maxRetries: 0 });
}

function anthropic(imitation: BatchImitation, apiKey = "sk-ant-test-key"): Anthropic {
  return new Anthropic({ apiKey, baseURL: imitation.anthropicBaseURL, maxRetries: 0 });
}

const ids = (n: number, prefix = "case") => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);

/** A JSONL input file of chat-completion requests. */
function inputFile(
  customIds: readonly string[],
  body: (i: number) => unknown = chatBody,
  url = "/v1/chat/completions",
): string {
  return customIds.map((custom_id, i) =>
    JSON.stringify({ custom_id, method: "POST", url, body: body(i) }) + "\n"
  ).join("");
}

/** Uploads the lines and creates a batch from them, as a batch transport would. */
async function submitOpenAI(
  client: OpenAI,
  text: string,
  name = "chunk.jsonl",
  endpoint = "/v1/chat/completions",
) {
  const file = await client.files.create({
    file: await toFile(new Blob([text]), name),
    purpose: "batch",
  });
  return await client.batches.create({
    input_file_id: file.id,
    endpoint: endpoint as "/v1/chat/completions", // Azure's "/chat/completions" is not in the type
    completion_window: "24h",
  });
}

const OPENAI_ENDED = ["completed", "failed", "expired", "cancelled"];

/** Polls until the batch has ended; returns every status seen, and the last batch. */
async function pollOpenAI(client: OpenAI, id: string) {
  const seen: string[] = [];
  for (let i = 0; i < 20; i++) {
    const batch = await client.batches.retrieve(id);
    seen.push(batch.status);
    if (OPENAI_ENDED.includes(batch.status)) return { batch, seen };
  }
  throw new Error(`batch ${id} never ended`);
}

async function fileLines(client: OpenAI, id: string | null | undefined) {
  if (!id) return [];
  const text = await (await client.files.content(id)).text();
  return text.trim().split("\n").map((line) => JSON.parse(line));
}

function createAnthropic(client: Anthropic, customIds: readonly string[], body = messageBody) {
  return client.messages.batches.create({
    requests: customIds.map((custom_id, i) => ({ custom_id, params: body(i) })),
  });
}

async function pollAnthropic(client: Anthropic, id: string) {
  const seen: string[] = [];
  for (let i = 0; i < 20; i++) {
    const batch = await client.messages.batches.retrieve(id);
    seen.push(batch.processing_status);
    if (batch.processing_status === "ended") return { batch, seen };
  }
  throw new Error(`batch ${id} never ended`);
}

async function results(client: Anthropic, id: string) {
  const out: Anthropic.Messages.MessageBatchIndividualResponse[] = [];
  for await (const result of await client.messages.batches.results(id)) out.push(result);
  return out;
}

function start(options: BatchImitationOptions = {}): BatchImitation {
  return startBatchImitation({ seed: 5, ...options });
}

// ---------------------------------------------------------------------------------------------
// Full cycles
// ---------------------------------------------------------------------------------------------

Deno.test("startBatchImitation() runs an OpenAI batch through its states with the SDK", async () => {
  await using imitation = start();
  const client = openai(imitation);
  const created = await submitOpenAI(client, inputFile(ids(4)));
  assert.equal(created.status, "validating");
  assert.equal(created.object, "batch");
  assert.equal(created.input_file_id, "file-scripted-1");
  assert.deepEqual(created.request_counts, { total: 0, completed: 0, failed: 0 });
  assert.equal(created.output_file_id, null);
  assert.equal(created.expires_at! - created.created_at, 24 * 3600);

  const { batch, seen } = await pollOpenAI(client, created.id);
  assert.deepEqual(seen, ["in_progress", "finalizing", "completed"]);
  assert.deepEqual(batch.request_counts, { total: 4, completed: 4, failed: 0 });
  assert.equal(batch.error_file_id, null);
  assert.equal(batch.model, "scripted");
  assert.ok(batch.in_progress_at! <= batch.finalizing_at! && batch.completed_at! >= 0);
  assert.ok(batch.usage!.input_tokens > 0 && batch.usage!.total_tokens > batch.usage!.input_tokens);

  const output = await fileLines(client, batch.output_file_id);
  assert.deepEqual(output.map((line) => line.custom_id), ids(4));
  for (const line of output) {
    assert.match(line.id, /^batch_req_/);
    assert.equal(line.error, null);
    assert.equal(line.response.status_code, 200);
    assert.match(line.response.request_id, /^req_/);
    assert.equal(line.response.body.object, "chat.completion");
  }
  const info = await client.files.retrieve(batch.output_file_id!);
  assert.equal(info.purpose, "batch_output");
  assert.equal((await client.files.retrieve(created.input_file_id)).purpose, "batch");

  assert.equal(imitation.counts.filesUploaded, 1);
  assert.deepEqual(imitation.counts.batchesCreated, { openai: 1, azure: 0, anthropic: 0 });
  assert.deepEqual(imitation.counts.polls, { openai: 3, azure: 0, anthropic: 0 });
  assert.deepEqual(imitation.counts.resultsDownloaded, { openai: 1, azure: 0, anthropic: 0 });
  assert.equal(imitation.counts.itemsAnswered, 4);
});

Deno.test("startBatchImitation() runs an Azure OpenAI global batch with the AzureOpenAI client", async () => {
  await using imitation = start({ apiKey: "azure-test-key" });
  const client = new AzureOpenAI({
    apiKey: "azure-test-key",
    endpoint: imitation.azureEndpoint,
    apiVersion: "2024-10-21",
    maxRetries: 0,
  });
  const created = await submitOpenAI(
    client,
    inputFile(ids(3), chatBody, "/chat/completions"),
    "chunk.jsonl",
    "/chat/completions",
  );
  assert.equal(created.endpoint, "/chat/completions");
  const { batch, seen } = await pollOpenAI(client, created.id);
  assert.deepEqual(seen, ["in_progress", "finalizing", "completed"]);
  const output = await fileLines(client, batch.output_file_id);
  assert.deepEqual(output.map((line) => line.custom_id), ids(3));
  assert.ok(output.every((line) => line.response.status_code === 200));
  assert.deepEqual(imitation.counts.batchesCreated, { openai: 0, azure: 1, anthropic: 0 });
  assert.ok(imitation.requests.every((r) => r.path.startsWith("/openai/")), "Azure's paths");

  // OpenAI's endpoint is refused by Azure's batches, and Azure answers nothing without a version.
  await assert.rejects(
    submitOpenAI(client, inputFile(ids(1)), "chunk.jsonl", "/v1/chat/completions"),
    /answers only \/chat\/completions here/,
  );
  const bare = await fetch(`${imitation.azureEndpoint}/openai/batches`, {
    headers: { "api-key": "azure-test-key" },
  });
  assert.equal(bare.status, 404);
  await bare.body?.cancel();
});

Deno.test("startBatchImitation() runs an Anthropic batch through its states with the SDK", async () => {
  await using imitation = start();
  const client = anthropic(imitation);
  const created = await createAnthropic(client, ids(3));
  assert.equal(created.type, "message_batch");
  assert.equal(created.processing_status, "in_progress");
  assert.deepEqual(created.request_counts, {
    processing: 3,
    succeeded: 0,
    errored: 0,
    canceled: 0,
    expired: 0,
  });
  assert.equal(created.results_url, null);
  assert.equal(Date.parse(created.expires_at) - Date.parse(created.created_at), 24 * 3600_000);

  const { batch, seen } = await pollAnthropic(client, created.id);
  assert.deepEqual(seen, ["ended"]);
  assert.equal(batch.request_counts.succeeded, 3);
  assert.equal(batch.request_counts.processing, 0);
  assert.equal(
    batch.results_url,
    `${imitation.anthropicBaseURL}/v1/messages/batches/${batch.id}/results`,
  );
  assert.ok(batch.ended_at !== null);

  const lines = await results(client, batch.id);
  assert.deepEqual(lines.map((line) => line.custom_id), ids(3));
  for (const line of lines) {
    assert.equal(line.result.type, "succeeded");
    if (line.result.type === "succeeded") assert.equal(line.result.message.type, "message");
  }
  assert.deepEqual(imitation.counts.batchesCreated, { openai: 0, azure: 0, anthropic: 1 });
  assert.equal(imitation.counts.polls.anthropic, 2); // results() retrieves the batch first
  assert.equal(imitation.counts.resultsDownloaded.anthropic, 1);
});

Deno.test("startBatchImitation() answers each item as the live scripted server does", async () => {
  await using imitation = start({ seed: 9 });
  await using live = startScriptedServer({ seed: 9 });
  const liveOpenAI = new OpenAI({ apiKey: "k", baseURL: live.baseURL, maxRetries: 0 });
  const liveAnthropic = new Anthropic({
    apiKey: "k",
    baseURL: live.anthropicBaseURL,
    maxRetries: 0,
  });
  const n = ENTRIES.length;

  const client = openai(imitation);
  const { batch } = await pollOpenAI(client, (await submitOpenAI(client, inputFile(ids(n)))).id);
  const output = await fileLines(client, batch.output_file_id);
  const aClient = anthropic(imitation);
  const aBatch = await createAnthropic(aClient, ids(n));
  await pollAnthropic(aClient, aBatch.id);
  const aResults = await results(aClient, aBatch.id);

  const scores = new Set<number | undefined>();
  for (let i = 0; i < n; i++) {
    const liveChat = await liveOpenAI.chat.completions.create(chatBody(i));
    const batchText: string = output[i].response.body.choices[0].message.content;
    assert.equal(batchText, liveChat.choices[0]!.message.content);
    assert.equal(scoreOf(i, batchText), scoreOf(i, liveChat.choices[0]!.message.content!));

    const liveMessage = await liveAnthropic.messages.create(messageBody(i));
    const result = aResults[i]!.result;
    assert.equal(result.type, "succeeded");
    if (result.type !== "succeeded") continue;
    assert.deepEqual(result.message.content, liveMessage.content);
    const text = result.message.content[0]?.type === "text" ? result.message.content[0].text : "";
    assert.notEqual(scoreOf(i, text), undefined);
    scores.add(scoreOf(i, text));
  }
  assert.ok(scores.size > 1, "the entries get different scores");
});

Deno.test("startBatchImitation() lists batches newest first, page by page", async () => {
  await using imitation = start({ advanceAfterPolls: Infinity });
  const client = openai(imitation);
  const aClient = anthropic(imitation);
  const created: string[] = [];
  const aCreated: string[] = [];
  for (let i = 0; i < 3; i++) {
    created.push((await submitOpenAI(client, inputFile([`c${i}`]))).id);
    aCreated.push((await createAnthropic(aClient, [`c${i}`])).id);
  }
  const listed: string[] = [];
  for await (const batch of client.batches.list({ limit: 2 })) listed.push(batch.id);
  assert.deepEqual(listed, created.toReversed());
  const aListed: string[] = [];
  for await (const batch of aClient.messages.batches.list({ limit: 2 })) aListed.push(batch.id);
  assert.deepEqual(aListed, aCreated.toReversed());
  assert.deepEqual(imitation.control.batches("anthropic").map((b) => b.id), aCreated);
  assert.deepEqual(imitation.control.batch(created[0]!)?.customIds, ["c0"]);
});

// ---------------------------------------------------------------------------------------------
// Pace
// ---------------------------------------------------------------------------------------------

Deno.test("startBatchImitation() moves a batch every advanceAfterPolls retrievals", async () => {
  await using imitation = start({ advanceAfterPolls: 2 });
  const client = openai(imitation);
  const { id } = await submitOpenAI(client, inputFile(ids(2)));
  const { seen } = await pollOpenAI(client, id);
  assert.deepEqual(seen, [
    "validating",
    "in_progress",
    "in_progress",
    "finalizing",
    "finalizing",
    "completed",
  ]);
});

Deno.test("startBatchImitation() moves a batch on tick() and finish() only, when told", async () => {
  await using imitation = start({ advanceAfterPolls: Infinity });
  const client = openai(imitation);
  const { id } = await submitOpenAI(client, inputFile(ids(2)));
  assert.equal((await client.batches.retrieve(id)).status, "validating");
  imitation.control.tick(id);
  assert.equal((await client.batches.retrieve(id)).status, "in_progress");
  imitation.control.tick();
  assert.equal((await client.batches.retrieve(id)).status, "finalizing");
  imitation.control.finish();
  assert.equal((await client.batches.retrieve(id)).status, "completed");
  assert.throws(() => imitation.control.tick("batch_nope"), /no batch batch_nope/);
});

Deno.test("startBatchImitation() moves a batch as time passes with advanceAfterMs", async () => {
  await using imitation = start({ advanceAfterPolls: Infinity, advanceAfterMs: 15 });
  const client = anthropic(imitation);
  const { id } = await createAnthropic(client, ids(2));
  await new Promise((resolve) => setTimeout(resolve, 40));
  const batch = await client.messages.batches.retrieve(id);
  assert.equal(batch.processing_status, "ended");
});

Deno.test("startBatchImitation() processes itemsPerStep items a step, counting as it goes", async () => {
  await using imitation = start({ itemsPerStep: 2 });
  const client = openai(imitation);
  const { id } = await submitOpenAI(client, inputFile(ids(5)));
  const completed: number[] = [];
  for (;;) {
    const batch = await client.batches.retrieve(id);
    completed.push(batch.request_counts!.completed);
    if (batch.status === "completed") break;
  }
  assert.deepEqual(completed, [0, 2, 4, 5, 5]);

  const aClient = anthropic(imitation);
  const aBatch = await createAnthropic(aClient, ids(5));
  const first = await aClient.messages.batches.retrieve(aBatch.id);
  // Anthropic keeps every request under `processing` until the whole batch has ended.
  assert.equal(first.processing_status, "in_progress");
  assert.equal(first.request_counts.processing, 5);
  assert.equal(imitation.control.batch(aBatch.id)?.processed, 2);
});

// ---------------------------------------------------------------------------------------------
// Faults
// ---------------------------------------------------------------------------------------------

Deno.test("startBatchImitation() fails a share of the items (OpenAI error file)", async () => {
  await using imitation = start({ faults: [{ kind: "fail_items", share: 0.5 }] });
  const client = openai(imitation);
  const { batch } = await pollOpenAI(client, (await submitOpenAI(client, inputFile(ids(4)))).id);
  assert.equal(batch.status, "completed");
  assert.deepEqual(batch.request_counts, { total: 4, completed: 2, failed: 2 });
  const errors = await fileLines(client, batch.error_file_id);
  const output = await fileLines(client, batch.output_file_id);
  assert.equal(errors.length, 2);
  assert.deepEqual(
    [...errors, ...output].map((line) => line.custom_id).sort(),
    ids(4),
  );
  for (const line of errors) {
    assert.equal(line.error, null);
    assert.equal(line.response.status_code, 500);
    assert.equal(line.response.body.error.type, "server_error");
  }
  assert.equal(imitation.counts.itemsAnswered, 2, "failed items are never answered");
});

Deno.test("startBatchImitation() fails the custom_ids listed (Anthropic errored results)", async () => {
  const faults: BatchFault[] = [{ kind: "fail_items", customIds: ["case-1"], status: 529 }];
  await using imitation = start({ faults });
  const client = anthropic(imitation);
  const created = await createAnthropic(client, ids(3));
  const { batch } = await pollAnthropic(client, created.id);
  assert.deepEqual(
    [batch.request_counts.succeeded, batch.request_counts.errored],
    [2, 1],
  );
  const errored = (await results(client, created.id)).filter((r) => r.result.type === "errored");
  assert.equal(errored.length, 1);
  assert.equal(errored[0]!.custom_id, "case-1");
  const result = errored[0]!.result;
  assert.ok(result.type === "errored");
  assert.equal(result.error.type, "error");
  assert.equal(result.error.error.type, "overloaded_error");
  assert.match(result.error.request_id!, /^req_/);
});

Deno.test("startBatchImitation() expires a batch: finished items kept, the rest expired", async () => {
  await using imitation = start({
    faults: [{ kind: "expire", afterItems: 1, provider: "openai" }],
  });
  const client = openai(imitation);
  const { batch, seen } = await pollOpenAI(
    client,
    (await submitOpenAI(client, inputFile(ids(3)))).id,
  );
  assert.deepEqual(seen, ["in_progress", "expired"]);
  assert.ok(batch.expired_at !== null);
  assert.deepEqual(batch.request_counts, { total: 3, completed: 1, failed: 2 });
  assert.deepEqual((await fileLines(client, batch.output_file_id)).map((l) => l.custom_id), [
    "case-0",
  ]);
  const expired = await fileLines(client, batch.error_file_id);
  assert.deepEqual(expired.map((l) => [l.custom_id, l.response, l.error.code]), [
    ["case-1", null, "batch_expired"],
    ["case-2", null, "batch_expired"],
  ]);

  // Anthropic, expired on demand before any item ran.
  const aClient = anthropic(imitation);
  const created = await createAnthropic(aClient, ids(2));
  imitation.control.expire(created.id);
  const aBatch = await aClient.messages.batches.retrieve(created.id);
  assert.equal(aBatch.processing_status, "ended");
  assert.equal(aBatch.request_counts.expired, 2);
  const lines = await results(aClient, created.id);
  assert.deepEqual(lines.map((l) => l.result.type), ["expired", "expired"]);
});

Deno.test("startBatchImitation() returns results out of order when told", async () => {
  await using imitation = start({ faults: [{ kind: "out_of_order" }] });
  const client = openai(imitation);
  const { batch } = await pollOpenAI(client, (await submitOpenAI(client, inputFile(ids(6)))).id);
  const order = (await fileLines(client, batch.output_file_id)).map((l) => l.custom_id);
  assert.notDeepEqual(order, ids(6));
  assert.deepEqual(order.toSorted(), ids(6));

  const aClient = anthropic(imitation);
  const created = await createAnthropic(aClient, ids(2));
  await pollAnthropic(aClient, created.id);
  const aOrder = (await results(aClient, created.id)).map((l) => l.custom_id);
  assert.deepEqual(aOrder, ["case-1", "case-0"]);
});

Deno.test("startBatchImitation() cuts the next polls mid-response, then answers", async () => {
  await using imitation = start({ faults: [{ kind: "drop_polls", times: 2 }] });
  const client = openai(imitation);
  const { id } = await submitOpenAI(client, inputFile(ids(1)));
  await assert.rejects(client.batches.retrieve(id));
  await assert.rejects(client.batches.retrieve(id));
  // Cut polls did not move the batch: the next one is its first step.
  assert.equal((await client.batches.retrieve(id)).status, "in_progress");
  assert.equal(imitation.counts.pollsDropped, 2);
  assert.equal(imitation.counts.polls.openai, 3);

  imitation.control.setFaults([{ kind: "drop_polls", times: 1, provider: "anthropic" }]);
  const aClient = anthropic(imitation);
  const created = await createAnthropic(aClient, ids(1));
  await assert.rejects(aClient.messages.batches.retrieve(created.id));
  assert.equal((await aClient.messages.batches.retrieve(created.id)).processing_status, "ended");
  assert.equal(imitation.counts.pollsDropped, 3);
});

Deno.test("startBatchImitation() cuts result downloads mid-response when told", async () => {
  await using imitation = start({
    faults: [
      { kind: "drop_results", times: 1, provider: "openai" },
      { kind: "drop_results", times: 1, provider: "anthropic" },
    ],
  });
  const client = openai(imitation);
  const { batch } = await pollOpenAI(client, (await submitOpenAI(client, inputFile(ids(3)))).id);
  await assert.rejects(async () =>
    await (await client.files.content(batch.output_file_id!)).text()
  );
  assert.equal((await fileLines(client, batch.output_file_id)).length, 3);

  const aClient = anthropic(imitation);
  const created = await createAnthropic(aClient, ids(3));
  await pollAnthropic(aClient, created.id);
  await assert.rejects(results(aClient, created.id));
  assert.equal((await results(aClient, created.id)).length, 3);
  assert.equal(imitation.counts.resultsDropped, 2);
  assert.deepEqual(imitation.counts.resultsDownloaded, { openai: 2, azure: 0, anthropic: 2 });
});

Deno.test("startBatchImitation() fails the next uploads with 500 when told", async () => {
  await using imitation = start({ faults: [{ kind: "upload_error", times: 2 }] });
  const client = openai(imitation);
  const upload = () =>
    client.files.create({ file: new File([inputFile(ids(1))], "c.jsonl"), purpose: "batch" });
  await assert.rejects(upload(), (error) => error instanceof OpenAI.InternalServerError);
  const aClient = anthropic(imitation);
  await assert.rejects(
    createAnthropic(aClient, ids(1)),
    (error) => error instanceof Anthropic.InternalServerError,
  );
  assert.match((await upload()).id, /^file-/);
  assert.equal((await createAnthropic(aClient, ids(1))).processing_status, "in_progress");
  assert.equal(imitation.counts.uploadsFailed, 2);
  assert.equal(imitation.counts.filesUploaded, 1);
  assert.deepEqual(imitation.counts.batchesCreated, { openai: 0, azure: 0, anthropic: 1 });

  // With the SDK's own retries, an upload that fails once still goes through, as one file.
  imitation.control.setFaults([{ kind: "upload_error", times: 1, status: 503 }]);
  const retrying = new OpenAI({ apiKey: "k", baseURL: imitation.baseURL, maxRetries: 1 });
  await retrying.files.create({ file: new File(["{}\n"], "d.jsonl"), purpose: "batch" });
  assert.equal(imitation.counts.filesUploaded, 2);
});

Deno.test("startBatchImitation() cancels: cancelling → cancelled, unrun items reported", async () => {
  await using imitation = start({ itemsPerStep: 1 });
  const client = openai(imitation);
  const { id } = await submitOpenAI(client, inputFile(ids(3)));
  assert.equal((await client.batches.retrieve(id)).status, "in_progress");
  assert.equal((await client.batches.retrieve(id)).request_counts!.completed, 1);
  const cancelling = await client.batches.cancel(id);
  assert.equal(cancelling.status, "cancelling");
  assert.ok(cancelling.cancelling_at !== null);
  const { batch, seen } = await pollOpenAI(client, id);
  assert.deepEqual(seen, ["cancelled"]);
  assert.deepEqual(batch.request_counts, { total: 3, completed: 1, failed: 2 });
  assert.deepEqual(
    (await fileLines(client, batch.error_file_id)).map((l) => l.error.code),
    ["batch_cancelled", "batch_cancelled"],
  );
  await assert.rejects(
    client.batches.cancel(id),
    (error) => error instanceof OpenAI.BadRequestError,
  );

  const aClient = anthropic(imitation);
  const created = await createAnthropic(aClient, ids(2));
  const canceling = await aClient.messages.batches.cancel(created.id);
  assert.equal(canceling.processing_status, "canceling");
  assert.ok(canceling.cancel_initiated_at !== null);
  const { batch: ended } = await pollAnthropic(aClient, created.id);
  assert.equal(ended.request_counts.canceled, 2);
  assert.deepEqual((await results(aClient, created.id)).map((l) => l.result.type), [
    "canceled",
    "canceled",
  ]);
  assert.deepEqual(imitation.counts.cancels, { openai: 2, azure: 0, anthropic: 1 });
  assert.equal((await aClient.messages.batches.delete(created.id)).type, "message_batch_deleted");
});

Deno.test("startBatchImitation() passes answerFaults to the items' answers", async () => {
  await using imitation = start({ answerFaults: [{ kind: "non_json", times: 1 }] });
  const client = openai(imitation);
  const { batch } = await pollOpenAI(client, (await submitOpenAI(client, inputFile(ids(2)))).id);
  const output = await fileLines(client, batch.output_file_id);
  const texts = output.map((line) => line.response.body.choices[0].message.content as string);
  assert.deepEqual(texts.map((text, i) => scoreOf(i, text) === undefined), [true, false]);
});

// ---------------------------------------------------------------------------------------------
// Limits and validation
// ---------------------------------------------------------------------------------------------

Deno.test("startBatchImitation() fails an OpenAI batch of more than 50,000 requests", async () => {
  await using imitation = start();
  const client = openai(imitation);
  const line = (i: number) =>
    `{"custom_id":"r${i}","method":"POST","url":"/v1/chat/completions","body":{"model":"m"}}\n`;
  const n = BATCH_LIMITS.openai.requests + 1;
  const created = await submitOpenAI(client, Array.from({ length: n }, (_, i) => line(i)).join(""));
  const { batch, seen } = await pollOpenAI(client, created.id);
  assert.deepEqual(seen, ["failed"]);
  assert.equal(batch.errors?.data?.[0]?.code, "too_many_tasks");
  assert.equal(batch.output_file_id, null);
  assert.equal(imitation.counts.itemsAnswered, 0);
});

Deno.test("startBatchImitation() refuses an OpenAI input file over the byte limit", async () => {
  await using imitation = start({ limits: { openai: { bytes: 500 } } });
  const client = openai(imitation);
  const text = inputFile(ids(3));
  assert.ok(text.length > 500);
  await assert.rejects(
    client.files.create({ file: await toFile(new Blob([text]), "big.jsonl"), purpose: "batch" }),
    (error) => error instanceof OpenAI.BadRequestError && /File is too large/.test(error.message),
  );
  const small = `${
    JSON.stringify({ custom_id: "a", method: "POST", url: "/v1/chat/completions", body: {} })
  }\n`;
  assert.ok(small.length <= 500);
  await submitOpenAI(client, small);
  assert.equal(imitation.counts.filesUploaded, 1);
});

Deno.test("startBatchImitation() refuses an Anthropic batch over 100,000 requests or the bytes", async () => {
  await using imitation = start();
  const client = anthropic(imitation);
  const tiny = { model: "m", max_tokens: 1, messages: [] };
  const n = BATCH_LIMITS.anthropic.requests + 1;
  await assert.rejects(
    client.messages.batches.create({
      requests: Array.from({ length: n }, (_, i) => ({ custom_id: `r${i}`, params: tiny })),
    }),
    (error) => error instanceof Anthropic.BadRequestError && /at most 100000/.test(error.message),
  );
  await using small = start({ limits: { anthropic: { bytes: 300, requests: 2 } } });
  const smallClient = anthropic(small);
  await assert.rejects(
    createAnthropic(smallClient, ids(2)),
    (error) =>
      error instanceof Anthropic.APIError && error.status === 413 &&
      (error.error as { error: { type: string } }).error.type === "request_too_large",
  );
  const cheap = () => tiny as MessageParams;
  await assert.rejects(createAnthropic(smallClient, ids(3), cheap), Anthropic.BadRequestError);
  assert.equal((await createAnthropic(smallClient, ids(2), cheap)).request_counts.processing, 2);
  assert.equal(small.counts.batchesCreated.anthropic, 1);
});

Deno.test("startBatchImitation() fails an OpenAI batch whose lines are bad, naming the lines", async () => {
  await using imitation = start();
  const client = openai(imitation);
  const good = (id: string, model = "scripted") =>
    JSON.stringify({
      custom_id: id,
      method: "POST",
      url: "/v1/chat/completions",
      body: { model, messages: [] },
    });
  const text = [
    good("a"),
    "{not json",
    good("a"),
    JSON.stringify({ custom_id: "b", method: "POST", url: "/v1/embeddings", body: {} }),
    good("c", "other-model"),
  ].join("\n");
  const { batch } = await pollOpenAI(client, (await submitOpenAI(client, text)).id);
  assert.equal(batch.status, "failed");
  assert.ok(batch.failed_at !== null);
  assert.deepEqual(
    batch.errors?.data?.map((e) => [e.code, e.line]),
    [["invalid_json_line", 2], ["duplicate_custom_id", 3], ["url_mismatch", 4], [
      "model_mismatch",
      5,
    ]],
  );
  await assert.rejects(submitOpenAI(client, "x", "notes.txt"), OpenAI.BadRequestError);
  const empty = await pollOpenAI(client, (await submitOpenAI(client, "\n")).id);
  assert.equal(empty.batch.errors?.data?.[0]?.code, "empty_file");
});

Deno.test("startBatchImitation() refuses a malformed batch, and errors malformed params", async () => {
  await using imitation = start();
  const client = openai(imitation);
  const file = await client.files.create({
    file: await toFile(new Blob([inputFile(ids(1))]), "a.jsonl"),
    purpose: "batch",
  });
  const create = (body: Record<string, unknown>) =>
    client.batches.create({
      input_file_id: file.id,
      endpoint: "/v1/chat/completions",
      completion_window: "24h",
      ...body,
    } as OpenAI.Batches.BatchCreateParams);
  await assert.rejects(create({ input_file_id: "file-nope" }), OpenAI.BadRequestError);
  await assert.rejects(create({ completion_window: "48h" }), OpenAI.BadRequestError);
  await assert.rejects(create({ endpoint: "/v1/embeddings" }), OpenAI.BadRequestError);
  await assert.rejects(client.batches.retrieve("batch_nope"), OpenAI.NotFoundError);

  const aClient = anthropic(imitation);
  await assert.rejects(createAnthropic(aClient, ["x", "x"]), /Duplicate custom_id/);
  await assert.rejects(createAnthropic(aClient, ["has space"]), Anthropic.BadRequestError);
  await assert.rejects(aClient.messages.batches.retrieve("msgbatch_nope"), Anthropic.NotFoundError);
  // Params are checked when the request runs: a missing max_tokens comes back errored.
  const noMaxTokens = () => ({ model: "m", messages: [{ role: "user", content: "Hi" }] }) as never;
  const created = await createAnthropic(aClient, ["y"], noMaxTokens);
  await pollAnthropic(aClient, created.id);
  const [line] = await results(aClient, created.id);
  assert.ok(line?.result.type === "errored");
  assert.equal(line.result.error.error.type, "invalid_request_error");
  assert.match(line.result.error.error.message, /max_tokens/);
});

Deno.test("startBatchImitation() demands the API key when given one", async () => {
  await using imitation = start({ apiKey: "sk-right" });
  await assert.rejects(
    openai(imitation, "sk-wrong").batches.list().then((page) => page.data),
    OpenAI.AuthenticationError,
  );
  await assert.rejects(
    anthropic(imitation, "sk-wrong").messages.batches.retrieve("msgbatch_x"),
    Anthropic.AuthenticationError,
  );
  const page = await openai(imitation, "sk-right").batches.list();
  assert.deepEqual(page.data, []);
});

Deno.test("startBatchImitation() answers a method an endpoint does not take with 405", async () => {
  await using imitation = start();
  const origin = new URL(imitation.baseURL).origin;
  const status = async (method: string, path: string) => {
    const response = await fetch(`${origin}${path}`, { method });
    await response.body?.cancel();
    return response.status;
  };
  assert.equal(await status("PUT", "/v1/batches"), 405);
  assert.equal(await status("DELETE", "/v1/batches/batch_x"), 405);
  assert.equal(await status("GET", "/v1/files/file_x/content"), 404); // no such file
  assert.equal(await status("POST", "/v1/messages/batches/msgbatch_x/results"), 405);
  assert.equal(await status("GET", "/v1/messages/batches/msgbatch_x/more"), 404); // no endpoint
});

Deno.test("startBatchImitation() refuses an invalid pace or fault", () => {
  assert.throws(() => startBatchImitation({ advanceAfterPolls: 0 }), RangeError);
  assert.throws(() => startBatchImitation({ itemsPerStep: 1.5 }), RangeError);
  assert.throws(
    () => startBatchImitation({ faults: [{ kind: "fail_items", share: 2 }] }),
    /share must be between 0 and 1/,
  );
  assert.throws(
    () => startBatchImitation({ faults: [{ kind: "drop_polls", times: -1 }] }),
    RangeError,
  );
});
