import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { makeClient } from "./providers.ts";
import { ConfigError } from "../runner/config.ts";
import { loadKeysFile, parseKeysFile } from "./keys_file.ts";
import { configError, tempDir } from "../runner/_fixtures_test_support.ts";

const problemsOf = (text: string) => configError(() => parseKeysFile(text)).problems;

Deno.test("parseKeysFile() maps PrecepTron's config.ini layout, Azure included, to variables", () => {
  const keys = parseKeysFile(`[api_keys]
openai = sk-test-openai-0000
openrouter = sk-or-test-0000
anthropic = sk-ant-test-0000

[azure]
api_key = azure-test-0000
endpoint = https://your-endpoint.openai.azure.com
api_version = 2024-12-01-preview
`);
  assert.deepEqual(keys, {
    OPENAI_API_KEY: "sk-test-openai-0000",
    OPENROUTER_API_KEY: "sk-or-test-0000",
    ANTHROPIC_API_KEY: "sk-ant-test-0000",
    AZURE_OPENAI_API_KEY: "azure-test-0000",
    AZURE_OPENAI_ENDPOINT: "https://your-endpoint.openai.azure.com",
    OPENAI_API_VERSION: "2024-12-01-preview",
  });
  // The names are the ones the providers read.
  assert.ok("chat" in makeClient({ provider: "azure", model_id: "my-deployment" }, keys));
  assert.ok("messages" in makeClient({ provider: "anthropic", model_id: "claude-x" }, keys));
});

Deno.test("parseKeysFile() reads configparser's syntax: comments, ':' or '=', case, quotes, blanks", () => {
  const keys = parseKeysFile(
    "\uFEFF# keys for the benchmark\r\n" +
      "; another comment\r\n" +
      "\r\n" +
      "  [API_KEYS]   # header comment\r\n" +
      "  OpenAI   :   sk-test-0000   # inline comment after a space\r\n" +
      "anthropic='sk-ant-#;-0000' ; quoted: kept verbatim\r\n" +
      "[azure]\r\n" +
      'api_version = "2024-12-01-preview"\r\n' +
      "endpoint=https://x.openai.azure.com/#frag\r\n" +
      "[env]\r\n" +
      "preceptron_base_url = http://127.0.0.1:8000/v1\r\n" +
      "PRECEPTRON_MODEL = med42\r\n",
  );
  assert.deepEqual(keys, {
    OPENAI_API_KEY: "sk-test-0000",
    ANTHROPIC_API_KEY: "sk-ant-#;-0000",
    OPENAI_API_VERSION: "2024-12-01-preview",
    AZURE_OPENAI_ENDPOINT: "https://x.openai.azure.com/#frag",
    PRECEPTRON_BASE_URL: "http://127.0.0.1:8000/v1",
    PRECEPTRON_MODEL: "med42",
  });
});

Deno.test("parseKeysFile() skips empty values and <placeholders>", () => {
  assert.deepEqual(
    parseKeysFile(`[api_keys]
openai =
openrouter = ""
anthropic = <your Anthropic key>
[azure]
api_key =
endpoint = <https://your-resource.openai.azure.com>
api_version = 2024-12-01-preview
`),
    { OPENAI_API_VERSION: "2024-12-01-preview" },
  );
  assert.deepEqual(parseKeysFile(""), {});
  assert.deepEqual(parseKeysFile("# nothing yet\n[api_keys]\n"), {});
});

Deno.test("parseKeysFile() names unknown sections and keys, with near misses, all at once", () => {
  const problems = problemsOf(`[api_keys]
opneai = sk-test-0000
google = g-0000
[azure]
apikey = a-0000
deployment = gpt-4o
[evn]
OPENAI_API_KEY = sk-test-0000
[env]
OPENAI_KEY = sk-test-0000
HF_TOKEN = hf-0000
`);
  assert.deepEqual(problems.map((p) => [p.line, p.path]), [
    [2, "[api_keys] opneai"],
    [3, "[api_keys] google"],
    [5, "[azure] apikey"],
    [6, "[azure] deployment"],
    [7, "[evn]"],
    [10, "[env] OPENAI_KEY"],
    [11, "[env] HF_TOKEN"],
  ]);
  const messages = problems.map((p) => p.message);
  assert.match(messages[0]!, /unknown key "opneai" in \[api_keys\] \(did you mean "openai"\?\)/);
  assert.match(messages[1]!, /known keys: openai, openrouter, anthropic/);
  assert.match(messages[2]!, /did you mean "api_key"\?/);
  assert.match(messages[3]!, /known keys: api_key, endpoint, api_version/);
  assert.match(
    messages[4]!,
    /unknown section \[evn\] \(did you mean "env"\?\); known sections: \[api_keys\], \[azure\], \[env\]/,
  );
  assert.match(
    messages[5]!,
    /unknown variable "OPENAI_KEY" in \[env\] \(did you mean "OPENAI_API_KEY"\?\)/,
  );
  assert.match(messages[6]!, /known: OPENAI_API_KEY, .*PRECEPTRON_API_KEY/);
});

Deno.test("parseKeysFile() rejects keys outside a section, bad lines, repeats and conflicts", () => {
  const problems = problemsOf(`openai = sk-test-0000
[api_keys]
just-a-line-without-a-separator
openai = sk-test-0000
openai = sk-test-1111
anthropic = "sk-ant-unclosed
[env]
OPENAI_API_KEY = sk-test-2222
[api_keys]
`);
  assert.deepEqual(problems.map((p) => [p.line, p.path]), [
    [1, "openai"],
    [3, ""],
    [5, "[api_keys] openai"],
    [6, "[api_keys] anthropic"],
    [8, "[env] OPENAI_API_KEY"],
    [9, "[api_keys]"],
  ]);
  const messages = problems.map((p) => p.message);
  assert.match(messages[0]!, /"openai" comes before any section; put it under \[api_keys\]/);
  assert.equal(messages[1], 'line 3: expected "[section]" or "name = value"');
  assert.match(messages[2]!, /given twice \(first at line 4\)/);
  assert.match(messages[3]!, /quote is not closed/);
  assert.match(
    messages[4]!,
    /OPENAI_API_KEY is set twice: by \[api_keys\] openai \(line 4\) and by \[env\] OPENAI_API_KEY \(line 8\)/,
  );
  assert.match(messages[5]!, /section \[api_keys\] appears twice \(first at line 2\)/);
});

Deno.test("parseKeysFile() never puts a value from the file into an error", () => {
  const secret = "sk-proj-Zq8vT3xXSECRETSECRETabcdefghijklmnop";
  const text = [
    `openai = ${secret}1`, // outside a section
    "[api_keys]",
    `opneai = ${secret}2`, // unknown key
    `${secret}3`, // a pasted key on its own line
    `${secret}4 = x`, // a key where a name should be
    `openai = "${secret}5`, // unclosed quote
    `openai = ${secret}6`,
    `openai = ${secret}7`, // repeated
    `[${secret}8]`, // a key as a section name
    "[env]",
    `${secret.slice(0, 20)}9 = y`,
    `OPENAI_API_KEY = ${secret}10`,
    `ANTHROPIC_API_KEY: ${secret}:11`,
  ].join("\n");
  const error = configError(() => parseKeysFile(text, { source: "config.ini" }));
  assert.ok(error.problems.length >= 8, error.message);
  assert.match(error.message, /^config\.ini: \d+ problems in the keys file:/);
  assert.doesNotMatch(error.message, /SECRET|Zq8vT3|sk-proj/);
  for (const problem of error.problems) {
    assert.doesNotMatch(`${problem.path} ${problem.message}`, /SECRET|Zq8vT3|sk-proj/);
  }
  assert.match(error.message, /name not shown/);
});

Deno.test("loadKeysFile() reads a file and says when it is missing", async () => {
  await using dir = await tempDir();
  const path = join(dir.path, "config.ini");
  await Deno.writeTextFile(path, "[api_keys]\nanthropic = sk-ant-test-0000\n");
  assert.deepEqual(await loadKeysFile(path), { ANTHROPIC_API_KEY: "sk-ant-test-0000" });
  await Deno.writeTextFile(path, "[api_key]\nopenai = sk-test-0000\n");
  await assert.rejects(
    () => loadKeysFile(path),
    (e: unknown) =>
      e instanceof ConfigError && e.message.startsWith(`${path}: 1 problem in the keys file`) &&
      /did you mean "api_keys"/.test(e.message),
  );
  await assert.rejects(
    () => loadKeysFile(join(dir.path, "nope.ini")),
    (e: unknown) => e instanceof ConfigError && /no keys file at/.test(e.message),
  );
});

Deno.test("data/config.example.ini holds placeholders only", async () => {
  const path = fileURLToPath(new URL("../../data/config.example.ini", import.meta.url));
  const keys = await loadKeysFile(path);
  // No credential: the only value set is Azure's API version.
  assert.deepEqual(keys, { OPENAI_API_VERSION: "2024-12-01-preview" });
  const text = await Deno.readTextFile(path);
  for (const section of ["[api_keys]", "[azure]", "[env]"]) assert.ok(text.includes(section));
});
