import assert from "node:assert/strict";
import * as preceptron from "./mod.ts";

Deno.test("mod.ts: blandAltman is the statistic and blandAltmanPlot the figure, each one name", () => {
  const stat = preceptron.blandAltman([2, 3], [1, 2]);
  assert.equal(stat.bias, 1);
  assert.equal(typeof preceptron.blandAltmanPlot, "function");
  assert.ok(!("plots" in preceptron));
});

Deno.test("mod.ts exports what the notebooks use, and nothing _-prefixed or for tests", async () => {
  const used = new Set<string>();
  for (const dir of ["notebooks", "vignettes"]) {
    for await (const file of Deno.readDir(new URL(`../${dir}/`, import.meta.url))) {
      if (!file.name.endsWith(".ipynb")) continue;
      const nb = JSON.parse(
        await Deno.readTextFile(new URL(`../${dir}/${file.name}`, import.meta.url)),
      );
      const code = nb.cells.filter((c: { cell_type: string }) => c.cell_type === "code")
        .map((c: { source: string[] }) => c.source.join("")).join("\n");
      for (const m of code.matchAll(/import\s*\{([^}]*)\}\s*from\s*"preceptron"/g)) {
        for (const name of m[1]!.split(",")) {
          const n = name.trim().replace(/^type\s+/, "");
          if (n) used.add(n);
        }
      }
    }
  }
  assert.ok(used.size > 20, `${used.size} names found in the notebooks`);
  for (const name of used) assert.ok(name in preceptron, name);
  const names = Object.keys(preceptron);
  assert.deepEqual(names.filter((n) => n.startsWith("_")), []);
  for (const name of ["startScriptedServer", "generateSample", "startHubImitation"]) {
    assert.ok(!(name in preceptron), name);
  }
});
