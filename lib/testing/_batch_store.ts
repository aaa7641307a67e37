/**
 * The batch imitation's book of batches: each batch's items and their prepared answers, its
 * place in the provider's life cycle, the clock that moves it on, and the faults it was given.
 * Provider-neutral: the OpenAI and Anthropic dialects render a stored batch in their own words.
 *
 * @module
 */

import { createHash } from "node:crypto";
import type { BatchProvider } from "../judge/batch_limits.ts";
import type { BatchEnding, BatchFault } from "./batch_imitation.ts";

/** A request's reply, prepared when the batch was created and revealed once it is processed. */
export interface PreparedAnswer {
  /** The HTTP status the live endpoint would have answered. */
  status: number;
  /** The JSON body it would have answered (a completion, a message, or an error). */
  body: unknown;
  /** The request id reported with the result. */
  requestId: string;
}

/** One request of a batch. */
export interface StoredItem {
  customId: string;
  answer: PreparedAnswer;
}

/**
 * Where a batch is, in neutral words: OpenAI's `validating`, `in_progress`, `finalizing`,
 * `cancelling` (Anthropic's `in_progress`, `canceling`), or `ended` with an {@linkcode Ending}.
 */
export type Stage = "validating" | "in_progress" | "finalizing" | "cancelling" | "ended";

/** How an ended batch ended. */
export type Ending = BatchEnding;

/** An input-file error, in OpenAI's `errors.data` shape. */
export interface InputError {
  code: string;
  message: string;
  line: number | null;
  param: string | null;
}

/** A stage change's time, in milliseconds since the epoch. */
export type StageTimes = Partial<Record<Exclude<Stage, "ended"> | Ending, number>>;

/** A batch as the imitation keeps it. */
export interface StoredBatch {
  readonly id: string;
  readonly provider: BatchProvider;
  readonly items: readonly StoredItem[];
  /** Input-file errors found at creation: the batch fails at its first step. */
  readonly invalid: readonly InputError[];
  readonly createdAt: number;
  stage: Stage;
  ending: Ending | null;
  /** Items processed so far, in the order given. */
  processed: number;
  /** The window closes once this many items are processed (Infinity: it never does). */
  readonly expireAfter: number;
  /** Item indices in the order their results are written. */
  readonly order: readonly number[];
  readonly times: StageTimes;
  /** Retrievals since the last step. */
  polls: number;
  /** When the batch last moved (ms). */
  lastStep: number;
  /** The dialect's own fields (OpenAI's input file, endpoint, output files…). */
  readonly extra: Record<string, unknown>;
}

/** What happened to one item, once its batch has ended (or so far). */
export type ItemResult =
  | { customId: string; kind: "answered"; answer: PreparedAnswer }
  | { customId: string; kind: "expired" | "cancelled" };

/** The per-batch faults a new batch was given. */
export interface BatchPlan {
  /** Custom ids that error instead of being answered, with the status they error with. */
  failing: Map<string, number>;
  expireAfter: number;
  outOfOrder: boolean;
}

/** How batches move on. */
export interface Pace {
  /** A batch moves one step every this many retrievals (Infinity: never by retrievals). */
  advanceAfterPolls: number;
  /** …and one step every this many milliseconds (Infinity: never by time). */
  advanceAfterMs: number;
  /** Items processed per step while in progress (Infinity: all in one step). */
  itemsPerStep: number;
}

type RequestFaultKind = "drop_polls" | "drop_results" | "upload_error";

interface Slot {
  fault: BatchFault;
  /** Batches or requests still to meet it (Infinity for all). */
  remaining: number;
}

/** The book of batches of one imitation. */
export class BatchBook {
  readonly #batches = new Map<string, StoredBatch>();
  readonly #pace: Pace;
  readonly #seed: number;
  #slots: Slot[] = [];

  /**
   * @param pace How batches move on.
   * @param seed Seeds which items fail and the order of shuffled results.
   * @param faults The faults, in order.
   * @throws {RangeError} For an invalid pace or fault.
   */
  constructor(pace: Pace, seed: number, faults: readonly BatchFault[]) {
    for (const [name, value] of Object.entries(pace)) {
      if (!(value === Infinity || (Number.isInteger(value) && value >= 1))) {
        throw new RangeError(`${name} must be an integer ≥ 1, or Infinity`);
      }
    }
    this.#pace = pace;
    this.#seed = seed;
    this.setFaults(faults);
  }

  /**
   * Replaces the faults (and restarts their counts).
   *
   * @throws {RangeError} For an invalid fault.
   */
  setFaults(faults: readonly BatchFault[]): void {
    this.#slots = faults.map((fault) => {
      validateFault(fault);
      const count = "times" in fault ? fault.times : "batches" in fault ? fault.batches : undefined;
      return { fault, remaining: count ?? Infinity };
    });
  }

  /** The first request fault of this kind still to come for this provider, used up by one. */
  takeRequestFault(kind: RequestFaultKind, provider: BatchProvider): BatchFault | undefined {
    const slot = this.#slots.find(({ fault, remaining }) =>
      fault.kind === kind && remaining > 0 && appliesTo(fault, provider)
    );
    if (slot) slot.remaining--;
    return slot?.fault;
  }

  /** The per-batch faults a new batch of these custom ids meets (using up counted ones). */
  plan(provider: BatchProvider, customIds: readonly string[]): BatchPlan {
    const plan: BatchPlan = { failing: new Map(), expireAfter: Infinity, outOfOrder: false };
    for (const slot of this.#slots) {
      const { fault } = slot;
      if (slot.remaining <= 0 || !appliesTo(fault, provider)) continue;
      if (fault.kind === "expire") plan.expireAfter = fault.afterItems ?? 0;
      else if (fault.kind === "out_of_order") plan.outOfOrder = true;
      else if (fault.kind === "fail_items") {
        for (const id of this.#failingIds(fault, customIds)) {
          plan.failing.set(id, fault.status ?? 500);
        }
      } else continue;
      slot.remaining--;
    }
    return plan;
  }

  /** The custom ids a `fail_items` fault picks: those listed, and a seeded share of the rest. */
  #failingIds(fault: BatchFault & { kind: "fail_items" }, customIds: readonly string[]): string[] {
    const listed = new Set(fault.customIds ?? []);
    const picked = customIds.filter((id) => listed.has(id));
    const count = Math.round((fault.share ?? 0) * customIds.length);
    const rest = customIds
      .filter((id) => !listed.has(id))
      .map((id) => ({ id, rank: this.#uniform("fail", id) }))
      .sort((a, b) => a.rank - b.rank)
      .slice(0, Math.max(0, count - picked.length))
      .map(({ id }) => id);
    return [...picked, ...rest];
  }

  /** Files a new batch; it starts `validating` (OpenAI) or `in_progress` (Anthropic). */
  create(
    id: string,
    provider: BatchProvider,
    items: StoredItem[],
    invalid: InputError[],
    plan: BatchPlan,
    extra: Record<string, unknown> = {},
  ): StoredBatch {
    const now = Date.now();
    const order = items.map((_, i) => i);
    if (plan.outOfOrder) this.#shuffle(order, id);
    const batch: StoredBatch = {
      id,
      provider,
      items,
      invalid,
      createdAt: now,
      stage: provider === "anthropic" ? "in_progress" : "validating",
      ending: null,
      processed: 0,
      expireAfter: plan.expireAfter,
      order,
      times: provider === "anthropic" ? { in_progress: now } : {},
      polls: 0,
      lastStep: now,
      extra,
    };
    this.#batches.set(id, batch);
    return batch;
  }

  /** A seeded shuffle that never leaves two or more items in the order given. */
  #shuffle(order: number[], id: string): void {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(this.#uniform(`shuffle${i}`, id) * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    if (order.length > 1 && order.every((value, i) => value === i)) order.reverse();
  }

  /**
   * The batch with this id (of this provider, when given), brought up to date with the clock
   * (not a retrieval).
   */
  get(id: string, provider?: BatchProvider): StoredBatch | undefined {
    const batch = this.#batches.get(id);
    if (!batch || (provider && batch.provider !== provider)) return undefined;
    this.#catchUp(batch);
    return batch;
  }

  /** A provider's batches, newest first, brought up to date with the clock. */
  list(provider?: BatchProvider): StoredBatch[] {
    const all = [...this.#batches.values()].filter((b) => !provider || b.provider === provider);
    for (const batch of all) this.#catchUp(batch);
    return all.reverse();
  }

  /** Forgets the batch (Anthropic's delete). */
  delete(id: string): void {
    this.#batches.delete(id);
  }

  /** A client's retrieval of the batch: counts towards `advanceAfterPolls`. */
  poll(batch: StoredBatch): void {
    this.#catchUp(batch);
    if (++batch.polls >= this.#pace.advanceAfterPolls) this.step(batch);
  }

  /** Steps the batch for every `advanceAfterMs` that has passed since it last moved. */
  #catchUp(batch: StoredBatch): void {
    const ms = this.#pace.advanceAfterMs;
    if (ms === Infinity) return;
    const now = Date.now();
    while (batch.stage !== "ended" && now - batch.lastStep >= ms) {
      const due = batch.lastStep + ms;
      this.step(batch);
      batch.lastStep = due;
    }
  }

  /** Moves the batch one step along its provider's life cycle. */
  step(batch: StoredBatch): void {
    const now = Date.now();
    batch.polls = 0;
    batch.lastStep = now;
    switch (batch.stage) {
      case "validating":
        if (batch.invalid.length > 0) return end(batch, "failed", now);
        batch.stage = "in_progress";
        batch.times.in_progress = now;
        return;
      case "in_progress": {
        const limit = Math.min(batch.items.length, batch.expireAfter);
        batch.processed = Math.min(limit, batch.processed + this.#pace.itemsPerStep);
        if (batch.processed < batch.items.length && batch.processed >= batch.expireAfter) {
          return end(batch, "expired", now);
        }
        if (batch.processed < batch.items.length) return;
        if (batch.provider === "anthropic") return end(batch, "completed", now);
        batch.stage = "finalizing";
        batch.times.finalizing = now;
        return;
      }
      case "finalizing":
        return end(batch, "completed", now);
      case "cancelling":
        return end(batch, "cancelled", now);
      case "ended":
        return;
    }
  }

  /** Steps the batch until it has ended. */
  finish(batch: StoredBatch): void {
    while (batch.stage !== "ended") this.step(batch);
  }

  /**
   * Starts cancelling the batch; false when it can no longer be cancelled (it has ended, or is
   * finalizing).
   */
  cancel(batch: StoredBatch): boolean {
    this.#catchUp(batch);
    if (batch.stage === "cancelling") return true;
    if (batch.stage !== "validating" && batch.stage !== "in_progress") return false;
    batch.stage = "cancelling";
    batch.times.cancelling = Date.now();
    batch.polls = 0;
    batch.lastStep = Date.now();
    return true;
  }

  /** Closes the batch's window now: the items not yet processed expire. */
  expire(batch: StoredBatch): void {
    if (batch.stage !== "ended") end(batch, "expired", Date.now());
  }

  /** A uniform number in [0, 1) from the seed, a purpose and a text. */
  #uniform(purpose: string, text: string): number {
    const digest = createHash("sha256").update(`${this.#seed}\u0000${purpose}\u0000${text}`)
      .digest();
    return digest.readUInt32BE(0) / 2 ** 32;
  }
}

function end(batch: StoredBatch, ending: Ending, now: number): void {
  batch.stage = "ended";
  batch.ending = ending;
  batch.times[ending] = now;
}

/**
 * What happened to each item, in the order results are written: processed items with their
 * answers; the others, once the batch has ended, expired or cancelled. Items still pending are
 * left out.
 */
export function itemResults(batch: StoredBatch): ItemResult[] {
  const results: ItemResult[] = [];
  for (const index of batch.order) {
    const item = batch.items[index]!;
    if (index < batch.processed) {
      results.push({ customId: item.customId, kind: "answered", answer: item.answer });
    } else if (batch.ending === "expired" || batch.ending === "cancelled") {
      results.push({ customId: item.customId, kind: batch.ending });
    }
  }
  return results;
}

function appliesTo(fault: BatchFault, provider: BatchProvider): boolean {
  return fault.provider === undefined || fault.provider === provider;
}

function validateFault(fault: BatchFault): void {
  const bad = (what: string) => {
    throw new RangeError(`invalid ${fault.kind} fault: ${what}`);
  };
  const count = (name: string, value: number | undefined, min: number) => {
    if (value !== undefined && !(Number.isInteger(value) && value >= min)) {
      bad(`${name} must be an integer ≥ ${min}`);
    }
  };
  if ("times" in fault) count("times", fault.times, 0);
  if ("batches" in fault) count("batches", fault.batches, 0);
  switch (fault.kind) {
    case "expire":
      count("afterItems", fault.afterItems, 0);
      break;
    case "fail_items":
      if (fault.share !== undefined && !(fault.share >= 0 && fault.share <= 1)) {
        bad("share must be between 0 and 1");
      }
      if (fault.status !== undefined && !(fault.status >= 400 && fault.status <= 599)) {
        bad("status must be a 4xx or 5xx code");
      }
      break;
    case "upload_error":
      if (fault.status !== undefined && !(fault.status >= 500 && fault.status <= 599)) {
        bad("status must be a 5xx code");
      }
      break;
  }
}
