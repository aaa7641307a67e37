/**
 * Writes the SYNTHETIC PrecepTron sample (generated, not physician scores) to a file.
 *
 * Usage: `deno run --allow-read --allow-write scripts/sample_data.ts [--size small|full]
 * [--scale N] [--seed S] [--out PATH]` (or `deno task sample-data …`). Defaults: `small`,
 * seed 1, `data/preceptron-sample.json`. A path ending in `.jsonl` or `.ndjson` gets JSON Lines;
 * any other path a JSON array laid out as `deno fmt` lays out JSON. Prints the entries per task, the
 * physician–physician agreement of the first two raters per task, and the path written.
 *
 * @module
 */

import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { TASK_KEYS } from "../lib/data/task_key.ts";
import { generateSample, type SampleOptions } from "../lib/sample/generate_sample.ts";
import { firstPairKappa } from "../lib/sample/_kappa.ts";
import { serializeEntries } from "../lib/sample/_rows.ts";
import { flags } from "./_flags.ts";

/** Where the shipped sample lives. */
const DEFAULT_OUT = fileURLToPath(new URL("../data/preceptron-sample.json", import.meta.url));

const USAGE = "usage: deno run --allow-read --allow-write scripts/sample_data.ts " +
  "[--size small|full] [--scale N] [--seed S] [--out PATH]";

/** Parsed command-line options. */
export interface SampleDataArgs {
  /** Generator options. */
  options: SampleOptions;
  /** The file to write. */
  out: string;
}

/**
 * Parses the command line (`--name value` or `--name=value`).
 *
 * @param args The arguments after the script name.
 * @returns The options and output path.
 * @throws {Error} On an unknown flag, a missing value, or a value that is not a number where
 *   one is needed; the message includes the usage line.
 *
 * @example
 * ```ts
 * import { parseSampleDataArgs } from "./sample_data.ts";
 * import assert from "node:assert/strict";
 *
 * const { options, out } = parseSampleDataArgs(["--size", "full", "--seed=3", "--out", "x.jsonl"]);
 * assert.deepEqual(options, { size: "full", seed: 3 });
 * assert.ok(out.endsWith("x.jsonl"));
 * assert.throws(() => parseSampleDataArgs(["--bogus"]), /unknown option/);
 * ```
 */
export function parseSampleDataArgs(args: readonly string[]): SampleDataArgs {
  const options: SampleOptions = {};
  let out = DEFAULT_OUT;
  for (const { name, arg, value: takeValue } of flags(args, USAGE)) {
    const number = (value: string): number => {
      const n = Number(value);
      if (!Number.isFinite(n)) {
        throw new Error(`${name} needs a number, got ${JSON.stringify(value)}\n${USAGE}`);
      }
      return n;
    };
    switch (name) {
      case "--size": {
        const size = takeValue();
        if (size !== "small" && size !== "full") {
          throw new Error(`--size must be small or full, got ${JSON.stringify(size)}\n${USAGE}`);
        }
        options.size = size;
        break;
      }
      case "--scale":
        options.scale = number(takeValue());
        break;
      case "--seed":
        options.seed = number(takeValue());
        break;
      case "--out":
        out = resolve(takeValue());
        break;
      case "--help":
      case "-h":
        throw new Error(USAGE);
      default:
        throw new Error(`unknown option ${JSON.stringify(arg)}\n${USAGE}`);
    }
  }
  return { options, out };
}

/**
 * Generates the sample, writes it, and reports what was written.
 *
 * @param args The command-line arguments.
 * @param log Where the report goes (default: the console).
 * @returns The path written and the number of entries.
 *
 * @example
 * ```ts
 * import { sampleData } from "./sample_data.ts";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * const { entries } = await sampleData(["--out", `${dir}/s.jsonl`], () => {});
 * assert.equal(entries, (await Deno.readTextFile(`${dir}/s.jsonl`)).trim().split("\n").length);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function sampleData(
  args: readonly string[],
  log: (line: string) => void = console.log,
): Promise<{ path: string; entries: number }> {
  const { options, out } = parseSampleDataArgs(args);
  const started = performance.now();
  const entries = generateSample(options);
  const ms = performance.now() - started;
  const text = serializeEntries(entries, /\.(jsonl|ndjson)$/i.test(out) ? "jsonl" : "json");
  await Deno.mkdir(dirname(out), { recursive: true });
  await Deno.writeTextFile(out, text);

  const kappas = firstPairKappa(entries);
  log(`SYNTHETIC PrecepTron sample (generated; not physician scores, not the PrecepTron dataset)`);
  log(`task                  entries  κ (first two raters, linear-weighted)`);
  for (const task of TASK_KEYS) {
    const n = entries.filter((e) => e.benchmark === task).length;
    const k = kappas[task];
    log(`${task.padEnd(22)}${String(n).padStart(7)}  ${k ? k.kappa.toFixed(3) : "–"}`);
  }
  log(
    `${"total".padEnd(22)}${String(entries.length).padStart(7)}  (generated in ${
      ms.toFixed(0)
    } ms)`,
  );
  log(`wrote ${out} (${new TextEncoder().encode(text).length.toLocaleString("en-US")} bytes)`);
  return { path: out, entries: entries.length };
}

if (import.meta.main) {
  try {
    await sampleData(Deno.args);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    Deno.exit(2);
  }
}
