/**
 * Runs the scripted LLM provider on 127.0.0.1 until Ctrl-C, for dry runs of judges and notebooks
 * without an API key.
 *
 * Usage: `deno run -A scripts/mock_server.ts [--port N] [--seed S] [--latency MS]
 * [--fault KIND[:N] ...] [--model ID] [--quiet]`. `--fault` may be repeated; `N` is how many
 * requests meet the fault (`times`), or for `rate_limit_above` the requests allowed per second.
 * Prints the base URLs, how to point the kit at them, and one line per request (never a key).
 *
 * @module
 */

import {
  type Fault,
  type RequestEvent,
  type ScriptedServer,
  startScriptedServer,
} from "../lib/testing/scripted_server.ts";
import { flags } from "./_flags.ts";

const USAGE = "usage: deno run -A scripts/mock_server.ts [--port N] [--seed S] [--latency MS] " +
  "[--fault KIND[:N] ...] [--model ID] [--quiet]\n" +
  "  KIND: rate_limit, server_error, drop_connection, non_json, out_of_range, missing_field, " +
  "refusal, empty_reply, no_structured_output, no_json_mode, rate_limit_above";

/** Parsed command-line options. */
export interface MockServerArgs {
  /** The port (0: a free one). */
  port: number;
  /** The seed of the scores' noise. */
  seed: number;
  /** Faults, in the order given (latency first when set). */
  faults: Fault[];
  /** The accepted model id, when one was given. */
  model?: string;
  /** Whether to leave out the per-request log. */
  quiet: boolean;
}

/**
 * Parses the command line (`--name value` or `--name=value`).
 *
 * @param args The arguments after the script name.
 * @returns The options.
 * @throws {Error} On an unknown flag or fault kind, or a bad number; the message includes the
 *   usage line.
 *
 * @example
 * ```ts
 * import { parseMockServerArgs } from "./mock_server.ts";
 * import assert from "node:assert/strict";
 *
 * const args = parseMockServerArgs(["--port", "8089", "--latency=50", "--fault", "rate_limit:2"]);
 * assert.equal(args.port, 8089);
 * assert.deepEqual(args.faults, [
 *   { kind: "latency", ms: 50 },
 *   { kind: "rate_limit", retryAfterSeconds: 1, times: 2 },
 * ]);
 * assert.throws(() => parseMockServerArgs(["--fault", "bogus"]), /unknown fault kind/);
 * ```
 */
export function parseMockServerArgs(args: readonly string[]): MockServerArgs {
  const parsed: MockServerArgs = { port: 0, seed: 0, faults: [], quiet: false };
  let latency: number | undefined;
  for (const { name, arg, value: takeValue } of flags(args, USAGE)) {
    switch (name) {
      case "--port":
        parsed.port = count(name, takeValue());
        break;
      case "--seed":
        parsed.seed = count(name, takeValue());
        break;
      case "--latency":
        latency = count(name, takeValue());
        break;
      case "--fault":
        parsed.faults.push(parseFault(takeValue()));
        break;
      case "--model":
        parsed.model = takeValue();
        break;
      case "--quiet":
        parsed.quiet = true;
        break;
      case "--help":
      case "-h":
        throw new Error(USAGE);
      default:
        throw new Error(`unknown option ${JSON.stringify(arg)}\n${USAGE}`);
    }
  }
  if (latency !== undefined) parsed.faults.unshift({ kind: "latency", ms: latency });
  return parsed;
}

function count(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) {
    throw new Error(`${name} needs a whole number, got ${JSON.stringify(value)}\n${USAGE}`);
  }
  return n;
}

function parseFault(spec: string): Fault {
  const [kind, n] = spec.split(":", 2) as [string, string | undefined];
  const times = n === undefined ? {} : { times: count("--fault", n) };
  switch (kind) {
    case "rate_limit":
      return { kind, retryAfterSeconds: 1, ...times };
    case "server_error":
    case "drop_connection":
    case "non_json":
    case "out_of_range":
    case "missing_field":
    case "refusal":
    case "empty_reply":
      return { kind, ...times };
    case "no_structured_output":
    case "no_json_mode":
      return { kind };
    case "rate_limit_above":
      return { kind, requestsPerSecond: n === undefined ? 5 : Math.max(1, count("--fault", n)) };
    default:
      throw new Error(`unknown fault kind ${JSON.stringify(kind)}\n${USAGE}`);
  }
}

/**
 * Starts the server and prints where it listens and how to use it.
 *
 * @param args The command-line arguments.
 * @param log Where the lines go (default: the console).
 * @returns The running server (close it to stop).
 *
 * @example
 * ```ts
 * import { mockServer } from "./mock_server.ts";
 * import assert from "node:assert/strict";
 *
 * const lines: string[] = [];
 * await using server = mockServer(["--seed", "2"], (line) => lines.push(line));
 * assert.ok(lines.some((line) => line.includes(`PRECEPTRON_BASE_URL=${server.baseURL}`)));
 * ```
 */
export function mockServer(
  args: readonly string[],
  log: (line: string) => void = console.log,
): ScriptedServer {
  const parsed = parseMockServerArgs(args);
  const options = {
    port: parsed.port,
    seed: parsed.seed,
    faults: parsed.faults,
    ...(parsed.model === undefined ? {} : { model: parsed.model }),
    ...(parsed.quiet ? {} : { onRequest: (event: RequestEvent) => log(describe(event)) }),
  };
  const server = startScriptedServer(options);
  const model = parsed.model ?? "scripted";
  log("PrecepTron scripted server: no model behind it; scores are computed from the prompt.");
  log(`  OpenAI-compatible  ${server.baseURL}`);
  log(`  Anthropic          ${server.anthropicBaseURL}`);
  log(`  seed ${parsed.seed}; faults: ${parsed.faults.map(faultLabel).join(", ") || "none"}`);
  log("Point the kit at it:");
  log(`  PRECEPTRON_BASE_URL=${server.baseURL} PRECEPTRON_MODEL=${model}`);
  log(`  or new OpenAI({ baseURL: "${server.baseURL}", apiKey: "unused" })`);
  log(`  or new Anthropic({ baseURL: "${server.anthropicBaseURL}", apiKey: "unused" })`);
  log("Ctrl-C stops it.");
  return server;
}

function faultLabel(fault: Fault): string {
  if (fault.kind === "latency") return `latency ${fault.ms} ms`;
  if (fault.kind === "rate_limit_above") return `rate_limit_above ${fault.requestsPerSecond}/s`;
  return "times" in fault && fault.times !== undefined
    ? `${fault.kind}×${fault.times}`
    : fault.kind;
}

function describe(event: RequestEvent): string {
  const status = event.status === 0 ? "dropped" : String(event.status);
  const extras = [event.task, event.fault && `fault ${event.fault}`].filter(Boolean).join(", ");
  return `${event.method} ${event.path} → ${status}${extras ? ` (${extras})` : ""} ` +
    `${event.ms.toFixed(0)} ms`;
}

if (import.meta.main) {
  let server: ScriptedServer;
  try {
    server = mockServer(Deno.args);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    Deno.exit(2);
  }
  Deno.addSignalListener("SIGINT", async () => {
    await server.close();
    const { requests, inputTokens, outputTokens, byStatus } = server.counts;
    console.log(
      `\nstopped after ${requests} requests (${inputTokens} input / ${outputTokens} output ` +
        `tokens estimated; by status ${JSON.stringify(byStatus)})`,
    );
    Deno.exit(0);
  });
}
