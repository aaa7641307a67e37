/**
 * The benchmark config: PrecepTron's `config.yaml` keys (`dataset_path`, `output_dir`, `tasks`,
 * `threads`, `models`) plus ours (`base_url`, `temperature`, `seed`, `max_tokens`, `repeats`,
 * per-model `price`, `budget`, `retry`, `mode`), read with a real YAML parser and validated so
 * that every problem is reported at once, each named by its key path and line.
 *
 * @module
 */

import { dirname, resolve } from "node:path";
import { isMap, isScalar, isSeq, LineCounter, parseDocument } from "yaml";
import { type Benchmark, BENCHMARKS } from "../data/benchmark.ts";
import { PROVIDERS } from "../judge/providers.ts";
import { _safeName } from "./ledger.ts";

/** One judge (PrecepTron's `models:` entry) with our optional settings. */
export interface ModelConfig {
  /** The judge's name: unique in the config, used in output file names. */
  name: string;
  /** One of `CONFIG_PROVIDERS`. */
  provider: string;
  /** The model id sent to the API (for Azure, the deployment). */
  model_id: string;
  /** An OpenAI-compatible server's base URL (vLLM, Ollama, a proxy). */
  base_url?: string;
  /** Sampling temperature; overrides the run-wide one. */
  temperature?: number;
  /** Sampling seed, where the provider supports one; overrides the run-wide one. */
  seed?: number;
  /** Cap on reply tokens; overrides the run-wide one. */
  max_tokens?: number;
  /** Price in currency units (dollars, say) per million tokens; without it, cost is not counted. */
  price?: { input_per_million: number; output_per_million: number };
}

/** Caps on what one run may spend; the run stops cleanly when one is reached. */
export interface BudgetConfig {
  /** Most requests (judgements) to send. */
  max_requests?: number;
  /** Most tokens (input + output) to use. */
  max_tokens?: number;
  /** Most money to spend, in the unit of the models' prices. */
  max_cost?: number;
}

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
  tasks: Benchmark[];
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
  /** Spending caps (none by default). */
  budget: BudgetConfig;
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
 * Providers a config may name: `PROVIDERS` plus `offline` (the lexical baseline,
 * `model_id: lexical`, or a constant judge, `model_id: "constant:<score>"`; no key, no network).
 *
 * @example
 * ```ts
 * import { CONFIG_PROVIDERS } from "./config.ts";
 * import assert from "node:assert/strict";
 *
 * assert.ok(CONFIG_PROVIDERS.includes("openrouter"));
 * assert.ok(CONFIG_PROVIDERS.includes("offline"));
 * ```
 */
export const CONFIG_PROVIDERS: readonly string[] = [...PROVIDERS, "offline"];

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
   * @param problems The problems (at least one).
   * @param options The file's name, and what kind of file it is (default "benchmark config").
   */
  constructor(
    problems: ConfigProblem[],
    options: { source?: string; subject?: string } = {},
  ) {
    const subject = options.subject ?? "benchmark config";
    const count = `${problems.length} problem${problems.length === 1 ? "" : "s"}`;
    const head = options.source === undefined
      ? `${count} in the ${subject}`
      : `${options.source}: ${count} in the ${subject}`;
    super([`${head}:`, ...problems.map((p) => `  ${formatProblem(p)}`)].join("\n"));
    this.name = "ConfigError";
    this.problems = problems;
    this.source = options.source;
  }
}

function formatProblem(problem: ConfigProblem): string {
  if (problem.path === "") return problem.message;
  const line = problem.line === undefined ? "" : ` (line ${problem.line})`;
  return `${problem.path}${line}: ${problem.message}`;
}

const TOP_KEYS = [
  "dataset_path",
  "output_dir",
  "tasks",
  "threads",
  "models",
  "repeats",
  "temperature",
  "seed",
  "max_tokens",
  "budget",
  "retry",
  "mode",
  "studies",
] as const;
const MODEL_KEYS = [
  "name",
  "provider",
  "model_id",
  "base_url",
  "temperature",
  "seed",
  "max_tokens",
  "price",
] as const;
const PRICE_KEYS = ["input_per_million", "output_per_million"] as const;
const BUDGET_KEYS = ["max_requests", "max_tokens", "max_cost"] as const;
const RETRY_KEYS = ["max_retries", "timeout_seconds"] as const;
const MODES = ["judge", "generate"] as const;

/** Where a key that is unknown at one level does belong, for the hint. */
const BELONGS: Record<string, string> = {
  ...Object.fromEntries(MODEL_KEYS.map((k) => [k, "in each models entry"])),
  ...Object.fromEntries(PRICE_KEYS.map((k) => [k, "under a model's price"])),
  ...Object.fromEntries(BUDGET_KEYS.map((k) => [k, "under budget"])),
  ...Object.fromEntries(RETRY_KEYS.map((k) => [k, "under retry"])),
  ...Object.fromEntries(TOP_KEYS.map((k) => [k, "at the top level"])),
};

/** Key names that suggest a credential: those never belong in a config. */
const SECRET_KEY = /(api[_-]?keys?|secret|password|token|credentials?)$/i;

const OFFLINE_MODEL = /^(lexical|constant:-?\d+(?:\.\d+)?)$/;

/** The longest judge name, in characters. */
const MAX_NAME_LENGTH = 100;
/** The longest judge name once made safe for a file name (file names stop at 255 bytes). */
const MAX_SAFE_NAME_LENGTH = 200;

/**
 * The range of every numeric config key: a value outside it is a `ConfigError` naming the key
 * and its line. Counts are whole numbers; `seed` stays within JavaScript's safe integers.
 *
 * @example
 * ```ts
 * import { CONFIG_RANGES, ConfigError, parseConfig } from "./config.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(CONFIG_RANGES.repeats.max, 100);
 * assert.throws(
 *   () => parseConfig("output_dir: t\nrepeats: 10000000\nmodels: [{name: a, provider: offline, model_id: lexical}]"),
 *   (e: unknown) => e instanceof ConfigError && /repeats \(line 2\): .*too large/.test(e.message),
 * );
 * ```
 */
export const CONFIG_RANGES = {
  repeats: { min: 1, max: 100 },
  threads: { min: 1, max: 1_000 },
  temperature: { min: 0, max: 2 },
  seed: { min: 0, max: Number.MAX_SAFE_INTEGER },
  max_tokens: { min: 1, max: 1_000_000 },
  "price.*_per_million": { min: 0, max: 10_000 },
  "budget.max_requests": { min: 1, max: 1_000_000_000 },
  "budget.max_tokens": { min: 1, max: 1_000_000_000_000 },
  "budget.max_cost": { min: 0, max: 1_000_000 },
  "retry.max_retries": { min: 0, max: 20 },
  "retry.timeout_seconds": { min: 0, max: 3_600 },
} as const;

type Segment = string | number;

/**
 * Parses and validates a benchmark config. PrecepTron's `config.yaml` is accepted unchanged;
 * JSON works too (it is YAML). `null` (a key with no value) counts as absent.
 *
 * Checked: unknown keys at every level (with "did you mean" for near misses, and where a
 * misplaced key belongs), types, ranges (every numeric key within `CONFIG_RANGES`; whole
 * numbers where counts are meant; temperature at most 1 for Anthropic), providers, task keys,
 * unique model names that are safe in file names (at most 100 characters), `base_url` as an http(s) URL, prices with both fields, and a
 * `budget.max_cost` that every paid model can be counted against.
 *
 * @param text The YAML (or JSON) text.
 * @param options `source`: the file name for messages; `baseDir`: the folder relative
 *   `dataset_path` and `output_dir` are resolved against (without it, they are kept as written).
 * @returns The validated config, defaults filled in: all six tasks when none are listed,
 *   `repeats: 1`, `budget: {}`, `mode: "judge"`, and `threads` for every provider a model uses.
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
 * assert.equal(config.threads.openai, 8);
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
  const errorOptions = options.source === undefined ? {} : { source: options.source };
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, merge: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      doc.errors.map((error) => {
        const { line, col } = lineCounter.linePos(error.pos[0]);
        const what = error.message.split("\n")[0]!.replace(/\s+at line \d+, column \d+:?$/, "");
        return {
          path: "",
          line,
          message: `YAML syntax error at line ${line}, column ${col}: ${what}`,
        };
      }),
      errorOptions,
    );
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 1000 });
  } catch (error) {
    throw new ConfigError(
      [{ path: "", message: `YAML: ${(error as Error).message}` }],
      errorOptions,
    );
  }

  const locate = (path: Segment[], atKey: boolean): number | undefined => {
    let node: unknown = doc.contents;
    let found: unknown = node;
    for (let i = 0; i < path.length; i++) {
      const segment = path[i]!;
      if (isMap(node)) {
        const pair = node.items.find((p) =>
          String(isScalar(p.key) ? p.key.value : p.key) === String(segment)
        );
        if (!pair) break;
        const last = i === path.length - 1;
        node = (last && atKey) || pair.value === null ? pair.key : pair.value;
      } else if (isSeq(node) && typeof segment === "number") {
        node = node.items[segment];
      } else break;
      if (node === undefined || node === null) break;
      found = node;
    }
    const range = (found as { range?: [number, number, number] } | null)?.range;
    return range ? lineCounter.linePos(range[0]).line : undefined;
  };

  const problems: (ConfigProblem & { offset: number })[] = [];
  const report = (path: Segment[], message: string, atKey = false) => {
    const line = locate(path, atKey);
    problems.push({
      path: pathText(path),
      message,
      ...(line === undefined ? {} : { line }),
      offset: problems.length,
    });
  };
  const config = validate(data, report, options.baseDir);
  if (problems.length > 0) {
    // File order (by line), problems without a line last; ties keep the order found.
    const sorted = [...problems].sort((a, b) =>
      (a.line ?? Infinity) - (b.line ?? Infinity) || a.offset - b.offset
    );
    throw new ConfigError(sorted.map(({ offset: _, ...p }) => p), errorOptions);
  }
  return config!;
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
    if (error instanceof Deno.errors.NotFound) {
      throw new ConfigError([{ path: "", message: `no config file at ${path}` }], { source: path });
    }
    if (error instanceof Deno.errors.IsADirectory) {
      throw new ConfigError([{ path: "", message: `${path} is a folder, not a config file` }], {
        source: path,
      });
    }
    throw error;
  }
  return parseConfig(text, { source: path, baseDir: dirname(resolve(path)) });
}

// ---------------------------------------------------------------------------------------------

type Report = (path: Segment[], message: string, atKey?: boolean) => void;

function validate(
  data: unknown,
  report: Report,
  baseDir: string | undefined,
): BenchmarkConfig | undefined {
  if (data === null || data === undefined) {
    report([], "the config is empty; it needs at least output_dir and models");
    return undefined;
  }
  if (!isRecord(data)) {
    report([], `expected a mapping of keys (output_dir, models, …), got ${describe(data)}`);
    return undefined;
  }
  checkKeys(data, TOP_KEYS, [], report);
  const read = new Reader(report);

  const config: BenchmarkConfig = {
    output_dir: "",
    tasks: [],
    threads: {},
    models: [],
    repeats: 1,
    budget: {},
    mode: "judge",
  };

  const datasetPath = read.text(data.dataset_path, ["dataset_path"]);
  if (datasetPath !== undefined) config.dataset_path = resolveSource(datasetPath, baseDir);

  if (data.output_dir === undefined || data.output_dir === null) {
    report(
      ["output_dir"],
      'missing: the folder where judgements are written (e.g. output_dir: "trials"); ' +
        "it is where a rerun resumes from",
    );
  } else {
    const out = read.text(data.output_dir, ["output_dir"]);
    if (out !== undefined) config.output_dir = baseDir ? resolve(baseDir, out) : out;
  }

  config.tasks = readTasks(data.tasks, report);
  config.models = readModels(data.models, read, report);

  const repeats = read.count(data.repeats, ["repeats"], 1, CONFIG_RANGES.repeats.max);
  if (repeats !== undefined) config.repeats = repeats;
  const temperature = read.temperature(data.temperature, ["temperature"]);
  if (temperature !== undefined) config.temperature = temperature;
  const seed = read.count(data.seed, ["seed"], 0, CONFIG_RANGES.seed.max);
  if (seed !== undefined) config.seed = seed;
  const maxTokens = read.count(data.max_tokens, ["max_tokens"], 1, CONFIG_RANGES.max_tokens.max);
  if (maxTokens !== undefined) config.max_tokens = maxTokens;

  config.threads = readThreads(data.threads, config.models, read, report);
  config.budget = readBudget(data.budget, read);

  const retry = read.section(data.retry, ["retry"], RETRY_KEYS);
  if (retry) {
    const maxRetries = read.count(
      retry.max_retries,
      ["retry", "max_retries"],
      0,
      CONFIG_RANGES["retry.max_retries"].max,
    );
    const timeout = read.amount(
      retry.timeout_seconds,
      ["retry", "timeout_seconds"],
      CONFIG_RANGES["retry.timeout_seconds"].max,
      true,
    );
    config.retry = {
      ...(maxRetries === undefined ? {} : { max_retries: maxRetries }),
      ...(timeout === undefined ? {} : { timeout_seconds: timeout }),
    };
  }

  if (data.mode !== undefined && data.mode !== null) {
    if (typeof data.mode === "string" && (MODES as readonly string[]).includes(data.mode)) {
      config.mode = data.mode as "judge" | "generate";
    } else {
      report(["mode"], `expected "judge" or "generate", got ${describe(data.mode)}`);
    }
  }

  const studies = readStudies(data.studies, report);
  if (studies !== undefined) config.studies = studies;

  crossChecks(data, config, report);
  return config;
}

function readStudies(value: unknown, report: Report): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  const list = typeof value === "string" ? [value] : value;
  if (!Array.isArray(list) || list.length === 0) {
    report(
      ["studies"],
      `expected a list of study ids or patterns such as ["brodeur*"], got ${describe(value)}`,
    );
    return undefined;
  }
  const studies: string[] = [];
  list.forEach((item, i) => {
    if (typeof item === "string" && item.trim() !== "") studies.push(item.trim());
    else report(["studies", i], `expected a study id or pattern, got ${describe(item)}`);
  });
  return studies;
}

function readTasks(value: unknown, report: Report): Benchmark[] {
  if (value === undefined || value === null) return [...BENCHMARKS];
  if (!Array.isArray(value)) {
    report(
      ["tasks"],
      `expected a list of task keys (e.g. [cpc_bond, r_idea]), got ${describe(value)}; ` +
        `valid tasks: ${BENCHMARKS.join(", ")}`,
    );
    return [...BENCHMARKS];
  }
  if (value.length === 0) return [...BENCHMARKS];
  const tasks: Benchmark[] = [];
  value.forEach((task, i) => {
    if (typeof task === "string" && (BENCHMARKS as readonly string[]).includes(task)) {
      if (!tasks.includes(task as Benchmark)) tasks.push(task as Benchmark);
      return;
    }
    const near = typeof task === "string" ? suggest(task, BENCHMARKS) : undefined;
    report(
      ["tasks", i],
      `unknown task ${describe(task)}${didYouMean(near)}; valid tasks: ${BENCHMARKS.join(", ")}`,
    );
  });
  return tasks;
}

function readModels(value: unknown, read: Reader, report: Report): ModelConfig[] {
  if (value === undefined || value === null) {
    report(["models"], "missing: list at least one judge as { name, provider, model_id }");
    return [];
  }
  if (!Array.isArray(value)) {
    report(
      ["models"],
      `expected a list of models (each item starting with "- "), got ${describe(value)}`,
    );
    return [];
  }
  if (value.length === 0) {
    report(
      ["models"],
      "the list is empty: list at least one judge as { name, provider, model_id }",
    );
    return [];
  }
  const models: ModelConfig[] = [];
  const firstWithName = new Map<string, number>();
  value.forEach((item, i) => {
    const at = ["models", i];
    if (!isRecord(item)) {
      report(at, `expected a mapping { name, provider, model_id }, got ${describe(item)}`);
      return;
    }
    checkKeys(item, MODEL_KEYS, at, report);
    const name = read.text(item.name, [...at, "name"], true);
    if (name !== undefined) checkName(name, i, firstWithName, report);
    let provider: string | undefined;
    if (item.provider === undefined || item.provider === null) {
      report([...at, "provider"], `missing; known providers: ${CONFIG_PROVIDERS.join(", ")}`);
    } else if (typeof item.provider === "string" && CONFIG_PROVIDERS.includes(item.provider)) {
      provider = item.provider;
    } else {
      const near = typeof item.provider === "string"
        ? suggest(item.provider, CONFIG_PROVIDERS)
        : undefined;
      report(
        [...at, "provider"],
        `unknown provider ${describe(item.provider)}${didYouMean(near)}; known providers: ${
          CONFIG_PROVIDERS.join(", ")
        }`,
      );
    }
    const modelId = read.text(item.model_id, [...at, "model_id"], true);
    if (provider === "offline" && modelId !== undefined && !OFFLINE_MODEL.test(modelId)) {
      report(
        [...at, "model_id"],
        `the offline provider has model_id "lexical" or "constant:<score>", not ${
          describe(modelId)
        }`,
      );
    }
    const model: ModelConfig = {
      name: name ?? "",
      provider: provider ?? "",
      model_id: modelId ?? "",
    };
    if (item.base_url !== undefined && item.base_url !== null) {
      // The value is not repeated: a URL may carry credentials.
      if (typeof item.base_url === "string" && isHttpUrl(item.base_url)) {
        model.base_url = item.base_url.trim();
      } else {
        report(
          [...at, "base_url"],
          `expected an http(s) URL such as "http://127.0.0.1:8000/v1", got ${
            typeof item.base_url === "string" ? "a string that is not one" : describe(item.base_url)
          }`,
        );
      }
    }
    const temperature = read.temperature(item.temperature, [...at, "temperature"]);
    if (temperature !== undefined) model.temperature = temperature;
    const seed = read.count(item.seed, [...at, "seed"], 0, CONFIG_RANGES.seed.max);
    if (seed !== undefined) model.seed = seed;
    const maxTokens = read.count(
      item.max_tokens,
      [...at, "max_tokens"],
      1,
      CONFIG_RANGES.max_tokens.max,
    );
    if (maxTokens !== undefined) model.max_tokens = maxTokens;
    const price = read.section(item.price, [...at, "price"], PRICE_KEYS);
    if (price) {
      const top = CONFIG_RANGES["price.*_per_million"].max;
      const input = read.amount(
        price.input_per_million,
        [...at, "price", "input_per_million"],
        top,
      );
      const output = read.amount(
        price.output_per_million,
        [...at, "price", "output_per_million"],
        top,
      );
      // A near miss (`input:`) was reported as such; do not also call its field missing.
      const nearMisses = new Set(
        Object.keys(price).map((key) => suggest(key, PRICE_KEYS)).filter((k) => k !== undefined),
      );
      for (const key of PRICE_KEYS) {
        if ((price[key] === undefined || price[key] === null) && !nearMisses.has(key)) {
          report(
            [...at, "price", key],
            "missing: a price needs both input_per_million and output_per_million",
          );
        }
      }
      if (input !== undefined && output !== undefined) {
        model.price = { input_per_million: input, output_per_million: output };
      }
    }
    models.push(model);
  });
  return models;
}

/** A judge name must be safe and short enough to name files, and unique. */
function checkName(
  name: string,
  i: number,
  firstWithName: Map<string, number>,
  report: Report,
): void {
  const at = ["models", i];
  if (/[/\\]/.test(name) || hasControl(name) || name === "." || name === "..") {
    report(
      [...at, "name"],
      `${describe(name)} cannot name output files: no "/", "\\" or control characters`,
    );
  } else if (
    name.length > MAX_NAME_LENGTH || _safeName(name).length > MAX_SAFE_NAME_LENGTH
  ) {
    report(
      [...at, "name"],
      `${describe(name)} is too long to name output files: at most ${MAX_NAME_LENGTH} ` +
        `characters (${name.length} given), and at most ${MAX_SAFE_NAME_LENGTH} once ` +
        "characters other than letters, digits, . _ - are percent-encoded",
    );
  } else if (name !== name.trim()) {
    report([...at, "name"], `${describe(name)} has spaces at its start or end`);
  } else if (firstWithName.has(name)) {
    report(
      [...at, "name"],
      `${describe(name)} is already the name of models[${
        firstWithName.get(name)
      }]; names must be unique (they name the output files)`,
    );
  } else firstWithName.set(name, i);
}

function readThreads(
  value: unknown,
  models: readonly ModelConfig[],
  read: Reader,
  report: Report,
): Record<string, number> {
  const threads: Record<string, number> = {};
  if (value !== undefined && value !== null) {
    if (!isRecord(value)) {
      report(
        ["threads"],
        `expected a mapping of provider to concurrent requests (e.g. { openai: 30 }), got ${
          describe(value)
        }`,
      );
    } else {
      for (const [provider, n] of Object.entries(value)) {
        if (!CONFIG_PROVIDERS.includes(provider)) {
          const near = suggest(provider, CONFIG_PROVIDERS);
          report(
            ["threads", provider],
            `unknown provider "${provider}"${didYouMean(near)}; known providers: ${
              CONFIG_PROVIDERS.join(", ")
            }`,
            true,
          );
          continue;
        }
        const count = read.count(n, ["threads", provider], 1, CONFIG_RANGES.threads.max);
        if (count !== undefined) threads[provider] = count;
      }
    }
  }
  for (const model of models) {
    if (model.provider !== "" && threads[model.provider] === undefined) {
      threads[model.provider] = DEFAULT_THREADS;
    }
  }
  return threads;
}

function readBudget(value: unknown, read: Reader): BudgetConfig {
  const budget: BudgetConfig = {};
  const section = read.section(value, ["budget"], BUDGET_KEYS);
  if (!section) return budget;
  const requests = read.count(
    section.max_requests,
    ["budget", "max_requests"],
    1,
    CONFIG_RANGES["budget.max_requests"].max,
  );
  if (requests !== undefined) budget.max_requests = requests;
  const tokens = read.count(
    section.max_tokens,
    ["budget", "max_tokens"],
    1,
    CONFIG_RANGES["budget.max_tokens"].max,
  );
  if (tokens !== undefined) budget.max_tokens = tokens;
  const cost = read.amount(
    section.max_cost,
    ["budget", "max_cost"],
    CONFIG_RANGES["budget.max_cost"].max,
    true,
  );
  if (cost !== undefined) budget.max_cost = cost;
  return budget;
}

/** Checks that need several keys at once. */
function crossChecks(
  data: Record<string, unknown>,
  config: BenchmarkConfig,
  report: Report,
): void {
  config.models.forEach((model, i) => {
    // Anthropic's API takes temperatures from 0 to 1 only.
    if (model.provider !== "anthropic") return;
    const own = model.temperature !== undefined;
    const temperature = model.temperature ?? config.temperature;
    if (temperature !== undefined && temperature > 1) {
      report(
        own ? ["models", i, "temperature"] : ["temperature"],
        `${temperature} is above 1, the most Anthropic accepts` +
          (own ? "" : ` (models[${i}] "${model.name}" uses the run-wide temperature)`),
      );
    }
  });
  if (config.budget.max_cost !== undefined) {
    const unpriced = config.models
      .map((model, i) => ({ model, i }))
      .filter(({ model }) => model.provider !== "offline" && model.price === undefined);
    // A price with a problem is reported already; this is about prices left out.
    const withBadPrice = (i: number) => {
      const models = data.models as unknown[];
      const item = models?.[i];
      return isRecord(item) && item.price !== undefined && item.price !== null;
    };
    const missing = unpriced.filter(({ i }) => !withBadPrice(i));
    if (missing.length > 0) {
      report(
        ["budget", "max_cost"],
        `cost cannot be counted without a price for ${
          missing.map(({ model, i }) => `models[${i}] "${model.name}"`).join(", ")
        }: add price: { input_per_million, output_per_million } or remove max_cost`,
      );
    }
  }
}

/** Reads typed values, reporting what is wrong with each. `null` counts as absent. */
class Reader {
  constructor(private readonly report: Report) {}

  text(value: unknown, path: Segment[], required = false): string | undefined {
    if (value === undefined || value === null) {
      if (required) this.report(path, "missing");
      return undefined;
    }
    if (typeof value !== "string") {
      const hint = typeof value === "number" || typeof value === "boolean"
        ? ` (quote it: "${String(value)}")`
        : "";
      this.report(path, `expected a string, got ${describe(value)}${hint}`);
      return undefined;
    }
    if (value.trim() === "") {
      this.report(path, "is empty");
      return undefined;
    }
    return value;
  }

  /** A whole number from `min` to `max` (see `CONFIG_RANGES`). */
  count(value: unknown, path: Segment[], min: number, max: number): number | undefined {
    if (value === undefined || value === null) return undefined;
    const what = `a whole number from ${min} to ${max.toLocaleString("en-US")}`;
    if (typeof value !== "number" || !Number.isSafeInteger(value)) {
      this.report(path, `expected ${what}, got ${describe(value)}`);
      return undefined;
    }
    if (value < min || value > max) {
      const why = value < 0 ? " (negative)" : value > max ? " (too large)" : "";
      this.report(path, `expected ${what}, got ${value}${why}`);
      return undefined;
    }
    return value;
  }

  /** A finite number of 0 or more (above 0 when `positive`), at most `max`. */
  amount(value: unknown, path: Segment[], max: number, positive = false): number | undefined {
    if (value === undefined || value === null) return undefined;
    const top = max.toLocaleString("en-US");
    const what = positive ? `a number above 0, at most ${top}` : `a number from 0 to ${top}`;
    if (typeof value !== "number" || !Number.isFinite(value)) {
      this.report(path, `expected ${what}, got ${describe(value)}`);
      return undefined;
    }
    if (value < 0 || (positive && value === 0) || value > max) {
      const why = value < 0 ? " (negative)" : value > max ? " (too large)" : "";
      this.report(path, `expected ${what}, got ${value}${why}`);
      return undefined;
    }
    return value;
  }

  temperature(value: unknown, path: Segment[]): number | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || value > 2) {
      this.report(
        path,
        `expected a number from 0 to 2, got ${describe(value)}${
          typeof value === "number" && value < 0 ? " (negative)" : ""
        }`,
      );
      return undefined;
    }
    return value;
  }

  /** A mapping with these keys (unknown ones reported); `undefined` when absent or not a mapping. */
  section(
    value: unknown,
    path: Segment[],
    keys: readonly string[],
  ): Record<string, unknown> | undefined {
    if (value === undefined || value === null) return undefined;
    if (!isRecord(value)) {
      this.report(path, `expected a mapping with keys ${keys.join(", ")}, got ${describe(value)}`);
      return undefined;
    }
    checkKeys(value, keys, path, this.report);
    return value;
  }
}

/** Reports keys not in `known`, with a near miss or the place the key belongs. */
function checkKeys(
  value: Record<string, unknown>,
  known: readonly string[],
  path: Segment[],
  report: Report,
): void {
  for (const key of Object.keys(value)) {
    if (known.includes(key)) continue;
    const near = suggest(key, known);
    let hint: string;
    if (near) hint = `; did you mean "${near}"?`;
    else if (SECRET_KEY.test(key)) {
      hint = ": credentials never go in the config; set them in the environment or in a keys " +
        "file given with --keys";
    } else if (BELONGS[key]) hint = `: it belongs ${BELONGS[key]}`;
    else hint = `; known keys here: ${known.join(", ")}`;
    report([...path, key], `unknown key${hint}`, true);
  }
}

/**
 * The known name closest to `name`, if it is a near miss: edit distance (with transpositions)
 * of at most a third of the length (and at least 1), ignoring case and `-`/`_`, or a prefix or
 * suffix of five or more characters (`dataset` → `dataset_path`, `retries` → `max_retries`).
 * Internal: shared with the keys file.
 *
 * @param name The unknown name.
 * @param known The names it may have meant.
 * @returns The closest known name, or `undefined` when none is near.
 *
 * @example
 * ```ts
 * import { _suggest } from "./config.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(_suggest("thread", ["threads", "tasks"]), "threads");
 * assert.equal(_suggest("colour", ["threads", "tasks"]), undefined);
 * ```
 */
export function _suggest(name: string, known: readonly string[]): string | undefined {
  return suggest(name, known);
}

function suggest(name: string, known: readonly string[]): string | undefined {
  const norm = (s: string) => s.toLowerCase().replace(/-/g, "_");
  const a = norm(name);
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const b = norm(candidate);
    let d = distance(a, b);
    const limit = Math.max(1, Math.floor(Math.max(a.length, b.length) / 3));
    if (d > limit) {
      const [short, long] = a.length <= b.length ? [a, b] : [b, a];
      const affix = short.length >= 5 && (long.startsWith(short) || long.endsWith(short));
      if (!affix) continue;
      d = limit + 0.5; // a prefix or suffix match ranks after any close spelling
    }
    if (d < bestDistance) {
      bestDistance = d;
      best = candidate;
    }
  }
  return best;
}

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions). */
function distance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => {
    const row = new Array<number>(cols).fill(0);
    row[0] = i;
    return row;
  });
  for (let j = 0; j < cols; j++) d[0]![j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        v = Math.min(v, d[i - 2]![j - 2]! + 1);
      }
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

function didYouMean(near: string | undefined): string {
  return near === undefined ? "" : ` (did you mean "${near}"?)`;
}

function pathText(path: readonly Segment[]): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else out += out === "" ? segment : `.${segment}`;
  }
  return out;
}

/** A local path resolved against `baseDir`; URLs and `hf:` ids kept as they are. */
function resolveSource(source: string, baseDir: string | undefined): string {
  // A scheme of two or more letters (`hf:`, `https:`); `C:\…` is a Windows path.
  if (/^[a-z][a-z0-9+.-]+:/i.test(source)) return source;
  return baseDir ? resolve(baseDir, source) : source;
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text.trim());
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}

function hasControl(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) &&
    !(value instanceof Uint8Array);
}

/** A value for a message: type and (short) content. */
function describe(value: unknown): string {
  if (value === null || value === undefined) return "nothing";
  if (typeof value === "string") {
    const short = value.length > 40 ? value.slice(0, 40) + "…" : value;
    return JSON.stringify(short);
  }
  if (typeof value === "number") return Number.isNaN(value) ? "NaN" : String(value);
  if (typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return "a list";
  if (value instanceof Uint8Array) return "binary data";
  return "a mapping";
}
