import assert from "node:assert/strict";
import { _Pacer, type _PacerChange, type _Send } from "./_pacer.ts";

/** A pacer and the changes it told, on a fake clock (every method takes `now`). */
function pacer(probePerSecond?: number): { pacer: _Pacer; changes: _PacerChange[] } {
  const changes: _PacerChange[] = [];
  const onChange = (change: _PacerChange) => changes.push(change);
  const options = probePerSecond === undefined ? { onChange } : { onChange, probePerSecond };
  return { pacer: new _Pacer(options), changes };
}

/** `count` sends at `now`. */
function burst(p: _Pacer, count: number, now: number): _Send[] {
  return Array.from({ length: count }, () => p.send(now));
}

const admit = (p: _Pacer, sends: _Send[], now: number) => {
  for (const send of sends) p.answered(send, 200, {}, now);
};

Deno.test("_Pacer lets requests go at once while it knows nothing", () => {
  const { pacer: p, changes } = pacer();
  admit(p, burst(p, 100, 0), 200);
  assert.equal(p.delay(200), 0);
  assert.equal(p.rate(200), undefined);
  assert.deepEqual(changes, []);
});

Deno.test("_Pacer learns R from the first 429 of a wave; the rest of the wave changes nothing", () => {
  const { pacer: p, changes } = pacer();
  // 30 threads, 200 ms a request, a limit of 50 in any second: 30 go at 0 and are let through;
  // 30 more go at 200, of which the first 20 are let through and the last 10 get a 429.
  admit(p, burst(p, 30, 0), 200);
  const second = burst(p, 30, 200);
  for (const rejected of second.slice(20)) p.answered(rejected, 429, { retryAfterMs: 1000 }, 201);
  // New requests wait 50 ms for the rest of the wave's answers before it is measured.
  assert.equal(p.delay(201), 50);
  assert.equal(p.limitRate(201), undefined);
  // At most 50 went through in any second before the first 429: R = 50/s, paced at 97%.
  assert.equal(p.limitRate(251), 50);
  assert.equal(p.rate(251)!.toFixed(2), "48.50");
  assert.deepEqual(changes.map((c) => c.kind), ["pace"]); // one wave, one change
  assert.match(changes[0]!.reason, /at most 50 requests went through in any 1 s before it/);
  // The window is full until the 30 sent at 0 leave it (1 s and 25 ms of slack later).
  assert.equal(p.delay(251), 1025 - 251);
  admit(p, second.slice(0, 20), 400);
  assert.equal(p.delay(1025), 0);
});

Deno.test("_Pacer learns R again from two 429 windows", () => {
  const { pacer: p, changes } = pacer();
  admit(p, burst(p, 30, 0), 200);
  const second = burst(p, 30, 200);
  for (const rejected of second.slice(20)) p.answered(rejected, 429, { retryAfterMs: 1000 }, 201);
  assert.equal(p.limitRate(251), 50); // the first window
  admit(p, second.slice(0, 20), 400);
  // The provider lowers its limit to 40/s: 40 requests go from 1025, one every 25 ms, and the
  // next one, at 2010, gets a 429. The second window measures 40: no second before it held
  // more (the one ending at 1025 holds the 20 sent at 200 and 1 more).
  for (let k = 0; k < 40; k++) admit(p, [p.send(1025 + 25 * k)], 1225 + 25 * k);
  p.answered(p.send(2010), 429, { retryAfterMs: 1000 }, 2011);
  assert.equal(p.limitRate(2061), 40);
  assert.deepEqual(changes.map((c) => c.kind === "pace" && c.rate.toFixed(1)), ["48.5", "38.8"]);
});

Deno.test("_Pacer spaces requests evenly at the pace; a late timer catches up half an interval", () => {
  const { pacer: p } = pacer(0); // no probe: the pace stays 9.7/s
  admit(p, burst(p, 10, 0), 100);
  p.answered(p.send(100), 429, {}, 101); // 10 let through: R = 10/s, paced at 9.7/s
  const interval = 1000 / 9.7;
  assert.equal(p.delay(1025), 0); // the window has room again
  p.send(1025); // after a quiet spell: the next goes half an interval later
  assert.ok(Math.abs(p.delay(1025) - interval / 2) < 1e-9);
  p.send(1025 + interval / 2);
  assert.ok(Math.abs(p.delay(1025 + interval / 2) - interval) < 1e-9);
  const late = 1025 + interval / 2 + interval + 30; // the timer fired 30 ms late
  p.send(late);
  assert.ok(Math.abs(p.delay(late) - (interval - 30)) < 1e-9);
});

Deno.test("_Pacer grows a rate learned from 429s while no 429 comes", () => {
  const { pacer: p } = pacer();
  admit(p, burst(p, 50, 0), 200);
  p.answered(p.send(200), 429, { retryAfterMs: 1000 }, 200);
  assert.equal(p.limitRate(250), 50);
  assert.ok(Math.abs(p.limitRate(10_250)! - 55) < 1e-9); // +1% a second for 10 s
});

Deno.test("_Pacer pauses for the Retry-After when a 429 leaves nothing to measure", () => {
  const { pacer: p, changes } = pacer();
  p.answered(undefined, 429, { retryAfterMs: 2000 }, 0);
  assert.deepEqual([p.delay(0), p.delay(50), p.delay(1500), p.delay(2000)], [50, 1950, 500, 0]);
  assert.equal(changes[0]?.kind, "pause");
  const { pacer: q } = pacer();
  q.answered(q.send(0), 429, {}, 5); // no Retry-After: a second from the 429
  assert.equal(q.delay(55), 950);
});

Deno.test("_Pacer reads the rate and the window from the headers", () => {
  const { pacer: p, changes } = pacer();
  const first = p.send(0);
  // OpenAI's example: 60 requests a minute, 59 left, full again in 1 s: it refills at 1/s.
  const requests = { limit: 60, remaining: 59, resetMs: 1000 };
  p.answered(first, 200, { requests }, 300);
  assert.equal(p.limitRate(300), 1);
  assert.equal(p.windowMs, 60_000);
  assert.match(changes[0]!.reason, /1 of 60 requests used, full again in 1 s/);
  // While the bucket has more than a margin's room, requests go at once: 59 left, less what
  // went since; at least 2 must stay.
  let sent = 0;
  while (p.delay(300) === 0) {
    p.send(300);
    sent++;
  }
  assert.equal(sent, 58);
  // Then one per interval at 97% of 1/s, the first half an interval after the last at once.
  assert.ok(Math.abs(p.delay(300) - 1000 / 0.97 / 2) < 1e-9);
});

Deno.test("_Pacer with headers: at once while the bucket has room, then paced, never past the window", () => {
  const { pacer: p } = pacer();
  // The scripted server's headers for 50/s: used × 20 ms to refill.
  const sends = burst(p, 30, 0);
  sends.forEach((send, i) =>
    p.answered(
      send,
      200,
      { requests: { limit: 50, remaining: 49 - i, resetMs: 20 * (i + 1) } },
      200,
    )
  );
  assert.equal(p.limitRate(200), 50);
  let sent = 0;
  while (p.delay(200) === 0) {
    p.send(200);
    sent++;
  }
  assert.equal(sent, 19); // 20 remaining, 2 kept back: 19 at once
  const half = 1000 / 48.5 / 2;
  assert.ok(Math.abs(p.delay(200) - half) < 1e-9); // then at the pace
  p.send(200 + half); // the 50th in the window: the next waits for the first 30 to leave it
  assert.ok(Math.abs(p.delay(200 + half) - (1025 - 200 - half)) < 1e-9);
});

Deno.test("_Pacer() rejects a bad margin or probe", () => {
  assert.throws(() => new _Pacer({ margin: 0.5 }), RangeError);
  assert.throws(() => new _Pacer({ probePerSecond: -1 }), RangeError);
});
