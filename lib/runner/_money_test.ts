import assert from "node:assert/strict";
import { _money } from "./_money.ts";

Deno.test("_money() keeps small costs visible and large ones to the cent", () => {
  assert.deepEqual(
    [0, 12.3456, 1, 0.19724, 0.01, 0.0012345, -2.5].map(_money),
    ["$0", "$12.35", "$1.00", "$0.1972", "$0.0100", "$0.0012", "-$2.50"],
  );
});
