/**
 * How close `runBenchmark()` gets to the ideal against a provider that answers in a fixed time,
 * whether it keeps to a rate limit without losing judgements, whether a re-run sends nothing,
 * whether a run killed with SIGKILL resumes to the same ledger, and how much memory it needs.
 *
 * The provider is the scripted server (`lib/testing/scripted_server.ts`) in this process, on
 * 127.0.0.1; the runner runs in a child `deno run` process
 * (`lib/runner/_resume_child_test_support.ts`), as it would against a real provider, so neither
 * steals the other's event loop. One judge
 * (`openai-compatible`), `threads: 30` (20 and 30 in the rate-limit rows), the synthetic `full`
 * sample (5,250 entries, six tasks).
 *
 * Usage: `deno run -A bench/runner_bench.ts [--only throughput,ratelimit,rerun,kill,memory]
 * [--quick] [--seed N]`. `--quick` runs smaller subsets (about a minute in all).
 *
 * @module
 */

import { Random } from "../lib/sample/_random.ts";
import { generateSample } from "../lib/sample/generate_sample.ts";
import { taskInputs } from "../lib/tasks/task_inputs.ts";
import { getTask } from "../lib/tasks/tasks.ts";
import {
  _compareLedgers,
  _distinctJudgements,
  _ledgerLines,
  _spawnRun,
  type ChildReport,
  type ChildRun,
} from "../lib/runner/_resume_child_test_support.ts";
import {
  type Fault,
  type RequestEvent,
  startScriptedServer,
} from "../lib/testing/scripted_server.ts";

const PARTS = ["throughput", "ratelimit", "rerun", "kill", "memory"] as const;
type Part = typeof PARTS[number];

const THREADS = 30;
const LATENCY_MS = 200;
const FULL = 5_250;
const RATE = 50;
/** The rate-limit rows: threads × entries, each run once, with and without headers. */
const RATE_THREADS = [20, 30];
const RATE_ITEMS = [600, 2_000];
/** Wall time may exceed N/R by this factor: at least 0.9 R sustained, start and tail included. */
const RATE_TARGET = 1.11;

const quick = Deno.args.includes("--quick");
const only = _flag("--only")?.split(",").map((part) => part.trim()) ?? [...PARTS];
for (const part of only) {
  if (!(PARTS as readonly string[]).includes(part)) {
    throw new Error(`--only: unknown part ${JSON.stringify(part)}; parts: ${PARTS.join(", ")}`);
  }
}
const wanted = (part: Part) => only.includes(part);
const seed = Number(_flag("--seed") ?? Math.floor(Math.random() * 1e9));

function _flag(name: string): string | undefined {
  const i = Deno.args.indexOf(name);
  return i >= 0 ? Deno.args[i + 1] : undefined;
}

interface Row {
  measure: string;
  target: string;
  measured: string;
  met: boolean | null;
  notes: string;
}

const rows: Row[] = [];
const dirs: string[] = [];

async function _outputDir(label: string): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: `preceptron-runner-bench-${label}-` });
  dirs.push(dir);
  return dir;
}

/** A server with `faults`, whose answered chat requests can be watched. */
function _server(faults: Fault[]) {
  // Each answered chat request, and when it arrived (ms since the epoch, as the child reports).
  const answered: { event: RequestEvent; arrivedAt: number }[] = [];
  let onAnswer: ((count: number) => void) | undefined;
  const server = startScriptedServer({
    faults,
    onRequest: (event) => {
      if (!event.path.endsWith("/chat/completions")) return;
      answered.push({ event, arrivedAt: performance.timeOrigin + performance.now() - event.ms });
      onAnswer?.(answered.length);
    },
  });
  return {
    server,
    answered,
    watch(callback: (count: number) => void) {
      onAnswer = callback;
    },
  };
}

function _run(baseURL: string, output_dir: string, extra: Partial<ChildRun> = {}): ChildRun {
  return { base_url: baseURL, output_dir, threads: THREADS, size: "full", ...extra };
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const mib = (bytes: number | null) =>
  bytes === null ? "n/a" : `${(bytes / 2 ** 20).toFixed(0)} MiB`;

/**
 * A finished run's ledgers: distinct keys, failures, and judgements lost — keys that the
 * `expected` count (default: the keys found) has and the ledger does not hold as a score.
 */
async function _ledgerHealth(dir: string, expected?: number) {
  const { lines, torn } = await _ledgerLines(dir);
  const keys = new Map(lines.map((line) => [`${line.file} ${line.key}`, line.score]));
  const failed = [...keys.values()].filter((score) => score === null).length;
  const lost = (expected ?? keys.size) - (keys.size - failed);
  return { keys: keys.size, lost, failed, torn, lines: lines.length };
}

// Part 1 (and the re-run, which needs its ledger): 5,250 judgements at 200 ms and 30 threads.
async function throughput(): Promise<void> {
  const n = quick ? 1_500 : FULL;
  const { server, answered } = _server([{ kind: "latency", ms: LATENCY_MS }]);
  try {
    const dir = await _outputDir("throughput");
    const run = _run(server.baseURL, dir, n === FULL ? {} : { limit: n });
    const report = await _spawnRun(run).report;
    const sent = server.counts.chat;
    const health = await _ledgerHealth(dir);
    // Entries with the same content share a key and one request: the ideal sends one per key.
    const requests = health.keys;
    const ideal = requests * LATENCY_MS / THREADS;
    const ratio = report.wall_ms / ideal;
    const firstArrival = Math.min(...answered.map((e) => e.arrivedAt));
    const serverMs = mean(answered.map((e) => e.event.ms));
    if (wanted("throughput")) {
      const bare = await _bareClient(server.baseURL, requests);
      rows.push({
        measure: `floor: ${THREADS} bare fetch loops, ${requests.toLocaleString("en")} ` +
          `requests, same server and latency`,
        target: "(reference)",
        measured: `${(bare / ideal).toFixed(3)} (${seconds(bare)})`,
        met: null,
        notes: "one fixed cpc_bond prompt, no SDK, prompts, parsing or ledger; what this " +
          "server and machine allow any client",
      });
      rows.push({
        measure: `wall time ÷ ideal, ${n.toLocaleString("en")} entries ` +
          `(${requests.toLocaleString("en")} distinct judgements), ${LATENCY_MS} ms per call, ` +
          `threads ${THREADS}`,
        target: "≤ 1.05",
        measured: `${ratio.toFixed(3)} (${seconds(report.wall_ms)} vs ${seconds(ideal)}); ` +
          `${(report.wall_ms / (n * LATENCY_MS / THREADS)).toFixed(3)} of the ideal for one ` +
          `request per entry (${seconds(n * LATENCY_MS / THREADS)})`,
        met: ratio <= 1.05 && health.lost === 0 && sent === requests,
        notes: `ideal = ${requests.toLocaleString("en")} × ${LATENCY_MS} ms ÷ ${THREADS}; ` +
          `first request ${seconds(firstArrival - report.started_at)} after the call; ` +
          `server-side time per request ${serverMs.toFixed(1)} ms; ${sent} ` +
          `requests, ${health.lost} lost, ${health.failed} failed; ${report.cached} entries ` +
          "shared another's key",
      });
    }
    if (wanted("rerun")) {
      const before = server.counts.chat;
      const again = await _spawnRun(run).report;
      const resent = server.counts.chat - before;
      rows.push({
        measure: `re-run of the same ${n.toLocaleString("en")} entries`,
        target: "0 requests",
        measured: `${resent} requests`,
        met: resent === 0 && again.cached === n && again.judged === 0,
        notes: `${again.cached.toLocaleString("en")} cached, ${again.judged} judged, ` +
          `run took ${seconds(again.wall_ms)}`,
      });
    }
  } finally {
    await server.close();
  }
}

/**
 * The floor: what `THREADS` bare `fetch` loops in a child process get from the same server on
 * this machine for `requests` requests of one judge prompt — no SDK, no prompts, no ledger.
 */
async function _bareClient(baseURL: string, requests: number): Promise<number> {
  const entry = generateSample({ size: "small" }).find((e) => e.benchmark === "cpc_bond")!;
  const task = getTask("cpc_bond");
  const prompt = task.prompt(taskInputs(entry));
  const body = JSON.stringify({
    model: "scripted",
    messages: [{ role: "system", content: prompt.system }, { role: "user", content: prompt.user }],
    temperature: 0,
    max_tokens: 1000,
    response_format: {
      type: "json_schema",
      json_schema: { name: "grade", schema: task.outputSchema, strict: true },
    },
  });
  const dir = await _outputDir("bare");
  const script = `${dir}/bare_client.ts`;
  await Deno.writeTextFile(
    script,
    `const [url, n, threads, body] = Deno.args;
let next = 0;
const started = performance.now();
await Promise.all(Array.from({ length: Number(threads) }, async () => {
  while (next < Number(n)) {
    next++;
    const response = await fetch(url + "/chat/completions", {
      method: "POST", headers: { "content-type": "application/json" }, body,
    });
    await response.json();
  }
}));
console.log(performance.now() - started);
`,
  );
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-net=127.0.0.1",
      script,
      baseURL,
      String(requests),
      String(THREADS),
      body,
    ],
    stderr: "inherit",
  }).output();
  return Number(new TextDecoder().decode(output.stdout).trim());
}

// Part 2: the server lets RATE requests through in any sliding second and answers the rest
// with a 429 at once, with `Retry-After: 1` (and, in half the rows, OpenAI's x-ratelimit
// headers on every answer); the pool must find the rate and keep just under it.
async function rateLimit(): Promise<void> {
  for (const headers of [false, true]) {
    for (const threads of RATE_THREADS) {
      for (const n of quick ? RATE_ITEMS.slice(0, 1) : RATE_ITEMS) {
        rows.push(await _rateLimitRow(n, threads, headers));
      }
    }
  }
}

/** One run against the rate-limited server: wall time against N/R, and the 429s it drew. */
async function _rateLimitRow(n: number, threads: number, headers: boolean): Promise<Row> {
  const { server, answered } = _server([
    { kind: "latency", ms: LATENCY_MS },
    { kind: "rate_limit_above", requestsPerSecond: RATE, retryAfterSeconds: 1, headers },
  ]);
  try {
    const dir = await _outputDir("ratelimit");
    const report = await _spawnRun(_run(server.baseURL, dir, { limit: n, threads })).report;
    const health = await _ledgerHealth(dir, report.judged);
    const judged = report.judged;
    const ideal = judged / RATE * 1000;
    const ratio = report.wall_ms / ideal;
    const rate = judged / (report.wall_ms / 1000);
    const limited = answered.filter((e) => e.event.status === 429).length;
    const atOnce = Math.max(
      0,
      ...answered.filter((e) => e.event.status === 429).map((e) => e.event.ms),
    );
    // Sustained: answers let through per second at the server, from the first to the last.
    const passed = answered.filter((e) => e.event.status === 200).map((e) => e.arrivedAt);
    const sustained = (passed.length - 1) / ((Math.max(...passed) - Math.min(...passed)) / 1000);
    return {
      measure:
        `rate limit ${RATE}/s (429 at once, Retry-After: 1${
          headers ? ", x-ratelimit headers" : ", no x-ratelimit headers"
        }), ${threads} threads (unlimited: ${threads * 1000 / LATENCY_MS}/s), ` +
        `${n.toLocaleString("en")} entries (N = ${judged.toLocaleString("en")} judgements)`,
      target: `wall ≤ ${RATE_TARGET} × N/R; 429s < N/10 (${Math.ceil(judged / 10)}); 0 lost`,
      measured: `${ratio.toFixed(3)} × N/R (${seconds(report.wall_ms)} vs ${seconds(ideal)}); ` +
        `${rate.toFixed(1)} judged/s (${(rate / RATE).toFixed(3)} R); ${limited} × 429`,
      met: ratio <= RATE_TARGET && limited < judged / 10 && health.lost === 0 &&
        health.failed === 0,
      notes:
        `sustained at the server (first to last answer let through) ${sustained.toFixed(1)}/s ` +
        `(${(sustained / RATE).toFixed(3)} R); slowest 429 answered in ${atOnce.toFixed(0)} ms; ` +
        `${answered.length} requests; ${report.pool_events} pool events; ${health.lost} lost, ` +
        `${health.failed} failed in the ledger`,
    };
  } finally {
    await server.close();
  }
}

// Part 3: kill the runner with SIGKILL at a random point, resume, compare with a clean run.
async function killAndResume(): Promise<void> {
  const n = quick ? 1_500 : FULL;
  const random = new Random(seed);
  const { server, watch } = _server([{ kind: "latency", ms: LATENCY_MS }]);
  try {
    const dir = await _outputDir("killed");
    const run = _run(server.baseURL, dir, n === FULL ? {} : { limit: n });
    // Somewhere between 10% and 90% of the answers (of about 0.88 n distinct judgements).
    const killAt = Math.floor(0.88 * n * (0.1 + 0.8 * random.next()));
    const spawned = _spawnRun(run);
    let killedAfter = 0;
    watch((count) => {
      if (count === killAt) {
        spawned.child.kill("SIGKILL");
        killedAfter = count;
      }
    });
    const status = await spawned.child.status;
    await spawned.report.catch(() => {}); // expected: killed
    watch(() => {});
    const beforeResume = await _ledgerLines(dir);
    const sentBeforeKill = server.counts.chat;
    const resumed = await _spawnRun(run).report;
    const sent = server.counts.chat;

    // The uninterrupted run, at no latency (scores do not depend on it).
    server.setFaults([]);
    const cleanDir = await _outputDir("clean");
    await _spawnRun(_run(server.baseURL, cleanDir, n === FULL ? {} : { limit: n })).report;
    const truth = (await _ledgerLines(cleanDir)).lines;
    const diff = _compareLedgers((await _ledgerLines(dir)).lines, truth);
    const distinct = _distinctJudgements(truth);
    const extra = sent - distinct; // one request per distinct key is the least possible
    const same = diff.missing === 0 && diff.extra === 0 && diff.duplicates === 0 &&
      diff.scoreMismatches === 0 && diff.failed === 0 && diff.keys === truth.length;
    rows.push({
      measure: `SIGKILL at a random point, then resume, ${n.toLocaleString("en")} entries ` +
        `(${distinct.toLocaleString("en")} distinct)`,
      target: `ledger = uninterrupted run's; extra requests ≤ ${THREADS}`,
      measured: `${same ? "equal" : "DIFFERENT"}; ${extra} extra requests`,
      met: same && extra <= THREADS && extra >= 0 && status.signal === "SIGKILL",
      notes: `seed ${seed}: killed (${status.signal ?? status.code}) at answer ${killedAfter}` +
        ` of ${n}, ${beforeResume.lines.length} lines on disk, ${beforeResume.torn} torn, ` +
        `${sentBeforeKill} requests sent; resume judged ${resumed.judged}, cached ` +
        `${resumed.cached}; keys ${diff.keys}, missing ${diff.missing}, extra ${diff.extra}, ` +
        `duplicates ${diff.duplicates}, score mismatches ${diff.scoreMismatches}`,
    });
  } finally {
    await server.close();
  }
}

// Part 4: memory at 1× and 10× the full sample, at no latency. Three child runs per scale: the
// runner as is (peak RSS); the runner with a full collection every second (the live heap it
// adds: what it keeps, as opposed to garbage V8 has not collected yet); and the same requests
// sent by the same judge with no runner at all (the peak RSS of the requests alone).
/** The most live heap a run may add at 10× the full sample (52,500 entries). */
const LIVE_HEAP_MIB = 100;

async function memory(): Promise<void> {
  const scales = quick ? [1, 3] : [1, 10];
  const measured: { scale: number; run: ChildReport; live: ChildReport; bare: ChildReport }[] = [];
  for (const scale of scales) {
    const reports: ChildReport[] = [];
    for (const extra of [{}, { live_heap: true }, { mode: "bare" as const }]) {
      const { server } = _server([]);
      try {
        const dir = await _outputDir(`memory-x${scale}`);
        const run = _run(server.baseURL, dir, { scale, allow_all: true, ...extra });
        reports.push(await _spawnRun(run).report);
      } finally {
        await server.close();
      }
    }
    const [run, live, bare] = reports as [ChildReport, ChildReport, ChildReport];
    measured.push({ scale, run, live, bare });
  }
  const added = (r: ChildReport) => (r.live_heap_peak_bytes ?? 0) - (r.live_heap_before_bytes ?? 0);
  for (const { scale, run, live, bare } of measured) {
    const n = run.entries;
    rows.push({
      measure: `peak RSS, ${n.toLocaleString("en")} entries (${scale}×; ` +
        `${run.judged.toLocaleString("en")} distinct judgements, latency 0)`,
      target: "report; see the next rows",
      measured: `${mib(run.peak_rss_bytes)} (the same requests with no runner: ` +
        `${mib(bare.peak_rss_bytes)})`,
      met: null,
      notes: `${mib(run.rss_before_run_bytes)} before the run (Deno, modules, the entries); ` +
        `${seconds(run.wall_ms)}; no runner: ${bare.judged.toLocaleString("en")} requests, ` +
        `${seconds(bare.wall_ms)}; live heap the run adds (a full collection every second): ` +
        `${mib(added(live))}`,
    });
  }
  const [low, high] = [measured[0]!, measured.at(-1)!];
  const more = high.run.entries - low.run.entries;
  const perEntry = (added(high.live) - added(low.live)) / more;
  rows.push({
    measure: `runner memory as N grows: live heap the run adds, ${low.scale}× → ${high.scale}×`,
    target: `≤ ${LIVE_HEAP_MIB} MiB at 10× (the ledger keeps its records in memory: simple ` +
      "over minimal)",
    measured: `${mib(added(low.live))} → ${mib(added(high.live))} ` +
      `(${perEntry.toFixed(0)} bytes per added entry)`,
    met: added(high.live) <= LIVE_HEAP_MIB * 2 ** 20,
    notes: `live heap before the run ${mib(low.live.live_heap_before_bytes)} → ` +
      `${mib(high.live.live_heap_before_bytes)} (the entries themselves)`,
  });
  const overhead = (m: typeof low) => (m.run.peak_rss_bytes ?? 0) - (m.bare.peak_rss_bytes ?? 0);
  const signed = (bytes: number) => `${bytes < 0 ? "−" : "+"}${mib(Math.abs(bytes))}`;
  rows.push({
    measure: "runner's peak RSS against the same requests sent with no runner",
    target: `≤ no-runner peak + ${LIVE_HEAP_MIB} MiB at each scale`,
    measured: measured.map((m) => `${signed(overhead(m))} at ${m.scale}×`).join(", "),
    met: measured.every((m) => overhead(m) <= LIVE_HEAP_MIB * 2 ** 20),
    notes: "peak RSS grows with N in both: V8 lets its heap grow to a multiple of the live " +
      "heap (mostly the entries) before it collects the requests' garbage, and how far varies " +
      "from run to run (by a few hundred MiB at 10×)",
  });
}

try {
  const load = await Deno.readTextFile("/proc/loadavg").catch(() => "n/a");
  console.log(
    `runBenchmark() bench: Deno ${Deno.version.deno} (V8 ${Deno.version.v8}), ` +
      `${navigator.hardwareConcurrency} cores, ${Deno.build.os}/${Deno.build.arch}, load ` +
      `${load.split(" ").slice(0, 3).join(" ")}${quick ? ", --quick" : ""}; provider: the ` +
      `scripted server in this process; runner: a child deno process; ledgers in ` +
      `${
        (await Deno.makeTempDir({ prefix: "x" }).then(async (d) => (await Deno.remove(d), d)))
          .replace(/\/[^/]+$/, "")
      }\n`,
  );
  if (wanted("throughput") || wanted("rerun")) await throughput();
  if (wanted("ratelimit")) await rateLimit();
  if (wanted("kill")) await killAndResume();
  if (wanted("memory")) await memory();
  console.log("| measure | target | measured | met? | notes |");
  console.log("|---|---|---|---|---|");
  for (const row of rows) {
    const met = row.met === null ? "n/a" : row.met ? "yes" : "**no**";
    console.log(`| ${row.measure} | ${row.target} | ${row.measured} | ${met} | ${row.notes} |`);
  }
  const after = await Deno.readTextFile("/proc/loadavg").catch(() => "n/a");
  console.log(`\nload average at the end: ${after.split(" ").slice(0, 3).join(" ")}`);
} finally {
  for (const dir of dirs) await Deno.remove(dir, { recursive: true }).catch(() => {});
}
