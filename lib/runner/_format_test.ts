import assert from "node:assert/strict";
import { _clock, _compact, _duration, _money, _plural, _sum, _thousands } from "./_format.ts";

Deno.test("_thousands(), _plural() and _sum() read as the tables print them", () => {
  assert.equal(_thousands(1_234_567), "1,234,567");
  assert.deepEqual([_plural(1, "entry", "entries"), _plural(2, "entry", "entries")], [
    "entry",
    "entries",
  ]);
  assert.equal(_sum([]), 0);
  assert.equal(_sum([1, 2, 3.5]), 6.5);
});

Deno.test("_compact() shortens token counts; _clock() and _duration() say times", () => {
  assert.deepEqual([812, 4_000, 45_300, 1_234_567, 12_000_000].map(_compact), [
    "812",
    "4.0k",
    "45k",
    "1.23M",
    "12.0M",
  ]);
  assert.deepEqual([53_000, 3_723_000, null, Infinity].map(_clock), ["0:53", "1:02:03", "—", "—"]);
  assert.deepEqual([850, 35_200, 725_000, 3_780_000].map(_duration), [
    "850 ms",
    "35.2 s",
    "12 min 5 s",
    "1 h 3 min",
  ]);
});

Deno.test("_money() keeps small costs visible and large ones to the cent", () => {
  assert.deepEqual(
    [0, 12.3456, 1, 0.19724, 0.01, 0.0012345, -2.5].map(_money),
    ["$0", "$12.35", "$1.00", "$0.1972", "$0.0100", "$0.0012", "-$2.50"],
  );
});
