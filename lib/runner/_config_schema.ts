/**
 * The benchmark config's zod schema, with our messages, and the checks that need several keys
 * at once. Internal to `config.ts`, which adds line numbers and defaults that depend on the
 * file's folder.
 *
 * @module
 */

import { z } from "zod";
import { TASK_KEYS } from "../data/task_key.ts";
import { _suggest } from "./_config_suggest.ts";
import type { BenchmarkConfig, CONFIG_RANGES } from "./config.ts";
import { _safeName } from "./_ledger_formats.ts";

/** One step of a key path: a key, or a list index. */
export type _Segment = string | number;

/** A problem before its line is known. `atKey`: the line is the key's, not its value's. */
export interface _Finding {
  /** The key path, e.g. `["models", 1, "provider"]`. */
  path: _Segment[];
  /** What is wrong, and what would be right. */
  message: string;
  /** Whether the line to report is the key's (an unknown key) rather than its value's. */
  atKey?: boolean;
}

/** What one validation found: the config (defaults filled in) when nothing is wrong. */
export interface _Validated {
  /** The config, before paths are resolved and `threads` is filled; absent when `findings` is not empty. */
  config?: BenchmarkConfig;
  /** Every problem, with key paths; not yet in file order. */
  findings: _Finding[];
}

type Ranges = typeof CONFIG_RANGES;
type Issue = z.core.$ZodRawIssue;

/** Key names that suggest a credential: those never belong in a config. */
const SECRET_KEY = /(api[_-]?keys?|secret|password|token|credentials?)$/i;
const OFFLINE_MODEL = /^(lexical|constant:-?\d+(?:\.\d+)?)$/;
/** The longest judge name, in characters. */
const MAX_NAME_LENGTH = 100;
/** The longest judge name once made safe for a file name (file names stop at 255 bytes). */
const MAX_SAFE_NAME_LENGTH = 200;

/**
 * Where the keys known at each level (by schema path, `*` for a list index) belong, for the hint
 * on a stray key; a later line wins for a key known at two levels (`max_tokens`).
 */
const BELONGING: [string, string][] = [
  ["models.*", "in each models entry"],
  ["models.*.price", "under a model's price"],
  ["budget", "under budget"],
  ["retry", "under retry"],
  ["", "at the top level"],
];

/**
 * Builds the validator: a zod schema whose every message names what was expected and what was
 * given (never a `base_url`, which may carry credentials, nor the value of an unknown key), plus
 * the cross-key checks. `null` (a key with no value) counts as absent.
 *
 * @param ranges `CONFIG_RANGES`.
 * @param providers `CONFIG_PROVIDERS`.
 * @returns A function of the parsed YAML (not empty) to the config or every problem found.
 */
export function _configValidator(
  ranges: Ranges,
  providers: readonly string[],
): (data: unknown) => _Validated {
  const { schema, knownKeys } = configSchema(ranges, providers);
  // Where a key that is unknown at one level does belong, for the hint.
  const belongs = new Map(
    BELONGING.flatMap(([where, place]) => knownKeys[where]!.map((key) => [key, place] as const)),
  );
  return (input) => {
    const data = dropNulls(input, { ...knownKeys, threads: providers });
    const result = schema.safeParse(data);
    const findings = result.success ? [] : fromIssues(result.error.issues, data, {
      knownKeys,
      belongs,
    });
    // A cross-key problem counts only where the value itself is fine.
    const flagged = new Set(findings.map((f) => pathKey(f.path)));
    findings.push(...crossChecks(data).filter((f) => !flagged.has(pathKey(f.path))));
    return findings.length === 0 && result.success
      ? { config: result.data as BenchmarkConfig, findings }
      : { findings };
  };
}

function configSchema(ranges: Ranges, providers: readonly string[]) {
  const price = amount(ranges["price.*_per_million"].max, {
    missing: "missing: a price needs both input_per_million and output_per_million",
  });
  const modelShape = {
    name: text().refine(fileSafe, {
      error: (iss) =>
        `${describe(iss.input)} cannot name output files: no "/", "\\" or control characters`,
    }).refine(fitsFileName, { error: (iss) => tooLong(iss.input as string) })
      .refine((name) => name === name.trim(), {
        error: (iss) => `${describe(iss.input)} has spaces at its start or end`,
      }),
    provider: oneOf(providers, "provider", "known providers"),
    model_id: text(),
    base_url: z.string({ error: urlError }).refine(isHttpUrl, { error: urlError })
      .transform((url) => url.trim()).optional(),
    temperature: amount(ranges.temperature.max).optional(),
    seed: count(0, ranges.seed.max).optional(),
    max_tokens: count(1, ranges.max_tokens.max).optional(),
    price: section({ input_per_million: price, output_per_million: price }).optional(),
  };
  const budgetShape = {
    max_requests: count(1, ranges["budget.max_requests"].max).optional(),
    max_tokens: count(1, ranges["budget.max_tokens"].max).optional(),
    max_cost: amount(ranges["budget.max_cost"].max, { positive: true }).optional(),
  };
  const retryShape = {
    max_retries: count(0, ranges["retry.max_retries"].max).optional(),
    timeout_seconds: amount(ranges["retry.timeout_seconds"].max, { positive: true }).optional(),
  };
  const topShape = {
    dataset_path: text().optional(),
    output_dir: text(
      'missing: the folder where judgements are written (e.g. output_dir: "trials"); ' +
        "it is where a rerun resumes from",
    ),
    tasks: z.array(oneOf(TASK_KEYS, "task", "valid tasks"), {
      error: (iss) =>
        `expected a list of task keys (e.g. [cpc_bond, r_idea]), got ${describe(iss.input)}; ` +
        `valid tasks: ${TASK_KEYS.join(", ")}`,
    }).default([]).transform((tasks) => tasks.length === 0 ? [...TASK_KEYS] : [...new Set(tasks)]),
    threads: z.partialRecord(z.enum(providers), count(1, ranges.threads.max), {
      error: (iss) =>
        iss.code === "invalid_key"
          ? unknownValue("provider", iss.input, providers, "known providers")
          : "expected a mapping of provider to concurrent requests (e.g. { openai: 30 }), " +
            `got ${describe(iss.input)}`,
    }).default({}),
    models: z.array(
      z.strictObject(modelShape, {
        error: mappingError(`a mapping { name, provider, model_id }`),
      }),
      {
        error: (iss) =>
          iss.input === undefined
            ? "missing: list at least one judge as { name, provider, model_id }"
            : `expected a list of models (each item starting with "- "), got ${
              describe(iss.input)
            }`,
      },
    ).min(1, {
      error: "the list is empty: list at least one judge as { name, provider, model_id }",
    }),
    repeats: count(1, ranges.repeats.max).default(1),
    temperature: amount(ranges.temperature.max).optional(),
    seed: count(0, ranges.seed.max).optional(),
    max_tokens: count(1, ranges.max_tokens.max).optional(),
    budget: section(budgetShape).default({}),
    retry: section(retryShape).optional(),
    mode: z.enum(["judge", "generate"], {
      error: (iss) => `expected "judge" or "generate", got ${describe(iss.input)}`,
    }).default("judge"),
    studies: z.preprocess(
      (value) => typeof value === "string" ? [value] : value,
      z.array(
        z.string({ error: studyError }).trim().min(1, { error: studyError }),
        { error: studiesError },
      ).min(1, { error: studiesError }),
    ).optional(),
  };
  const schema = z.strictObject(topShape, {
    error: mappingError("a mapping of keys (output_dir, models, …)"),
  });
  const knownKeys: Record<string, readonly string[]> = {
    "": Object.keys(topShape),
    "models.*": Object.keys(modelShape),
    "models.*.price": ["input_per_million", "output_per_million"],
    budget: Object.keys(budgetShape),
    retry: Object.keys(retryShape),
  };
  return { schema, knownKeys };
}

// --- Value schemas, each with one message that says what was expected and what was given. ---

/** A non-empty string; `missing` is the message when the key is absent (and required). */
function text(missing = "missing") {
  return z.string({
    error: (iss) => {
      if (iss.input === undefined) return missing;
      const quote = typeof iss.input === "number" || typeof iss.input === "boolean"
        ? ` (quote it: "${String(iss.input)}")`
        : "";
      return `expected a string, got ${describe(iss.input)}${quote}`;
    },
  }).refine((value) => value.trim() !== "", { error: "is empty" });
}

/** A whole number from `min` to `max` (see `CONFIG_RANGES`). */
function count(min: number, max: number) {
  const error = (iss: Issue) =>
    `expected a whole number from ${min} to ${thousands(max)}, ${got(iss.input, max)}`;
  return z.number({ error }).int({ error }).min(min, { error }).max(max, { error });
}

/** A finite number of 0 or more (above 0 when `positive`), at most `max`. */
function amount(max: number, options: { positive?: boolean; missing?: string } = {}) {
  const what = options.positive
    ? `a number above 0, at most ${thousands(max)}`
    : `a number from 0 to ${thousands(max)}`;
  const error = (iss: Issue) =>
    iss.input === undefined && options.missing !== undefined
      ? options.missing
      : `expected ${what}, ${got(iss.input, max)}`;
  const number = z.number({ error });
  return (options.positive ? number.positive({ error }) : number.min(0, { error }))
    .max(max, { error });
}

/** One of `values`, with "did you mean" for a near miss. */
function oneOf<T extends readonly string[]>(values: T, noun: string, listed: string) {
  return z.enum(values, {
    error: (iss) =>
      iss.input === undefined
        ? `missing; ${listed}: ${values.join(", ")}`
        : unknownValue(noun, iss.input, values, listed),
  });
}

/** A mapping with exactly these keys (unknown ones are reported one by one). */
function section<T extends z.core.$ZodLooseShape>(shape: T) {
  return z.strictObject(shape, {
    error: mappingError(`a mapping with keys ${Object.keys(shape).join(", ")}`),
  });
}

function mappingError(what: string) {
  return (iss: Issue) =>
    iss.code === "invalid_type" ? `expected ${what}, got ${describe(iss.input)}` : undefined;
}

function unknownValue(
  noun: string,
  input: unknown,
  values: readonly string[],
  listed: string,
): string {
  const near = typeof input === "string" ? _suggest(input, values) : undefined;
  const hint = near === undefined ? "" : ` (did you mean "${near}"?)`;
  return `unknown ${noun} ${describe(input)}${hint}; ${listed}: ${values.join(", ")}`;
}

function urlError(iss: Issue): string {
  // The value is not repeated: a URL may carry credentials.
  const given = typeof iss.input === "string" ? "a string that is not one" : describe(iss.input);
  return `expected an http(s) URL such as "http://127.0.0.1:8000/v1", got ${given}`;
}

function studyError(iss: Issue): string {
  return `expected a study id or pattern, got ${describe(iss.input)}`;
}

function studiesError(iss: Issue): string {
  return `expected a list of study ids or patterns such as ["brodeur*"], got ${
    describe(iss.input)
  }`;
}

function tooLong(name: string): string {
  return `${describe(name)} is too long to name output files: at most ${MAX_NAME_LENGTH} ` +
    `characters (${name.length} given), and at most ${MAX_SAFE_NAME_LENGTH} once ` +
    "characters other than letters, digits, . _ - are percent-encoded";
}

// --- From zod's issues to findings. ---

/**
 * One finding per key path (the first zod raised: a value has one problem), an unknown key's
 * finding per key with a hint, and no "missing" for a key whose near miss is reported instead.
 */
function fromIssues(
  issues: readonly z.core.$ZodIssue[],
  data: unknown,
  keys: { knownKeys: Record<string, readonly string[]>; belongs: ReadonlyMap<string, string> },
): _Finding[] {
  const found: (_Finding & { missing: boolean })[] = [];
  const nearMisses = new Set<string>();
  // Unknown keys first: on one line, they come before what is missing from the same mapping.
  const unknownFirst = [...issues].sort((a, b) =>
    Number(b.code === "unrecognized_keys") - Number(a.code === "unrecognized_keys")
  );
  for (const issue of unknownFirst) {
    const path = issue.path.map((s) => typeof s === "number" ? s : String(s));
    if (issue.code !== "unrecognized_keys") {
      // A missing key has no line of its own; a key with no value (null) has the key's.
      const missing = issue.code === "invalid_type" && valueAt(data, path) === undefined;
      found.push({ path, message: issue.message, atKey: missing, missing });
      continue;
    }
    const level = path.map((s) => typeof s === "number" ? "*" : s).join(".");
    const known = keys.knownKeys[level] ?? [];
    for (const key of issue.keys) {
      const near = _suggest(key, known);
      if (near !== undefined) nearMisses.add(pathKey([...path, near]));
      const message = unknownKey(key, near, known, keys.belongs);
      found.push({ path: [...path, key], message, atKey: true, missing: false });
    }
  }
  const seen = new Set<string>();
  return found.filter(({ path, missing }) => {
    const at = pathKey(path);
    if (seen.has(at) || (missing && nearMisses.has(at))) return false;
    seen.add(at);
    return true;
  }).map(({ missing: _, ...finding }) => finding);
}

/** The message for an unknown key: a near miss, a credential, where it belongs, or what is known. */
function unknownKey(
  key: string,
  near: string | undefined,
  known: readonly string[],
  belongs: ReadonlyMap<string, string>,
): string {
  if (near !== undefined) return `unknown key; did you mean "${near}"?`;
  if (SECRET_KEY.test(key)) {
    return "unknown key: credentials never go in the config; set them in the environment or " +
      "in a keys file given with --keys";
  }
  const place = belongs.get(key);
  if (place !== undefined) return `unknown key: it belongs ${place}`;
  return `unknown key; known keys here: ${known.join(", ")}`;
}

// --- Checks that need several keys at once (they read the data as given, so that they run
// --- whatever else is wrong). ---

function crossChecks(data: unknown): _Finding[] {
  if (!isRecord(data)) return [];
  const findings: _Finding[] = [];
  const models = Array.isArray(data.models) ? data.models : [];
  const firstWithName = new Map<string, number>();
  const unpriced: string[] = [];
  models.forEach((model, i) => {
    if (!isRecord(model)) return;
    const { name, provider, model_id: modelId } = model;
    const at = ["models", i];
    const first = typeof name === "string" ? firstWithName.get(name) : undefined;
    if (first !== undefined) {
      findings.push({
        path: [...at, "name"],
        message: `${describe(name)} is already the name of models[${first}]; names must be ` +
          "unique (they name the output files)",
      });
    } else if (typeof name === "string") firstWithName.set(name, i);
    if (provider === "offline" && typeof modelId === "string" && !OFFLINE_MODEL.test(modelId)) {
      findings.push({
        path: [...at, "model_id"],
        message: `the offline provider has model_id "lexical" or "constant:<score>", not ${
          describe(modelId)
        }`,
      });
    }
    // Anthropic's API takes temperatures from 0 to 1 only.
    const own = model.temperature !== undefined;
    const temperature = own ? model.temperature : data.temperature;
    if (provider === "anthropic" && typeof temperature === "number" && temperature > 1) {
      findings.push({
        path: own ? [...at, "temperature"] : ["temperature"],
        message: `${temperature} is above 1, the most Anthropic accepts` +
          (own ? "" : ` (models[${i}] "${name}" uses the run-wide temperature)`),
      });
    }
    if (provider !== "offline" && model.price === undefined) {
      unpriced.push(`models[${i}] "${typeof name === "string" ? name : ""}"`);
    }
  });
  if (isRecord(data.budget) && data.budget.max_cost !== undefined && unpriced.length > 0) {
    findings.push({
      path: ["budget", "max_cost"],
      message: `cost cannot be counted without a price for ${unpriced.join(", ")}: ` +
        "add price: { input_per_million, output_per_million } or remove max_cost",
    });
  }
  return findings;
}

// --- Small helpers. ---

/** The value at `path` in the data, `undefined` when there is none. */
function valueAt(data: unknown, path: readonly _Segment[]): unknown {
  let value = data;
  for (const segment of path) {
    if (typeof value !== "object" || value === null || !Object.hasOwn(value, segment)) return;
    value = (value as Record<_Segment, unknown>)[segment];
  }
  return value;
}

function pathKey(path: readonly _Segment[]): string {
  return path.join("\0");
}

/**
 * The data without known keys whose value is `null`; an unknown key stays, to be reported. Goes
 * no deeper than the schema (YAML aliases can make cycles).
 */
function dropNulls(
  value: unknown,
  knownKeys: Record<string, readonly string[]>,
  path: readonly string[] = [],
): unknown {
  if (path.length > 3 || typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) return value.map((item) => dropNulls(item, knownKeys, [...path, "*"]));
  if (!isRecord(value)) return value;
  const known = knownKeys[path.join(".")] ?? [];
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key, v]) => v !== null || !known.includes(key))
      .map(([key, v]) => [key, dropNulls(v, knownKeys, [...path, key])]),
  );
}

function fileSafe(name: string): boolean {
  return !/[/\\]/.test(name) && !hasControl(name) && name !== "." && name !== "..";
}

function fitsFileName(name: string): boolean {
  return name.length <= MAX_NAME_LENGTH && _safeName(name).length <= MAX_SAFE_NAME_LENGTH;
}

function hasControl(text: string): boolean {
  return [...text].some((ch) => ch < " " || ch === "\x7f");
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text.trim());
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) &&
    !(value instanceof Uint8Array);
}

function thousands(n: number): string {
  return n.toLocaleString("en-US");
}

/** "got <value>", saying whether a finite number is negative or above `max`. */
function got(value: unknown, max: number): string {
  let why = "";
  if (typeof value === "number" && Number.isFinite(value)) {
    why = value < 0 ? " (negative)" : value > max ? " (too large)" : "";
  }
  return `got ${describe(value)}${why}`;
}

/** A value for a message: type and (short) content. */
function describe(value: unknown): string {
  if (value === null || value === undefined) return "nothing";
  if (typeof value === "string") {
    return JSON.stringify(value.length > 40 ? value.slice(0, 40) + "…" : value);
  }
  if (typeof value === "number") return Number.isNaN(value) ? "NaN" : String(value);
  if (typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return "a list";
  if (value instanceof Uint8Array) return "binary data";
  return "a mapping";
}
