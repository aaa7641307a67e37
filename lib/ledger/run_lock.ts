/**
 * The lock that keeps two runs from writing one judge's ledgers at once.
 *
 * @module
 */

import { mkdir } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { redact } from "../judge/redact.ts";
import { _safeName } from "./_ledger_formats.ts";

/** A lock taken by `lockJudge`; `release()` (or `await using`) gives it back. */
export interface JudgeLock extends AsyncDisposable {
  /** The lock file. */
  readonly path: string;
  /** Removes the lock file and releases the lock. Releasing twice is harmless. */
  release(): Promise<void>;
}

/**
 * Another run holds the lock of a judge's ledgers in this output folder.
 *
 * @example
 * ```ts
 * import { RunLockedError } from "./run_lock.ts";
 * import assert from "node:assert/strict";
 *
 * const error = new RunLockedError("out/gpt.lock", "gpt", undefined);
 * assert.equal(error.name, "RunLockedError");
 * ```
 */
export class RunLockedError extends Error {
  /**
   * Makes the error, naming the holder when its lock file says who it is.
   *
   * @param path The lock file.
   * @param judge The judge's (or candidate's) name.
   * @param holder Who holds it (pid, host name, start time), when known.
   * @param role Whose ledgers the lock guards: a judge's, or a generation run's candidate's.
   */
  constructor(
    path: string,
    judge: string,
    holder: { pid: number; hostname: string; started: string } | undefined,
    role: "judge" | "candidate" = "judge",
  ) {
    const who = holder === undefined
      ? "another run (its lock file names no process yet)"
      : `another run (pid ${holder.pid} on ${holder.hostname}, started ${holder.started})`;
    const [ledgers, made] = role === "judge"
      ? ["ledgers", "judgements"]
      : ["generation ledgers", "generations"];
    super(redact(
      `${path}: ${who} is writing ${role} "${judge}"'s ${ledgers} in this output folder; ` +
        `two runs on one folder would pay twice for the same ${made}. Wait for it to ` +
        "finish (or stop it), then run again: the re-run resumes from its ledgers",
    ));
    this.name = "RunLockedError";
  }
}

/**
 * Takes the exclusive lock of a judge's ledgers in an output folder, or stops at once: an
 * advisory file lock (`flock`) on `{outputDir}/{name}.lock`, a file that names the holder (pid,
 * host, start time). The system drops it when its process ends, however it ends (`kill -9`
 * included), so a lock file left by a dead run is taken over. Two runs in one process exclude
 * each other too. A generation run locks each candidate in `{output_dir}/generations/`, where
 * its ledgers are, so it does not block a judging run of the same name. (File locks may not
 * hold across machines on a network file system.)
 *
 * @param outputDir The folder of the ledgers the lock guards (created if missing).
 * @param judgeName The judge's (or candidate's) name in the config.
 * @param options `role: "candidate"` for a generation run (the refusal names a candidate).
 * @returns The lock; release it when the run ends.
 * @throws {RunLockedError} When another run holds it, naming that run's pid.
 *
 * @example
 * ```ts
 * import { lockJudge, RunLockedError } from "./run_lock.ts";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * const lock = await lockJudge(dir, "gpt-4o");
 * await assert.rejects(() => lockJudge(dir, "gpt-4o"), RunLockedError);
 * await lock.release();
 * await (await lockJudge(dir, "gpt-4o")).release(); // free again
 * // A generation run locks its candidate where its ledgers are: no clash with the judge.
 * await using judging = await lockJudge(dir, "gpt-4o");
 * await using generating = await lockJudge(`${dir}/generations`, "gpt-4o", { role: "candidate" });
 * await assert.rejects(
 *   () => lockJudge(`${dir}/generations`, "gpt-4o", { role: "candidate" }),
 *   /candidate "gpt-4o"'s generation ledgers/,
 * );
 * ```
 */
export async function lockJudge(
  outputDir: string,
  judgeName: string,
  options: { role?: "judge" | "candidate" } = {},
): Promise<JudgeLock> {
  await mkdir(outputDir, { recursive: true });
  const path = join(outputDir, `${_safeName(judgeName)}.lock`);
  // A releasing run removes the file before it unlocks it: a lock won on a file that is no
  // longer at `path` is worth nothing, so open the file at `path` again.
  for (let attempt = 0;; attempt++) {
    const file = await Deno.open(path, { read: true, write: true, create: true });
    try {
      if (!await file.tryLock(true)) {
        throw new RunLockedError(path, judgeName, await readHolder(file), options.role);
      }
      const held = await file.stat();
      const named = await Deno.stat(path).catch((error) => {
        if (error instanceof Deno.errors.NotFound) return undefined; // removed: try the new file
        throw error;
      });
      if (named && (held.ino === null || (held.ino === named.ino && held.dev === named.dev))) {
        const holder = { pid: Deno.pid, hostname: hostname(), started: new Date().toISOString() };
        const bytes = new TextEncoder().encode(JSON.stringify(holder) + "\n");
        await file.truncate(0);
        for (let n = 0; n < bytes.length;) n += await file.write(bytes.subarray(n));
        let released = false;
        const release = async () => {
          if (released) return;
          released = true;
          await Deno.remove(path).catch(() => {});
          file.close(); // closing drops the lock
        };
        return { path, release, [Symbol.asyncDispose]: release };
      }
      if (attempt >= 20) throw new Error(`${path}: the lock file keeps being replaced`);
    } catch (error) {
      file.close();
      throw error;
    }
    file.close();
  }
}

/** The holder, giving it a moment to write its name when it has only just taken the lock. */
async function readHolder(
  file: Deno.FsFile,
): Promise<{ pid: number; hostname: string; started: string } | undefined> {
  const buffer = new Uint8Array(4096);
  for (let attempt = 0; attempt < 25; attempt++) {
    try {
      await file.seek(0, Deno.SeekMode.Start);
      const value = JSON.parse(
        new TextDecoder().decode(buffer.subarray(0, await file.read(buffer) ?? 0)),
      );
      if (typeof value?.pid === "number") {
        return {
          pid: value.pid,
          hostname: String(value.hostname ?? "?"),
          started: String(value.started ?? "?"),
        };
      }
    } catch {
      // Being written, or not ours.
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return undefined;
}
