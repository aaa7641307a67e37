import assert from "node:assert/strict";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pl from "nodejs-polars";
import { installFrameDisplay } from "./install_frame_display.ts";
import { rounded } from "./rounded.ts";

const DISPLAY = Symbol.for("Jupyter.display");
const ROOT = fileURLToPath(new URL("../..", import.meta.url));

function bundleOf(frame: pl.DataFrame): Record<string, string> {
  return (frame as unknown as Record<symbol, () => Record<string, string>>)[DISPLAY]!();
}

Deno.test("installFrameDisplay() reaches frames made inside nodejs-polars too", async () => {
  const uninstall = installFrameDisplay();
  try {
    const base = pl.DataFrame({ judge: ["a", "b", "a"], r: [0.123456, 2.2083333333333335, 1] });
    const made: Record<string, pl.DataFrame> = {
      "pl.DataFrame": base,
      "pl.readCSV": pl.readCSV("judge,r\na,1.5\n"),
      filter: base.filter(pl.col("r").gt(0.5)),
      select: base.select("r"),
      head: base.head(2),
      sort: base.sort("r"),
      withColumns: base.withColumns(pl.col("r").mul(2).alias("r2")),
      "groupBy().agg": base.groupBy("judge").agg(pl.col("r").mean()),
      join: base.join(base, { on: "judge" }),
      "lazy().collectSync": base.lazy().filter(pl.col("r").lt(2)).collectSync(),
      "lazy().collect": await base.lazy().collect(),
      "rounded()": rounded(base),
    };
    for (const [how, frame] of Object.entries(made)) {
      const bundle = bundleOf(frame);
      assert.deepEqual(Object.keys(bundle).sort(), ["text/html", "text/plain"], how);
      assert.match(bundle["text/plain"]!, / rows? × \d+ columns?\n┌/, how);
      assert.match(bundle["text/html"]!, /<caption[^>]*>\d+ rows? × \d+ columns?/, how);
    }
    assert.match(bundleOf(made.filter!)["text/plain"]!, /2\.208/);
    // A frame is still a frame: columns, indexing and the Proxy's other traps are untouched.
    assert.deepEqual(base.columns, ["judge", "r"]);
    assert.deepEqual(Object.keys(base), ["judge", "r"]);
    assert.ok(DISPLAY in base);
  } finally {
    uninstall();
  }
});

Deno.test("installFrameDisplay() twice installs once, and its undo restores Polars' display", () => {
  const uninstall = installFrameDisplay();
  const again = installFrameDisplay();
  again(); // a no-op: the first installation stays
  assert.ok("text/plain" in bundleOf(pl.DataFrame({ x: [1] })));
  uninstall();
  const polars = bundleOf(pl.DataFrame({ x: [1] }));
  if (!("text/plain" in polars)) {
    // This isolate had no other installation: Polars' own bundle is back.
    assert.ok("application/vnd.dataresource+json" in polars);
  }
});

/** The kit's notebook runner, as a user runs it; see scripts/run_notebooks_test.ts. */
async function runNotebooks(args: string[]): Promise<{ code: number; output: string }> {
  const result = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", join(ROOT, "scripts", "run_notebooks.ts"), ...args],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: result.code, output: decode(result.stdout) + decode(result.stderr) };
}

Deno.test("in a real kernel, a frame cell's result has text/plain and text/html", async () => {
  // Inside the project, so the kernel finds deno.json and `import ... from "preceptron"`.
  await mkdir(join(ROOT, ".cache"), { recursive: true });
  const dir = await Deno.makeTempDir({ dir: join(ROOT, ".cache"), prefix: "frame_display_test_" });
  try {
    const source = [
      'import pl from "nodejs-polars";',
      'import { rounded } from "preceptron";',
      "const frame = pl.DataFrame({ i: Array.from({ length: 30 }, (_, i) => i / 3), t: " +
      'Array.from({ length: 30 }, () => "<script>x</script>") });',
      'frame.filter(pl.col("i").gt(0))',
    ].join("\n");
    const notebook = {
      cells: [
        { cell_type: "code", id: "c0", execution_count: null, metadata: {}, outputs: [], source },
      ],
      metadata: { kernelspec: { name: "deno", display_name: "Deno", language: "typescript" } },
      nbformat: 4,
      nbformat_minor: 5,
    };
    const path = join(dir, "frame.ipynb");
    await writeFile(path, JSON.stringify(notebook));
    const { code, output } = await runNotebooks(["--out", join(dir, "out"), path]);
    assert.equal(code, 0, output);
    const executed = join(dir, "out", ".cache", dir.split("/").at(-1)!, "frame.ipynb");
    const cell = JSON.parse(await readFile(executed, "utf8")).cells[0];
    const result = cell.outputs.find((o: { output_type: string }) =>
      o.output_type === "execute_result"
    );
    const data = result.data as Record<string, string | string[]>;
    const text = (v: string | string[] | undefined) => Array.isArray(v) ? v.join("") : v ?? "";
    assert.deepEqual(Object.keys(data).sort(), ["text/html", "text/plain"]);
    const caption = "29 rows × 2 columns · showing 20 of 29 rows (first 10, last 10)";
    assert.ok(text(data["text/plain"]).startsWith(`${caption}\n┌`), text(data["text/plain"]));
    assert.ok(text(data["text/html"]).includes(`${caption}</caption>`));
    assert.ok(text(data["text/html"]).includes("&lt;script&gt;x&lt;/script&gt;"));
    assert.ok(!text(data["text/html"]).includes("<script>"));
  } finally {
    await rm(dir, { recursive: true });
  }
});
