import assert from "node:assert/strict";
import { join } from "node:path";
import { fixtureRatings } from "./_fixtures.ts";
import { gradeDistribution } from "./grade_distribution.ts";
import { saveFigure } from "./save_figure.ts";

/** Width and height from a PNG's IHDR chunk (big-endian, bytes 16–23). */
function pngSize(png: Uint8Array): [number, number] {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return [view.getUint32(16), view.getUint32(20)];
}

Deno.test("saveFigure() writes the figure's own SVG text, creating folders", async () => {
  const fig = gradeDistribution(fixtureRatings());
  const dir = await Deno.makeTempDir({ prefix: "preceptron-fig-" });
  const path = join(dir, "nested", "grades.svg");
  assert.equal(await saveFigure(fig, path), path);
  assert.equal(await Deno.readTextFile(path), fig.svg);
  assert.deepEqual([...Deno.readDirSync(join(dir, "nested"))].map((e) => e.name), ["grades.svg"]);
});

Deno.test("saveFigure() rasterises PNG at the asked width and the figure's aspect ratio", async () => {
  const fig = gradeDistribution(fixtureRatings());
  const dir = await Deno.makeTempDir({ prefix: "preceptron-fig-" });
  await saveFigure(fig, join(dir, "a.png"), { width: 1000 });
  const png = await Deno.readFile(join(dir, "a.png"));
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const [width, height] = pngSize(png);
  assert.equal(width, 1000);
  assert.ok(Math.abs(height - 1000 * fig.height / fig.width) <= 1, `height ${height}`);
  // Default: twice the figure's width.
  await saveFigure(fig, join(dir, "b.png"));
  assert.equal(pngSize(await Deno.readFile(join(dir, "b.png")))[0], fig.width * 2);
  // An explicit format wins over the extension.
  await saveFigure(fig, join(dir, "c.image"), { format: "png", width: 300 });
  assert.equal(pngSize(await Deno.readFile(join(dir, "c.image")))[0], 300);
});

Deno.test("saveFigure() names what it cannot do", async () => {
  const fig = gradeDistribution(fixtureRatings());
  const dir = await Deno.makeTempDir({ prefix: "preceptron-fig-" });
  await assert.rejects(
    () => saveFigure(fig, join(dir, "a.pdf")),
    /cannot tell the format of .*a\.pdf/,
  );
  await assert.rejects(() => saveFigure(fig, join(dir, "a.png"), { width: 0 }), /width must be/);
  await assert.rejects(() => saveFigure(fig, join(dir, "a.png"), { width: 12.5 }), /width must be/);
  assert.deepEqual([...Deno.readDirSync(dir)], [], "nothing is written on an error");
});
