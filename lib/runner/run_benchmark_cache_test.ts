import assert from "node:assert/strict";
import { startScriptedServer } from "../testing/scripted_server.ts";
import type { BenchmarkConfig } from "./config.ts";
import { runBenchmark } from "./run_benchmark.ts";

const PRICE = { input_per_million: 2, output_per_million: 8, cached_input_per_million: 0.5 };
const CACHED = 50; // tokens each request reports as read from the prompt cache

for (const provider of ["openai-compatible", "anthropic"] as const) {
  Deno.test(`runBenchmark() counts cached input tokens and prices them at the cached price (${provider})`, async () => {
    await using server = startScriptedServer({ cachedTokens: CACHED });
    const base_url = provider === "anthropic" ? server.anthropicBaseURL : server.baseURL;
    const config: BenchmarkConfig = {
      output_dir: await Deno.makeTempDir(),
      tasks: ["cpc_management"],
      models: [{ name: "judge", provider, model_id: "scripted", base_url, price: PRICE }],
      threads: {},
      repeats: 1,
      budget: {},
    };
    const lines: string[] = [];
    const keys = { PRECEPTRON_API_KEY: "sk-test-cache", ANTHROPIC_API_KEY: "sk-ant-test-cache" };
    const summary = await runBenchmark(config, {
      progress: "silent",
      log: (line) => lines.push(line),
      keys,
    });
    // The shipped sample's 30 cpc_management entries, one request each.
    assert.equal(summary.judged, 30);
    const { inputTokens, outputTokens } = server.counts;
    // Input tokens are the whole prompt's, cached ones included, whichever way the API reports.
    assert.equal(summary.input_tokens, inputTokens);
    assert.equal(summary.cached_input_tokens, 30 * CACHED);
    // Worked by hand: (input − 1,500) × 2 + 1,500 × 0.5 + output × 8, per million.
    const cost = ((inputTokens - 1500) * 2 + 1500 * 0.5 + outputTokens * 8) / 1e6;
    assert.ok(Math.abs(summary.cost! - cost) < 1e-12, `${summary.cost} vs ${cost}`);
    assert.ok(Math.abs(summary.cache_saving - 1500 * 1.5 / 1e6) < 1e-12);
    assert.ok(lines.some((line) => /1,500 from the prompt cache/.test(line)), lines.join("\n"));
    assert.ok(
      lines.some((line) => /the prompt cache saved \$0\.0022/.test(line)),
      lines.join("\n"),
    );
  });
}
