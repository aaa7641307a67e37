/**
 * The batch transport (`lib/batch`) at provider scale: 52,500 judge requests through the batch
 * imitation
 * (`lib/testing/batch_imitation.ts`), once per provider. The imitation runs in a child process
 * of its own, so that its store of answers does not count in the transport's memory; it grades
 * each request as the scripted server does. The requests are the synthetic `full` sample's
 * judgements, repeated (`repeats: 12`), up to 52,500 distinct keys: entries with the same
 * content share a key, and a key is sent once, so the sample's 5,250 entries are 4,642 requests
 * a repeat.
 *
 * Rows per provider:
 * - build: the request bodies and keys made and split into chunks under the provider's limits
 *   (nothing sent);
 * - submit: the same, each chunk recorded, uploaded and created (`judgeInBatches`, `detach`). The
 *   imitation answers every request while it creates the batch, which a real provider does not:
 *   that time is in this row;
 * - collect: polling until every batch has ended, then every result downloaded, read by the
 *   judge (`readReply`) and written to the ledgers (`collectBatches`); the note says how much
 *   of it the judge's `readReply` took.
 *
 * Peak memory is the largest `Deno.memoryUsage()` sampled every 25 ms during the row.
 *
 * Usage: `deno run -A bench/batch_bench.ts [--requests N]`
 *
 * @module
 */

import type { BatchProvider } from "../lib/judge/batch_limits.ts";
import type { ProviderJudge } from "../lib/judge/openai_judge.ts";
import { chunkRequests } from "../lib/batch/chunk_requests.ts";
import { collectBatches } from "../lib/batch/collect_batches.ts";
import { judgeInBatches } from "../lib/batch/judge_in_batches.ts";
import { imitationJudge, ledgerDelivery, sampleWork } from "../lib/batch/_batch_test_support.ts";
import { startBatchImitation } from "../lib/testing/batch_imitation.ts";
import { _plural } from "../lib/runner/_format.ts";

const requestsFlag = Deno.args.indexOf("--requests");
const REQUESTS = requestsFlag >= 0 ? Number(Deno.args[requestsFlag + 1]) : 52_500;

if (Deno.args[0] === "--imitation") {
  const imitation = startBatchImitation({ seed: 1 });
  console.log(imitation.port);
  await new Promise(() => {}); // until killed
}

const MiB = 2 ** 20;

/** The first `REQUESTS` distinct judgements of the sample, repeated. */
function* requests(judge: ProviderJudge) {
  const seen = new Set<string>();
  for (const work of sampleWork(judge, { size: "full", repeats: 12 })) {
    if (seen.size === REQUESTS) return;
    if (seen.has(work.key)) continue;
    seen.add(work.key);
    yield work;
  }
}

/** Runs `work`, sampling memory; its time and the peaks. */
async function measured<T>(work: () => Promise<T>) {
  const peak = { rss: 0, heapUsed: 0 };
  const sample = () => {
    const { rss, heapUsed } = Deno.memoryUsage();
    peak.rss = Math.max(peak.rss, rss);
    peak.heapUsed = Math.max(peak.heapUsed, heapUsed);
  };
  const timer = setInterval(sample, 25);
  const started = performance.now();
  try {
    const value = await work();
    sample();
    return { value, seconds: (performance.now() - started) / 1000, peak };
  } finally {
    clearInterval(timer);
  }
}

/** Starts the imitation in a child process; its port, and the child. */
async function childImitation() {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL(import.meta.url).pathname, "--imitation"],
    stdout: "piped",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  const { value } = await reader.read();
  reader.releaseLock();
  return { port: Number(value!.trim()), child };
}

const rows: string[][] = [];
const row = (
  provider: string,
  step: string,
  r: Awaited<ReturnType<typeof measured>>,
  note: string,
) =>
  rows.push([
    provider,
    step,
    r.seconds.toFixed(1),
    (r.peak.rss / MiB).toFixed(0),
    (r.peak.heapUsed / MiB).toFixed(0),
    note,
  ]);

for (const provider of ["openai", "anthropic"] as BatchProvider[]) {
  const { port, child } = await childImitation();
  try {
    const url = provider === "openai" ? `http://127.0.0.1:${port}/v1` : `http://127.0.0.1:${port}`;
    const judge = imitationJudge(provider, url);
    const build = await measured(() => {
      let chunks = 0;
      let bytes = 0;
      for (const chunk of chunkRequests(provider, requests(judge))) {
        chunks++;
        bytes += chunk.bytes;
      }
      return Promise.resolve({ chunks, bytes });
    });
    const { chunks, bytes } = build.value;
    row(
      provider,
      "build",
      build,
      `${chunks} ${_plural(chunks, "chunk", "chunks")}, ${
        (bytes / MiB).toFixed(0)
      } MiB of requests`,
    );
    const dir = await Deno.makeTempDir({ prefix: "batch_bench_" });
    const common = {
      provider,
      client: judge.client,
      outputDir: dir,
      judge: judge.model,
      pollMs: 50,
    };
    const submit = await measured(() =>
      judgeInBatches({
        ...common,
        items: requests(judge),
        deliver: () => Promise.resolve(),
        detach: true,
      })
    );
    row(
      provider,
      "submit",
      submit,
      `${submit.value.requests} requests in ${submit.value.submitted} ${
        _plural(submit.value.submitted, "batch", "batches")
      }`,
    );
    const work = [...requests(judge)];
    // The runner's delivery, with the time the judge takes to read each reply counted apart.
    let reading = 0;
    const timed: ProviderJudge = Object.create(judge, {
      readReply: {
        value: (...args: Parameters<ProviderJudge["readReply"]>) => {
          const started = performance.now();
          const judgement = judge.readReply(...args);
          reading += performance.now() - started;
          return judgement;
        },
      },
    });
    const delivery = ledgerDelivery(timed, work, dir);
    let delivered = 0;
    const collect = await measured(() =>
      collectBatches({
        ...common,
        deliver: (key, reply) => (delivered++, delivery.deliver(key, reply)),
      })
    );
    await delivery.close();
    const note = `${delivered} outcomes into the ledgers; ${(reading / 1000).toFixed(1)} s ` +
      "of it in the judge's readReply";
    row(provider, "collect", collect, note);
    await Deno.remove(dir, { recursive: true });
  } finally {
    child.kill("SIGKILL");
    await child.status;
  }
}

console.log(
  `batch transport bench: Deno ${Deno.version.deno}, ${navigator.hardwareConcurrency} cores, ` +
    `${REQUESTS} requests from the synthetic full sample; the imitation in a child process\n`,
);
console.log("| provider | step | seconds | peak RSS (MiB) | peak heap used (MiB) | notes |");
console.log("|---|---|---|---|---|---|");
for (const r of rows) console.log(`| ${r.join(" | ")} |`);
