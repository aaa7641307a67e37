import assert from "node:assert/strict";
import {
  type DisplayFunction,
  formatSummary,
  progressHtml,
  progressReporter,
  type ProgressState,
  summaryHtml,
} from "./progress.ts";

function state(overrides: Partial<ProgressState> = {}): ProgressState {
  return {
    total: 5250,
    done: 2500,
    cached: 100,
    failed: 3,
    failuresByReason: { retries_exhausted: 2, non_json: 1 },
    inputTokens: 1_234_567,
    outputTokens: 45_300,
    cost: 1.234,
    startedAt: 0,
    ...overrides,
  };
}

/** A settable clock. */
function clock(start = 0) {
  const c = { t: start, now: () => c.t };
  return c;
}

Deno.test("progressReporter() terminal draws one line with bar, counts, rate, ETA, failures, tokens, cost", () => {
  let text = "";
  const c = clock(50_000); // 50 s in: 2,500 judged → 50.0/s; 2,650 left → 53 s
  const reporter = progressReporter("terminal", {
    write: (t) => (text += t),
    now: c.now,
    columns: 200,
  });
  reporter.update(state({ label: "bench" }));
  assert.ok(text.startsWith("\r"));
  assert.ok(!text.includes("\n"));
  const line = text.slice(1);
  assert.ok(line.startsWith("bench  ██████████░░░░░░░░░░  2,600/5,250  49%  50.0/s  ETA 0:53  "));
  assert.ok(line.includes("cached 100  failed 3 (retries_exhausted 2, non_json 1)"));
  assert.ok(line.endsWith("tokens 1.23M/45k  cost $1.23"));
});

Deno.test("progressReporter() terminal redraws in place, throttled, and finish always draws", () => {
  const writes: string[] = [];
  const c = clock(1000);
  const reporter = progressReporter("terminal", {
    write: (t) => writes.push(t),
    now: c.now,
    intervalMs: 200,
    columns: 200,
  });
  const s = state({ done: 1, cached: 0, failed: 0, failuresByReason: {}, cost: null });
  reporter.update(s); // drawn
  c.t += 50;
  s.done = 2;
  reporter.update(s); // too soon
  c.t += 100;
  s.done = 3;
  reporter.update(s); // 150 ms after the first: still too soon
  assert.equal(writes.length, 1);
  c.t += 60;
  s.done = 4;
  reporter.update(s); // 210 ms: drawn
  assert.equal(writes.length, 2);
  assert.ok(writes[1]!.startsWith("\r░░░░░░░░░░░░░░░░░░░░  4/5,250  0%"));
  s.done = 5250;
  reporter.finish(s); // not throttled
  assert.equal(writes.length, 4);
  assert.ok(writes[2]!.includes("5,250/5,250  100%  done in 1.2 s"));
  assert.equal(writes[3], "\n");
  assert.ok(!writes.join("").includes("cost")); // no price: no cost shown
});

Deno.test("progressReporter() terminal fits the line to the width and blanks leftovers", () => {
  const writes: string[] = [];
  const reporter = progressReporter("terminal", {
    write: (t) => writes.push(t),
    now: () => 50_000,
    intervalMs: 0,
    columns: 80,
  });
  reporter.update(state({ label: "a label too long to keep on a narrow terminal" }));
  // The label, failure reasons, cached count and tokens give way; the counts and ETA stay.
  assert.equal(
    writes[0],
    "\r██████████░░░░░░░░░░  2,600/5,250  49%  50.0/s  ETA 0:53  failed 3  cost $1.23",
  );
  reporter.update(state({ failed: 0, failuresByReason: {}, cost: null }));
  const second = writes[1]!;
  assert.equal(second.length, writes[0]!.length); // padded over the longer line
  assert.match(second, /failed 0 +$/);
  const narrow: string[] = [];
  progressReporter("terminal", { write: (t) => narrow.push(t), now: () => 1, columns: 20 })
    .update(state());
  assert.equal(narrow[0], "\r2,600/5,250  49%"); // never wraps, even on 20 columns
});

Deno.test("progressReporter() log style writes a plain line every interval", () => {
  const lines: string[] = [];
  const c = clock(0);
  const reporter = progressReporter("log", { write: (t) => lines.push(t), now: c.now });
  const s = state({ done: 0, cached: 0 });
  for (let i = 1; i <= 120; i++) {
    c.t += 100; // 12 s in all
    s.done = i;
    reporter.update(s);
  }
  assert.equal(lines.length, 2); // at 5 s and 10 s
  assert.ok(lines.every((l) => l.endsWith("\n") && !l.includes("\r") && !l.includes("█")));
  assert.ok(lines[0]!.startsWith("50/5,250  0%  10.0/s  ETA 8:40  failed 3"));
  reporter.finish(s); // stopped early: 120 of 5,250
  assert.ok(lines[2]!.startsWith("120/5,250  2%  stopped after 12.0 s"));
});

Deno.test("progressReporter() notebook shows one output and updates it in place", async () => {
  const calls: { bundle: Record<string, string>; options: Parameters<DisplayFunction>[1] }[] = [];
  const display: DisplayFunction = (bundle, options) => {
    calls.push({ bundle, options });
    return Promise.resolve();
  };
  const c = clock(10_000);
  const reporter = progressReporter("notebook", { display, now: c.now });
  const s = state({ done: 10, cached: 0 });
  reporter.update(s);
  c.t += 50;
  reporter.update(s); // throttled
  c.t += 200;
  s.done = 20;
  reporter.update(s);
  s.done = 5250;
  reporter.finish(s);
  await new Promise((resolve) => setTimeout(resolve, 0)); // the displays are queued in order
  assert.equal(calls.length, 3);
  const id = calls[0]!.options.display_id;
  assert.match(id ?? "", /^preceptron-progress-/);
  assert.deepEqual(calls.map((call) => [call.options.display_id, call.options.update ?? false]), [
    [id, false],
    [id, true],
    [id, true],
  ]);
  assert.ok(calls.every((call) => call.options.raw));
  assert.match(calls[0]!.bundle["text/html"]!, /<progress value="10" max="5250"/);
  assert.match(calls[1]!.bundle["text/html"]!, /<progress value="20" max="5250"/);
  assert.match(calls[2]!.bundle["text/html"]!, /— done/);
  assert.ok(calls[2]!.bundle["text/plain"]!.includes("5,250/5,250  100%  done in 10.3 s"));
  // Each reporter has its own output.
  const other = progressReporter("notebook", { display, now: c.now });
  other.update(s);
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.notEqual(calls[3]!.options.display_id, id);
});

Deno.test("progressReporter() notebook survives a failing display", async () => {
  const reporter = progressReporter("notebook", {
    display: () => Promise.reject(new Error("no kernel")),
  });
  reporter.update(state());
  reporter.finish(state());
  await new Promise((resolve) => setTimeout(resolve, 0)); // no unhandled rejection
});

Deno.test("progressReporter() silent shows nothing; auto outside the kernel is not the notebook", () => {
  let written = "";
  let displayed = 0;
  const hooks = {
    write: (t: string) => (written += t),
    display: () => (displayed++, Promise.resolve()),
  };
  const silent = progressReporter("silent", hooks);
  silent.update(state());
  silent.finish(state());
  assert.equal(written, "");
  const auto = progressReporter("auto", hooks);
  auto.update(state());
  auto.finish(state());
  assert.equal(displayed, 0); // `deno test` is not the Jupyter kernel
  assert.match(written, /2,600\/5,250/);
});

Deno.test("progressHtml() shows the counts, escapes the label, and the wall time at the end", () => {
  const html = progressHtml(state({ label: "judge <gpt> & co" }), 50_000);
  assert.match(html, /<progress value="2600" max="5250"/);
  assert.match(html, /2,600 \/ 5,250 \(49%\)/);
  assert.match(html, /2,500 judged · 100 cached · 3 failed \(retries_exhausted 2, non_json 1\)/);
  assert.match(html, /50\.0\/s · ETA 0:53/);
  assert.match(html, /tokens 1\.23M in \/ 45k out · cost \$1\.23/);
  assert.match(html, /judge &lt;gpt&gt; &amp; co/);
  assert.ok(!html.includes("<gpt>"));
  const final = progressHtml({ ...state({ cost: null }), wallMs: 61_000 }, 61_000);
  assert.match(final, /\(49%\) — stopped/);
  assert.match(final, /wall time 1 min 1 s/);
  assert.ok(!final.includes("ETA"));
  assert.ok(!final.includes("cost"));
  // An empty run is complete, not a division by zero.
  const empty = progressHtml(state({ total: 0, done: 0, cached: 0 }), 1);
  assert.match(empty, /0 \/ 0 \(100%\)/);
});

Deno.test("formatSummary() lists judged, cached, failures by reason, tokens, cost, wall time", () => {
  assert.equal(
    formatSummary({ ...state({ done: 5150, label: "bench" }), wallMs: 35_200 }),
    [
      "Summary (bench): 5,150 judged (5,147 scored, 3 failed), 100 cached, of 5,250",
      "  failed by reason: retries_exhausted 2, non_json 1",
      "  tokens: 1,234,567 in, 45,300 out",
      "  cost: $1.23",
      "  wall time: 35.2 s (146.3 judged/s)",
    ].join("\n"),
  );
  // Stopped early, nothing failed, no prices.
  assert.equal(
    formatSummary({
      ...state({ done: 40, failed: 0, failuresByReason: {}, cost: null, cached: 0, total: 100 }),
      wallMs: 800,
    }),
    [
      "Summary: 40 judged (40 scored, 0 failed), 0 cached, 60 not judged, of 100",
      "  tokens: 1,234,567 in, 45,300 out",
      "  cost: not counted (no price configured)",
      "  wall time: 800 ms (50.0 judged/s)",
    ].join("\n"),
  );
});

Deno.test("a generation run's progress and summary say generated and answered, not judged", () => {
  const generating = state({
    total: 12,
    done: 10,
    cached: 2,
    failed: 1,
    failuresByReason: { refused: 1 },
    cost: null,
    work: "generating",
  });
  const text = formatSummary({ ...generating, wallMs: 2000 });
  assert.match(text, /^Summary: 10 generated \(9 answered, 1 failed\), 2 cached, of 12$/m);
  assert.match(text, /\(5\.0 generated\/s\)/);
  assert.doesNotMatch(text, /judged|scored/);
  assert.match(progressHtml(generating, 1000), /10 generated/);
  assert.doesNotMatch(summaryHtml({ ...generating, wallMs: 2000 }), /judged|scored/);
});

Deno.test("the summary tells cached input tokens, what the cache saved, and the preflight's estimate beside the usage", () => {
  const done = {
    ...state({ total: 10, done: 10, cached: 0, failed: 0, failuresByReason: {} }),
    inputTokens: 12_000,
    outputTokens: 900,
    cost: 0.05,
    wallMs: 1000,
    cachedInputTokens: 8_000,
    cacheSaving: 0.01,
    estimate: { inputTokens: 10_000, outputTokens: 1_200 },
  };
  const text = formatSummary(done);
  assert.match(text, /tokens: 12,000 in \(8,000 from the prompt cache\), 900 out/);
  assert.match(text, /cost: \$0\.0500 \(the prompt cache saved \$0\.0100\)/);
  // (12,000 − 10,000) / 10,000 = 20% more; (1,200 − 900) / 1,200 = 25% less.
  assert.match(
    text,
    /preflight estimate: 10,000 in, 1,200 out \(the run used 20% more input, 25% less output\)/,
  );
  assert.match(summaryHtml(done), /from the prompt cache/);
  // A run that stopped early does not compare its usage with the whole run's estimate.
  assert.doesNotMatch(formatSummary({ ...done, total: 20 }), /preflight estimate/);
  // Nothing cached, no saving: no notes.
  const plain = formatSummary({ ...done, cachedInputTokens: 0, cacheSaving: 0 });
  assert.doesNotMatch(plain, /prompt cache/);
});
