import assert from "node:assert/strict";
import { dirname, join, normalize, relative } from "node:path";

// The areas in the order they may depend on one another: an area's product code imports only
// areas before it (tests may import anything). So reading results never needs the runner, and
// nothing in the product needs a test stand-in.
const LAYERS = [
  "data",
  "tasks",
  "judge",
  "ledger",
  "batch",
  "stats",
  "notebook",
  "plots",
  "trials",
  "runner",
  "sample",
  "testing",
];

// The imports that go against the order, each for a reason: every message passes one redaction
// point, and the keys file reports its problems as the config file does.
const EXCEPTIONS = new Set([
  "data/dataset_error.ts → judge/redact.ts",
  "data/fetch_source.ts → judge/redact.ts",
  "data/hub.ts → judge/redact.ts",
  "data/load_dataset.ts → judge/redact.ts",
  "judge/keys_file.ts → runner/config.ts",
  "judge/keys_file.ts → runner/_config_suggest.ts",
]);

const LIB = dirname(new URL(import.meta.url).pathname);

/** The `from "../area/file.ts"` of a module's code, comments (and so their examples) left out. */
function areaImports(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  return [...code.matchAll(/\bfrom\s+"(\.\.\/[a-z_]+\/[^"]+)"|\bimport\(\s*"(\.\.\/[^"]+)"/g)]
    .map((m) => (m[1] ?? m[2])!);
}

async function productFiles(): Promise<string[]> {
  const files: string[] = [];
  for (const area of LAYERS) {
    for await (const { name, isFile } of Deno.readDir(join(LIB, area))) {
      if (isFile && name.endsWith(".ts") && !/_test(_support)?\.ts$/.test(name)) {
        files.push(`${area}/${name}`);
      }
    }
  }
  return files.sort();
}

Deno.test("every area of lib/ has its place in the layers", async () => {
  const areas: string[] = [];
  for await (const { name, isDirectory } of Deno.readDir(LIB)) {
    if (isDirectory && !name.startsWith("_") && name !== "__snapshots__") areas.push(name);
  }
  assert.deepEqual(areas.sort(), [...LAYERS].sort());
});

Deno.test("lib/'s areas import only the areas below them, but for the exceptions named", async () => {
  const upward: string[] = [];
  for (const file of await productFiles()) {
    const area = file.split("/")[0]!;
    for (const specifier of areaImports(await Deno.readTextFile(join(LIB, file)))) {
      const target = relative(LIB, normalize(join(LIB, dirname(file), specifier)));
      if (LAYERS.indexOf(target.split("/")[0]!) > LAYERS.indexOf(area)) {
        upward.push(`${file} → ${target}`);
      }
    }
  }
  // Every exception is still needed, and nothing else goes up.
  assert.deepEqual([...new Set(upward)].sort(), [...EXCEPTIONS].sort());
});

Deno.test("the layers check sees imports that go up, and not those in examples", () => {
  const source = [
    '/**\n * ```ts\n * import { x } from "../testing/scripted_server.ts";\n * ```\n */',
    'import type { Ledger } from "../ledger/ledger.ts";',
    'import {\n  runBenchmark,\n} from "../runner/run_benchmark.ts";',
    'const m = await import("../sample/mod.ts");',
  ].join("\n");
  assert.deepEqual(areaImports(source), [
    "../ledger/ledger.ts",
    "../runner/run_benchmark.ts",
    "../sample/mod.ts",
  ]);
});
