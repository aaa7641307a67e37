/**
 * Reading `--name value` and `--name=value` flags, shared by the kit's small command lines.
 *
 * @module
 */

/** One flag as given, with a reader for its value. */
export interface Flag {
  /** The flag's name, e.g. `--seed` (without any `=value`). */
  name: string;
  /** The argument as written, for error messages. */
  arg: string;
  /** The flag's value (after `=`, or the next argument); an error with the usage if missing. */
  value(): string;
}

/**
 * Walks command-line arguments flag by flag; a flag's value is read only when asked for, so
 * boolean flags take none. Call `value()` inside the loop, before the next flag is taken: a
 * separate value (`--out x`) is consumed from the arguments then.
 *
 * @param args The arguments.
 * @param usage The usage line appended to errors.
 * @returns The flags, in order.
 * @throws {Error} From `value()` when a flag's value is missing.
 *
 * @example
 * ```ts
 * import { flags } from "./_flags.ts";
 * import assert from "node:assert/strict";
 *
 * const seen: string[][] = [];
 * for (const flag of flags(["--seed=3", "--out", "x.json", "--quiet"], "usage")) {
 *   seen.push(flag.name === "--quiet" ? [flag.name] : [flag.name, flag.value()]);
 * }
 * assert.deepEqual(seen, [["--seed", "3"], ["--out", "x.json"], ["--quiet"]]);
 * ```
 */
export function* flags(args: readonly string[], usage: string): Generator<Flag> {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const eq = arg.indexOf("=");
    const name = eq >= 0 ? arg.slice(0, eq) : arg;
    yield {
      name,
      arg,
      value: (): string => {
        const value = eq >= 0 ? arg.slice(eq + 1) : args[++i];
        if (value === undefined || value === "") throw new Error(`${name} needs a value\n${usage}`);
        return value;
      },
    };
  }
}
