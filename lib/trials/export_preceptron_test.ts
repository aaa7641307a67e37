import assert from "node:assert/strict";
import { join } from "node:path";
import type { TaskKey } from "../data/task_key.ts";
import type { Judgement } from "../judge/judgement.ts";
import { exportPreceptron, type PreceptronRecord } from "./export_preceptron.ts";
import { Ledger, ledgerPath } from "../ledger/ledger.ts";
import { judgeProvenance } from "../ledger/_ledger_test_support.ts";

const provenance = judgeProvenance("anthropic", "claude-sonnet-4");

const scored = (task: TaskKey, score: number): Judgement => ({
  status: "scored",
  score,
  justification: `why ${score}`,
  task,
  raw: `{"score":${score}}`,
  usage: { input_tokens: 700, output_tokens: 20 },
  provenance,
  attempts: 1,
  latency_ms: 400,
});

const failed = (task: TaskKey): Judgement => ({
  status: "failed",
  reason: "retries_exhausted",
  detail: "503 three times",
  task,
  raw: null,
  provenance,
  attempts: 4,
  latency_ms: 9000,
});

async function append(
  path: string,
  judge: string,
  task: TaskKey,
  rows: [key: string, entry: string, repeat: number, judgement: Judgement][],
): Promise<void> {
  const ledger = await Ledger.open(path);
  for (const [key, entry_id, repeat, judgement] of rows) {
    await ledger.append({
      key,
      judge,
      task,
      entry_id,
      repeat,
      judgement,
      time: "2025-05-01T00:00:00.000Z",
    });
  }
  await ledger.close();
}

Deno.test("exportPreceptron() writes {name}_{task}.json arrays beside the ledgers", async () => {
  const dir = await Deno.makeTempDir();
  await append(ledgerPath(dir, "claude", "cpc_bond"), "claude", "cpc_bond", [
    ["k1", "e2", 0, scored("cpc_bond", 3)],
    ["k2", "e1", 1, failed("cpc_bond")],
    ["k3", "e1", 0, scored("cpc_bond", 5)],
  ]);
  await append(ledgerPath(dir, "claude", "r_idea"), "claude", "r_idea", [
    ["k4", "e9", 0, scored("r_idea", 7)],
  ]);
  const paths = await exportPreceptron(dir);
  assert.deepEqual(paths, [join(dir, "claude_cpc_bond.json"), join(dir, "claude_r_idea.json")]);

  const bond = JSON.parse(await Deno.readTextFile(paths[0]!)) as PreceptronRecord[];
  // Sorted by entry id and repeat; failures kept with a null score and their reason.
  assert.deepEqual(bond, [
    {
      id: "e1",
      task: "cpc_bond",
      score: 5,
      justification: "why 5",
      raw: '{"score":5}',
      status: "scored",
      reason: null,
      repeat: 0,
      judge: "claude",
      model: "claude-sonnet-4",
    },
    {
      id: "e1",
      task: "cpc_bond",
      score: null,
      justification: null,
      raw: null,
      status: "failed",
      reason: "retries_exhausted",
      repeat: 1,
      judge: "claude",
      model: "claude-sonnet-4",
    },
    {
      id: "e2",
      task: "cpc_bond",
      score: 3,
      justification: "why 3",
      raw: '{"score":3}',
      status: "scored",
      reason: null,
      repeat: 0,
      judge: "claude",
      model: "claude-sonnet-4",
    },
  ]);
  const text = await Deno.readTextFile(paths[1]!);
  assert.ok(text.startsWith('[\n  {\n    "id": "e9",'), text);
  // No temporary files are left behind.
  const names = [];
  for await (const item of Deno.readDir(dir)) names.push(item.name);
  assert.deepEqual(names.toSorted(), [
    "claude_cpc_bond.json",
    "claude_cpc_bond.jsonl",
    "claude_r_idea.json",
    "claude_r_idea.jsonl",
  ]);
});

Deno.test("exportPreceptron() writes the latest record per key to another folder", async () => {
  const dir = await Deno.makeTempDir();
  const path = ledgerPath(dir, "openai/gpt-4o", "cpc_bond");
  await append(path, "openai/gpt-4o", "cpc_bond", [
    ["k1", "e1", 0, failed("cpc_bond")],
    ["k1", "e1", 0, scored("cpc_bond", 4)], // the retry succeeded
  ]);
  const dest = join(dir, "export", "preceptron");
  const [written] = await exportPreceptron(dir, dest);
  assert.equal(written, join(dest, "openai%2Fgpt-4o_cpc_bond.json"));
  const rows = JSON.parse(await Deno.readTextFile(written!)) as PreceptronRecord[];
  assert.deepEqual(rows.map((r) => [r.id, r.score, r.judge]), [["e1", 4, "openai/gpt-4o"]]);
});

Deno.test("exportPreceptron() drops judgements superseded under a new key unless asked", async () => {
  const dir = await Deno.makeTempDir();
  const path = ledgerPath(dir, "j", "cpc_bond");
  await append(path, "j", "cpc_bond", [
    ["old-prompt", "e1", 0, scored("cpc_bond", 2)],
    ["new-prompt", "e1", 0, scored("cpc_bond", 4)],
  ]);
  const warnings: string[] = [];
  const [file] = await exportPreceptron(dir, dir, { onWarning: (m) => warnings.push(m) });
  const current = JSON.parse(await Deno.readTextFile(file!)) as PreceptronRecord[];
  assert.deepEqual(current.map((r) => r.score), [4]);
  assert.equal(warnings.length, 1);
  await exportPreceptron(dir, dir, { superseded: "keep" });
  const all = JSON.parse(await Deno.readTextFile(file!)) as PreceptronRecord[];
  assert.deepEqual(all.map((r) => r.score).toSorted(), [2, 4]);
});

Deno.test("exportPreceptron() of an empty ledger writes [] and of an empty folder nothing", async () => {
  const dir = await Deno.makeTempDir();
  assert.deepEqual(await exportPreceptron(dir), []);
  await (await Ledger.open(ledgerPath(dir, "j", "r_idea"))).close();
  const [file] = await exportPreceptron(dir);
  assert.equal(await Deno.readTextFile(file!), "[]\n");
  await assert.rejects(() => exportPreceptron(join(dir, "missing")), /no such output folder/);
});
