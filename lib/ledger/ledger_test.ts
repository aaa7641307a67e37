import assert from "node:assert/strict";
import { join } from "node:path";
import type { TaskKey } from "../data/task_key.ts";
import type { FailureReason, Judgement, ScoredJudgement } from "../judge/judgement.ts";
import {
  isTransientFailure,
  Ledger,
  LedgerError,
  ledgerPath,
  type LedgerRecord,
  readLedger,
} from "./ledger.ts";
import { _safeName } from "./_ledger_formats.ts";
import { judgeProvenance } from "./_ledger_test_support.ts";

const provenance = judgeProvenance("openai", "gpt-4o");

function scored(score: number, task: TaskKey = "cpc_bond"): ScoredJudgement {
  return {
    status: "scored",
    score,
    justification: `gave ${score}`,
    task,
    raw: JSON.stringify({ score, justification: `gave ${score}` }),
    usage: { input_tokens: 800, output_tokens: 30 },
    provenance,
    attempts: 1,
    latency_ms: 250,
  };
}

function failed(reason: FailureReason, task: TaskKey = "cpc_bond"): Judgement {
  return {
    status: "failed",
    reason,
    detail: `failed: ${reason}`,
    task,
    raw: reason === "retries_exhausted" ? null : "Score: five",
    provenance,
    attempts: reason === "retries_exhausted" ? 4 : 1,
    latency_ms: 900,
  };
}

function record(
  key: string,
  judgement: Judgement,
  extra: Partial<LedgerRecord> = {},
): LedgerRecord {
  return {
    key,
    judge: "gpt-4o",
    task: judgement.task,
    entry_id: `entry-${key}`,
    repeat: 0,
    judgement,
    time: "2025-03-01T12:00:00.000Z",
    ...extra,
  };
}

async function tempLedger(): Promise<string> {
  return ledgerPath(await Deno.makeTempDir(), "gpt-4o", "cpc_bond");
}

Deno.test("ledgerPath() names the file {name}_{task}.jsonl with unsafe characters encoded", () => {
  assert.equal(ledgerPath("out", "gpt-4o", "cpc_bond"), join("out", "gpt-4o_cpc_bond.jsonl"));
  assert.equal(_safeName("claude_sonnet-4.5"), "claude_sonnet-4.5");
  assert.equal(_safeName("openai/gpt-4o"), "openai%2Fgpt-4o");
  assert.equal(_safeName("..\\x y:z"), "%2E.%5Cx%20y%3Az");
  assert.equal(_safeName("médecin"), "m%C3%A9decin");
  assert.equal(_safeName("a\nb"), "a%0Ab");
  // Different names never share a file: the encoding is reversible.
  assert.notEqual(_safeName("a/b"), _safeName("a-b"));
  assert.equal(decodeURIComponent(_safeName("openai/gpt 4o%")), "openai/gpt 4o%");
  assert.throws(() => ledgerPath("out", "", "cpc_bond"), /judge name is empty/);
});

Deno.test("isTransientFailure() retries exhausted retries and budgets only", () => {
  assert.equal(isTransientFailure(failed("retries_exhausted")), true);
  assert.equal(isTransientFailure(failed("budget_exhausted")), true);
  for (
    const reason of [
      "invalid_json",
      "missing_score",
      "score_not_allowed",
      "refusal",
      "empty_reply",
      "request_rejected",
    ] as const
  ) {
    assert.equal(isTransientFailure(failed(reason)), false, reason);
  }
  assert.equal(isTransientFailure(scored(3)), false);
});

Deno.test("Ledger round-trips records, creating its folder and file", async () => {
  const dir = await Deno.makeTempDir();
  const path = ledgerPath(join(dir, "a", "b"), "gpt-4o", "cpc_bond");
  const ledger = await Ledger.open(path);
  assert.equal(ledger.path, path);
  assert.equal(ledger.torn, 0);
  assert.equal((await Deno.stat(path)).size, 0);
  const written = [
    record("k1", scored(4)),
    record("k2", failed("invalid_json"), { repeat: 1 }),
    record("k3", { ...scored(5), fields: { best_rank: 1 } }),
  ];
  for (const r of written) await ledger.append(r);
  assert.deepEqual(ledger.records(), written);
  await ledger.close();

  const text = await Deno.readTextFile(path);
  assert.equal(text.split("\n").length, 4);
  assert.ok(text.endsWith("\n"));
  const reopened = await Ledger.open(path);
  assert.deepEqual(reopened.records(), written);
  assert.deepEqual(reopened.get("k2"), written[1]);
  await reopened.close();
  assert.deepEqual(await readLedger(path), { records: written, torn: 0 });
});

Deno.test("Ledger.append() from 100 concurrent callers writes 100 whole lines", async () => {
  const path = await tempLedger();
  const ledger = await Ledger.open(path);
  // Long justifications make each line several kilobytes, so interleaving would show.
  const records = Array.from(
    { length: 100 },
    (_, i) =>
      record(`k${i}`, {
        ...scored([0, 2, 3, 4, 5][i % 5]!),
        justification: String(i).repeat(2000),
      }),
  );
  await Promise.all(records.map((r) => ledger.append(r)));
  await ledger.close();
  const lines = (await Deno.readTextFile(path)).split("\n");
  assert.equal(lines.pop(), "");
  assert.equal(lines.length, 100);
  const keys = lines.map((line) => (JSON.parse(line) as LedgerRecord).key);
  assert.deepEqual(new Set(keys), new Set(records.map((r) => r.key)));
  // Appends are queued in call order.
  assert.deepEqual(keys, records.map((r) => r.key));
});

Deno.test("Ledger.open() cuts off a torn last line and appends after it cleanly", async () => {
  const path = await tempLedger();
  const whole = JSON.stringify(record("k1", scored(3))) + "\n";
  const partial = JSON.stringify(record("k2", scored(4))).slice(0, 57);
  await Deno.writeTextFile(path, whole + partial);

  // Reading does not change the file.
  const read = await readLedger(path);
  assert.deepEqual([read.records.map((r) => r.key), read.torn], [["k1"], 1]);
  assert.equal(await Deno.readTextFile(path), whole + partial);

  const ledger = await Ledger.open(path);
  assert.equal(ledger.torn, 1);
  assert.deepEqual(ledger.records().map((r) => r.key), ["k1"]);
  assert.equal(ledger.needed("k2"), true);
  assert.equal(await Deno.readTextFile(path), whole);
  await ledger.append(record("k2", scored(4)));
  await ledger.close();

  const lines = (await Deno.readTextFile(path)).split("\n");
  assert.equal(lines.pop(), "");
  assert.deepEqual(lines.map((l) => (JSON.parse(l) as LedgerRecord).key), ["k1", "k2"]);
  const again = await Ledger.open(path);
  assert.equal(again.torn, 0);
  await again.close();
});

Deno.test("Ledger.open() treats a last line of garbage (zeros after a crash) as torn", async () => {
  const path = await tempLedger();
  const whole = JSON.stringify(record("k1", scored(3))) + "\n";
  await Deno.writeTextFile(path, whole + "\0\0\0\0\n");
  const ledger = await Ledger.open(path);
  assert.equal(ledger.torn, 1);
  assert.deepEqual(ledger.records().map((r) => r.key), ["k1"]);
  await ledger.close();
  assert.equal(await Deno.readTextFile(path), whole);
});

Deno.test("Ledger.open() rejects a damaged line in the middle, naming file and line", async () => {
  const path = await tempLedger();
  const line = (key: string) => JSON.stringify(record(key, scored(3))) + "\n";
  await Deno.writeTextFile(path, line("k1") + '{"key":"k2","jud\n' + line("k3"));
  await assert.rejects(
    () => Ledger.open(path),
    (error: Error) => {
      assert.ok(error instanceof LedgerError);
      assert.ok(error.message.startsWith(`${path} line 2: not JSON`), error.message);
      return true;
    },
  );
  await assert.rejects(() => readLedger(path), /line 2: not JSON/);
  // The file is left as it was: nothing is cut from the middle.
  assert.equal((await Deno.readTextFile(path)).split("\n").length, 4);

  // Valid JSON that is not a record is an error wherever it is.
  await Deno.writeTextFile(path, line("k1") + '{"key":"k2"}\n');
  await assert.rejects(() => Ledger.open(path), /line 2: not a ledger record: "judge" must be/);
  const bad = { ...record("k2", scored(3)), task: "bond" };
  await Deno.writeTextFile(path, JSON.stringify(bad) + "\n" + line("k1"));
  await assert.rejects(() => readLedger(path), /line 1: not a ledger record: "task" must be/);
});

Deno.test("Ledger.get() returns the latest record for a key", async () => {
  const path = await tempLedger();
  const ledger = await Ledger.open(path);
  await ledger.append(record("k1", failed("retries_exhausted")));
  await ledger.append(record("k2", scored(2)));
  await ledger.append(record("k1", scored(5), { time: "2025-03-02T00:00:00.000Z" }));
  assert.equal(ledger.get("k1")?.judgement.status, "scored");
  // One record per key, the superseding one where it was appended.
  assert.deepEqual(ledger.records().map((r) => [r.key, r.judgement.status]), [
    ["k2", "scored"],
    ["k1", "scored"],
  ]);
  await ledger.close();
  const reopened = await Ledger.open(path);
  assert.equal(reopened.get("k1")?.time, "2025-03-02T00:00:00.000Z");
  assert.equal(reopened.records().length, 2);
  await reopened.close();
  assert.deepEqual((await readLedger(path)).records.map((r) => r.key), ["k2", "k1"]);
});

Deno.test("Ledger.needed() skips scores, retries transient failures, and permanent ones on request", async () => {
  const ledger = await Ledger.open(await tempLedger());
  await ledger.append(record("scored", scored(4)));
  await ledger.append(record("transient", failed("retries_exhausted")));
  await ledger.append(record("budget", failed("budget_exhausted")));
  await ledger.append(record("permanent", failed("invalid_json")));
  await ledger.append(record("rejected", failed("request_rejected")));
  const plan = (retryFailed: boolean) =>
    ["absent", "scored", "transient", "budget", "permanent", "rejected"].map((key) =>
      ledger.needed(key, { retryFailed })
    );
  assert.deepEqual(plan(false), [true, false, true, true, false, false]);
  assert.deepEqual(plan(true), [true, false, true, true, true, true]);
  assert.equal(ledger.needed("permanent"), false);
  await ledger.close();
});

Deno.test("Ledger.append() refuses a record that would not read back, and appends after close", async () => {
  const path = await tempLedger();
  const ledger = await Ledger.open(path);
  await assert.rejects(
    () => ledger.append(record("k1", scored(NaN))),
    /not a record: "judgement.score" must be a number, not null/,
  );
  await assert.rejects(
    () => ledger.append({ ...record("k1", scored(2)), repeat: -1 }),
    /"repeat" must be a non-negative integer/,
  );
  // A refused record changes nothing, and later appends still work.
  assert.equal(ledger.get("k1"), undefined);
  await ledger.append(record("k2", scored(2)));
  await ledger.close();
  await ledger.close();
  await assert.rejects(() => ledger.append(record("k3", scored(2))), /append after close/);
  assert.deepEqual((await readLedger(path)).records.map((r) => r.key), ["k2"]);
});

Deno.test("readLedger() says which file is missing", async () => {
  const path = join(await Deno.makeTempDir(), "nope_cpc_bond.jsonl");
  await assert.rejects(() => readLedger(path), (error: Error) => {
    assert.ok(error instanceof Deno.errors.NotFound);
    assert.match(error.message, /ledger not found: .*nope_cpc_bond\.jsonl/);
    return true;
  });
});

Deno.test("Ledger keeps one record per entry under a shared key, and readLedger() returns each", async () => {
  const path = await tempLedger();
  const ledger = await Ledger.open(path);
  // Two entries with the same content share key "k": one judgement, a record each.
  await ledger.append(record("k", failed("retries_exhausted"), { entry_id: "a" }));
  await ledger.append(record("k", scored(4), { entry_id: "a" }));
  await ledger.append(record("k", scored(4), { entry_id: "b" }));
  assert.equal(ledger.get("k")?.entry_id, "b", "the key's latest record");
  assert.equal(ledger.entryRecord("k", "a")?.judgement.status, "scored", "a's failure superseded");
  assert.equal(ledger.entryRecord("k", "c"), undefined);
  await ledger.close();
  const reopened = await Ledger.open(path);
  assert.equal(reopened.entryRecord("k", "a")?.judgement.status, "scored");
  assert.equal(reopened.entryRecord("k", "b")?.entry_id, "b");
  await reopened.close();
  const { records } = await readLedger(path);
  assert.deepEqual(records.map((r) => [r.entry_id, r.judgement.status]), [
    ["a", "scored"],
    ["b", "scored"],
  ]);
});

Deno.test("Ledger reads each record back from its place in the file, multi-byte text included", async () => {
  const path = await tempLedger();
  const ledger = await Ledger.open(path);
  const texts = ["plain", "naïve → 5", "漢字の診断", "emoji 🩺 score", ""];
  const appended = texts.map((text, i) => {
    const judgement = { ...scored(i % 6 === 1 ? 0 : 5), justification: text };
    return record(`k${i}`, judgement, { entry_id: `e${i}` });
  });
  // Concurrent appends go out in one batch: each line's position must still be its own.
  await Promise.all(appended.map((r) => ledger.append(r)));
  for (const r of appended) assert.deepEqual(ledger.get(r.key), r);
  await ledger.append(record("k9", scored(3), { entry_id: "é" }));
  assert.equal(ledger.entryRecord("k9", "é")?.judgement.status, "scored");
  await ledger.close();
  const reopened = await Ledger.open(path);
  for (const r of appended) assert.deepEqual(reopened.get(r.key), r);
  assert.equal(reopened.hasCurrent("k9", "é"), true);
  assert.equal(reopened.hasCurrent("k9", "other"), false);
  await reopened.append(record("k9", scored(3), { entry_id: "other" }));
  assert.equal(reopened.hasCurrent("k9", "other"), true, "the same judgement, copied");
  await reopened.close();
});

Deno.test("Ledger reads records back while appends are being written", async () => {
  // A write moves the appending handle's position to the end of the file; a read that shared
  // that handle found "the file ended inside a record" when a write landed between its seek
  // and its read.
  const ledger = await Ledger.open(await tempLedger());
  const first = record("k0", { ...scored(4), justification: "x".repeat(4000) });
  await ledger.append(first);
  const writes: Promise<void>[] = [];
  for (let i = 1; i <= 400; i++) {
    writes.push(
      ledger.append(
        record(`k${i}`, { ...scored([0, 2, 3, 4, 5][i % 5]!), justification: "y".repeat(4000) }),
      ),
    );
    // Read while the batch is being written (the write runs off the main thread).
    for (let j = 0; j < 20; j++) assert.deepEqual(ledger.get("k0"), first);
    if (i % 10 === 0) await new Promise((resolve) => setTimeout(resolve, 0));
  }
  await Promise.all(writes);
  assert.equal(ledger.records().length, 401);
  await ledger.close();
  assert.throws(() => ledger.get("k0"), /read after close/);
});

Deno.test("Ledger.open() and readLedger() refuse a score off the task's scale, naming file and line", async () => {
  const dir = await Deno.makeTempDir();
  const path = ledgerPath(dir, "gpt-4o", "cpc_bond");
  const line = (key: string, score: number) => JSON.stringify(record(key, scored(score))) + "\n";
  // 99 on the Bond scale; 1, which the Bond scale skips; -3; all once trusted on resume.
  for (const bad of [99, 1, -3]) {
    await Deno.writeTextFile(path, line("k1", 4) + line("k2", bad) + line("k3", 5));
    const where = new RegExp(`gpt-4o_cpc_bond\\.jsonl line 2: score ${bad} is (outside|not on)`);
    await assert.rejects(
      () => Ledger.open(path),
      (e) => e instanceof LedgerError && where.test(e.message),
    );
    await assert.rejects(() => readLedger(path), where);
  }
  // Where the top of the scale is the entry's own (management reasoning), the entry decides on
  // resume; the file alone can still refuse a negative score or a fraction no rubric has.
  const management = ledgerPath(dir, "gpt-4o", "management_reasoning");
  const own = (score: number) =>
    JSON.stringify(record("m1", scored(score, "management_reasoning"))) + "\n";
  await Deno.writeTextFile(management, own(27));
  assert.equal((await readLedger(management)).records.length, 1);
  await Deno.writeTextFile(management, own(2.25));
  await assert.rejects(() => readLedger(management), /line 1: score 2.25 is not a score of/);
});

Deno.test("Ledger.open() and readLedger() refuse a record of another task, naming file and line", async () => {
  const dir = await Deno.makeTempDir();
  const path = ledgerPath(dir, "gpt-4o", "cpc_bond");
  // An r_idea record in the cpc_bond ledger: its entry would lose its trial.
  await Deno.writeTextFile(
    path,
    JSON.stringify(record("k1", scored(4))) + "\n" +
      JSON.stringify(record("k2", scored(7, "r_idea"))) + "\n",
  );
  const where = /gpt-4o_cpc_bond\.jsonl line 2: a r_idea record in a cpc_bond ledger/;
  await assert.rejects(() => Ledger.open(path), where);
  await assert.rejects(() => readLedger(path), where);
  // Nor can one be appended.
  await Deno.writeTextFile(path, "");
  const ledger = await Ledger.open(path);
  await assert.rejects(() => ledger.append(record("k2", scored(7, "r_idea"))), /a r_idea record/);
  await assert.rejects(() => ledger.append(record("k3", scored(99))), /score 99 is outside/);
  await ledger.close();
});

Deno.test("Ledger.open() read-only creates nothing and refuses appends", async () => {
  const dir = await Deno.makeTempDir();
  const path = join(dir, "missing", "j_cpc_bond.jsonl");
  const ledger = await Ledger.open(path, { readOnly: true });
  assert.equal(ledger.needed("k"), true);
  await assert.rejects(() => ledger.append(record("k", scored(4))), /read-only/);
  await ledger.close();
  await assert.rejects(() => Deno.stat(join(dir, "missing")), Deno.errors.NotFound);
});
