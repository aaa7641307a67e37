import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import type { Judgement } from "../judge/judgement.ts";
import { Ledger, LedgerError, type LedgerRecord } from "./ledger.ts";
import { _GENERATIONS, type GenerationRecord } from "./_ledger_formats.ts";
import { generationProvenance } from "./_ledger_test_support.ts";

const provenance = generationProvenance("med42");

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

const generations = (path: string) => Ledger.open(path, { format: _GENERATIONS });

Deno.test("Ledger of generations retries transient failures, and permanent ones only when asked", async () => {
  const path = join(await Deno.makeTempDir(), "g", "med42_cpc_bond.jsonl");
  const ledger = await generations(path);
  await ledger.append(record("ok", generated("1. Gout")));
  await ledger.append(record("empty", failed("empty_reply")));
  await ledger.append(record("busy", failed("retries_exhausted")));
  assert.deepEqual(
    ["ok", "empty", "busy", "new"].map((k) => ledger.needed(k, { retryFailed: false })),
    [false, false, true, true],
  );
  assert.equal(ledger.needed("empty", { retryFailed: true }), true);
  await ledger.close();
  await assert.rejects(() => ledger.append(record("x", generated("y"))), LedgerError);
  // A later record supersedes an earlier one of the same key.
  const reopened = await generations(path);
  await reopened.append(record("busy", generated("1. Lupus")));
  await reopened.close();
  const third = await generations(path);
  assert.equal(third.needed("busy", { retryFailed: false }), false);
  assert.equal(third.get("busy")?.generation.status, "generated");
  await third.close();
});

Deno.test("Ledger of generations cuts off a torn last line and refuses a damaged middle one", async () => {
  const dir = await Deno.makeTempDir();
  const path = join(dir, "med42_cpc_bond.jsonl");
  const whole = JSON.stringify(record("ok", generated("1. Gout"))) + "\n";
  await Deno.writeTextFile(path, whole + '{"key":"half","cand');
  const ledger = await generations(path);
  assert.equal(ledger.torn, 1);
  assert.equal(ledger.needed("ok", { retryFailed: false }), false);
  await ledger.append(record("next", generated("1. Lupus")));
  await ledger.close();
  const lines = (await Deno.readTextFile(path)).trimEnd().split("\n");
  assert.deepEqual(lines.map((line) => JSON.parse(line).key), ["ok", "next"]);

  await Deno.writeTextFile(path, "not json\n" + whole);
  await assert.rejects(() => generations(path), /line 1: not JSON/);
  await Deno.writeTextFile(path, JSON.stringify({ key: "k" }) + "\n" + whole);
  await assert.rejects(() => generations(path), /line 1: not a generation record/);
});

Deno.test("Ledger of generations refuses a generated record without text", async () => {
  const ledger = await generations(join(await Deno.makeTempDir(), "l.jsonl"));
  await assert.rejects(() => ledger.append(record("k", generated(" "))), /generation\.text/);
  await ledger.close();
});

/** The index's behaviour, written the plain way: the latest record of a key and of a (key, entry). */
class Model {
  latest = new Map<string, number>();
  byEntry = new Map<string, number>();
  score: number[] = [];
  add(key: string, entry: string, score: number) {
    const r = this.score.push(score) - 1;
    this.latest.delete(key);
    this.latest.set(key, r);
    this.byEntry.set(`${key}\u0000${entry}`, r);
  }
}

Deno.test("Ledger agrees with plain Maps over thousands of records, hex and other keys", async () => {
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const sha = (text: string) => createHash("sha256").update(text).digest("hex");
  const keys = Array.from({ length: 300 }, (_, i) => (i % 10 === 0 ? `key-${i}` : sha(`${i}`)));
  const ledger = await Ledger.open(join(await Deno.makeTempDir(), "j_cpc_bond.jsonl"));
  const model = new Model();
  const judgement = (score: number): Judgement => ({
    status: "scored",
    score,
    justification: "",
    task: "cpc_bond",
    raw: null,
    attempts: 1,
    latency_ms: 1,
    provenance: {
      judge: "j",
      provider: "p",
      model: "m",
      parameters: {},
      prompt_version: "1",
      prompt_hash: "h",
      output_mode: "rules",
    },
  });
  const appends: Promise<void>[] = [];
  for (let r = 0; r < 1500; r++) {
    const key = keys[Math.floor(random() * keys.length)]!;
    const entry = `e${Math.floor(random() * 4)}`; // a few entries share each key
    const score = [0, 2, 3][Math.floor(random() * 3)]!;
    const line: LedgerRecord = {
      key,
      judge: "j",
      task: "cpc_bond",
      entry_id: entry,
      repeat: 0,
      judgement: judgement(score),
      time: "2026-01-01T00:00:00.000Z",
    };
    appends.push(ledger.append(line));
    model.add(key, entry, score);
  }
  await Promise.all(appends);
  for (const reader of [ledger, await Ledger.open(ledger.path)]) {
    for (const key of [...keys, sha("never added"), "never added"]) {
      const want = model.latest.get(key);
      const got = reader.get(key);
      assert.equal(
        got?.judgement.status === "scored" && got.judgement.score,
        want !== undefined && model.score[want],
      );
      for (const entry of ["e0", "e1", "e2", "e3", "e9"]) {
        const own = model.byEntry.get(`${key}\u0000${entry}`);
        const record = reader.entryRecord(key, entry);
        assert.equal(record?.entry_id, own === undefined ? undefined : entry, `${key} ${entry}`);
        if (own !== undefined && want !== undefined) {
          assert.equal(reader.hasCurrent(key, entry), model.score[own] === model.score[want]);
        }
      }
    }
    // A superseding record sits where it was added, not where its key first appeared.
    assert.deepEqual(
      reader.records().map((r) => r.key),
      [...model.latest.entries()].sort((a, b) => a[1] - b[1]).map(([key]) => key),
    );
    await reader.close();
  }
});
