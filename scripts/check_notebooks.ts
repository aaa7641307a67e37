/**
 * Checks notebooks: their formatting, and the types of their code cells, which the Deno kernel
 * runs without checking.
 *
 * Formatting: `deno fmt --check` misreports a notebook it has not seen before as unformatted
 * (Deno 2.9.6; `deno fmt` then rewrites identical bytes), so `.ipynb` files are excluded from
 * the project's `fmt` and checked here instead, by formatting each one through `deno fmt -`
 * and comparing. `--fix` writes the formatted notebook back.
 *
 * Types: `deno check` cannot read `.ipynb`, so each notebook's code cells are joined, in order,
 * into one module in a temporary folder and checked against the project's `deno.json` (strict
 * options and import map). Errors are reported against the notebook's cell numbers.
 *
 * Usage: `deno run -A scripts/check_notebooks.ts [--fix] [notebook.ipynb ...]` (default: every
 * notebook in `notebooks/` and `vignettes/`).
 *
 * @module
 */

import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

/** A notebook's code cells joined into one TypeScript module, with a map back to cells. */
export interface ExtractedNotebook {
  /** The module text. */
  source: string;
  /** For each line of `source` (0-based), the 1-based code-cell number it came from. */
  cellOfLine: number[];
}

/**
 * Joins a notebook's code cells into one module, each cell preceded by a marker comment.
 *
 * Jupyter magics (`%`, `!` lines) are not TypeScript and are commented out.
 *
 * @param notebook The parsed `.ipynb` JSON.
 * @returns The module text and its line-to-cell map.
 *
 * @example
 * ```ts
 * import { extractCode } from "./check_notebooks.ts";
 * import assert from "node:assert/strict";
 *
 * const { source, cellOfLine } = extractCode({
 *   cells: [{ cell_type: "code", source: ["const a = 1;\n", "a;"] }, { cell_type: "markdown", source: "x" }],
 * });
 * assert.equal(source, "// cell 1\nconst a = 1;\na;\n");
 * assert.deepEqual(cellOfLine, [1, 1, 1]);
 * ```
 */
export function extractCode(
  notebook: { cells?: { cell_type: string; source: string | string[] }[] },
): ExtractedNotebook {
  const lines: string[] = [];
  const cellOfLine: number[] = [];
  let cell = 0;
  for (const c of notebook.cells ?? []) {
    if (c.cell_type !== "code") continue;
    cell++;
    const text = Array.isArray(c.source) ? c.source.join("") : c.source;
    lines.push(`// cell ${cell}`);
    cellOfLine.push(cell);
    for (const line of text.split("\n")) {
      lines.push(/^\s*[%!]/.test(line) ? `// ${line}` : line);
      cellOfLine.push(cell);
    }
  }
  return { source: lines.length > 0 ? lines.join("\n") + "\n" : "", cellOfLine };
}

/** Every notebook under `notebooks/` and `vignettes/`, sorted. */
export async function projectNotebooks(): Promise<string[]> {
  const found: string[] = [];
  for (const folder of ["notebooks", "vignettes"]) {
    try {
      for await (const entry of Deno.readDir(join(root, folder))) {
        if (entry.isFile && entry.name.endsWith(".ipynb")) {
          found.push(join(root, folder, entry.name));
        }
      }
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  }
  return found.sort();
}

/**
 * A notebook as `deno fmt` would format it, under the project's configuration.
 *
 * @param text The notebook's JSON text.
 * @returns The formatted text.
 * @throws {Error} When `deno fmt` cannot parse it.
 */
export async function formatNotebook(text: string): Promise<string> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["fmt", "--config", join(root, "deno.json"), "--ext", "ipynb", "-"],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(text));
  await writer.close();
  const result = await child.output();
  if (!result.success) throw new Error(new TextDecoder().decode(result.stderr).trim());
  return new TextDecoder().decode(result.stdout);
}

async function main(args: string[]): Promise<number> {
  const fix = args.includes("--fix");
  const paths = args.filter((a) => a !== "--fix");
  const notebooks = paths.length > 0 ? paths.map((a) => resolve(a)) : await projectNotebooks();
  if (notebooks.length === 0) {
    console.log("no notebooks to check");
    return 0;
  }
  let unformatted = 0;
  for (const notebook of notebooks) {
    const text = await Deno.readTextFile(notebook);
    const formatted = await formatNotebook(text);
    if (formatted === text) continue;
    if (fix) {
      await Deno.writeTextFile(notebook, formatted);
      console.log(`formatted  ${relative(root, notebook)}`);
    } else {
      console.error(`not formatted: ${relative(root, notebook)} (run: deno task fmt)`);
      unformatted++;
    }
  }
  const dir = await Deno.makeTempDir({ prefix: "preceptron-nbcheck-" });
  const maps = new Map<string, { notebook: string; cellOfLine: number[] }>();
  const files: string[] = [];
  try {
    for (const notebook of notebooks) {
      const { source, cellOfLine } = extractCode(JSON.parse(await Deno.readTextFile(notebook)));
      const name = relative(root, notebook).replace(/[\\/]/g, "__").replace(/\.ipynb$/, ".ts");
      const file = join(dir, name);
      await Deno.writeTextFile(file, source);
      maps.set(file, { notebook: relative(root, notebook), cellOfLine });
      files.push(file);
    }
    const result = await new Deno.Command(Deno.execPath(), {
      args: ["check", "--quiet", "--config", join(root, "deno.json"), ...files],
      stdout: "piped",
      stderr: "piped",
      env: { NO_COLOR: "1" },
    }).output();
    const text = new TextDecoder().decode(result.stdout) + new TextDecoder().decode(result.stderr);
    // Point each error at the notebook cell it came from.
    const report = text.replace(
      /file:\/\/(\S+?\.ts):(\d+):(\d+)/g,
      (match, path: string, line: string, column: string) => {
        const map = maps.get(path);
        if (!map) return match;
        const cell = map.cellOfLine[Number(line) - 1] ?? "?";
        return `${map.notebook} (code cell ${cell}, line ${line} of the joined cells, column ${column})`;
      },
    );
    if (!result.success) {
      console.error(report.trim());
      console.error(`\nnotebook type check failed (${notebooks.length} notebooks checked)`);
      return 1;
    }
    if (unformatted > 0) {
      console.error(`${unformatted} of ${notebooks.length} notebooks not formatted`);
      return 1;
    }
    for (const notebook of notebooks) console.log(`ok  ${relative(root, notebook)}`);
    console.log(`notebook format and type check passed (${notebooks.length} notebooks)`);
    return 0;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
