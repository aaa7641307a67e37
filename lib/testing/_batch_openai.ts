/**
 * The OpenAI dialect of the batch imitation: the Files API (`purpose: "batch"` uploads, their
 * metadata and content) and the Batch API (`/v1/batches`), over the shared book of batches.
 *
 * Shapes follow the openai SDK's types (`FileObject`, `Batch`, `BatchRequestCounts`,
 * `BatchUsage`, `BatchError`) and the API reference's per-line object of output and error files
 * (`{id, custom_id, response: {status_code, request_id, body} | null, error: {code, message} |
 * null}`). As the real API does, absent timestamps and file ids are sent as `null`.
 *
 * @module
 */

import { failure } from "./_batch_answers.ts";
import { type DialectContext, type Endpoints, page, pageLimit } from "./_batch_context.ts";
import {
  bytesResponse,
  DAY_MS,
  errorResponse,
  isRecord,
  jsonl,
  jsonResponse,
  unixSeconds,
} from "./_batch_http.ts";
import { parseInputFile } from "./_batch_openai_input.ts";
import { _CHAT_URL } from "../batch/chunk_requests.ts";
import { itemResults, type StoredBatch, type StoredItem } from "./_batch_store.ts";

/** An uploaded or generated file. */
interface StoredFile {
  id: string;
  bytes: Uint8Array<ArrayBuffer>;
  createdAt: number;
  filename: string;
  purpose: string;
}

/** The OpenAI fields of a stored batch. */
interface OpenAIExtra {
  inputFileId: string;
  endpoint: string;
  metadata: Record<string, string> | null;
  model: string | null;
  outputFileId: string | null;
  errorFileId: string | null;
  written: boolean;
}

const PURPOSES = ["assistants", "batch", "fine-tune", "vision", "user_data", "evals"];
/** Batch files expire after 30 days by default. */
const FILE_EXPIRY_MS = 30 * DAY_MS;
/**
 * The OpenAI routes, `/v1/files…` and `/v1/batches…`; or Azure OpenAI's, `/openai/files…` and
 * `/openai/batches…`, which answer only with an `api-version` query, as Azure does. Each has its
 * own files and batches, limits and chat-completions endpoint (`_CHAT_URL`).
 *
 * @param ctx The shared state.
 * @param provider `openai` or `azure`.
 * @returns The endpoints and their handlers.
 */
export function openaiEndpoints(
  ctx: DialectContext,
  provider: "openai" | "azure" = "openai",
): Endpoints {
  const api = new OpenAIBatchApi(ctx, new Map(), provider);
  const endpoints: Endpoints = {
    "POST /files": (_id, request) => api.upload(request),
    "GET /files/{id}": (id) => api.fileInfo(id),
    "DELETE /files/{id}": (id) => api.deleteFile(id),
    "GET /files/{id}/content": (id) => api.content(id),
    "POST /batches": (_id, request) => api.create(request),
    "GET /batches": (_id, _request, url) => api.list(url),
    "GET /batches/{id}": (id) => api.retrieve(id),
    "POST /batches/{id}/cancel": (id) => api.cancel(id),
  };
  const root = provider === "azure" ? "/openai" : "/v1";
  return Object.fromEntries(
    Object.entries(endpoints).map(([endpoint, handle]) => {
      const [method, path] = endpoint.split(" ");
      const versioned: Endpoints[string] = async (id, request, url) => {
        if (provider === "openai" || url.searchParams.has("api-version")) {
          return handle(id, request, url);
        }
        await request.arrayBuffer();
        return errorResponse("openai", 404, "Resource not found (no api-version given).");
      };
      return [`${method} ${root}${path}`, versioned];
    }),
  );
}

class OpenAIBatchApi {
  readonly endpoint: string;
  constructor(
    readonly ctx: DialectContext,
    readonly files: Map<string, StoredFile>,
    readonly provider: "openai" | "azure",
  ) {
    this.endpoint = _CHAT_URL[provider];
  }

  /** `POST /v1/files`: a multipart upload with `file` and `purpose`. */
  async upload(request: Request): Promise<Response> {
    const { ctx } = this;
    const fault = ctx.book.takeRequestFault("upload_error", this.provider);
    if (fault?.kind === "upload_error") {
      await request.arrayBuffer(); // read it all, so that the client is not cut off mid-send
      ctx.counts.uploadsFailed++;
      const status = fault.status ?? 500;
      return errorResponse(
        "openai",
        status,
        "The server had an error while processing your " +
          "request. Sorry about that! (scripted upload failure)",
      );
    }
    let form: FormData;
    try {
      form = await request.formData();
    } catch {
      return errorResponse("openai", 400, "The request must be multipart/form-data.");
    }
    const file = form.get("file");
    const purpose = form.get("purpose");
    if (!(file instanceof File)) return missing("file");
    if (typeof purpose !== "string") return missing("purpose");
    if (!PURPOSES.includes(purpose)) {
      return errorResponse("openai", 400, `Invalid value for 'purpose': '${purpose}'.`, {
        param: "purpose",
        code: "invalid_value",
      });
    }
    if (purpose === "batch") {
      if (!file.name.endsWith(".jsonl")) {
        return errorResponse("openai", 400, "Invalid file format for Batch API. Must be .jsonl");
      }
      const limit = ctx.limits[this.provider].bytes;
      if (file.size > limit) {
        return errorResponse(
          "openai",
          400,
          `File is too large: a batch input file can be at ` +
            `most ${limit} bytes, and this one is ${file.size}.`,
          { param: "file" },
        );
      }
    }
    const stored = this.#store(file.name, purpose, new Uint8Array(await file.arrayBuffer()));
    ctx.counts.filesUploaded++;
    return jsonResponse("openai", fileObject(stored));
  }

  #store(filename: string, purpose: string, bytes: Uint8Array<ArrayBuffer>): StoredFile {
    const file = {
      id: this.ctx.nextId("file", "-"),
      bytes,
      createdAt: Date.now(),
      filename,
      purpose,
    };
    this.files.set(file.id, file);
    return file;
  }

  /** `GET /v1/files/{id}`. */
  fileInfo(id: string): Promise<Response> {
    const file = this.files.get(id);
    return Promise.resolve(
      file ? jsonResponse("openai", fileObject(file)) : noSuchFile(id),
    );
  }

  /** `DELETE /v1/files/{id}`. */
  deleteFile(id: string): Promise<Response> {
    if (!this.files.delete(id)) return Promise.resolve(noSuchFile(id));
    return Promise.resolve(jsonResponse("openai", { id, object: "file", deleted: true }));
  }

  /** `GET /v1/files/{id}/content`: the bytes; a batch's output or error file counts a download. */
  content(id: string): Promise<Response> {
    const file = this.files.get(id);
    if (!file) return Promise.resolve(noSuchFile(id));
    const cut = file.purpose === "batch_output" && this.ctx.download(this.provider);
    return Promise.resolve(
      bytesResponse("openai", file.bytes, "application/octet-stream", { cut }),
    );
  }

  /** `POST /v1/batches`: validates the input file, prepares every answer, files the batch. */
  async create(request: Request): Promise<Response> {
    const { ctx } = this;
    let body: unknown;
    try {
      body = await request.json();
    } catch {
      return errorResponse("openai", 400, "We could not parse the JSON body of your request.");
    }
    if (!isRecord(body)) return errorResponse("openai", 400, "The body must be a JSON object.");
    const bad = this.#checkCreate(body);
    if (bad) return bad;
    const file = this.files.get(body.input_file_id as string)!;
    const { provider, endpoint } = this;
    const parsed = parseInputFile(new TextDecoder().decode(file.bytes), endpoint, {
      requests: ctx.limits[provider].requests,
    });
    const ids = parsed.requests.map((r) => r.customId);
    const plan = parsed.errors.length > 0
      ? { failing: new Map<string, number>(), expireAfter: Infinity, outOfOrder: false }
      : ctx.book.plan(provider, ids);
    const toAnswer = parsed.requests.filter((r) => !plan.failing.has(r.customId));
    const answers = parsed.errors.length > 0
      ? []
      : await ctx.answers.answerAll(provider, toAnswer.map((r) => r.body));
    const byId = new Map(toAnswer.map((r, i) => [r.customId, answers[i]!]));
    const items: StoredItem[] = parsed.errors.length > 0 ? [] : parsed.requests.map((r) => ({
      customId: r.customId,
      answer: byId.get(r.customId) ?? failure(provider, plan.failing.get(r.customId)!),
    }));
    const extra: OpenAIExtra = {
      inputFileId: file.id,
      endpoint,
      metadata: isRecord(body.metadata) ? body.metadata as Record<string, string> : null,
      model: parsed.model,
      outputFileId: null,
      errorFileId: null,
      written: false,
    };
    const batch = ctx.book.create(ctx.nextId("batch"), provider, items, parsed.errors, plan, {
      ...extra,
    });
    ctx.counts.batchesCreated[provider]++;
    return jsonResponse("openai", this.#render(batch));
  }

  /** The error answer to a malformed `POST /v1/batches`, if it is one. */
  #checkCreate(body: Record<string, unknown>): Response | undefined {
    const { input_file_id: fileId, endpoint, completion_window: window } = body;
    if (typeof fileId !== "string") return missing("input_file_id");
    if (typeof endpoint !== "string") return missing("endpoint");
    if (typeof window !== "string") return missing("completion_window");
    if (window !== "24h") {
      return errorResponse(
        "openai",
        400,
        `Invalid value for 'completion_window': '${window}'. ` +
          "Supported values are: '24h'.",
        { param: "completion_window", code: "invalid_value" },
      );
    }
    if (endpoint !== this.endpoint) {
      return errorResponse(
        "openai",
        400,
        `The batch imitation answers only ${this.endpoint} here, not ` +
          `'${endpoint}'.`,
        { param: "endpoint", code: "invalid_value" },
      );
    }
    const file = this.files.get(fileId);
    if (!file) {
      return errorResponse("openai", 400, `Invalid 'input_file_id': '${fileId}'. File not found.`, {
        param: "input_file_id",
      });
    }
    if (file.purpose !== "batch") {
      return errorResponse(
        "openai",
        400,
        `File '${fileId}' was not uploaded with purpose ` +
          "'batch'.",
        { param: "input_file_id" },
      );
    }
    return undefined;
  }

  /** `GET /v1/batches/{id}`: a poll, which may move the batch on (or be cut mid-response). */
  retrieve(id: string): Promise<Response> {
    const batch = this.ctx.book.get(id, this.provider);
    if (!batch) return Promise.resolve(noSuchBatch(id));
    const cut = this.ctx.retrieval(batch);
    return Promise.resolve(jsonResponse("openai", this.#render(batch), { cut }));
  }

  /** `POST /v1/batches/{id}/cancel`. */
  cancel(id: string): Promise<Response> {
    const { ctx } = this;
    const batch = this.ctx.book.get(id, this.provider);
    if (!batch) return Promise.resolve(noSuchBatch(id));
    ctx.counts.cancels[this.provider]++;
    if (!ctx.book.cancel(batch)) {
      const status = openaiStatus(batch);
      return Promise.resolve(
        errorResponse("openai", 400, `Cannot cancel a batch with status '${status}'.`),
      );
    }
    return Promise.resolve(jsonResponse("openai", this.#render(batch)));
  }

  /** `GET /v1/batches?after=&limit=`: newest first. */
  list(url: URL): Promise<Response> {
    const limit = pageLimit(url, 20, 100);
    if (limit === null) {
      return Promise.resolve(
        errorResponse("openai", 400, "'limit' must be an integer from 1 to 100.", {
          param: "limit",
        }),
      );
    }
    const batches = this.ctx.book.list(this.provider);
    const { data, hasMore } = page(batches, limit, { after: url.searchParams.get("after") });
    const rendered = data.map((batch) => this.#render(batch));
    return Promise.resolve(jsonResponse("openai", {
      object: "list",
      data: rendered,
      first_id: data[0]?.id ?? null,
      last_id: data.at(-1)?.id ?? null,
      has_more: hasMore,
    }));
  }

  /** The `Batch` object, writing the output and error files once the batch has ended. */
  #render(batch: StoredBatch): Record<string, unknown> {
    const extra = batch.extra as unknown as OpenAIExtra;
    if (batch.stage === "ended" && !extra.written) this.#writeFiles(batch, extra);
    const results = itemResults(batch);
    const answered = results.flatMap((r) => r.kind === "answered" ? [r.answer] : []);
    const succeeded = answered.filter((a) => a.status === 200);
    const counted = batch.stage !== "validating" && batch.ending !== "failed";
    const t = batch.times;
    return {
      id: batch.id,
      object: "batch",
      endpoint: extra.endpoint,
      model: extra.model,
      errors: batch.ending === "failed"
        ? { object: "list", data: batch.invalid.map((error) => ({ ...error })) }
        : null,
      input_file_id: extra.inputFileId,
      completion_window: "24h",
      status: openaiStatus(batch),
      output_file_id: extra.outputFileId,
      error_file_id: extra.errorFileId,
      created_at: unixSeconds(batch.createdAt),
      in_progress_at: unixSeconds(t.in_progress),
      expires_at: unixSeconds(batch.createdAt + DAY_MS),
      finalizing_at: unixSeconds(t.finalizing),
      completed_at: unixSeconds(t.completed),
      failed_at: unixSeconds(t.failed),
      expired_at: unixSeconds(t.expired),
      cancelling_at: unixSeconds(t.cancelling),
      cancelled_at: unixSeconds(t.cancelled),
      request_counts: {
        total: counted ? batch.items.length : 0,
        completed: succeeded.length,
        failed: results.length - succeeded.length,
      },
      usage: usageOf(succeeded.map((a) => a.body)),
      metadata: extra.metadata,
    };
  }

  /** Writes the output file (answers with status 200) and the error file (the others). */
  #writeFiles(batch: StoredBatch, extra: OpenAIExtra): void {
    extra.written = true;
    const lines = itemResults(batch).map((result) => ({
      id: this.ctx.nextId("batch_req"),
      custom_id: result.customId,
      response: result.kind === "answered"
        ? {
          status_code: result.answer.status,
          request_id: result.answer.requestId,
          body: result.answer.body,
        }
        : null,
      error: result.kind === "answered" ? null : result.kind === "expired"
        ? {
          code: "batch_expired",
          message: "This request could not be executed before the completion window expired.",
        }
        : {
          code: "batch_cancelled",
          message: "This request was not executed: the batch was " +
            "cancelled before it ran.",
        },
    }));
    const ok = lines.filter((line) => line.response?.status_code === 200);
    const failed = lines.filter((line) => line.response?.status_code !== 200);
    const encode = (values: unknown[]) => new TextEncoder().encode(jsonl(values));
    if (ok.length > 0) {
      extra.outputFileId = this.#store(`${batch.id}_output.jsonl`, "batch_output", encode(ok)).id;
    }
    if (failed.length > 0) {
      extra.errorFileId = this.#store(`${batch.id}_error.jsonl`, "batch_output", encode(failed))
        .id;
    }
  }
}

/** The batch's status in OpenAI's words. */
function openaiStatus(batch: StoredBatch): string {
  return batch.stage === "ended" ? batch.ending! : batch.stage;
}

function fileObject(file: StoredFile): Record<string, unknown> {
  const expires = file.purpose === "batch" || file.purpose === "batch_output";
  return {
    id: file.id,
    object: "file",
    bytes: file.bytes.byteLength,
    created_at: unixSeconds(file.createdAt),
    expires_at: expires ? unixSeconds(file.createdAt + FILE_EXPIRY_MS) : null,
    filename: file.filename,
    purpose: file.purpose,
    status: "processed",
    status_details: null,
  };
}

/** The batch's token usage: the sum over its successful chat completions. */
function usageOf(bodies: unknown[]): Record<string, unknown> {
  let input = 0;
  let output = 0;
  for (const body of bodies) {
    const usage = isRecord(body) && isRecord(body.usage) ? body.usage : {};
    input += typeof usage.prompt_tokens === "number" ? usage.prompt_tokens : 0;
    output += typeof usage.completion_tokens === "number" ? usage.completion_tokens : 0;
  }
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: input + output,
  };
}

function missing(param: string): Response {
  return errorResponse("openai", 400, `Missing required parameter: '${param}'.`, {
    param,
    code: "missing_required_parameter",
  });
}

function noSuchFile(id: string): Response {
  return errorResponse("openai", 404, `No such File object: ${id}`, { param: "id" });
}

function noSuchBatch(id: string): Response {
  return errorResponse("openai", 404, `No batch found with id '${id}'.`, { param: "batch_id" });
}
