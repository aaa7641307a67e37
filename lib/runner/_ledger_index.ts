/**
 * What an open ledger keeps of its records, in typed arrays rather than an object and a string
 * per record: where each line is (offset and line number), whether it is scored or a transient
 * failure, its score, a digest of its judgement, and which record is the latest of each key and
 * of each (key, entry). About 110 bytes a record, so a run over tens of thousands of entries barely adds to memory.
 *
 * @module
 */

import { _packHex } from "./_key_column.ts";

/** Where a record's line is, and what lookups need of it. */
export interface _IndexedRecord {
  /** The line's first byte in the file. */
  offset: number;
  /** The line's length in bytes, without its newline. */
  length: number;
  /** Whether the judgement is scored. */
  scored: boolean;
  /** Whether it is a failure a later run retries. */
  transient: boolean;
  /** The score, when scored (else `NaN`), for checks against an entry's scale. */
  score?: number;
  /** The line's number in the file, from 1 (0 when unknown), for messages. */
  line?: number;
}

const SCORED = 1;
const TRANSIENT = 2;

/** Index of a ledger's records by key and by (key, entry). */
export class _LedgerIndex {
  // Per record, in the order added (file order).
  #offset = new Float64Array(64);
  #length = new Uint32Array(64);
  #flags = new Uint8Array(64);
  #score = new Float64Array(64);
  #line = new Uint32Array(64);
  #digest = new Uint32Array(128); // two words per record
  #keyOf = new Int32Array(64);
  /** The next record of the same key's chain of per-entry latest records, or -1. */
  #next = new Int32Array(64);
  #entryId: string[] = [];
  #records = 0;

  // Per key.
  #latest = new Int32Array(64);
  /** The first record of the key's chain of per-entry latest records. */
  #head = new Int32Array(64);
  #keys = 0;

  // Keys that are SHA-256 hex (all that runBenchmark writes) live packed in an open-addressing
  // table; any other key (hand-written ledgers, tests) in a Map.
  #packed = new Uint8Array(64 * 32);
  #table = new Int32Array(128); // key id + 1; 0 is empty
  #packedKeys = 0;
  #otherKeys = new Map<string, number>();
  readonly #scratch = new Uint8Array(32);
  /** Whether the key `#find` last looked up is packed in the scratch. */
  #scratchHolds = false;

  /** How many keys have a record. */
  get size(): number {
    return this.#keys;
  }

  /**
   * Makes a record the latest of its key and of its (key, entry).
   *
   * @param key The record's key.
   * @param entryId The record's entry.
   * @param at Where its line is, and its status.
   * @param digest 8 bytes (or more; the first 8 count) that differ between judgements.
   */
  add(key: string, entryId: string, at: _IndexedRecord, digest: Uint8Array): void {
    const r = this.#records++;
    if (r === this.#offset.length) this.#growRecords();
    this.#offset[r] = at.offset;
    this.#length[r] = at.length;
    this.#flags[r] = (at.scored ? SCORED : 0) | (at.transient ? TRANSIENT : 0);
    this.#score[r] = at.score ?? NaN;
    this.#line[r] = at.line ?? 0;
    const view = new DataView(digest.buffer, digest.byteOffset, 8);
    this.#digest[2 * r] = view.getUint32(0);
    this.#digest[2 * r + 1] = view.getUint32(4);
    this.#entryId[r] = entryId;
    let k = this.#find(key);
    if (k < 0) {
      k = this.#insert(key);
      this.#head[k] = -1;
    }
    this.#keyOf[r] = k;
    this.#latest[k] = r;
    // Take the entry's earlier record (if any) out of the key's chain, and put this one first.
    let previous = -1;
    for (let at = this.#head[k]!; at >= 0; previous = at, at = this.#next[at]!) {
      if (this.#entryId[at] !== entryId) continue;
      if (previous < 0) this.#head[k] = this.#next[at]!;
      else this.#next[previous] = this.#next[at]!;
      break;
    }
    this.#next[r] = this.#head[k]!;
    this.#head[k] = r;
  }

  /**
   * The latest record of a key.
   *
   * @param key A key.
   * @returns Its record number, or -1.
   */
  latest(key: string): number {
    const k = this.#find(key);
    return k < 0 ? -1 : this.#latest[k]!;
  }

  /**
   * The latest record of a key for one entry.
   *
   * @param key A key.
   * @param entryId An entry.
   * @returns Its record number, or -1.
   */
  forEntry(key: string, entryId: string): number {
    const k = this.#find(key);
    if (k < 0) return -1;
    for (let at = this.#head[k]!; at >= 0; at = this.#next[at]!) {
      if (this.#entryId[at] === entryId) return at;
    }
    return -1;
  }

  /**
   * Whether two records hold the same judgement (the same record, or equal digests).
   *
   * @param a A record number.
   * @param b Another.
   * @returns Whether they match.
   */
  sameJudgement(a: number, b: number): boolean {
    return a === b ||
      (this.#digest[2 * a] === this.#digest[2 * b] &&
        this.#digest[2 * a + 1] === this.#digest[2 * b + 1]);
  }

  /**
   * A record's place and status.
   *
   * @param r A record number.
   * @returns Where its line is, and whether it is scored or a transient failure.
   */
  record(r: number): _IndexedRecord {
    const flags = this.#flags[r]!;
    return {
      offset: this.#offset[r]!,
      length: this.#length[r]!,
      scored: (flags & SCORED) !== 0,
      transient: (flags & TRANSIENT) !== 0,
      score: this.#score[r]!,
      line: this.#line[r]!,
    };
  }

  /**
   * The latest record of every key, in the order they were added.
   *
   * @returns Record numbers.
   */
  latestInOrder(): number[] {
    const out: number[] = [];
    for (let r = 0; r < this.#records; r++) {
      if (this.#latest[this.#keyOf[r]!] === r) out.push(r);
    }
    return out;
  }

  #find(key: string): number {
    this.#scratchHolds = this.#pack(key);
    if (!this.#scratchHolds) return this.#otherKeys.get(key) ?? -1;
    const mask = this.#table.length - 1;
    for (let slot = this.#hash() & mask;; slot = (slot + 1) & mask) {
      const id = this.#table[slot]! - 1;
      if (id < 0) return -1;
      if (this.#samePacked(id)) return id;
    }
  }

  /** Adds a key not yet known, right after `#find` said -1 for it (and packed it, if hex). */
  #insert(key: string): number {
    const k = this.#keys++;
    if (k === this.#latest.length) {
      this.#latest = grow(this.#latest);
      this.#head = grow(this.#head);
    }
    if (!this.#scratchHolds) {
      this.#otherKeys.set(key, k);
      return k;
    }
    if (2 * (this.#packedKeys + 1) > this.#table.length) this.#rehash();
    // Packed keys are stored by key id, so that the table can be rebuilt from them.
    if ((k + 1) * 32 > this.#packed.length) {
      const bigger = new Uint8Array(Math.max(this.#packed.length * 2, (k + 1) * 32));
      bigger.set(this.#packed);
      this.#packed = bigger;
    }
    this.#packed.set(this.#scratch, k * 32);
    this.#place(k, this.#hash());
    this.#packedKeys++;
    return k;
  }

  #place(id: number, hash: number): void {
    const mask = this.#table.length - 1;
    let slot = hash & mask;
    while (this.#table[slot] !== 0) slot = (slot + 1) & mask;
    this.#table[slot] = id + 1;
  }

  #rehash(): void {
    const old = this.#table;
    this.#table = new Int32Array(old.length * 2);
    for (const entry of old) {
      if (entry === 0) continue;
      const id = entry - 1;
      const at = id * 32;
      const p = this.#packed;
      this.#place(id, (p[at]! << 24 | p[at + 1]! << 16 | p[at + 2]! << 8 | p[at + 3]!) >>> 0);
    }
  }

  /** Packs a 64-hex key into the scratch; false for any other key. */
  #pack(key: string): boolean {
    return _packHex(key, this.#scratch, 0);
  }

  /** The scratch's first four bytes: a SHA-256 is uniform already. */
  #hash(): number {
    const s = this.#scratch;
    return (s[0]! << 24 | s[1]! << 16 | s[2]! << 8 | s[3]!) >>> 0;
  }

  #samePacked(id: number): boolean {
    const at = id * 32;
    for (let j = 0; j < 32; j++) if (this.#packed[at + j] !== this.#scratch[j]) return false;
    return true;
  }

  #growRecords(): void {
    this.#offset = grow(this.#offset);
    this.#length = grow(this.#length);
    this.#flags = grow(this.#flags);
    this.#score = grow(this.#score);
    this.#line = grow(this.#line);
    this.#digest = grow(this.#digest);
    this.#keyOf = grow(this.#keyOf);
    this.#next = grow(this.#next);
  }
}

type Growable = Float64Array | Uint32Array | Uint8Array | Int32Array;

function grow<T extends Growable>(array: T): T {
  const bigger = new (array.constructor as new (length: number) => T)(array.length * 2);
  bigger.set(array);
  return bigger;
}
