import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { _LedgerIndex } from "./_ledger_index.ts";

const sha = (text: string) => createHash("sha256").update(text).digest("hex");
const digest = (text: string) => createHash("sha1").update(text).digest();

/** The index's behaviour, written the plain way: Maps of the latest record, in insertion order. */
class Model {
  latest = new Map<string, number>();
  byEntry = new Map<string, number>();
  judgement: string[] = [];
  add(key: string, entry: string, judgement: string) {
    const r = this.judgement.push(judgement) - 1;
    this.latest.delete(key);
    this.latest.set(key, r);
    this.byEntry.set(`${key}\u0000${entry}`, r);
  }
}

Deno.test("_LedgerIndex agrees with plain Maps over thousands of records, hex and other keys", () => {
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const keys = Array.from({ length: 1500 }, (_, i) => (i % 10 === 0 ? `key-${i}` : sha(`${i}`)));
  const index = new _LedgerIndex();
  const model = new Model();
  for (let r = 0; r < 6000; r++) {
    const key = keys[Math.floor(random() * keys.length)]!;
    const entry = `e${Math.floor(random() * 4)}`; // a few entries share each key
    const judgement = `score ${Math.floor(random() * 3)}`;
    index.add(key, entry, {
      offset: r * 100,
      length: 99,
      scored: judgement !== "score 0",
      transient: judgement === "score 0",
    }, digest(judgement));
    model.add(key, entry, judgement);
  }
  assert.equal(index.size, model.latest.size);
  for (const key of [...keys, sha("never added"), "never added"]) {
    const want = model.latest.get(key) ?? -1;
    assert.equal(index.latest(key), want, key);
    if (want >= 0) {
      const at = index.record(want);
      assert.deepEqual([at.offset, at.length], [want * 100, 99]);
      assert.equal(at.scored, model.judgement[want] !== "score 0");
      assert.equal(at.transient, model.judgement[want] === "score 0");
    }
    for (const entry of ["e0", "e1", "e2", "e3", "e9"]) {
      const own = model.byEntry.get(`${key}\u0000${entry}`) ?? -1;
      assert.equal(index.forEntry(key, entry), own, `${key} ${entry}`);
      if (own >= 0 && want >= 0) {
        assert.equal(
          index.sameJudgement(own, want),
          model.judgement[own] === model.judgement[want],
        );
      }
    }
  }
  // A superseding record sits where it was added, not where its key first appeared.
  assert.deepEqual(index.latestInOrder(), [...model.latest.values()].sort((a, b) => a - b));
});

Deno.test("_LedgerIndex keeps byte offsets beyond 4 GiB", () => {
  const index = new _LedgerIndex();
  const key = sha("big");
  index.add(
    key,
    "e",
    { offset: 5 * 2 ** 32 + 3, length: 10, scored: true, transient: false },
    digest("x"),
  );
  assert.equal(index.record(index.latest(key)).offset, 5 * 2 ** 32 + 3);
});
