/**
 * The one redaction point: every message that leaves the kit — notes, details, `raw` replies,
 * banners, progress, errors, ledgers — passes through {@linkcode redact} first.
 *
 * @module
 */

/** Shapes of common API keys and tokens (OpenAI, Anthropic, OpenRouter, Hugging Face, bearer). */
const KEY_SHAPES = [
  /\bsk-[A-Za-z0-9_\-*]{8,}/g,
  /\bhf_[A-Za-z0-9]{8,}/g,
  /\bBearer\s+[A-Za-z0-9._\-+/=]{8,}/g,
];

/** The user name and password of a URL written in a text: `https://user:pw@host`. */
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]+@/gi;

/**
 * Query parameters that carry credentials in signed and authenticated URLs (S3's
 * `X-Amz-Signature`/`-Credential`/`-Security-Token`, Azure's `sig`, `api_key`,
 * `access_token`…): their values are removed wherever a URL appears.
 */
const URL_SECRET_PARAM =
  /([?&;][^=&#\s]*(?:sig|signature|token|key|secret|password|passwd|credential|auth)[^=&#\s]*=)[^&#\s]+/gi;

/** Prefixes that keys carry; the part after them is a secret on its own. */
const KEY_PREFIXES = ["sk-proj-", "sk-ant-api03-", "sk-ant-", "sk-or-v1-", "sk-", "hf_"];

/** Environment variables that hold secrets, by name. */
const SECRET_VARIABLE = /(^|_)(API_KEY|KEY|TOKEN|SECRET|PASSWORD)$/;

/** A piece of a secret this long or longer is redacted wherever it appears. */
const PIECE = 8;

/**
 * Environment values shorter than this are not taken as secrets: a variable such as
 * `SOME_KEY=none` must not redact the word "none" everywhere. Real API keys are far longer.
 */
const ENV_SECRET_LENGTH = 12;

/** Secrets registered by the kit (from `--keys` files, clients, URLs with credentials). */
const registered = new Set<string>();

/**
 * Registers a secret so that every later {@linkcode redact} removes it, its common encodings
 * and any piece of it of 8 or more characters. Keys read from the environment are known
 * without registering.
 *
 * @param secret The secret (ignored when empty or shorter than 4 characters).
 *
 * @example
 * ```ts
 * import { redact, registerSecret } from "./redact.ts";
 * import assert from "node:assert/strict";
 *
 * registerSecret("abcd1234efgh5678");
 * assert.equal(redact("the key abcd1234efgh5678 and a piece: 1234efgh5"), "the key *** and a piece: ***");
 * ```
 */
export function registerSecret(secret: string | undefined): void {
  if (secret && secret.length >= 4) registered.add(secret);
}

/**
 * Replaces every known secret — those given, those registered with
 * {@linkcode registerSecret}, and the values of secret-holding environment variables
 * (`*_API_KEY`, `*_TOKEN`, `*_SECRET`, `*_PASSWORD`, `*_KEY`, 12 characters or more) — with
 * `***`, together with:
 * the secret without its prefix (`sk-`, `sk-proj-`, `hf_`…), URL-encoded, base64-encoded
 * (alone and as `Bearer …`), any piece of 8 or more characters of them, and anything shaped
 * like an API key or a bearer token. In URLs written in the text, a user name and password
 * (`https://user:pw@host`) and the values of credential-carrying query parameters
 * (`X-Amz-Signature=…`, `sig=…`, `api_key=…`) are removed as well.
 *
 * @param text A message that may quote a credential (servers echo keys in 401s).
 * @param secrets Further secrets to remove (e.g. the client's API key).
 * @returns The text without them.
 *
 * @example
 * ```ts
 * import { redact } from "./redact.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(
 *   redact("401 Incorrect API key provided: sk-proj-abc123def456", []),
 *   "401 Incorrect API key provided: ***",
 * );
 * assert.equal(redact("key=s3cr3t-value!", ["s3cr3t-value!"]), "key=***");
 * ```
 */
export function redact(text: string, secrets: readonly (string | undefined)[] = []): string {
  return _redactWith(text, _knownSecrets(secrets));
}

/** `redact` with the secrets already known (reading the environment costs more than the rest). */
function _redactWith(text: string, known: ReadonlySet<string>): string {
  // Mark what every secret covers first, then replace once: replacing secret by secret would
  // let two keys that share pieces (an `sk-proj-` prefix) leave parts of the second in clear.
  const covered = new Uint8Array(text.length);
  const pieces: ReadonlySet<string>[] = [];
  for (const secret of known) {
    const { variants, grams } = _forms(secret);
    for (const variant of variants) _markVariant(text, variant, covered);
    if (grams.size > 0) pieces.push(grams);
  }
  _markPieces(text, pieces, covered);
  let out = _replaceCovered(text, covered);
  for (const shape of KEY_SHAPES) out = out.replace(shape, "***");
  return out.replace(URL_USERINFO, "$1***@").replace(URL_SECRET_PARAM, "$1***");
}

/**
 * {@linkcode redact} applied to every string in a value — a judgement, a routing, a row —
 * keeping its shape: objects and arrays are copied with their strings redacted, other values
 * kept as they are.
 *
 * @param value Anything about to leave the kit.
 * @param secrets Further secrets to remove (e.g. the client's API key).
 * @returns A copy without them.
 *
 * @example
 * ```ts
 * import { redactValue } from "./redact.ts";
 * import assert from "node:assert/strict";
 *
 * const judgement = { score: 4, justification: "The key gw-abcdef123456 was used.", raw: null };
 * assert.deepEqual(redactValue(judgement, ["gw-abcdef123456"]), {
 *   score: 4,
 *   justification: "The key *** was used.",
 *   raw: null,
 * });
 * ```
 */
export function redactValue<T>(value: T, secrets: readonly (string | undefined)[] = []): T {
  const known = _knownSecrets(secrets); // once for the whole value, not once per string
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") return _redactWith(v, known);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === "object") {
      const out: Record<string, unknown> = {};
      for (const [k, inner] of Object.entries(v)) out[k] = walk(inner);
      return out;
    }
    return v;
  };
  return walk(value) as T;
}

/**
 * The API key of a provider client, registered with {@linkcode registerSecret} when it is long
 * enough to be a real key (placeholders such as `"unused"` are not), so that every later
 * {@linkcode redact} removes it.
 *
 * @param client An OpenAI, Azure OpenAI or Anthropic client (or anything else).
 * @returns The key, to pass to {@linkcode redact} as a secret; `undefined` when there is none.
 *
 * @example
 * ```ts
 * import { clientSecret, redact } from "./redact.ts";
 * import assert from "node:assert/strict";
 *
 * const key = clientSecret({ apiKey: "gw-client-key-5678abcd" });
 * assert.equal(key, "gw-client-key-5678abcd");
 * assert.equal(redact("echo gw-client-key-5678abcd"), "echo ***");
 * ```
 */
export function clientSecret(client: unknown): string | undefined {
  const key = (client as { apiKey?: unknown } | null | undefined)?.apiKey;
  if (typeof key !== "string" || key === "") return undefined;
  if (key.length >= PIECE) registerSecret(key);
  return key;
}

/**
 * A URL as it may be shown: origin and path, without user name, password, query or fragment
 * (signed URLs carry their signature in the query).
 *
 * @param url The URL, or any text (returned redacted when it is not a URL).
 * @returns The URL to show.
 *
 * @example
 * ```ts
 * import { displayUrl } from "./redact.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(displayUrl("http://user:pw@localhost:8000/v1?x=1#y"), "http://localhost:8000/v1");
 * assert.equal(
 *   displayUrl("https://bucket.s3.amazonaws.com/data.json?X-Amz-Signature=abc"),
 *   "https://bucket.s3.amazonaws.com/data.json",
 * );
 * ```
 */
export function displayUrl(url: string): string {
  // A path (`data/x.json`, `C:\\x.json`) is not a URL: a scheme has two or more letters.
  if (!/^[a-z][a-z0-9+.-]+:/i.test(url.trim())) return redact(url);
  try {
    const u = new URL(url);
    if (u.protocol === "http:" || u.protocol === "https:") return redact(u.origin + u.pathname);
    return redact(`${u.protocol}${u.host}${u.pathname}`);
  } catch {
    return redact(url);
  }
}

/** The secrets to redact: given, registered, and from the environment. */
function _knownSecrets(given: readonly (string | undefined)[]): Set<string> {
  const all = new Set<string>(registered);
  for (const s of given) if (s && s.length >= 4) all.add(s);
  let env: Record<string, string> = {};
  try {
    env = Deno.env.toObject();
  } catch {
    // Without --allow-env the environment's keys cannot leak through the kit either.
  }
  for (const [name, value] of Object.entries(env)) {
    if (SECRET_VARIABLE.test(name) && value.length >= ENV_SECRET_LENGTH) all.add(value);
  }
  return all;
}

/** What a secret may look like in a message, worked out once per secret (a pure function of it). */
const FORMS = new Map<string, { variants: string[]; grams: Set<string> }>();

/** A secret's variants and its 8-character pieces, cached: every message leaving the kit asks. */
function _forms(secret: string): { variants: string[]; grams: Set<string> } {
  let forms = FORMS.get(secret);
  if (forms === undefined) {
    const grams = new Set<string>();
    for (let i = 0; secret.length >= PIECE && i + PIECE <= secret.length; i++) {
      grams.add(secret.slice(i, i + PIECE));
    }
    forms = { variants: _variants(secret), grams };
    FORMS.set(secret, forms);
  }
  return forms;
}

/** A secret as it may appear in a message: whole, unprefixed, URL-encoded, base64. */
function _variants(secret: string): string[] {
  const cores = [secret];
  for (const prefix of KEY_PREFIXES) {
    if (secret.startsWith(prefix) && secret.length - prefix.length >= 4) {
      cores.push(secret.slice(prefix.length));
      break;
    }
  }
  const out = new Set<string>();
  for (const core of cores) {
    out.add(core);
    out.add(encodeURIComponent(core));
    for (const plain of [core, `Bearer ${core}`]) {
      const b64 = _base64(plain);
      out.add(b64);
      out.add(b64.replace(/=+$/, ""));
    }
  }
  // Longest first, so a shorter variant never splits a longer one's match.
  return [...out].filter((v) => v.length >= 4).sort((a, b) => b.length - a.length);
}

/** Marks every occurrence of `variant` in `text`. */
function _markVariant(text: string, variant: string, covered: Uint8Array): void {
  for (let at = text.indexOf(variant); at >= 0; at = text.indexOf(variant, at + 1)) {
    covered.fill(1, at, at + variant.length);
  }
}

/** Marks every run of `text` made of pieces (8+ characters) of any secret (their `grams`). */
function _markPieces(text: string, grams: readonly ReadonlySet<string>[], covered: Uint8Array) {
  if (grams.length === 0 || text.length < PIECE) return;
  for (let i = 0; i + PIECE <= text.length; i++) {
    const window = text.slice(i, i + PIECE); // once per window, whatever the number of secrets
    if (grams.some((set) => set.has(window))) covered.fill(1, i, i + PIECE);
  }
}

/** The text with every marked run replaced by `***`. */
function _replaceCovered(text: string, covered: Uint8Array): string {
  if (!covered.includes(1)) return text;
  let out = "";
  for (let i = 0; i < text.length; i++) {
    if (!covered[i]) out += text[i];
    else if (i === 0 || !covered[i - 1]) out += "***";
  }
  return out;
}

function _base64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}
