/**
 * Does headless execution keep every output? Our runner against stock `jupyter nbconvert
 * --execute`, on the same 30-cell notebook, several runs each (the Deno kernel may publish a
 * cell's output after reporting the cell idle).
 *
 * Usage: `deno run -A bench/notebook_runner_bench.ts [--runs N]` (default 5). Needs Debian's
 * Jupyter packages (the runner installs them when it can).
 *
 * @module
 */

import { join } from "node:path";
import { ensureJupyter, installKernelSpec, KERNEL_NAME } from "../scripts/_jupyter.ts";
import { runNotebook } from "../scripts/run_notebooks.ts";

const CELLS = 30;
const runs = Number(Deno.args[Deno.args.indexOf("--runs") + 1] ?? 5) || 5;

interface Cell {
  cell_type: string;
  outputs?: { output_type: string; text?: string | string[]; data?: Record<string, unknown> }[];
}

function notebook(): unknown {
  const cells = Array.from({ length: CELLS }, (_, i) => ({
    cell_type: "code",
    metadata: {},
    execution_count: null,
    outputs: [],
    source: `console.log("out-${i}");\n({ cell: ${i}, v: ${i * 7} })`,
  }));
  return {
    cells,
    metadata: {
      kernelspec: { name: KERNEL_NAME, display_name: "Deno", language: "typescript" },
      language_info: { name: "typescript" },
    },
    nbformat: 4,
    nbformat_minor: 5,
  };
}

/** Code cells whose stdout or result is missing or wrong. */
async function wrongCells(path: string): Promise<number> {
  const nb = JSON.parse(await Deno.readTextFile(path)) as { cells: Cell[] };
  let wrong = 0;
  nb.cells.filter((c) => c.cell_type === "code").forEach((cell, i) => {
    const outputs = cell.outputs ?? [];
    const text = outputs.filter((o) => o.output_type === "stream")
      .map((o) => Array.isArray(o.text) ? o.text.join("") : o.text ?? "").join("");
    const result = outputs.find((o) => o.output_type === "execute_result");
    const plain = String(result?.data?.["text/plain"] ?? "");
    if (text !== `out-${i}\n` || !plain.includes(`v: ${i * 7}`)) wrong++;
  });
  return wrong;
}

await ensureJupyter();
const dir = await Deno.makeTempDir({ prefix: "preceptron-nbbench-" });
try {
  const source = join(dir, "thirty.ipynb");
  await Deno.writeTextFile(source, JSON.stringify(notebook()));
  const jupyterDir = join(dir, "jupyter");
  await installKernelSpec(jupyterDir);
  const ours: number[] = [];
  const stock: number[] = [];
  for (let r = 0; r < runs; r++) {
    const result = await runNotebook(source, { outDir: join(dir, `ours-${r}`), root: dir });
    ours.push(result.ok ? await wrongCells(result.output) : CELLS);
    const out = join(dir, `stock-${r}.ipynb`);
    const nbconvert = await new Deno.Command("/usr/bin/jupyter", {
      args: [
        "nbconvert",
        "--to",
        "notebook",
        "--execute",
        `--ExecutePreprocessor.kernel_name=${KERNEL_NAME}`,
        "--output",
        out,
        source,
      ],
      env: { JUPYTER_PATH: jupyterDir },
      stdout: "null",
      stderr: "null",
    }).output();
    stock.push(nbconvert.success ? await wrongCells(out) : CELLS);
  }
  const row = (name: string, xs: number[]) =>
    `| ${name.padEnd(27)} | ${String(runs).padStart(4)} | ${xs.join(", ").padEnd(20)} | ${
      String(xs.reduce((a, b) => a + b, 0)).padStart(11)
    } |`;
  console.log(`${CELLS}-cell notebook, each cell printing a line and returning a value\n`);
  console.log(`| runner                      | runs | cells wrong per run  | total wrong |`);
  console.log(`|-----------------------------|-----:|----------------------|------------:|`);
  console.log(row("scripts/run_notebooks.ts", ours));
  console.log(row("jupyter nbconvert --execute", stock));
} finally {
  await Deno.remove(dir, { recursive: true });
}
