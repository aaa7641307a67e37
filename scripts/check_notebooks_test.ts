import assert from "node:assert/strict";
import { join } from "node:path";
import { extractCode, formatNotebook } from "./check_notebooks.ts";

function notebook(...cells: [string, string][]) {
  return {
    cells: cells.map(([cell_type, source]) => ({ cell_type, metadata: {}, source, outputs: [] })),
    metadata: { language_info: { name: "typescript" } },
    nbformat: 4,
    nbformat_minor: 5,
  };
}

Deno.test("extractCode() joins code cells in order and comments out Jupyter magics", () => {
  const { source, cellOfLine } = extractCode(
    notebook(["code", "const a = 1;"], ["markdown", "# x"], ["code", "%time\na + 1;"]),
  );
  assert.equal(source, "// cell 1\nconst a = 1;\n// cell 2\n// %time\na + 1;\n");
  assert.deepEqual(cellOfLine, [1, 1, 2, 2, 2]);
});

Deno.test("formatNotebook() formats the code inside a notebook", async () => {
  const text = JSON.stringify(notebook(["code", "const  a=[1,2 ]"]), null, 1);
  const formatted = JSON.parse(await formatNotebook(text));
  assert.equal(formatted.cells[0].source, "const a = [1, 2];");
});

Deno.test("check_notebooks.ts fails on a type error and names the notebook and cell", async () => {
  const dir = await Deno.makeTempDir({ prefix: "preceptron-nbcheck-test-" });
  const path = join(dir, "typed.ipynb");
  const text = JSON.stringify(
    notebook(["code", "const n = 1;\n"], ["code", 'const s: number = "x";\n']),
  );
  await Deno.writeTextFile(path, await formatNotebook(text));
  const script = new URL("./check_notebooks.ts", import.meta.url).pathname;
  const result = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", script, path],
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  const stderr = new TextDecoder().decode(result.stderr);
  assert.equal(result.success, false, stderr + new TextDecoder().decode(result.stdout));
  assert.match(stderr, /TS2322/);
  assert.match(stderr, /typed\.ipynb \(code cell 2, line \d+ of the joined cells/);
  await Deno.remove(dir, { recursive: true });
});
