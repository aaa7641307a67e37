/**
 * The benchmark config: PrecepTron's `config.yaml` plus our keys, read with a real YAML parser
 * and validated with a zod schema (`_config_schema.ts`) so that every problem is reported at
 * once, each named by its key path and the line the YAML parser gives it.
 *
 * @module
 */

import { dirname, resolve } from "node:path";
import { type Document, isMap, isScalar, LineCounter, parseDocument } from "yaml";
import type { TaskKey } from "../data/task_key.ts";
import { type _Finding, type _Segment, _validateConfig } from "./_config_schema.ts";
import { _plural } from "./_format.ts";
import type { BudgetLimits } from "./budget.ts";
import type { ModelConfig } from "../judge/model_config.ts";

export { CONFIG_PROVIDERS } from "./_config_schema.ts";

// The task keys `BenchmarkConfig.tasks` holds, so that this module's documentation is complete.
export type { TaskKey } from "../data/task_key.ts";

/** A validated benchmark config. */
export interface BenchmarkConfig {
  /**
   * A `loadDataset` source: a path, an `https:` URL, or `hf:owner/name`. Relative paths are
   * resolved against the config file's folder. Absent: the default dataset (`PRECEPTRON_DATASET`,
   * else the shipped synthetic sample).
   */
  dataset_path?: string;
  /** Where judgements are written; resolved against the config file's folder. Required, as in PrecepTron. */
  output_dir: string;
  /**
   * The tasks to score, in the order given. Empty or absent means all six, `bi_triage`
   * included (PrecepTron's documented list has five).
   */
  tasks: TaskKey[];
  /** Concurrent requests per provider; every provider a model uses is listed (default 8). */
  threads: Record<string, number>;
  /** The judges (at least one; names unique). */
  models: ModelConfig[];
  /** Samples per item (k), default 1. */
  repeats: number;
  /** Run-wide sampling temperature, overridden per model. */
  temperature?: number;
  /** Run-wide seed, overridden per model. */
  seed?: number;
  /** Run-wide cap on reply tokens, overridden per model. */
  max_tokens?: number;
  /** Spending caps (none by default): the run stops cleanly at one. */
  budget: BudgetLimits;
  /** Retries per request and the per-request timeout. */
  retry?: { max_retries?: number; timeout_seconds?: number };
  /** `"judge"` (the default) scores responses; `"generate"` runs candidate models over cases. */
  mode?: "judge" | "generate";
  /**
   * The studies whose entries are judged (or, with `mode: generate`, whose cases are run):
   * study ids or `*` patterns, e.g. `["brodeur*"]`. Absent: every study.
   */
  studies?: string[];
}

/** One problem with a config or keys file. */
export interface ConfigProblem {
  /**
   * The key path, e.g. `models[1].provider`; in a keys file, `[section] key`. Empty for
   * whole-file problems such as YAML syntax (the message then names the line).
   */
  path: string;
  /** What is wrong, and what would be right. Never contains a credential. */
  message: string;
  /** The 1-based line in the file, when known. */
  line?: number;
}

/**
 * A config or keys file with problems; `problems` lists every one, each naming its key path.
 *
 * @example
 * ```ts
 * import { ConfigError } from "./config.ts";
 * import assert from "node:assert/strict";
 *
 * const error = new ConfigError([{ path: "repeats", message: "expected a whole number of at least 1, got 0", line: 4 }], {
 *   source: "config.yaml",
 * });
 * assert.equal(
 *   error.message,
 *   "config.yaml: 1 problem in the benchmark config:\n  repeats (line 4): expected a whole number of at least 1, got 0",
 * );
 * ```
 */
export class ConfigError extends Error {
  /** Every problem found, in file order. */
  readonly problems: ConfigProblem[];
  /** The file, when there is one. */
  readonly source: string | undefined;

  /**
   * Makes the error, its message listing every problem.
   *
   * @param problems The problems (at least one).
   * @param options The file's name, and what kind of file it is (default "benchmark config").
   */
  constructor(problems: ConfigProblem[], options: { source?: string; subject?: string } = {}) {
    const count = `${problems.length} ${_plural(problems.length, "problem", "problems")}`;
    const head = `${count} in the ${options.subject ?? "benchmark config"}`;
    super(
      [
        `${options.source === undefined ? head : `${options.source}: ${head}`}:`,
        ...problems.map(({ path, line, message }) => {
          const at = line === undefined ? "" : ` (line ${line})`;
          return path === "" ? `  ${message}` : `  ${path}${at}: ${message}`;
        }),
      ].join("\n"),
    );
    this.name = "ConfigError";
    this.problems = problems;
    this.source = options.source;
  }
}

/**
 * Concurrent requests for a provider that `threads` does not list.
 *
 * @example
 * ```ts
 * import { DEFAULT_THREADS, parseConfig } from "./config.ts";
 * import assert from "node:assert/strict";
 *
 * const config = parseConfig(
 *   "output_dir: trials\nmodels: [{ name: a, provider: anthropic, model_id: claude-x }]",
 * );
 * assert.equal(config.threads.anthropic, DEFAULT_THREADS);
 * ```
 */
export const DEFAULT_THREADS = 8;

/**
 * Parses and validates a benchmark config. PrecepTron's `config.yaml` is accepted unchanged;
 * JSON works too (it is YAML). `null` (a key with no value) counts as absent. Every key is
 * checked: unknown keys (with "did you mean"), types, ranges, and the rules between keys.
 *
 * @param text The YAML (or JSON) text.
 * @param options `source`: the file name for messages; `baseDir`: the folder relative
 *   `dataset_path` and `output_dir` are resolved against (without it, they are kept as written).
 * @returns The validated config, with the defaults `BenchmarkConfig` states filled in.
 * @throws {ConfigError} Listing every problem, each with its key path and line (YAML syntax
 *   errors name the line and column).
 *
 * @example
 * ```ts
 * import { ConfigError, parseConfig } from "./config.ts";
 * import assert from "node:assert/strict";
 *
 * const config = parseConfig(`
 * output_dir: trials
 * tasks: [cpc_bond]
 * models:
 *   - { name: gpt-4o, provider: openai, model_id: gpt-4o }
 * `);
 * assert.deepEqual(config.tasks, ["cpc_bond"]);
 *
 * assert.throws(
 *   () => parseConfig("output_dir: trials\nthread: {openai: 4}\nmodels: []"),
 *   (e: unknown) =>
 *     e instanceof ConfigError &&
 *     e.problems.map((p) => p.path).join() === "thread,models" &&
 *     /did you mean "threads"/.test(e.message),
 * );
 * ```
 */
export function parseConfig(
  text: string,
  options: { source?: string; baseDir?: string } = {},
): BenchmarkConfig {
  const fail = (problems: ConfigProblem[]) => new ConfigError(problems, options);
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, merge: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw fail(doc.errors.map((error) => {
      const { line, col } = lineCounter.linePos(error.pos[0]);
      const what = error.message.split("\n")[0]!.replace(/\s+at line \d+, column \d+:?$/, "");
      return {
        path: "",
        line,
        message: `YAML syntax error at line ${line}, column ${col}: ${what}`,
      };
    }));
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 1000 });
  } catch (error) {
    throw fail([{ path: "", message: `YAML: ${(error as Error).message}` }]);
  }
  if (data === null || data === undefined) {
    throw fail([{
      path: "",
      message: "the config is empty; it needs at least output_dir and models",
    }]);
  }
  const { config, findings } = _validateConfig(data);
  if (config === undefined) {
    // File order, problems without a place last; ties keep the order found.
    throw fail(
      findings
        .map((finding, order) => ({ ...finding, order, offset: offsetOf(doc, finding) }))
        .sort((a, b) => (a.offset ?? Infinity) - (b.offset ?? Infinity) || a.order - b.order)
        .map(({ path, message, offset }) => ({
          path: pathText(path),
          message,
          ...(offset === undefined ? {} : { line: lineCounter.linePos(offset).line }),
        })),
    );
  }
  return withPaths(config, options.baseDir);
}

/**
 * Reads and validates a benchmark config file (YAML or JSON). Relative `dataset_path` and
 * `output_dir` are resolved against the file's folder, as PrecepTron's runner resolves them
 * against `benchmarking/`.
 *
 * @param path The config file.
 * @returns The validated config, with absolute local paths.
 * @throws {ConfigError} When the file does not exist or the config has problems (all listed).
 *
 * @example
 * ```ts
 * import { loadConfig } from "./config.ts";
 * import assert from "node:assert/strict";
 * import { join } from "node:path";
 *
 * const dir = await Deno.makeTempDir();
 * const path = join(dir, "config.yaml");
 * await Deno.writeTextFile(
 *   path,
 *   "output_dir: trials\nmodels:\n  - { name: base, provider: offline, model_id: lexical }\n",
 * );
 * const config = await loadConfig(path);
 * assert.equal(config.output_dir, join(dir, "trials"));
 * assert.equal(config.tasks.length, 6);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function loadConfig(path: string): Promise<BenchmarkConfig> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    const message = error instanceof Deno.errors.NotFound
      ? `no config file at ${path}`
      : error instanceof Deno.errors.IsADirectory
      ? `${path} is a folder, not a config file`
      : undefined;
    if (message === undefined) throw error;
    throw new ConfigError([{ path: "", message }], { source: path });
  }
  return parseConfig(text, { source: path, baseDir: dirname(resolve(path)) });
}

/** Local paths resolved against `baseDir`, and `threads` for every provider a model uses. */
function withPaths(config: BenchmarkConfig, baseDir: string | undefined): BenchmarkConfig {
  const threads = { ...config.threads };
  for (const { provider } of config.models) threads[provider] ??= DEFAULT_THREADS;
  return {
    ...config,
    ...(config.dataset_path === undefined
      ? {}
      : { dataset_path: resolveSource(config.dataset_path, baseDir) }),
    output_dir: baseDir ? resolve(baseDir, config.output_dir) : config.output_dir,
    threads,
  };
}

/** A local path resolved against `baseDir`; URLs and `hf:` ids kept as they are. */
function resolveSource(source: string, baseDir: string | undefined): string {
  // A scheme of two or more letters (`hf:`, `https:`); `C:\…` is a Windows path.
  if (/^[a-z][a-z0-9+.-]+:/i.test(source)) return source;
  return baseDir ? resolve(baseDir, source) : source;
}

/**
 * Where in the text a finding is: its value's node, or its key's for an unknown key or a key with
 * no value; for a key that is not in the file (or is reached through an alias or a merge key),
 * the nearest mapping or list that is.
 */
function offsetOf(doc: Document, finding: _Finding): number | undefined {
  const { path } = finding;
  for (let n = path.length; n >= 0; n--) {
    const parent = n === 0 ? undefined : doc.getIn(path.slice(0, n - 1), true);
    const pair = isMap(parent)
      ? parent.items.find((p) => isScalar(p.key) && String(p.key.value) === String(path[n - 1]))
      : undefined;
    let node = doc.getIn(path.slice(0, n), true);
    const empty = node === undefined || node === null || (isScalar(node) && node.value === null);
    if (pair && (empty || (finding.atKey && n === path.length))) node = pair.key;
    const start = (node as { range?: [number, number, number] } | null | undefined)?.range?.[0];
    if (start !== undefined) return start;
  }
  return undefined;
}

/** A key path as text: `models[1].price.input_per_million`. */
function pathText(path: readonly _Segment[]): string {
  return path.map((s, i) => typeof s === "number" ? `[${s}]` : i === 0 ? s : `.${s}`).join("");
}
