import assert from "node:assert/strict";
import type { Entry } from "../data/entry.ts";
import { _describeStudy, _studyMatcher } from "./_studies.ts";

const entries = ["goh2024", "goh2025", "brodeur2025_cpc", "a.b2024"].map((study) =>
  ({ study }) as Entry
);

Deno.test("_studyMatcher() takes ids, * patterns (the rest literal) and RegExps", () => {
  const pick = (study: Parameters<typeof _studyMatcher>[0]) =>
    ["goh2024", "goh2025", "brodeur2025_cpc", "a.b2024", "axb2024"].filter(
      _studyMatcher(study, entries, "t()"),
    );
  assert.deepEqual(pick(undefined).length, 5);
  assert.deepEqual(pick("goh2025"), ["goh2025"]);
  assert.deepEqual(pick("goh*"), ["goh2024", "goh2025"]);
  assert.deepEqual(pick("a.b*"), ["a.b2024"], "a dot in a pattern is a dot");
  assert.deepEqual(pick(["goh2024", "brodeur*"]), ["goh2024", "brodeur2025_cpc"]);
  // A global RegExp would test every other name wrongly (lastIndex); its flag is dropped.
  assert.deepEqual(pick(/^goh/g), ["goh2024", "goh2025"]);
});

Deno.test("_studyMatcher() names a study no entry has, and an empty list", () => {
  assert.throws(
    () => _studyMatcher("goh2023", entries, "t()"),
    /^Error: t\(\): no entries with study "goh2023"; present: a\.b2024, brodeur2025_cpc, goh2024, goh2025$/,
  );
  assert.throws(() => _studyMatcher([], entries, "t()"), /t\(\): the study list is empty/);
  assert.equal(_describeStudy(["a", "b*"]), '["a","b*"]');
  assert.equal(_describeStudy(/^x/), "/^x/");
});
