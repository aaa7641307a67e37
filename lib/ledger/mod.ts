/**
 * The ledger: where a run's judgements and generated responses are kept, one JSONL file per
 * model and task, under content-addressed keys (`judgementKey`). It is at once the run's cache,
 * its resume point and its record. The runner writes it, one run at a time per model
 * (`lockJudge`); `preceptron/trials` and `preceptron/batch` read it. Its format and guarantees:
 * `lib/ledger/README.md`.
 *
 * ```ts
 * import { Ledger, ledgerPath } from "./mod.ts";
 *
 * const ledger = await Ledger.open(ledgerPath(await Deno.makeTempDir(), "gpt-4o", "cpc_bond"));
 * console.log(ledger.records().length); // 0: nothing judged yet
 * await ledger.close();
 * ```
 *
 * @module
 */

export * from "./judgement_key.ts";
export * from "./ledger.ts";
export * from "./run_lock.ts";
