/**
 * The keys file given with `--keys`: PrecepTron's `benchmarking/config.ini` layout, read into the
 * environment-variable names the providers use.
 *
 * @module
 */

import { PROVIDER_ENV } from "./providers.ts";
import { registerSecret } from "./redact.ts";
import { ConfigError, type ConfigProblem } from "../runner/config.ts";
import { _suggest } from "../runner/_config_suggest.ts";

/** PrecepTron's sections and keys, and the variable each one sets. */
const MAPPED: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  api_keys: {
    openai: "OPENAI_API_KEY",
    openrouter: "OPENROUTER_API_KEY",
    anthropic: "ANTHROPIC_API_KEY",
  },
  azure: {
    api_key: "AZURE_OPENAI_API_KEY",
    endpoint: "AZURE_OPENAI_ENDPOINT",
    api_version: "OPENAI_API_VERSION",
  },
};

/** The variables an `[env]` section may set: those the providers read. */
const ENV_NAMES: readonly string[] = [
  ...new Set([...Object.values(PROVIDER_ENV).flat(), "PRECEPTRON_MODEL", "PRECEPTRON_API_KEY"]),
];

const SECTIONS = [...Object.keys(MAPPED), "env"];

/**
 * Reads a keys file into credentials by environment-variable name.
 *
 * Accepted layout (PrecepTron's `config.ini`, plus an `[env]` section of our own):
 *
 * ```ini
 * [api_keys]
 * openai = …        ; OPENAI_API_KEY
 * openrouter = …    ; OPENROUTER_API_KEY
 * anthropic = …     ; ANTHROPIC_API_KEY
 *
 * [azure]
 * api_key = …       ; AZURE_OPENAI_API_KEY
 * endpoint = https://your-endpoint.openai.azure.com   ; AZURE_OPENAI_ENDPOINT
 * api_version = 2024-12-01-preview                    ; OPENAI_API_VERSION
 *
 * [env]
 * PRECEPTRON_BASE_URL = http://127.0.0.1:8000/v1
 * ```
 *
 * As in Python's `configparser`: `=` or `:` separates a key from its value, whole-line comments
 * start with `#` or `;`, key names ignore case. Also: a comment after a value needs a space
 * before its `#`/`;`; a value may be quoted ('…' or "…", kept verbatim); values that are
 * empty or a `<placeholder>` are skipped (only the providers you use need keys). `[env]`
 * takes the variables the providers read (`PROVIDER_ENV`, `PRECEPTRON_MODEL`,
 * `PRECEPTRON_API_KEY`). Every key, token or secret read is registered with `registerSecret`,
 * so that `redact()` removes it (and its pieces) from everything the kit writes or prints.
 *
 * @param text The file's text.
 * @param options `source`: the file name for messages.
 * @returns Variable name → value, for `makeClient`/`runBenchmark`'s `keys`.
 * @throws {ConfigError} Listing every problem by line: unknown sections or keys (with a near
 *   miss), a key outside a section, a line that is not `key = value`, a key or section given
 *   twice, one variable set from two places, an unclosed quote. No message ever contains a
 *   value from the file.
 *
 * @example
 * ```ts
 * import { parseKeysFile } from "./keys_file.ts";
 * import assert from "node:assert/strict";
 *
 * const keys = parseKeysFile(`
 * [api_keys]
 * openai = sk-test-0000
 * anthropic =
 *
 * [azure]
 * api_key = "azure-test-0000"
 * endpoint = https://example.openai.azure.com
 * api_version = 2024-12-01-preview
 * `);
 * assert.deepEqual(keys, {
 *   OPENAI_API_KEY: "sk-test-0000",
 *   AZURE_OPENAI_API_KEY: "azure-test-0000",
 *   AZURE_OPENAI_ENDPOINT: "https://example.openai.azure.com",
 *   OPENAI_API_VERSION: "2024-12-01-preview",
 * });
 * assert.throws(() => parseKeysFile("[api_keys]\nopneai = sk-test-0000"), /did you mean "openai"/);
 * ```
 */
export function parseKeysFile(
  text: string,
  options: { source?: string } = {},
): Record<string, string> {
  const reading = new KeysReading();
  text.replace(/^\uFEFF/, "").split(/\r\n|\r|\n/).forEach((raw, index) => {
    const line = index + 1;
    const content = raw.trim();
    if (content === "" || content.startsWith("#") || content.startsWith(";")) return;
    const header = /^\[([^\]]*)\]\s*(?:[#;].*)?$/.exec(content);
    if (header) return reading.header(line, header[1]!.trim().toLowerCase());
    const pair = /^([^=:]*?)\s*[=:]\s*(.*)$/.exec(content);
    // The line is not shown: it may be a pasted key.
    if (!pair || pair[1]!.trim() === "") {
      return reading.problem(line, "", 'expected "[section]" or "name = value"');
    }
    reading.pair(line, pair[1]!.trim(), pair[2]!);
  });
  if (reading.problems.length > 0) {
    throw new ConfigError(reading.problems, {
      ...(options.source === undefined ? {} : { source: options.source }),
      subject: "keys file",
    });
  }
  return reading.keys;
}

/** What reading a keys file has found so far: the credentials, and the problems. */
class KeysReading {
  readonly problems: ConfigProblem[] = [];
  readonly keys: Record<string, string> = {};
  /** Variable → where it was set, for conflicts. */
  readonly #setAt = new Map<string, string>();
  readonly #sectionsSeen = new Map<string, number>();
  readonly #keysSeen = new Map<string, number>();
  /** `undefined` before any header; `""` inside an unknown section. */
  #section: string | undefined;

  /** Whole-line problems name their line in the message; others are printed after path and line. */
  problem(line: number, path: string, message: string): void {
    this.problems.push({ path, line, message: path === "" ? `line ${line}: ${message}` : message });
  }

  header(line: number, name: string): void {
    const label = `[${safeName(name)}]`;
    if (!SECTIONS.includes(name)) {
      const known = SECTIONS.map((s) => `[${s}]`).join(", ");
      this.problem(
        line,
        label,
        `unknown section ${label}${nearMiss(name, SECTIONS)}; known sections: ${known}`,
      );
      this.#section = "";
      return;
    }
    const first = this.#sectionsSeen.get(name);
    if (first !== undefined) {
      this.problem(line, label, `section ${label} appears twice (first at line ${first})`);
    } else this.#sectionsSeen.set(name, line);
    this.#section = name;
  }

  pair(line: number, rawName: string, rawValue: string): void {
    const section = this.#section;
    if (section === undefined) {
      const sections = SECTIONS.map((s) => `[${s}]`).join(", ");
      this.problem(
        line,
        safeName(rawName),
        `${quoteName(rawName)} comes before any section; put it under ${sections}`,
      );
      return;
    }
    if (section === "") return; // inside an unknown section, reported once at its header
    const found = this.#variable(line, section, rawName);
    if (found === undefined) return;
    const { variable, name } = found;
    const path = `[${section}] ${name}`;
    const seenKey = `${section}\u0000${name}`;
    if (this.#keysSeen.has(seenKey)) {
      this.problem(
        line,
        path,
        `${path} is given twice (first at line ${this.#keysSeen.get(seenKey)})`,
      );
      return;
    }
    this.#keysSeen.set(seenKey, line);
    const value = readValue(rawValue);
    if (value === undefined) return this.problem(line, path, "the value's quote is not closed");
    if (value === "" || /^<[^<>]*>$/.test(value)) return; // left empty, or still a placeholder
    const where = `${path} (line ${line})`;
    const earlier = this.#setAt.get(variable);
    if (earlier !== undefined) {
      this.problem(line, path, `${variable} is set twice: by ${earlier} and by ${where}; keep one`);
      return;
    }
    this.#setAt.set(variable, where);
    this.keys[variable] = value;
    // Whatever the file holds may be echoed back by a server: never let it be printed.
    if (/(KEY|TOKEN|SECRET|PASSWORD)$/.test(variable)) registerSecret(value);
  }

  /** The variable a name in a section sets, or `undefined` (told) for an unknown name. */
  #variable(
    line: number,
    section: string,
    rawName: string,
  ): { variable: string; name: string } | undefined {
    if (section === "env") {
      const name = rawName.toUpperCase();
      if (ENV_NAMES.includes(name)) return { variable: name, name };
      this.problem(
        line,
        `[env] ${safeName(rawName)}`,
        `unknown variable ${quoteName(rawName)} in [env]${nearMiss(name, ENV_NAMES)}; known: ${
          ENV_NAMES.join(", ")
        }`,
      );
      return undefined;
    }
    const name = rawName.toLowerCase();
    const known = MAPPED[section]!;
    const variable = known[name];
    if (variable !== undefined) return { variable, name };
    this.problem(
      line,
      `[${section}] ${safeName(rawName)}`,
      `unknown key ${quoteName(rawName)} in [${section}]${
        nearMiss(name, Object.keys(known))
      }; known keys: ${Object.keys(known).join(", ")}`,
    );
    return undefined;
  }
}

/**
 * Reads a keys file (see `parseKeysFile`).
 *
 * @param path The file, e.g. PrecepTron's `benchmarking/config.ini`.
 * @returns Variable name → value.
 * @throws {ConfigError} When the file does not exist or has problems (never showing a value).
 *
 * @example
 * ```ts
 * import { loadKeysFile } from "./keys_file.ts";
 * import assert from "node:assert/strict";
 * import { join } from "node:path";
 *
 * const dir = await Deno.makeTempDir();
 * const path = join(dir, "config.ini");
 * await Deno.writeTextFile(path, "[api_keys]\nopenrouter = sk-or-test-0000\n");
 * assert.deepEqual(await loadKeysFile(path), { OPENROUTER_API_KEY: "sk-or-test-0000" });
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function loadKeysFile(path: string): Promise<Record<string, string>> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.IsADirectory) {
      throw new ConfigError([{ path: "", message: `no keys file at ${path}` }], {
        source: path,
        subject: "keys file",
      });
    }
    throw error;
  }
  return parseKeysFile(text, { source: path });
}

/** The value: quoted ones verbatim; otherwise trimmed, a ` #`/` ;` comment removed. `undefined`: an unclosed quote. */
function readValue(text: string): string | undefined {
  const quote = text[0];
  if (quote === '"' || quote === "'") {
    const end = text.indexOf(quote, 1);
    if (end < 0) return undefined;
    const rest = text.slice(end + 1).trim();
    if (rest !== "" && !rest.startsWith("#") && !rest.startsWith(";")) return undefined;
    return text.slice(1, end);
  }
  return text.replace(/\s+[#;].*$/, "").trim();
}

/** A name from the file, safe to show: it could be a pasted key, so long or key-like names are not shown. */
function safeName(name: string): string {
  return /^[A-Za-z0-9_. -]{1,32}$/.test(name) && !/^sk-/i.test(name) ? name : "(name not shown)";
}

function quoteName(name: string): string {
  const safe = safeName(name);
  return safe === name ? `"${name}"` : "(name not shown: it looks like a value)";
}

function nearMiss(name: string, known: readonly string[]): string {
  if (safeName(name) !== name) return "";
  const near = _suggest(name, known);
  return near === undefined ? "" : ` (did you mean "${near}"?)`;
}
