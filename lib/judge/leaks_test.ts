import Anthropic from "@anthropic-ai/sdk";
import assert from "node:assert/strict";
import OpenAI from "openai";
import { showJudgement } from "../notebook/judgement_view.ts";
import { type Fault, startScriptedServer } from "../testing/scripted_server.ts";
import { anthropicJudge } from "./anthropic_judge.ts";
import { openAIJudge } from "./openai_judge.ts";
import { score } from "./score.ts";

// Keys made up for these tests: one shaped like OpenAI's, one a gateway's with no known shape.
const KEYS = ["sk-proj-T3stOnlyQ9wE8rT7yU6iO5pA4sD3", "gw-LeakProbe7Hj2Kx9Mv4Nq8Rb5Ws1"];

/** Ways a provider quotes the key it was sent: whole, as the header, cut, encoded. */
function leaks(key: string): string[] {
  const core = key.replace(/^(sk-proj-|gw-)/, "");
  return [
    "Incorrect API key provided: {{key}}.",
    "Authorization header was: {{authorization}}",
    `You sent ${core} (without its prefix).`,
    `Key ending …${key.slice(-14)} is revoked.`,
    `Credentials ${btoa(key)} rejected.`,
    `Header ${btoa(`Bearer ${key}`)} rejected.`,
    `Query was ?api_key=${encodeURIComponent(key)}&x=1`,
    `At http://user:{{key}}@gateway.example/v1?sig={{key}}: denied`,
  ];
}

/** Every text that would show the key: itself, its core, its encodings, any 10 characters of it. */
function leaked(out: string, key: string): boolean {
  const core = key.replace(/^(sk-proj-|gw-)/, "");
  const forms = [key, core, btoa(key), btoa(`Bearer ${key}`), encodeURIComponent(key)];
  for (let i = 0; i + 10 <= core.length; i++) forms.push(core.slice(i, i + 10));
  return forms.some((form) => out.includes(form));
}

/** Everything a notebook would show or store of a result. */
function shown(result: unknown): string {
  const view = showJudgement(result as Parameters<typeof showJudgement>[0]);
  return JSON.stringify(result) + String(view) + JSON.stringify(view.displayBundle());
}

const inputs = {
  response: "1. Pheochromocytoma\n2. Thyroid storm",
  final_diagnosis: "Pheochromocytoma",
  test_plan: "Plasma metanephrines",
};

/** The scripted answers that carry a leak, for one leak text. */
function faults(leak: string): Record<string, Fault> {
  const quoted = JSON.stringify(leak).slice(1, -1);
  return {
    "a 401 that echoes it": { kind: "echo_error", status: 401, message: leak },
    "a 500 that echoes it": { kind: "echo_error", status: 500, message: leak },
    "a 200 whose justification quotes it": {
      kind: "reply",
      content: `{"score": 5, "justification": "${quoted}", "best_rank": 1}`,
    },
    "a 200 refusal that quotes it": { kind: "reply", content: leak, refusal: leak },
    "a 200 reply in words that quotes it": { kind: "reply", content: `Score soon. ${leak}` },
    "a 200 reply with an off-scale score": {
      kind: "reply",
      content: `{"score": 9, "justification": "${quoted}", "best_rank": 1}`,
    },
  };
}

Deno.test("score() never shows the client's key, whatever the provider echoes", async () => {
  await using server = startScriptedServer();
  const counts: Record<string, [number, number]> = {};
  for (const key of KEYS) {
    const openai = new OpenAI({ apiKey: key, baseURL: server.baseURL, maxRetries: 0 });
    const anthropic = new Anthropic({
      apiKey: key,
      baseURL: server.anthropicBaseURL,
      maxRetries: 0,
    });
    const judges = {
      openai: openAIJudge({ client: openai, model: "scripted", retry: { maxRetries: 0 } }),
      extracted: openAIJudge({
        client: openai,
        model: "scripted",
        outputMode: "extracted",
        retry: { maxRetries: 0 },
      }),
      anthropic: anthropicJudge({ client: anthropic, model: "claude", retry: { maxRetries: 0 } }),
    };
    for (const leak of leaks(key)) {
      for (const [what, fault] of Object.entries(faults(leak))) {
        server.setFaults([fault]);
        const results: [string, unknown][] = [];
        // The router retries a 500 with backoff: its error path is the 401's, so skip the wait.
        if (fault.kind !== "echo_error" || fault.status !== 500) {
          const retry = { maxRetries: 0 };
          results.push(
            ["router", await score({ ...inputs, client: openai, model: "scripted", retry })],
            [
              "router (anthropic)",
              await score({ ...inputs, client: anthropic, model: "claude", retry }),
            ],
          );
        }
        for (const [name, judge] of Object.entries(judges)) {
          results.push([name, await score({ ...inputs, task: "cpc_bond", judge })]);
        }
        for (const [surface, result] of results) {
          const tally = counts[`${surface}: ${what}`] ??= [0, 0];
          tally[0]++;
          if (leaked(shown(result), key)) tally[1]++;
        }
      }
    }
  }
  const leaking = Object.entries(counts).filter(([, [, n]]) => n > 0);
  assert.deepEqual(leaking, [], "attempts and leaks by surface");
  const attempts = Object.values(counts).reduce((sum, [n]) => sum + n, 0);
  assert.equal(attempts, KEYS.length * 8 * (6 * 5 - 2));
});
