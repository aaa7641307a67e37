import assert from "node:assert/strict";
import { join } from "node:path";
import { _GenerationLedger, type GenerationRecord } from "./_generation_ledger.ts";
import { LedgerError } from "./ledger.ts";

const provenance = {
  candidate: "med42",
  provider: "openai-compatible",
  model: "med42",
  parameters: { temperature: 0 },
  prompt_version: "1",
  prompt_hash: "ab",
};

function record(key: string, generation: GenerationRecord["generation"]): GenerationRecord {
  return {
    key,
    candidate: "med42",
    task: "cpc_bond",
    case_id: "c1",
    repeat: 0,
    generation,
    time: "2026-01-01T00:00:00.000Z",
  };
}

const generated = (text: string): GenerationRecord["generation"] => ({
  status: "generated",
  text,
  raw: text,
  attempts: 1,
  latency_ms: 5,
  provenance,
});

const failed = (reason: "empty_reply" | "retries_exhausted"): GenerationRecord["generation"] => ({
  status: "failed",
  reason,
  detail: "",
  raw: null,
  attempts: 1,
  latency_ms: 5,
  provenance,
});

Deno.test("_GenerationLedger retries transient failures, and permanent ones only when asked", async () => {
  const path = join(await Deno.makeTempDir(), "g", "med42_cpc_bond.jsonl");
  const ledger = await _GenerationLedger.open(path);
  await ledger.append(record("ok", generated("1. Gout")));
  await ledger.append(record("empty", failed("empty_reply")));
  await ledger.append(record("busy", failed("retries_exhausted")));
  assert.deepEqual(
    ["ok", "empty", "busy", "new"].map((k) => ledger.needsGenerating(k, false)),
    [false, false, true, true],
  );
  assert.equal(ledger.needsGenerating("empty", true), true);
  await ledger.close();
  await assert.rejects(() => ledger.append(record("x", generated("y"))), LedgerError);
  // A later record supersedes an earlier one of the same key.
  const reopened = await _GenerationLedger.open(path);
  await reopened.append(record("busy", generated("1. Lupus")));
  await reopened.close();
  const third = await _GenerationLedger.open(path);
  assert.equal(third.needsGenerating("busy", false), false);
  assert.equal(third.get("busy")?.generation.status, "generated");
  await third.close();
});

Deno.test("_GenerationLedger cuts off a torn last line and refuses a damaged middle one", async () => {
  const dir = await Deno.makeTempDir();
  const path = join(dir, "med42_cpc_bond.jsonl");
  const whole = JSON.stringify(record("ok", generated("1. Gout"))) + "\n";
  await Deno.writeTextFile(path, whole + '{"key":"half","cand');
  const ledger = await _GenerationLedger.open(path);
  assert.equal(ledger.torn, 1);
  assert.equal(ledger.needsGenerating("ok", false), false);
  await ledger.append(record("next", generated("1. Lupus")));
  await ledger.close();
  const lines = (await Deno.readTextFile(path)).trimEnd().split("\n");
  assert.deepEqual(lines.map((line) => JSON.parse(line).key), ["ok", "next"]);

  await Deno.writeTextFile(path, "not json\n" + whole);
  await assert.rejects(() => _GenerationLedger.open(path), /line 1: not JSON/);
  await Deno.writeTextFile(path, JSON.stringify({ key: "k" }) + "\n" + whole);
  await assert.rejects(() => _GenerationLedger.open(path), /line 1: not a generation record/);
});

Deno.test("_GenerationLedger refuses a generated record without text", async () => {
  const ledger = await _GenerationLedger.open(join(await Deno.makeTempDir(), "l.jsonl"));
  await assert.rejects(() => ledger.append(record("k", generated(" "))), /generation\.text/);
  await ledger.close();
});
