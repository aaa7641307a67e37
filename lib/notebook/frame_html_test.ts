import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { frameHtml } from "./frame_html.ts";

const sequence = (n: number) => pl.DataFrame({ i: Array.from({ length: n }, (_, i) => i) });

Deno.test("frameHtml() escapes names and values, so a cell's <script> never runs", () => {
  const frame = pl.DataFrame({
    "<th>": ['<script>alert("x")</script>', "a & b 'q'"],
  });
  const html = frameHtml(frame);
  assert.doesNotMatch(html, /<script/);
  assert.match(html, />&lt;th&gt;<br>/);
  assert.match(html, /&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt;/);
  assert.match(html, /a &amp; b &#39;q&#39;/);
});

Deno.test("frameHtml() clips text to one line and keeps the full text in title", () => {
  const long = "word ".repeat(100).trim();
  const html = frameHtml(pl.DataFrame({ response: [long] }));
  assert.match(
    html,
    /<td style="text-align:left;vertical-align:top"><div style="max-width:24em;overflow:hidden;text-overflow:ellipsis;white-space:nowrap" title="word word/,
  );
  assert.ok(html.includes(`title="${long}"`), "the title holds the whole text");
  // The body holds the first 200 characters; CSS clips further.
  assert.ok(html.includes(`>${long.slice(0, 200)}…</div>`));
  const huge = "x".repeat(5000);
  assert.ok(frameHtml(pl.DataFrame({ t: [huge] })).includes(`title="${"x".repeat(2000)}…"`));
});

Deno.test("frameHtml() right-aligns rounded numbers, and shows null and NaN", () => {
  const frame = pl.DataFrame([
    pl.Series("r", [2.2083333333333335, NaN, null], pl.Float64),
    pl.Series("n", [1, 2, 3], pl.Int64),
  ]);
  const html = frameHtml(frame);
  assert.match(
    html,
    /<td style="text-align:right;vertical-align:top;white-space:nowrap">2\.208<\/td>/,
  );
  assert.match(html, /white-space:nowrap">NaN<\/td>/);
  assert.match(
    html,
    /<td style="text-align:right;vertical-align:top;opacity:0\.5;font-style:italic">null<\/td>/,
  );
  assert.doesNotMatch(html, /2\.2083/);
  assert.match(frameHtml(frame, { digits: 2 }), />2\.2</);
});

Deno.test("frameHtml() captions the shape and puts each dtype under its header", () => {
  const frame = pl.DataFrame({ task: ["a"], r: [0.5], ok: [true], tags: [["x", "y"]] });
  const html = frameHtml(frame);
  assert.match(html, /<caption[^>]*>1 row × 4 columns<\/caption>/);
  for (
    const [name, dtype]
      of ([["task", "str"], ["r", "f64"], ["ok", "bool"], ["tags", "list[str]"]] as const)
  ) {
    assert.match(
      html,
      new RegExp(`>${name}<br><span[^>]*>${dtype.replace(/[[\]]/g, "\\$&")}</span></th>`),
    );
  }
  assert.match(html, /\[&quot;x&quot;,&quot;y&quot;\]/);
});

Deno.test("frameHtml() shows the first and last rows of a long frame, and says so", () => {
  const html = frameHtml(sequence(360));
  assert.match(html, /360 rows × 1 column · showing 20 of 360 rows \(first 10, last 10\)/);
  const shown = [...html.matchAll(/nowrap">(\d+)<\/td>/g)].map((m) => Number(m[1]));
  assert.deepEqual(shown, [
    0,
    1,
    2,
    3,
    4,
    5,
    6,
    7,
    8,
    9,
    350,
    351,
    352,
    353,
    354,
    355,
    356,
    357,
    358,
    359,
  ]);
  assert.match(html, /<td style="text-align:right;vertical-align:top;opacity:0\.6">…<\/td>/);
  assert.match(
    frameHtml(sequence(360), { maxRows: 3 }),
    /showing 3 of 360 rows \(first 2, last 1\)/,
  );
  assert.match(frameHtml(sequence(360), { maxRows: 1 }), /showing 1 of 360 rows \(first 1\)</);
  assert.doesNotMatch(frameHtml(sequence(360), { maxRows: -1 }), /showing|…/);
  assert.doesNotMatch(frameHtml(sequence(20)), /showing/);
});

Deno.test("frameHtml() honours POLARS_FMT_MAX_ROWS, and options over it", () => {
  const before = Deno.env.get("POLARS_FMT_MAX_ROWS");
  try {
    Deno.env.set("POLARS_FMT_MAX_ROWS", "4");
    assert.match(frameHtml(sequence(50)), /showing 4 of 50 rows \(first 2, last 2\)/);
    assert.match(frameHtml(sequence(50), { maxRows: 6 }), /showing 6 of 50 rows/);
    Deno.env.set("POLARS_FMT_MAX_ROWS", "-1");
    assert.doesNotMatch(frameHtml(sequence(50)), /showing/);
  } finally {
    if (before === undefined) Deno.env.delete("POLARS_FMT_MAX_ROWS");
    else Deno.env.set("POLARS_FMT_MAX_ROWS", before);
  }
});

Deno.test("frameHtml() wraps the table in a sideways-scrolling div", () => {
  const wide = pl.DataFrame(
    Object.fromEntries(Array.from({ length: 15 }, (_, i) => [`c${i}`, [i]])),
  );
  const html = frameHtml(wide);
  assert.match(html, /^<div style="overflow-x:auto;max-width:100%"><table /);
  assert.match(html, /<\/table><\/div>$/);
  assert.equal(html.match(/<th /g)?.length, 15);
});

Deno.test("frameHtml() refuses a digits count it cannot honour", () => {
  for (const digits of [0, 1.5, 18]) {
    assert.throws(() => frameHtml(sequence(1), { digits }), RangeError);
  }
});
