/**
 * The benchmark config's zod schema, with our messages, and the checks that need several keys
 * at once. Internal to `config.ts`, which adds line numbers and the defaults that depend on the
 * file's folder.
 *
 * @module
 */

import { z } from "zod";
import { TASK_KEYS } from "../data/task_key.ts";
import { PROVIDERS } from "../judge/providers.ts";
import { _suggest } from "./_config_suggest.ts";
import { _thousands } from "./_format.ts";
import { _safeName } from "../ledger/_ledger_formats.ts";
import type { BenchmarkConfig } from "./config.ts";

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

/** Providers that speak OpenAI's, Azure OpenAI's or Anthropic's batch API, for `batch: true`. */
const BATCH_PROVIDERS: readonly string[] = ["openai", "openai-compatible", "azure", "anthropic"];
const BATCH_LIST = `${BATCH_PROVIDERS.slice(0, -1).join(", ")} or ${BATCH_PROVIDERS.at(-1)}`;

/** One step of a key path: a key, or a list index. */
export type _Segment = string | number;

/** A problem before its line is known. */
export interface _Finding {
  /** The key path, e.g. `["models", 1, "provider"]`. */
  path: _Segment[];
  /** What is wrong, and what would be right. */
  message: string;
  /** Whether the line to report is the key's (an unknown key) rather than its value's. */
  atKey?: boolean;
}

type Issue = z.core.$ZodRawIssue;

/** Key names that suggest a credential: those never belong in a config. */
const SECRET_KEY = /(api[_-]?keys?|secret|password|token|credentials?)$/i;
const OFFLINE_MODEL = /^(lexical|constant:-?\d+(?:\.\d+)?)$/;
/** The longest judge name, in characters, and once made safe for a file name (≤ 255 bytes). */
const MAX_NAME_LENGTH = 100;
const MAX_SAFE_NAME_LENGTH = 200;

// Every numeric key's range is stated here, once; the README's table lists them.
const sampling = {
  temperature: amount(2).optional(),
  seed: whole(0, Number.MAX_SAFE_INTEGER).optional(),
  max_tokens: whole(1, 1_000_000).optional(),
};
const price = amount(10_000, {
  missing: "missing: a price needs both input_per_million and output_per_million",
});
const priceShape = {
  input_per_million: price,
  output_per_million: price,
  cached_input_per_million: amount(10_000).optional(),
};
const modelShape = {
  name: text()
    .refine(fileSafe, {
      error: (iss) =>
        `${describe(iss.input)} cannot name output files: no "/", "\\" or control characters`,
    })
    .refine(fitsFileName, {
      error: ({ input }) =>
        `${describe(input)} is too long to name output files: at most ${MAX_NAME_LENGTH} ` +
        `characters (${(input as string).length} given), and at most ${MAX_SAFE_NAME_LENGTH} ` +
        "once characters other than letters, digits, . _ - are percent-encoded",
    })
    .refine((name) => name === name.trim(), {
      error: (iss) => `${describe(iss.input)} has spaces at its start or end`,
    }),
  provider: oneOf(CONFIG_PROVIDERS, "provider", "known providers"),
  model_id: text(),
  base_url: z.url({ protocol: /^https?$/, error: urlError }).optional(),
  ...sampling,
  price: section(priceShape).optional(),
  batch: z.boolean({ error: expected("true or false") }).optional(),
  batch_discount: amount(1, { positive: true }).optional(),
};
const budgetShape = {
  max_requests: whole(1, 1_000_000_000).optional(),
  max_tokens: whole(1, 1_000_000_000_000).optional(),
  max_cost: amount(1_000_000, { positive: true }).optional(),
};
const retryShape = {
  max_retries: whole(0, 20).optional(),
  timeout_seconds: amount(3_600, { positive: true }).optional(),
};
const studyError = expected("a study id or pattern");
const studiesError = expected('a list of study ids or patterns such as ["brodeur*"]');
const judgeHint = "list at least one judge as { name, provider, model_id }";
const topShape = {
  dataset_path: text().optional(),
  output_dir: text(
    'missing: the folder where judgements are written (e.g. output_dir: "trials"); ' +
      "it is where a rerun resumes from",
  ),
  tasks: z.array(oneOf(TASK_KEYS, "task", "valid tasks"), {
    error: (iss) =>
      `${expected("a list of task keys (e.g. [cpc_bond, r_idea])")(iss)}; ` +
      `valid tasks: ${TASK_KEYS.join(", ")}`,
  }).default([]).transform((tasks) => tasks.length === 0 ? [...TASK_KEYS] : [...new Set(tasks)]),
  threads: z.partialRecord(z.enum(CONFIG_PROVIDERS), whole(1, 1_000), {
    error: (iss) =>
      iss.code === "invalid_key"
        ? unknownValue("provider", iss.input, CONFIG_PROVIDERS, "known providers")
        : expected("a mapping of provider to concurrent requests (e.g. { openai: 30 })")(iss),
  }).default({}),
  models: z.array(
    z.object(modelShape, { error: expected("a mapping { name, provider, model_id }") }),
    {
      error: orMissing(
        `missing: ${judgeHint}`,
        expected('a list of models (each item starting with "- ")'),
      ),
    },
  ).min(1, { error: `the list is empty: ${judgeHint}` }),
  repeats: whole(1, 100).default(1),
  ...sampling,
  budget: section(budgetShape).default({}),
  retry: section(retryShape).optional(),
  mode: z.enum(["judge", "generate"], { error: expected('"judge" or "generate"') })
    .default("judge"),
  studies: z.preprocess(
    (value) => typeof value === "string" ? [value] : value,
    z.array(
      z.string({ error: studyError }).trim().min(1, { error: studyError }),
      { error: studiesError },
    ).min(1, { error: studiesError }),
  ).optional(),
};
const schema = z.object(topShape, {
  error: expected("a mapping of keys (output_dir, models, …)"),
});

/**
 * The mappings whose unknown keys `prepare` reports, by schema path (`*` for a list index), and
 * where their keys belong, for the hint on a stray key; for a key known at two levels
 * (`max_tokens`) the later line wins.
 */
const LEVELS: [string, Record<string, unknown>, string][] = [
  ["models.*", modelShape, "in each models entry"],
  ["models.*.price", priceShape, "under a model's price"],
  ["budget", budgetShape, "under budget"],
  ["retry", retryShape, "under retry"],
  ["", topShape, "at the top level"],
];
const KNOWN_KEYS = Object.fromEntries(LEVELS.map(([level, shape]) => [level, Object.keys(shape)]));
const BELONGS = new Map(
  LEVELS.flatMap(([, shape, place]) => Object.keys(shape).map((key) => [key, place] as const)),
);

/**
 * Validates parsed YAML (not empty): every message names what was expected and what was given
 * (never a `base_url`, which may carry credentials, nor the value of an unknown key). `null` (a
 * key with no value) counts as absent.
 *
 * @param input The parsed YAML.
 * @returns The config (defaults filled in, paths not yet resolved) when nothing is wrong, and
 *   every problem found, not yet in file order.
 */
export function _validateConfig(
  input: unknown,
): { config?: BenchmarkConfig; findings: _Finding[] } {
  const findings: _Finding[] = [];
  const nearMisses = new Set<string>();
  const data = prepare(input, [], findings, nearMisses);
  const result = schema.safeParse(data, { reportInput: true });
  // One finding per key path (a value has one problem), and no "missing" for a key whose near
  // miss is reported instead.
  const seen = new Set(findings.map((f) => pathKey(f.path)));
  for (const issue of result.error?.issues ?? []) {
    const path = issue.path.map((s) => typeof s === "number" ? s : String(s));
    const at = pathKey(path);
    const missing = issue.code === "invalid_type" && issue.input === undefined;
    if (seen.has(at) || (missing && nearMisses.has(at))) continue;
    seen.add(at);
    findings.push({ path, message: issue.message });
  }
  // A cross-key problem counts only where the value itself is fine.
  findings.push(...crossChecks(data).filter((f) => !seen.has(pathKey(f.path))));
  return findings.length === 0 && result.success
    ? { config: result.data as BenchmarkConfig, findings }
    : { findings };
}

// --- Value schemas, each with one message that says what was expected and what was given. ---

/** A non-empty string; `missing` is the message when the key is absent (and required). */
function text(missing = "missing") {
  return z.string({
    error: orMissing(missing, (iss) => {
      const quote = typeof iss.input === "number" || typeof iss.input === "boolean"
        ? ` (quote it: "${String(iss.input)}")`
        : "";
      return `${expected("a string")(iss)}${quote}`;
    }),
  }).refine((value) => value.trim() !== "", { error: "is empty" });
}

/** A whole number from `min` to `max`. */
function whole(min: number, max: number) {
  const error = expected(`a whole number from ${min} to ${_thousands(max)}`, max);
  return z.int({ error }).min(min, { error }).max(max, { error });
}

/** A finite number of 0 or more (above 0 when `positive`), at most `max`. */
function amount(max: number, options: { positive?: boolean; missing?: string } = {}) {
  const what = options.positive
    ? `a number above 0, at most ${_thousands(max)}`
    : `a number from 0 to ${_thousands(max)}`;
  const error = orMissing(options.missing, expected(what, max));
  const number = z.number({ error });
  return (options.positive ? number.positive({ error }) : number.min(0, { error }))
    .max(max, { error });
}

/** One of `values`, with "did you mean" for a near miss. */
function oneOf<T extends readonly string[]>(values: T, noun: string, listed: string) {
  return z.enum(values, {
    error: orMissing(
      `missing; ${listed}: ${values.join(", ")}`,
      (iss) => unknownValue(noun, iss.input, values, listed),
    ),
  });
}

/** A mapping of these keys (`prepare` reports unknown ones). */
function section<T extends z.core.$ZodLooseShape>(shape: T) {
  return z.object(shape, {
    error: expected(`a mapping with keys ${Object.keys(shape).join(", ")}`),
  });
}

// --- Messages. ---

/** "expected <what>, got <value>", saying whether a number is negative or above `max`. */
function expected(what: string, max?: number) {
  return ({ input }: Issue) => {
    const finite = max !== undefined && typeof input === "number" && Number.isFinite(input);
    const why = !finite ? "" : input < 0 ? " (negative)" : input > max ? " (too large)" : "";
    return `expected ${what}, got ${describe(input)}${why}`;
  };
}

/** `missing` when the key is absent (if given), else `error`'s message. */
function orMissing(missing: string | undefined, error: (iss: Issue) => string) {
  return (iss: Issue) => iss.input === undefined && missing !== undefined ? missing : error(iss);
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

/** The message for an unknown key: a near miss, a credential, where it belongs, or what is known. */
function unknownKey(key: string, near: string | undefined, known: readonly string[]): string {
  if (near !== undefined) return `unknown key; did you mean "${near}"?`;
  if (SECRET_KEY.test(key)) {
    return "unknown key: credentials never go in the config; set them in the environment or " +
      "in a keys file given with --keys";
  }
  const place = BELONGS.get(key);
  if (place !== undefined) return `unknown key: it belongs ${place}`;
  return `unknown key; known keys here: ${known.join(", ")}`;
}

/** A value for a message: type and (short) content. */
function describe(value: unknown): string {
  if (value === null || value === undefined) return "nothing";
  if (typeof value === "string") {
    return JSON.stringify(value.length > 40 ? value.slice(0, 40) + "…" : value);
  }
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return "a list";
  if (value instanceof Uint8Array) return "binary data";
  return "a mapping";
}

// --- Checks that need several keys at once: they read the data as given, so that they run
// --- whatever else is wrong. ---

function crossChecks(data: unknown): _Finding[] {
  if (!isRecord(data)) return [];
  const findings: _Finding[] = [];
  const add = (path: _Segment[], message: string) => findings.push({ path, message });
  const firstWithName = new Map<string, number>();
  const unpriced: string[] = [];
  (Array.isArray(data.models) ? data.models : []).forEach((model, i) => {
    if (!isRecord(model)) return;
    const { name, provider, model_id: modelId } = model;
    const first = typeof name === "string" ? firstWithName.get(name) : undefined;
    if (first !== undefined) {
      add(
        ["models", i, "name"],
        `${describe(name)} is already the name of models[${first}]; names must be unique ` +
          "(they name the output files)",
      );
    } else if (typeof name === "string") firstWithName.set(name, i);
    if (provider === "offline" && typeof modelId === "string" && !OFFLINE_MODEL.test(modelId)) {
      add(
        ["models", i, "model_id"],
        `the offline provider has model_id "lexical" or "constant:<score>", not ${
          describe(modelId)
        }`,
      );
    }
    // Anthropic's API takes temperatures from 0 to 1 only.
    const own = model.temperature !== undefined;
    const temperature = own ? model.temperature : data.temperature;
    if (provider === "anthropic" && typeof temperature === "number" && temperature > 1) {
      add(
        own ? ["models", i, "temperature"] : ["temperature"],
        `${temperature} is above 1, the most Anthropic accepts` +
          (own ? "" : ` (models[${i}] "${name}" uses the run-wide temperature)`),
      );
    }
    if (
      model.batch === true && typeof provider === "string" && !BATCH_PROVIDERS.includes(provider)
    ) {
      add(
        ["models", i, "batch"],
        `judge ${describe(name)} has provider ${describe(provider)}, which has no batch API: ` +
          `batch: true needs ${BATCH_LIST}`,
      );
    }
    if (provider !== "offline" && model.price === undefined) {
      unpriced.push(`models[${i}] "${typeof name === "string" ? name : ""}"`);
    }
  });
  if (isRecord(data.budget) && data.budget.max_cost !== undefined && unpriced.length > 0) {
    add(
      ["budget", "max_cost"],
      `cost cannot be counted without a price for ${unpriced.join(", ")}: ` +
        "add price: { input_per_million, output_per_million } or remove max_cost",
    );
  }
  return findings;
}

// --- Small helpers. ---

function pathKey(path: readonly _Segment[]): string {
  return path.join("\0");
}

/**
 * The data without known keys whose value is `null` (absent) and without unknown keys, each of
 * which gets a finding (and its near miss, if any, a place in `nearMisses`). Goes no deeper than
 * the schema (YAML aliases can make cycles). Under `threads` unknown keys stay: zod names them.
 */
function prepare(
  value: unknown,
  path: _Segment[],
  unknown: _Finding[],
  nearMisses: Set<string>,
): unknown {
  if (Array.isArray(value) && path.length === 1) {
    return value.map((item, i) => prepare(item, [...path, i], unknown, nearMisses));
  }
  const level = path.map((s) => typeof s === "number" ? "*" : s).join(".");
  const known = level === "threads" ? CONFIG_PROVIDERS : KNOWN_KEYS[level];
  if (!isRecord(value) || known === undefined) return value;
  const kept = Object.entries(value).filter(([key, v]) => {
    if (known.includes(key)) return v !== null;
    if (level === "threads") return true;
    const near = _suggest(key, known);
    if (near !== undefined) nearMisses.add(pathKey([...path, near]));
    unknown.push({ path: [...path, key], message: unknownKey(key, near, known), atKey: true });
    return false;
  });
  return Object.fromEntries(
    kept.map(([key, v]) => [key, prepare(v, [...path, key], unknown, nearMisses)]),
  );
}

function fileSafe(name: string): boolean {
  return ![...name].some((ch) => ch === "/" || ch === "\\" || ch < " " || ch === "\x7f") &&
    name !== "." && name !== "..";
}

function fitsFileName(name: string): boolean {
  return name.length <= MAX_NAME_LENGTH && _safeName(name).length <= MAX_SAFE_NAME_LENGTH;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) &&
    !(value instanceof Uint8Array);
}
