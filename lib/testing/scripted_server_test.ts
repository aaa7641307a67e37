import assert from "node:assert/strict";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { rejection } from "../data/_test_support.ts";
import { TASK_KEYS } from "../data/task_key.ts";
import { _uniform } from "../stats/_prng.ts";
import { parseReply } from "../tasks/parse_reply.ts";
import { scoreProblem } from "../tasks/scale.ts";
import type { TaskInputs } from "../tasks/task.ts";
import { getTask } from "../tasks/tasks.ts";
import {
  type Fault,
  REFUSAL_TEXT,
  type RequestEvent,
  ROUTER_MARKER,
  type ScriptedServer,
  startScriptedServer,
} from "./scripted_server.ts";

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

type Format = "json_schema" | "json_object" | "none";

function openai(server: ScriptedServer, options: { apiKey?: string; maxRetries?: number } = {}) {
  return new OpenAI({
    apiKey: options.apiKey ?? "sk-test-key",
    baseURL: server.baseURL,
    maxRetries: options.maxRetries ?? 0,
  });
}

function anthropic(server: ScriptedServer, apiKey = "sk-ant-test-key") {
  return new Anthropic({ apiKey, baseURL: server.anthropicBaseURL, maxRetries: 0 });
}

/** A chat-completions request for a task's judge prompt. */
function judgeRequest(key: string, inputs: TaskInputs, format: Format = "json_schema") {
  const task = getTask(key);
  const { system, user } = task.prompt(inputs);
  const request: OpenAI.Chat.ChatCompletionCreateParamsNonStreaming = {
    model: "scripted",
    messages: [{ role: "system", content: system }, { role: "user", content: user }],
    temperature: 0,
    seed: 11,
  };
  if (format === "json_schema") {
    request.response_format = {
      type: "json_schema",
      json_schema: { name: "grade", schema: task.outputSchema, strict: true },
    };
  } else if (format === "json_object") {
    request.response_format = { type: "json_object" };
  }
  return request;
}

async function judgeContent(
  client: OpenAI,
  key: string,
  inputs: TaskInputs,
  format: Format = "json_schema",
): Promise<string> {
  const completion = await client.chat.completions.create(judgeRequest(key, inputs, format));
  return completion.choices[0]?.message.content ?? "";
}

const DIAGNOSES = [
  "Pulmonary sarcoidosis",
  "Infective endocarditis",
  "Acute intermittent porphyria",
  "Pheochromocytoma",
  "Diffuse large B-cell lymphoma",
  "Giant-cell arteritis",
  "Whipple disease",
  "Systemic lupus erythematosus",
  "Miliary tuberculosis",
  "Thrombotic thrombocytopenic purpura",
];
const TESTS = [
  "Transesophageal echocardiography",
  "Temporal artery biopsy",
  "Plasma free metanephrines",
  "Lymph node excisional biopsy",
  "Duodenal biopsy with PAS stain",
];

/** Random but plausible inputs for a task: responses that sometimes name the reference. */
function randomInputs(key: string, random: () => number): TaskInputs {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const truth = pick(DIAGNOSES);
  const items = Array.from({ length: 1 + Math.floor(random() * 4) }, () => pick(DIAGNOSES));
  if (random() < 0.5) items.splice(Math.floor(random() * items.length), 0, truth);
  const differential = items.map((item, i) => `${i + 1}. ${item}`).join("\n");
  switch (key) {
    case "cpc_bond":
    case "bi_triage":
      return { response: differential, final_diagnosis: truth };
    case "cpc_management": {
      const test = pick(TESTS);
      return {
        response: `I would order ${pick(TESTS)}${random() < 0.5 ? ` and ${test}` : ""}.`,
        test_plan: test,
      };
    }
    case "r_idea":
      return {
        response: `Summary: fever and weight loss. Most likely ${truth} because of the findings; ` +
          (random() < 0.5 ? `alternatives to consider include ${pick(DIAGNOSES)}.` : ""),
        question_text: "Write your assessment.",
      };
    case "diagnostic_reasoning":
      return {
        response: differential + `\nFinal diagnosis: ${pick(DIAGNOSES)}`,
        final_diagnosis: truth,
        case_vignette: "A 54-year-old man with fever.",
        question_text: "Give your structured reflection.",
      };
    default: {
      const rubric = {
        items: [
          { id: "a", description: "Start intravenous antibiotics", points: 2 },
          { id: "b", description: "Obtain blood cultures", points: 1.5 },
          { id: "c", description: "Consult cardiac surgery", points: 1 },
          { id: "d", description: "Discharge home", points: -2 },
        ],
      };
      const parts = ["Start intravenous antibiotics", "Obtain blood cultures", "Discharge home"]
        .filter(() => random() < 0.5);
      return {
        response: parts.join(". ") || "Observe.",
        case_vignette: "A 40-year-old woman with a new murmur.",
        question_text: "What would you do next?",
        rubric,
        max_score: 4.5,
      };
    }
  }
}

const BOND_INPUTS: TaskInputs = {
  response: "1. Lymphoma\n2. Pulmonary sarcoidosis\n3. Tuberculosis",
  final_diagnosis: "Pulmonary sarcoidosis",
};

// ---------------------------------------------------------------------------------------------
// Answers
// ---------------------------------------------------------------------------------------------

Deno.test("startScriptedServer() answers each task deterministically from the prompt", async () => {
  await using a = startScriptedServer({ seed: 5 });
  await using b = startScriptedServer({ seed: 5 });
  const random = _uniform(1);
  for (const key of TASK_KEYS) {
    const inputs = randomInputs(key, random);
    const first = await judgeContent(openai(a), key, inputs);
    assert.equal(await judgeContent(openai(a), key, inputs), first, key);
    assert.equal(await judgeContent(openai(b), key, inputs), first, `${key}, another server`);
    const grade = JSON.parse(first);
    assert.equal(scoreProblem(grade.score, getTask(key).scale(inputs)), undefined, key);
    assert.match(grade.justification, /^Scripted grade \(no model\): /);
    assert.equal("best_rank" in grade, key === "cpc_bond" || key === "bi_triage", key);
  }
});

Deno.test("startScriptedServer() finds the judge header in the user message when there is no system prompt", async () => {
  await using server = startScriptedServer();
  const { system, user } = getTask("cpc_bond").prompt(BOND_INPUTS);
  const merged = await openai(server).chat.completions.create({
    model: "scripted",
    messages: [{ role: "user", content: `${system}\n\n${user}` }],
    response_format: { type: "json_object" },
  });
  assert.equal(
    merged.choices[0]?.message.content,
    await judgeContent(openai(server), "cpc_bond", BOND_INPUTS, "json_object"),
  );
});

Deno.test("startScriptedServer() keeps scores on each task's scale over many random inputs", async () => {
  await using server = startScriptedServer({ seed: 2 });
  const client = openai(server);
  const random = _uniform(2);
  for (const key of TASK_KEYS) {
    const cases = Array.from({ length: 40 }, () => randomInputs(key, random));
    const contents = await Promise.all(cases.map((inputs) => judgeContent(client, key, inputs)));
    const scores = new Set<number>();
    contents.forEach((content, i) => {
      const scale = getTask(key).scale(cases[i]!);
      const parsed = parseReply(content, scale);
      assert.ok(parsed.ok, `${key}: ${content}`);
      assert.equal(scoreProblem(parsed.score, scale), undefined);
      scores.add(parsed.score);
      if (key === "cpc_bond" || key === "bi_triage") {
        const rank = parsed.fields.best_rank;
        assert.ok(rank === null || Number.isInteger(rank), `best_rank ${rank}`);
        if (parsed.score === 0) assert.equal(rank, null);
      }
    });
    assert.ok(scores.size > 1, `${key} always scored ${[...scores]}`);
  }
});

Deno.test("startScriptedServer() gives a different seed different noise", async () => {
  await using a = startScriptedServer({ seed: 1 });
  await using b = startScriptedServer({ seed: 2 });
  const random = _uniform(3);
  const cases = Array.from({ length: 30 }, () => randomInputs("r_idea", random));
  const scores = async (server: ScriptedServer) =>
    await Promise.all(
      cases.map(async (inputs) =>
        JSON.parse(await judgeContent(openai(server), "r_idea", inputs)).score
      ),
    );
  assert.notDeepEqual(await scores(a), await scores(b));
});

Deno.test("startScriptedServer() scores a differential naming the diagnosis above one that does not", async () => {
  await using server = startScriptedServer();
  const client = openai(server);
  let named = 0;
  let missed = 0;
  for (const [i, truth] of DIAGNOSES.entries()) {
    const other = DIAGNOSES[(i + 3) % DIAGNOSES.length]!;
    const grade = async (response: string) =>
      JSON.parse(await judgeContent(client, "cpc_bond", { response, final_diagnosis: truth }));
    const hit = await grade(`1. ${other}\n2. ${truth}`);
    assert.equal(hit.best_rank, 2);
    named += hit.score;
    missed += (await grade(`1. ${other}`)).score;
  }
  assert.ok(named > missed + 20, `named ${named}, missed ${missed}`);
});

Deno.test("startScriptedServer() reads a case-specific max_score from the prompt", async () => {
  await using server = startScriptedServer({ seed: 4 });
  const inputs: TaskInputs = {
    response: "Start intravenous antibiotics. Obtain blood cultures. Consult cardiac surgery.",
    case_vignette: "A 40-year-old woman with a new murmur.",
    question_text: "What next?",
    rubric: {
      items: [
        { id: "a", description: "Start intravenous antibiotics", points: 2 },
        { id: "b", description: "Obtain blood cultures", points: 1.5 },
        { id: "c", description: "Consult cardiac surgery", points: 1 },
      ],
    },
    max_score: 4.5,
  };
  const grade = JSON.parse(await judgeContent(openai(server), "management_reasoning", inputs));
  assert.ok(grade.score >= 3 && grade.score <= 4.5, `score ${grade.score}`);
  assert.equal(scoreProblem(grade.score, getTask("management_reasoning").scale(inputs)), undefined);
});

Deno.test("startScriptedServer() honours response_format: exact JSON, or JSON inside a sentence", async () => {
  await using server = startScriptedServer();
  const client = openai(server);
  const schema = await judgeContent(client, "cpc_bond", BOND_INPUTS, "json_schema");
  const object = await judgeContent(client, "cpc_bond", BOND_INPUTS, "json_object");
  const none = await judgeContent(client, "cpc_bond", BOND_INPUTS, "none");
  assert.equal(object, schema);
  assert.equal(none, `Here is my grading: ${schema}`);
  assert.throws(() => JSON.parse(none));
  const scale = getTask("cpc_bond").scale(BOND_INPUTS);
  assert.equal(parseReply(none, scale).ok, false);
  const extracted = parseReply(none, scale, { allowExtraction: true });
  assert.deepEqual(extracted, parseReply(schema, scale));
});

Deno.test("startScriptedServer() returns a realistic chat.completion with estimated usage", async () => {
  await using server = startScriptedServer();
  const request = judgeRequest("cpc_bond", BOND_INPUTS);
  const completion = await openai(server).chat.completions.create(request);
  assert.match(completion.id, /^chatcmpl-/);
  assert.equal(completion.object, "chat.completion");
  assert.equal(completion.model, "scripted");
  assert.ok(Math.abs(completion.created - Date.now() / 1000) < 60);
  const choice = completion.choices[0]!;
  assert.equal(choice.finish_reason, "stop");
  assert.equal(choice.message.role, "assistant");
  const promptChars = request.messages.reduce((n, m) => n + String(m.content).length, 0);
  const content = choice.message.content ?? "";
  assert.deepEqual(
    [
      completion.usage?.prompt_tokens,
      completion.usage?.completion_tokens,
      completion.usage?.total_tokens,
    ],
    [
      Math.ceil(promptChars / 4),
      Math.ceil(content.length / 4),
      Math.ceil(promptChars / 4) + Math.ceil(content.length / 4),
    ],
  );
});

Deno.test("startScriptedServer() routes by the inputs present when the prompt marks a router", async () => {
  await using server = startScriptedServer();
  const client = openai(server);
  const route = async (user: string) => {
    const completion = await client.chat.completions.create({
      model: "scripted",
      messages: [
        { role: "system", content: `${ROUTER_MARKER}: list every task that applies as JSON.` },
        { role: "user", content: user },
      ],
      response_format: { type: "json_object" },
    });
    return JSON.parse(completion.choices[0]?.message.content ?? "");
  };
  const bond = await route(
    "<response>\n1. Gout\n</response>\n\n<final_diagnosis>\nGout\n</final_diagnosis>",
  );
  assert.deepEqual(bond, { tasks: ["cpc_bond"] });
  const triage = await route(
    "Written at ED triage.\nresponse: 1. Sepsis\nfinal_diagnosis: Pyelonephritis\ntest_plan: CT",
  );
  assert.deepEqual(triage, { tasks: ["bi_triage", "cpc_management"] });
  assert.deepEqual(await route("<response>\nHello\n</response>"), { tasks: [] });
});

Deno.test("startScriptedServer() keeps a router to the tasks its prompt offers, in bare JSON", async () => {
  await using server = startScriptedServer();
  const message = await anthropic(server).messages.create({
    model: "scripted",
    max_tokens: 200,
    system: `${ROUTER_MARKER} · prompt 1\nCandidates:\n- cpc_bond: …\n- diagnostic_reasoning: …\n` +
      'Reply with {"tasks": [...]}.',
    messages: [{
      role: "user",
      content:
        "Inputs given: response, final_diagnosis, case_vignette, question_text, test_plan\n" +
        "<response>\n1. Gout\n</response>",
    }],
  });
  const block = message.content[0];
  assert.ok(block?.type === "text");
  assert.deepEqual(JSON.parse(block.text), { tasks: ["cpc_bond", "diagnostic_reasoning"] });
});

Deno.test("startScriptedServer() answers other prompts with a deterministic plain text", async () => {
  await using server = startScriptedServer({ seed: 9 });
  const client = openai(server);
  const ask = async (content: string) =>
    (await client.chat.completions.create({
      model: "gpt-4o",
      messages: [{ role: "system", content: "You are a clinician." }, { role: "user", content }],
    })).choices[0]?.message.content;
  const differential = await ask("A 30-year-old with fever. Give your differential.");
  assert.equal(await ask("A 30-year-old with fever. Give your differential."), differential);
  assert.match(differential ?? "", /^Differential diagnosis:\n1\. .+\n2\. .+\n3\. .+$/);
  assert.match(await ask("Which tests next?") ?? "", /^Next diagnostic tests:\n1\. /);
});

Deno.test("startScriptedServer() lists its models", async () => {
  await using server = startScriptedServer({ model: ["judge-a", "judge-b"] });
  const ids: string[] = [];
  for await (const model of openai(server).models.list()) ids.push(model.id);
  assert.deepEqual(ids, ["judge-a", "judge-b"]);
  const page = await anthropic(server).models.list();
  assert.deepEqual(page.data.map((model) => model.id), ["judge-a", "judge-b"]);
});

Deno.test("startScriptedServer() rejects a model it does not serve with 404", async () => {
  await using server = startScriptedServer({ model: "scripted" });
  const request = { ...judgeRequest("cpc_bond", BOND_INPUTS), model: "gpt-9" };
  const error = await rejection(openai(server).chat.completions.create(request));
  assert.ok(error instanceof OpenAI.NotFoundError, String(error));
  assert.equal(error.code, "model_not_found");
});

Deno.test("startScriptedServer() refuses to stream with a clear 400", async () => {
  await using server = startScriptedServer();
  const error = await rejection(
    openai(server).chat.completions.create({
      ...judgeRequest("cpc_bond", BOND_INPUTS),
      stream: true,
    }),
  );
  assert.ok(error instanceof OpenAI.BadRequestError, String(error));
  assert.match(error.message, /does not stream/);
});

// ---------------------------------------------------------------------------------------------
// Faults
// ---------------------------------------------------------------------------------------------

Deno.test("startScriptedServer() rate_limit answers 429 with Retry-After and OpenAI's error shape", async () => {
  await using server = startScriptedServer({
    faults: [{ kind: "rate_limit", retryAfterSeconds: 2.5 }],
  });
  const error = await rejection(
    openai(server).chat.completions.create(judgeRequest("cpc_bond", BOND_INPUTS)),
  );
  assert.ok(error instanceof OpenAI.RateLimitError, String(error));
  assert.equal(error.headers.get("retry-after"), "3");
  assert.equal(error.headers.get("retry-after-ms"), "2500");
  const raw = await fetch(`${server.baseURL}/chat/completions`, {
    method: "POST",
    body: JSON.stringify(judgeRequest("cpc_bond", BOND_INPUTS)),
  });
  assert.equal(raw.status, 429);
  const body = await raw.json();
  assert.deepEqual(Object.keys(body.error).sort(), ["code", "message", "param", "type"]);
  assert.equal(body.error.type, "rate_limit_error");
});

Deno.test("startScriptedServer() rate_limit is honoured by the openai client's own retry", async () => {
  await using server = startScriptedServer({
    faults: [{ kind: "rate_limit", retryAfterSeconds: 0.1, times: 1 }],
  });
  const started = performance.now();
  const content = await judgeContent(openai(server, { maxRetries: 1 }), "cpc_bond", BOND_INPUTS);
  assert.ok(performance.now() - started >= 95, "the client waited retry-after-ms");
  assert.ok(parseReply(content, getTask("cpc_bond").scale(BOND_INPUTS)).ok);
  assert.deepEqual(server.counts.byStatus, { 200: 1, 429: 1 });
});

Deno.test("startScriptedServer() server_error answers 500, or the status given", async () => {
  await using server = startScriptedServer({ faults: [{ kind: "server_error", times: 1 }] });
  const client = openai(server);
  const first = await rejection(client.chat.completions.create(judgeRequest("r_idea", {
    response: "x",
    question_text: "q",
  })));
  assert.ok(first instanceof OpenAI.InternalServerError);
  assert.equal(first.status, 500);
  server.setFaults([{ kind: "server_error", status: 503 }]);
  const second = await rejection(
    client.chat.completions.create(judgeRequest("cpc_bond", BOND_INPUTS)),
  );
  assert.ok(second instanceof OpenAI.APIError);
  assert.equal(second.status, 503);
});

Deno.test("startScriptedServer() drop_connection closes the connection: a Connection error", async () => {
  await using server = startScriptedServer();
  const client = openai(server);
  // A first answer leaves a keep-alive connection in the client's pool: the drop must still
  // surface, not be resent silently by fetch on a new connection.
  await judgeContent(client, "cpc_bond", BOND_INPUTS);
  server.setFaults([{ kind: "drop_connection", times: 1 }]);
  const error = await rejection(
    client.chat.completions.create(judgeRequest("cpc_bond", BOND_INPUTS)),
  );
  assert.ok(error instanceof OpenAI.APIConnectionError, String(error));
  assert.ok(!(error instanceof OpenAI.APIConnectionTimeoutError));
  assert.equal(error.message, "Connection error.");
  assert.ok(
    parseReply(
      await judgeContent(client, "cpc_bond", BOND_INPUTS),
      getTask("cpc_bond").scale(BOND_INPUTS),
    ).ok,
  );
  assert.deepEqual(server.counts.byStatus, { 0: 1, 200: 2 });
  assert.equal(server.counts.chat, 3);
});

Deno.test("startScriptedServer() malformed-reply faults spoil the content of a 200 answer", async () => {
  const cases: [Fault["kind"], string, TaskInputs, string][] = [
    ["non_json", "cpc_bond", BOND_INPUTS, "invalid_json"],
    ["out_of_range", "cpc_bond", BOND_INPUTS, "score_not_allowed"],
    ["out_of_range", "r_idea", { response: "x", question_text: "q" }, "score_not_allowed"],
    ["missing_field", "cpc_management", { response: "CT", test_plan: "CT" }, "missing_score"],
    ["refusal", "cpc_bond", BOND_INPUTS, "refusal"],
    ["empty_reply", "cpc_bond", BOND_INPUTS, "empty_reply"],
  ];
  await using server = startScriptedServer();
  const client = openai(server);
  for (const [kind, key, inputs, reason] of cases) {
    server.setFaults([{ kind } as Fault]);
    const content = await judgeContent(client, key, inputs);
    const parsed = parseReply(content, getTask(key).scale(inputs), { allowExtraction: true });
    assert.equal(parsed.ok ? "scored" : parsed.reason, reason, `${kind} on ${key}: ${content}`);
    if (kind === "out_of_range") {
      assert.equal(JSON.parse(content).score, key === "cpc_bond" ? 1 : 13);
    }
    if (kind === "refusal") assert.equal(content, REFUSAL_TEXT);
    if (kind === "empty_reply") assert.equal(content, "");
  }
  assert.deepEqual(server.counts.byStatus, { 200: cases.length });
});

Deno.test("startScriptedServer() no_structured_output and no_json_mode reject those formats with 400", async () => {
  await using server = startScriptedServer({ faults: [{ kind: "no_structured_output" }] });
  const client = openai(server);
  const status = async (format: Format) => {
    try {
      await judgeContent(client, "cpc_bond", BOND_INPUTS, format);
      return 200;
    } catch (error) {
      assert.ok(error instanceof OpenAI.BadRequestError, String(error));
      assert.match(error.message, /response_format/);
      return error.status;
    }
  };
  assert.deepEqual(
    [await status("json_schema"), await status("json_object"), await status("none")],
    [
      400,
      200,
      200,
    ],
  );
  server.setFaults([{ kind: "no_json_mode" }]);
  assert.deepEqual(
    [await status("json_schema"), await status("json_object"), await status("none")],
    [
      400,
      400,
      200,
    ],
  );
});

Deno.test("startScriptedServer() faults apply in order and `times` counts down", async () => {
  await using server = startScriptedServer({
    faults: [
      { kind: "rate_limit", retryAfterSeconds: 1, times: 1 },
      { kind: "server_error", times: 2 },
      { kind: "non_json", times: 1 },
    ],
  });
  const outcomes: string[] = [];
  for (let i = 0; i < 6; i++) {
    try {
      const content = await judgeContent(openai(server), "cpc_bond", BOND_INPUTS);
      outcomes.push(content.startsWith("{") ? "json" : "words");
    } catch (error) {
      outcomes.push(String((error as { status?: number }).status));
    }
  }
  assert.deepEqual(outcomes, ["429", "500", "500", "words", "json", "json"]);
  server.setFaults([{ kind: "server_error", times: 0 }]);
  assert.ok((await judgeContent(openai(server), "cpc_bond", BOND_INPUTS)).startsWith("{"));
});

Deno.test("startScriptedServer() rate_limit_above lets R requests a second through", async () => {
  await using server = startScriptedServer({
    faults: [{ kind: "rate_limit_above", requestsPerSecond: 3 }],
  });
  const client = openai(server);
  const burst = () =>
    Promise.allSettled(
      Array.from({ length: 8 }, () =>
        client.chat.completions.create(judgeRequest("cpc_bond", BOND_INPUTS))),
    );
  const results = await burst();
  const limited = results.flatMap((r) => r.status === "rejected" ? [r.reason] : []);
  assert.equal(results.length - limited.length, 3);
  assert.equal(limited.length, 5);
  for (const error of limited) {
    assert.ok(error instanceof OpenAI.RateLimitError);
    const waitMs = Number(error.headers.get("retry-after-ms"));
    assert.ok(waitMs > 0 && waitMs <= 1000, `retry-after-ms ${waitMs}`);
    assert.equal(error.headers.get("retry-after"), "1");
  }
  // A second later every slot of the window is free again.
  await new Promise((resolve) => setTimeout(resolve, 1100));
  const again = await burst();
  assert.equal(again.filter((r) => r.status === "fulfilled").length, 3);
});

Deno.test("startScriptedServer() answers a 429 at once, before the latency; the rest after it", async () => {
  const events: RequestEvent[] = [];
  await using server = startScriptedServer({
    faults: [
      { kind: "latency", ms: 300 },
      { kind: "rate_limit_above", requestsPerSecond: 1, retryAfterSeconds: 1 },
    ],
    onRequest: (event) => events.push(event),
  });
  const client = openai(server);
  const results = await Promise.allSettled(
    [1, 2].map(() => client.chat.completions.create(judgeRequest("cpc_bond", BOND_INPUTS))),
  );
  assert.deepEqual(results.map((r) => r.status).sort(), ["fulfilled", "rejected"]);
  const limited = events.find((e) => e.status === 429)!;
  const answered = events.find((e) => e.status === 200)!;
  assert.ok(limited.ms < 100, `the 429 took ${limited.ms} ms`);
  assert.ok(answered.ms >= 295, `the answer took ${answered.ms} ms`);
  server.setFaults([{ kind: "latency", ms: 300 }, { kind: "rate_limit", retryAfterSeconds: 1 }]);
  const t0 = performance.now();
  await rejection(client.chat.completions.create(judgeRequest("cpc_bond", BOND_INPUTS)));
  assert.ok(performance.now() - t0 < 200, "a scripted rate_limit is at once too");
});

Deno.test("startScriptedServer() rate_limit_above with headers sends OpenAI's x-ratelimit headers", async () => {
  await using server = startScriptedServer({
    faults: [{ kind: "rate_limit_above", requestsPerSecond: 4, headers: true }],
  });
  const client = openai(server);
  const seen: [number, string | null, string | null, string | null][] = [];
  for (let i = 0; i < 5; i++) {
    const request = client.chat.completions.create(judgeRequest("cpc_bond", BOND_INPUTS));
    const { response } = await request.withResponse().catch((error) => ({ response: error }));
    const headers: Headers = response.headers;
    seen.push([
      response.status,
      headers.get("x-ratelimit-limit-requests"),
      headers.get("x-ratelimit-remaining-requests"),
      headers.get("x-ratelimit-reset-requests"),
    ]);
  }
  // (limit − remaining) / reset is the limit's rate: 4 a second, a request every 250 ms.
  assert.deepEqual(seen, [
    [200, "4", "3", "250ms"],
    [200, "4", "2", "500ms"],
    [200, "4", "1", "750ms"],
    [200, "4", "0", "1s"],
    [429, "4", "0", "1s"],
  ]);
  await using plain = startScriptedServer({
    faults: [{ kind: "rate_limit_above", requestsPerSecond: 4 }],
  });
  const { response } = await openai(plain).chat.completions
    .create(judgeRequest("cpc_bond", BOND_INPUTS)).withResponse();
  assert.equal(response.headers.get("x-ratelimit-remaining-requests"), null);
});

Deno.test("startScriptedServer() latency delays every answer", async () => {
  await using server = startScriptedServer({ faults: [{ kind: "latency", ms: 150 }] });
  const started = performance.now();
  await judgeContent(openai(server), "cpc_bond", BOND_INPUTS);
  assert.ok(performance.now() - started >= 145);
});

Deno.test("startScriptedServer() rejects invalid fault parameters", () => {
  assert.throws(
    () => startScriptedServer({ faults: [{ kind: "server_error", times: -1 }] }),
    RangeError,
  );
  assert.throws(
    () => startScriptedServer({ faults: [{ kind: "rate_limit_above", requestsPerSecond: 0 }] }),
    /requestsPerSecond/,
  );
  assert.throws(
    () => startScriptedServer({ faults: [{ kind: "server_error", status: 404 }] }),
    /5xx/,
  );
});

// ---------------------------------------------------------------------------------------------
// Counters, request log, keys
// ---------------------------------------------------------------------------------------------

Deno.test("startScriptedServer() counts requests, tokens and statuses, and logs what arrived", async () => {
  const events: RequestEvent[] = [];
  await using server = startScriptedServer({
    faults: [{ kind: "server_error", times: 1 }],
    onRequest: (event) => events.push(event),
  });
  const client = openai(server);
  await rejection(client.chat.completions.create(judgeRequest("cpc_bond", BOND_INPUTS)));
  const chat = await client.chat.completions.create(judgeRequest("cpc_bond", BOND_INPUTS));
  const message = await anthropic(server).messages.create({
    model: "scripted",
    max_tokens: 200,
    messages: [{ role: "user", content: "Give a differential." }],
  });
  await (await fetch(`${server.baseURL}/nowhere`)).body?.cancel();
  assert.deepEqual(server.counts, {
    requests: 4,
    chat: 2,
    messages: 1,
    inputTokens: chat.usage!.prompt_tokens + message.usage.input_tokens,
    outputTokens: chat.usage!.completion_tokens + message.usage.output_tokens,
    byStatus: { 200: 2, 404: 1, 500: 1 },
  });
  const body = server.requests[1]!.body as Record<string, unknown>;
  assert.equal(body.temperature, 0);
  assert.equal(body.seed, 11);
  assert.deepEqual((body.response_format as { type: string }).type, "json_schema");
  assert.deepEqual(server.requests.map((r) => r.path), [
    "/v1/chat/completions",
    "/v1/chat/completions",
    "/v1/messages",
    "/v1/nowhere",
  ]);
  assert.equal(server.requests[0]!.authorization, "Bearer sk-test-key");
  assert.deepEqual(events.map((e) => [e.status, e.task ?? null, e.fault ?? null]), [
    [500, "cpc_bond", "server_error"],
    [200, "cpc_bond", null],
    [200, null, null],
    [404, null, null],
  ]);
});

Deno.test("startScriptedServer() enforces apiKey without echoing it", async () => {
  await using server = startScriptedServer({ apiKey: "sk-right" });
  const error = await rejection(
    openai(server, { apiKey: "sk-wrong-secret" }).chat.completions.create(
      judgeRequest("cpc_bond", BOND_INPUTS),
    ),
  );
  assert.ok(error instanceof OpenAI.AuthenticationError, String(error));
  assert.equal(error.status, 401);
  assert.ok(!error.message.includes("sk-wrong-secret") && !error.message.includes("sk-right"));
  await judgeContent(openai(server, { apiKey: "sk-right" }), "cpc_bond", BOND_INPUTS);
  const anthropicError = await rejection(
    anthropic(server, "sk-wrong").messages.create({
      model: "scripted",
      max_tokens: 50,
      messages: [{ role: "user", content: "hi" }],
    }),
  );
  assert.ok(anthropicError instanceof Anthropic.AuthenticationError, String(anthropicError));
  await anthropic(server, "sk-right").messages.create({
    model: "scripted",
    max_tokens: 50,
    messages: [{ role: "user", content: "hi" }],
  });
  // Anthropic's own header works too.
  const raw = await fetch(`${server.anthropicBaseURL}/v1/messages`, {
    method: "POST",
    headers: { "x-api-key": "sk-right", "anthropic-version": "2023-06-01" },
    body: JSON.stringify({
      model: "scripted",
      max_tokens: 50,
      messages: [{ role: "user", content: "hi" }],
    }),
  });
  assert.equal(raw.status, 200);
  await raw.body?.cancel();
  assert.deepEqual(server.counts.byStatus, { 200: 3, 401: 2 });
});

// ---------------------------------------------------------------------------------------------
// Anthropic Messages API
// ---------------------------------------------------------------------------------------------

function messagesRequest(
  key: string,
  inputs: TaskInputs,
  mode: "tool" | "output_format" | "text",
): Anthropic.MessageCreateParamsNonStreaming {
  const task = getTask(key);
  const { system, user } = task.prompt(inputs);
  const request: Anthropic.MessageCreateParamsNonStreaming = {
    model: "scripted",
    max_tokens: 400,
    system,
    messages: [{ role: "user", content: user }],
  };
  const schema = task.outputSchema as Anthropic.Tool.InputSchema;
  if (mode === "tool") {
    request.tools = [{ name: "record_grade", input_schema: schema }];
    request.tool_choice = { type: "tool", name: "record_grade" };
  } else if (mode === "output_format") {
    request.output_config = { format: { type: "json_schema", schema } };
  }
  return request;
}

Deno.test("startScriptedServer() answers a forced Anthropic tool with a tool_use block", async () => {
  await using server = startScriptedServer({ seed: 3 });
  const client = anthropic(server);
  const message = await client.messages.create(messagesRequest("cpc_bond", BOND_INPUTS, "tool"));
  assert.equal(message.type, "message");
  assert.equal(message.role, "assistant");
  assert.equal(message.stop_reason, "tool_use");
  assert.equal(message.content.length, 1);
  const block = message.content[0]!;
  assert.ok(block.type === "tool_use");
  assert.equal(block.name, "record_grade");
  const input = block.input as { score: number; best_rank: number | null };
  assert.equal(scoreProblem(input.score, getTask("cpc_bond").scale(BOND_INPUTS)), undefined);
  // The same grading as the OpenAI path.
  const chat = await judgeContent(
    new OpenAI({ apiKey: "k", baseURL: server.baseURL, maxRetries: 0 }),
    "cpc_bond",
    BOND_INPUTS,
  );
  assert.deepEqual(input, JSON.parse(chat));
  assert.ok(message.usage.input_tokens > 100 && message.usage.output_tokens > 0);
  const sent = server.requests[0]!.body as { tool_choice: unknown };
  assert.deepEqual(sent.tool_choice, { type: "tool", name: "record_grade" });
});

Deno.test("startScriptedServer() answers Anthropic text and output_config requests", async () => {
  await using server = startScriptedServer();
  const client = anthropic(server);
  const text = async (mode: "output_format" | "text") => {
    const message = await client.messages.create(messagesRequest("r_idea", {
      response: "Summary: likely pneumonia because of fever.",
      question_text: "Assess.",
    }, mode));
    assert.equal(message.stop_reason, "end_turn");
    const block = message.content[0];
    assert.ok(block?.type === "text");
    return block.text;
  };
  const exact = await text("output_format");
  assert.equal(await text("text"), `Here is my grading: ${exact}`);
  assert.equal(typeof JSON.parse(exact).score, "number");
});

Deno.test("startScriptedServer() applies faults to Anthropic requests in Anthropic's shapes", async () => {
  await using server = startScriptedServer({
    faults: [
      { kind: "rate_limit", retryAfterSeconds: 1, times: 1 },
      { kind: "drop_connection", times: 1 },
      { kind: "missing_field", times: 1 },
      { kind: "refusal", times: 1 },
      { kind: "empty_reply", times: 1 },
    ],
  });
  const client = anthropic(server);
  const send = () => client.messages.create(messagesRequest("cpc_bond", BOND_INPUTS, "tool"));
  const limited = await rejection(send());
  assert.ok(limited instanceof Anthropic.RateLimitError, String(limited));
  assert.equal(limited.headers?.get("retry-after"), "1");
  assert.deepEqual((limited.error as { type: string }).type, "error");
  const dropped = await rejection(send());
  assert.ok(dropped instanceof Anthropic.APIConnectionError, String(dropped));
  assert.equal(dropped.message, "Connection error.");
  const missing = (await send()).content[0];
  assert.ok(missing?.type === "tool_use");
  assert.equal("score" in (missing.input as object), false);
  const refusal = await send();
  assert.equal(refusal.stop_reason, "refusal");
  assert.deepEqual(refusal.content.map((b) => b.type === "text" && b.text), [REFUSAL_TEXT]);
  assert.deepEqual((await send()).content, []);
  assert.equal((await send()).stop_reason, "tool_use");
});

Deno.test("startScriptedServer() asks Anthropic requests for max_tokens", async () => {
  await using server = startScriptedServer();
  const response = await fetch(`${server.anthropicBaseURL}/v1/messages`, {
    method: "POST",
    body: JSON.stringify({ model: "scripted", messages: [{ role: "user", content: "hi" }] }),
  });
  assert.equal(response.status, 400);
  const body = await response.json();
  assert.deepEqual(body.type, "error");
  assert.deepEqual(body.error, {
    type: "invalid_request_error",
    message: "max_tokens: Field required",
  });
});

// ---------------------------------------------------------------------------------------------
// Shutting down
// ---------------------------------------------------------------------------------------------

Deno.test("startScriptedServer() close() ends a request in flight and can be called twice", async () => {
  const server = startScriptedServer({ faults: [{ kind: "latency", ms: 10_000 }] });
  const pending = rejection(
    openai(server).chat.completions.create(judgeRequest("cpc_bond", BOND_INPUTS)),
  );
  await new Promise((resolve) => setTimeout(resolve, 50));
  const started = performance.now();
  await Promise.all([server.close(), server.close()]);
  assert.ok(performance.now() - started < 1000);
  assert.ok((await pending) instanceof OpenAI.APIConnectionError);
  await server.close();
});
