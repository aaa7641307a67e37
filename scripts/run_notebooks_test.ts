import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureJupyter, jupyterPython } from "./_jupyter.ts";
import {
  formatReport,
  main,
  type NotebookResult,
  outputPath,
  runNotebook,
} from "./run_notebooks.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const SCRIPT = fileURLToPath(new URL("run_notebooks.ts", import.meta.url));

/** A cell to write: code as a string, markdown wrapped in an object. */
type CellSpec = string | { markdown: string };

interface Output {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, unknown>;
  execution_count?: number | null;
  ename?: string;
  evalue?: string;
}

interface Cell {
  cell_type: string;
  execution_count?: number | null;
  outputs?: Output[];
}

async function writeNotebook(path: string, cells: CellSpec[]): Promise<void> {
  const notebook = {
    cells: cells.map((cell, i) =>
      typeof cell === "string"
        ? {
          cell_type: "code",
          id: `c${i}`,
          execution_count: null,
          metadata: {},
          outputs: [],
          source: cell,
        }
        : { cell_type: "markdown", id: `c${i}`, metadata: {}, source: cell.markdown }
    ),
    metadata: {
      kernelspec: { name: "deno", display_name: "Deno", language: "typescript" },
    },
    nbformat: 4,
    nbformat_minor: 5,
  };
  await writeFile(path, JSON.stringify(notebook, null, 1));
}

async function readCells(path: string): Promise<Cell[]> {
  return (JSON.parse(await readFile(path, "utf8")) as { cells: Cell[] }).cells;
}

/** nbformat stores multi-line strings as lists of lines. */
function text(value: unknown): string {
  return Array.isArray(value) ? value.join("") : String(value);
}

/** Run the CLI as a user would; the tests share nothing with it but files. */
async function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const result = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", SCRIPT, ...args],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: result.code, stdout: decode(result.stdout), stderr: decode(result.stderr) };
}

async function withTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "run_notebooks_test_" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("run_notebooks.ts keeps every output of a 30-cell notebook over 5 runs", async () => {
  await withTempDir(async (dir) => {
    const notebook = join(dir, "many.ipynb");
    const cells: CellSpec[] = [];
    for (let i = 0; i < 30; i++) {
      // Markdown cells in between: positions and execution counts must not get mixed up.
      if (i % 10 === 5) cells.push({ markdown: `## Part ${i}` });
      cells.push(`console.log("out-${i}");\n({ cell: ${i}, v: ${i * 7} })`);
    }
    await writeNotebook(notebook, cells);
    const out = join(dir, "out");
    const executed = outputPath(notebook, out);

    const runs = 5;
    const problems: string[] = [];
    for (let run = 1; run <= runs; run++) {
      const { code, stdout, stderr } = await runCli(["--out", out, notebook]);
      assert.equal(code, 0, `run ${run} failed:\n${stdout}\n${stderr}`);
      const codeCells = (await readCells(executed)).filter((c) => c.cell_type === "code");
      assert.equal(codeCells.length, 30);
      codeCells.forEach((cell, i) => {
        const outputs = cell.outputs ?? [];
        const streams = outputs.filter((o) => o.output_type === "stream");
        const results = outputs.filter((o) => o.output_type === "execute_result");
        const ok = outputs.length === 2 &&
          streams.length === 1 && streams[0]!.name === "stdout" &&
          text(streams[0]!.text) === `out-${i}\n` &&
          results.length === 1 &&
          text(results[0]!.data?.["text/plain"]) === `{ cell: ${i}, v: ${i * 7} }` &&
          results[0]!.execution_count === i + 1 &&
          cell.execution_count === i + 1;
        if (!ok) problems.push(`run ${run}, code cell ${i}: ${JSON.stringify(outputs)}`);
      });
    }
    assert.deepEqual(problems, [], `${problems.length} of ${runs * 30} cells lost or misplaced`);
  });
});

Deno.test("run_notebooks.ts names the failing cell and still runs the rest", async () => {
  await withTempDir(async (dir) => {
    const bad = join(dir, "bad.ipynb");
    const good = join(dir, "good.ipynb");
    await writeNotebook(bad, [
      'console.log("first")',
      { markdown: "The next cell throws." },
      'throw new Error("planned failure")',
      'console.log("never")',
    ]);
    await writeNotebook(good, ["1 + 1"]);
    const out = join(dir, "out");

    const { code, stdout } = await runCli(["--out", out, bad, good]);
    assert.equal(code, 1);
    assert.match(stdout, /bad\.ipynb\s+2\/3\s+FAILED at cell 3: Error: planned failure/);
    assert.match(stdout, /good\.ipynb\s+1\s+ok/);
    assert.match(stdout, /2 notebooks: 1 ok, 1 failed/);

    const cells = await readCells(outputPath(bad, out));
    assert.equal(text(cells[0]!.outputs?.[0]?.text), "first\n");
    const error = cells[2]!.outputs?.find((o) => o.output_type === "error");
    assert.equal(error?.ename, "Error");
    assert.equal(error?.evalue, "planned failure");
    // The cell after the failure never ran.
    assert.deepEqual(cells[3]!.outputs, []);
    assert.equal(cells[3]!.execution_count, null);

    const goodCells = await readCells(outputPath(good, out));
    assert.equal(text(goodCells[0]!.outputs?.[0]?.data?.["text/plain"]), "2");
  });
});

Deno.test("run_notebooks.ts fails a cell that outlives --timeout", async () => {
  await withTempDir(async (dir) => {
    const notebook = join(dir, "slow.ipynb");
    await writeNotebook(notebook, [
      "1",
      "await new Promise((resolve) => setTimeout(resolve, 60_000))",
      "3",
    ]);
    const started = performance.now();
    const { code, stdout } = await runCli(["--timeout", "1", "--out", join(dir, "out"), notebook]);
    assert.equal(code, 1);
    assert.match(stdout, /slow\.ipynb\s+2\/3\s+FAILED at cell 2: Timeout/);
    assert.ok(performance.now() - started < 30_000, "the stuck kernel was waited for");
  });
});

Deno.test("run_notebooks.ts keeps SVG, PNG, HTML, JSON and display updates", async () => {
  await withTempDir(async (dir) => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect/></svg>';
    const png =
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
    const notebook = join(dir, "rich.ipynb");
    await writeNotebook(notebook, [
      `await Deno.jupyter.display(Deno.jupyter.svg\`${svg}\`)`,
      `({ outerHTML: '${svg}' })`,
      `Uint8Array.from(atob("${png}"), (c) => c.charCodeAt(0))`,
      'await Deno.jupyter.display({ "text/plain": "plain", "text/html": "<b>bold</b>", ' +
      '"application/json": { a: 1 } }, { raw: true })',
      'await Deno.jupyter.display({ "text/plain": "v1" }, { raw: true, display_id: "bar" })',
      'await Deno.jupyter.display({ "text/plain": "v2" }, ' +
      '{ raw: true, display_id: "bar", update: true })',
    ]);
    const out = join(dir, "out");
    const { code, stdout, stderr } = await runCli(["--out", out, notebook]);
    assert.equal(code, 0, `${stdout}\n${stderr}`);

    const cells = await readCells(outputPath(notebook, out));
    const only = (i: number) => {
      assert.equal(cells[i]!.outputs?.length, 1, JSON.stringify(cells[i]));
      return cells[i]!.outputs![0]!;
    };
    assert.equal(only(0).output_type, "display_data");
    assert.equal(text(only(0).data?.["image/svg+xml"]), svg);
    assert.equal(only(1).output_type, "execute_result");
    assert.equal(text(only(1).data?.["image/svg+xml"]), svg);
    assert.equal(text(only(2).data?.["image/png"]).trim(), png);
    const bundle = only(3).data ?? {};
    assert.equal(text(bundle["text/plain"]), "plain");
    assert.equal(text(bundle["text/html"]), "<b>bold</b>");
    assert.deepEqual(bundle["application/json"], { a: 1 });
    // The update replaces the shown value in place; the updating cell shows nothing itself.
    assert.equal(text(only(4).data?.["text/plain"]), "v2");
    assert.deepEqual(cells[5]!.outputs, []);
    // Signed, so that this user's Jupyter opens it trusted and shows its SVG and HTML.
    assert.equal(await trusted(outputPath(notebook, out)), "True");
    assert.equal(await trusted(notebook), "False");
  });
});

/** Whether Jupyter trusts a notebook (its signature is in this user's signature store). */
async function trusted(path: string): Promise<string> {
  const check = "import sys, nbformat\nfrom nbformat.sign import NotebookNotary\n" +
    "print(NotebookNotary().check_signature(nbformat.read(sys.argv[1], as_version=4)))";
  const { stdout } = await new Deno.Command(jupyterPython(), { args: ["-c", check, path] })
    .output();
  return new TextDecoder().decode(stdout).trim();
}

Deno.test("run_notebooks.ts routes output published after a cell went idle", async () => {
  await withTempDir(async (dir) => {
    const notebook = join(dir, "late.ipynb");
    await writeNotebook(notebook, [
      'setTimeout(() => console.log("late-from-first"), 300);\n"first"',
      'await new Promise((resolve) => setTimeout(resolve, 1500));\n"second"',
      '"third"',
      'setTimeout(() => console.log("late-from-last"), 300);\n"last"',
    ]);
    const out = join(dir, "out");
    const { code, stdout, stderr } = await runCli(["--out", out, notebook]);
    assert.equal(code, 0, `${stdout}\n${stderr}`);

    const shown = (await readCells(outputPath(notebook, out))).map((cell) =>
      (cell.outputs ?? []).map((o) =>
        o.output_type === "stream" ? text(o.text) : text(o.data?.["text/plain"])
      )
    );
    // Like a Jupyter front end: output goes to the cell running when it was published...
    assert.deepEqual(shown[0], ['"first"']);
    assert.deepEqual(shown[1], ["late-from-first\n", '"second"']);
    assert.deepEqual(shown[2], ['"third"']);
    // ...or, after the last cell went idle, to the last cell; a stock runner loses this one.
    assert.deepEqual(shown[3], ['"last"', "late-from-last\n"]);
    assert.match(stdout, /\([1-9]\d* late outputs kept\)/);
  });
});

Deno.test("ensureJupyter() accepts the system Python and explains a missing one", async () => {
  await ensureJupyter({ install: false });
  await assert.rejects(
    ensureJupyter({ python: "/nonexistent/python3", install: false }),
    /apt-get install -y python3-nbclient jupyter-client jupyter-nbconvert/,
  );
});

Deno.test("outputPath() mirrors the project layout under the output folder", () => {
  assert.equal(
    outputPath(join(ROOT, "vignettes", "use-judge.ipynb"), join(ROOT, "out"), ROOT),
    join(ROOT, "out", "vignettes", "use-judge.ipynb"),
  );
  assert.equal(
    outputPath("/elsewhere/x/nb.ipynb", "/tmp/o", "/project"),
    Deno.cwd() === "/" ? "/tmp/o/elsewhere/x/nb.ipynb" : "/tmp/o/nb.ipynb",
  );
});

Deno.test("formatReport() shows the failing cell and a summary line", () => {
  const base: NotebookResult = {
    path: "vignettes/a.ipynb",
    output: "out/vignettes/a.ipynb",
    cells: 12,
    executed: 12,
    ok: true,
    failedCell: null,
    error: null,
    late: 2,
    dropped: 0,
    seconds: 3.25,
    log: "",
  };
  const report = formatReport([
    base,
    { ...base, path: "b.ipynb", executed: 4, ok: false, failedCell: 5, error: "TypeError: x" },
  ]);
  assert.equal(
    report,
    [
      "notebook           cells  status                          seconds",
      "vignettes/a.ipynb  12     ok                              3.3",
      "b.ipynb            4/12   FAILED at cell 5: TypeError: x  3.3",
      "2 notebooks: 1 ok, 1 failed in 6.5 s (4 late outputs kept)",
      "",
    ].join("\n"),
  );
});

Deno.test("main() rejects a bad --timeout before running anything", async () => {
  const errors: string[] = [];
  const original = console.error;
  console.error = (line: string) => errors.push(line);
  try {
    assert.equal(await main(["--timeout", "0", "x.ipynb"]), 2);
  } finally {
    console.error = original;
  }
  assert.match(errors.join("\n"), /--timeout must be a positive number/);
});

Deno.test("formatReport() fails a notebook that lost outputs and counts them", () => {
  const lost: NotebookResult = {
    path: "a.ipynb",
    output: "out/a.ipynb",
    cells: 2,
    executed: 2,
    ok: false,
    failedCell: null,
    error: "2 outputs could not be routed to a cell and were lost",
    late: 1,
    dropped: 2,
    seconds: 1,
    log: "",
  };
  const report = formatReport([lost]);
  assert.match(report, /a\.ipynb\s+2\/2\s+FAILED: 2 outputs could not be routed to a cell/);
  assert.match(
    report,
    /1 notebook: 0 ok, 1 failed in 1\.0 s \(1 late outputs kept, 2 LOST: no cell to route them to\)/,
  );
});

Deno.test("execute_notebook.py counts an output it cannot route and fails the run", async () => {
  // The driver's own routing and verdict, without a kernel: a message whose parent request is
  // unknown (and no execution count to go by) has no cell to go to.
  const script = `
import json, sys
sys.path.insert(0, ${JSON.stringify(join(ROOT, "scripts"))})
import nbformat
import execute_notebook as ex

nb = nbformat.v4.new_notebook()
nb.cells = [nbformat.v4.new_code_cell("1")]
run = ex.NotebookRun(nb, None, None, 10)
ok_before = ex.verdict(run)
run.owner_by_msg["m1"] = 0
def stream(parent, text):
    return {"msg_type": "stream", "content": {"name": "stdout", "text": text},
            "parent_header": {"msg_id": parent}}
run.handle_iopub(stream("m1", "kept\\n"))
run.handle_iopub(stream("unknown", "lost\\n"))
run.handle_iopub({"msg_type": "display_data", "content": {"data": {"text/plain": "x"}},
                  "parent_header": {}})
print(json.dumps({"before": ok_before, "dropped": run.dropped, "verdict": ex.verdict(run),
                  "kept": [o["text"] for o in nb.cells[0].outputs]}))
`;
  const result = await new Deno.Command(jupyterPython(), {
    args: ["-c", script],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(result.stderr);
  assert.equal(result.code, 0, stderr);
  assert.deepEqual(JSON.parse(new TextDecoder().decode(result.stdout)), {
    before: [true, null, null],
    dropped: 2,
    verdict: [false, null, "2 outputs could not be routed to a cell and were lost"],
    kept: ["kept\n"],
  });
  assert.match(stderr, /no cell for a late stream/);
});

Deno.test("runNotebook() fails a notebook whose driver reports lost outputs", async () => {
  await withTempDir(async (dir) => {
    const notebook = join(dir, "nb.ipynb");
    await writeNotebook(notebook, ["1"]);
    // A stand-in driver that reports success but 2 outputs it could not route.
    const fake = join(dir, "fake-python.sh");
    const summary = {
      cells: 1,
      executed: 1,
      outputs: 1,
      ok: true,
      failed_cell: null,
      error: null,
      dropped: 2,
      late: 0,
    };
    await writeFile(fake, `#!/bin/sh\necho '${JSON.stringify(summary)}'\n`);
    await Deno.chmod(fake, 0o755);
    const saved = Deno.env.get("PRECEPTRON_PYTHON");
    Deno.env.set("PRECEPTRON_PYTHON", fake);
    let result: NotebookResult;
    try {
      result = await runNotebook(notebook, { outDir: join(dir, "out"), root: dir });
    } finally {
      if (saved === undefined) Deno.env.delete("PRECEPTRON_PYTHON");
      else Deno.env.set("PRECEPTRON_PYTHON", saved);
    }
    assert.equal(result.ok, false);
    assert.equal(result.dropped, 2);
    assert.equal(result.error, "2 outputs could not be routed to a cell and were lost");
  });
});
