import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readdir, readFile, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { _safeJoin, cacheDir } from "./cache_dir.ts";
import { fetchUrlToCache } from "./fetch_source.ts";
import { startHubImitation } from "../testing/hub_imitation.ts";
import { rejection, withEnv, withTempDir } from "./_test_support.ts";

const TOKEN = "secret-token-for-the-data-server";
const CSV = "id,grade\ne1,3\ne2,1\n";

/** A fresh cache folder per test, removed afterwards. */
const withCache = (fn: (cache: string) => Promise<void>) => withTempDir("preceptron-url-test-", fn);

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
const NO_HF = { HF_TOKEN: undefined, HUGGING_FACE_HUB_TOKEN: undefined, HF_ENDPOINT: undefined };

// ---------------------------------------------------------------------------------------------
// cacheDir()
// ---------------------------------------------------------------------------------------------

Deno.test("cacheDir() takes PRECEPTRON_CACHE first, made absolute", async () => {
  await withEnv({ PRECEPTRON_CACHE: "relative/cache", XDG_CACHE_HOME: "/xdg" }, () => {
    assert.equal(cacheDir(), resolve("relative/cache"));
  });
});

Deno.test("cacheDir() falls back to $XDG_CACHE_HOME/preceptron, then ~/.cache/preceptron", async () => {
  await withEnv({ PRECEPTRON_CACHE: undefined, XDG_CACHE_HOME: "/tmp/xdg-cache" }, () => {
    assert.equal(cacheDir(), join("/tmp/xdg-cache", "preceptron"));
  });
  await withEnv({ PRECEPTRON_CACHE: "", XDG_CACHE_HOME: undefined }, () => {
    assert.equal(cacheDir(), join(Deno.env.get("HOME")!, ".cache", "preceptron"));
  });
});

Deno.test("cacheDir() ignores a relative XDG_CACHE_HOME, as the XDG spec requires", async () => {
  await withEnv({ PRECEPTRON_CACHE: undefined, XDG_CACHE_HOME: "not/absolute" }, () => {
    assert.equal(cacheDir(), join(Deno.env.get("HOME")!, ".cache", "preceptron"));
  });
});

Deno.test("_safeJoin() refuses paths that leave the root", () => {
  assert.equal(_safeJoin("/c", "hf", "o", "n"), "/c/hf/o/n");
  assert.throws(() => _safeJoin("/c", "hf", "..", "..", "etc"), /outside the cache folder/);
  assert.throws(() => _safeJoin("/c", "a/../../b"), /outside the cache folder/);
  assert.throws(() => _safeJoin("/c", "."), /outside the cache folder/);
});

// ---------------------------------------------------------------------------------------------
// fetchUrlToCache()
// ---------------------------------------------------------------------------------------------

Deno.test("fetchUrlToCache() stores the file under the URL's hash with a sha256 sidecar", async () => {
  await using server = startHubImitation({ static: { "/exports/scores.csv": { content: CSV } } });
  await withCache(async (cache) => {
    const url = `${server.endpoint}/exports/scores.csv`;
    const path = await fetchUrlToCache(url, { cacheDir: cache });
    assert.equal(path, join(cache, "url", sha256(url), "scores.csv"));
    assert.equal(await readFile(path, "utf8"), CSV);
    assert.equal(await readFile(`${path}.sha256`, "utf8"), `${sha256(CSV)}  scores.csv\n`);
    assert.deepEqual(await readdir(dirname(path)), ["scores.csv", "scores.csv.sha256"].sort());
  });
});

Deno.test("fetchUrlToCache() with a warm cache makes no request", async () => {
  await using server = startHubImitation({ static: { "/scores.csv": { content: CSV } } });
  await withCache(async (cache) => {
    const url = `${server.endpoint}/scores.csv`;
    const first = await fetchUrlToCache(url, { cacheDir: cache });
    const requests = server.requests.length;
    const messages: string[] = [];
    const second = await fetchUrlToCache(url, {
      cacheDir: cache,
      onProgress: (message) => messages.push(message),
    });
    assert.equal(second, first);
    assert.equal(server.requests.length, requests);
    assert.equal(server.counts.downloads, 1);
    assert.deepEqual(messages, [`cached ${url}`]);
  });
});

Deno.test("fetchUrlToCache() downloads a tampered cached file again, with a message", async () => {
  await using server = startHubImitation({ static: { "/scores.csv": { content: CSV } } });
  await withCache(async (cache) => {
    const url = `${server.endpoint}/scores.csv`;
    const path = await fetchUrlToCache(url, { cacheDir: cache });
    await writeFile(path, CSV.replace("3", "5"));
    const messages: string[] = [];
    const again = await fetchUrlToCache(url, {
      cacheDir: cache,
      onProgress: (message) => messages.push(message),
    });
    assert.equal(again, path);
    assert.equal(await readFile(path, "utf8"), CSV);
    assert.equal(server.counts.downloads, 2);
    assert.match(
      messages[0] ?? "",
      /cached copy of .*scores\.csv is corrupted \(sha256 .*\); downloading/,
    );
  });
});

Deno.test("fetchUrlToCache() downloads again when the sidecar is missing", async () => {
  await using server = startHubImitation({ static: { "/scores.csv": { content: CSV } } });
  await withCache(async (cache) => {
    const url = `${server.endpoint}/scores.csv`;
    const path = await fetchUrlToCache(url, { cacheDir: cache });
    await rm(`${path}.sha256`);
    assert.equal(await fetchUrlToCache(url, { cacheDir: cache }), path);
    assert.equal(server.counts.downloads, 2);
    assert.equal(await readFile(`${path}.sha256`, "utf8"), `${sha256(CSV)}  scores.csv\n`);
  });
});

Deno.test("fetchUrlToCache() refresh downloads even when the cache is valid", async () => {
  await using server = startHubImitation({ static: { "/scores.csv": { content: CSV } } });
  await withCache(async (cache) => {
    const url = `${server.endpoint}/scores.csv`;
    await fetchUrlToCache(url, { cacheDir: cache });
    await fetchUrlToCache(url, { cacheDir: cache, refresh: true });
    assert.equal(server.counts.downloads, 2);
  });
});

Deno.test("fetchUrlToCache() names an extension-less download from its Content-Type", async () => {
  await using server = startHubImitation({
    static: {
      "/export": { content: "[]", contentType: "application/json; charset=utf-8" },
      "/blob": { content: "x" },
    },
  });
  await withCache(async (cache) => {
    const json = await fetchUrlToCache(`${server.endpoint}/export?id=7&format=json`, {
      cacheDir: cache,
    });
    assert.equal(basename(json), "export.json");
    const other = await fetchUrlToCache(`${server.endpoint}/blob`, { cacheDir: cache });
    assert.equal(basename(other), "blob");
    // The URL (query included) decides the folder; a fragment does not.
    assert.equal(
      await fetchUrlToCache(`${server.endpoint}/export?id=7&format=json#top`, { cacheDir: cache }),
      json,
    );
  });
});

Deno.test("fetchUrlToCache() fails a broken transfer and leaves no partial file", async () => {
  await using server = startHubImitation({
    static: { "/big.jsonl": { content: "y".repeat(300_000), truncate: true } },
  });
  await withCache(async (cache) => {
    const url = `${server.endpoint}/big.jsonl`;
    const error = await rejection(fetchUrlToCache(url, { cacheDir: cache }));
    assert.match(error.message, /download of http:\/\/127\.0\.0\.1:\d+\/big\.jsonl/);
    assert.match(error.message, /(broke off|ended) after \d+ of 300000 bytes/);
    assert.match(error.message, /nothing was kept in the cache/);
    assert.deepEqual(await readdir(join(cache, "url", sha256(url))), []);
  });
});

Deno.test("fetchUrlToCache() sends a token to the URL's origin only, not across redirects", async () => {
  await withEnv(NO_HF, async () => {
    // One server redirects to another origin: the second server's "CDN" port.
    await using server = startHubImitation({ static: { "/data.csv": { content: CSV } } });
    await withCache(async (cache) => {
      const messages: string[] = [];
      await using redirecting = startHubImitation({
        static: { "/moved.csv": { redirectTo: `${server.cdnEndpoint}/data.csv` } },
      });
      const path = await fetchUrlToCache(`${redirecting.endpoint}/moved.csv`, {
        cacheDir: cache,
        token: TOKEN,
        onProgress: (message) => messages.push(message),
      });
      assert.equal(await readFile(path, "utf8"), CSV);
      assert.equal(basename(path), "moved.csv");
      assert.deepEqual(
        redirecting.requests.map((request) => request.authorization),
        [`Bearer ${TOKEN}`],
      );
      assert.deepEqual(server.requests.map((r) => [r.server, r.authorization]), [["cdn", null]]);
      assert.ok(messages.every((message) => !message.includes(TOKEN)));
    });
  });
});

Deno.test("fetchUrlToCache() sends HF_TOKEN only to the Hugging Face endpoint", async () => {
  await using hub = startHubImitation({ static: { "/a.csv": { content: CSV } } });
  await withCache(async (cache) => {
    await withEnv({ ...NO_HF, HF_TOKEN: TOKEN }, async () => {
      await fetchUrlToCache(`${hub.endpoint}/a.csv`, { cacheDir: cache });
      assert.equal(hub.requests.at(-1)?.authorization, null);
    });
    await withEnv({ ...NO_HF, HF_TOKEN: TOKEN, HF_ENDPOINT: hub.endpoint }, async () => {
      await fetchUrlToCache(`${hub.endpoint}/a.csv`, { cacheDir: cache, refresh: true });
      assert.equal(hub.requests.at(-1)?.authorization, `Bearer ${TOKEN}`);
    });
  });
});

Deno.test("fetchUrlToCache() reports HTTP errors and keeps query strings out of messages", async () => {
  await using server = startHubImitation({ static: { "/private.csv": { status: 401 } } });
  await withCache(async (cache) => {
    const missing = await rejection(
      fetchUrlToCache(`${server.endpoint}/nope.csv?signature=abc123`, { cacheDir: cache }),
    );
    assert.match(missing.message, /nope\.csv\?…: not found \(HTTP 404/);
    assert.ok(!missing.message.includes("abc123"));
    const refused = await rejection(
      fetchUrlToCache(`${server.endpoint}/private.csv`, { cacheDir: cache }),
    );
    assert.match(refused.message, /refused access \(HTTP 401/);
    assert.deepEqual(await readdir(join(cache, "url")).catch(() => []), []);
  });
});

Deno.test("fetchUrlToCache() reports an unreachable server", async () => {
  const server = startHubImitation({});
  const url = `${server.endpoint}/gone.csv`;
  await server.close();
  await withCache(async (cache) => {
    const error = await rejection(fetchUrlToCache(url, { cacheDir: cache }));
    assert.match(error.message, /could not reach http:\/\/127\.0\.0\.1:\d+\/gone\.csv/);
  });
});

Deno.test("fetchUrlToCache() refuses URLs that are not http(s)", async () => {
  await assert.rejects(fetchUrlToCache("file:///etc/passwd"), /only http: and https: URLs/);
  await assert.rejects(fetchUrlToCache("not a url"), /not a valid URL/);
});

Deno.test("fetchUrlToCache() gives up on redirect loops", async () => {
  await using server = startHubImitation({ static: { "/loop.csv": { redirectTo: "/loop.csv" } } });
  await withCache(async (cache) => {
    await assert.rejects(
      fetchUrlToCache(`${server.endpoint}/loop.csv`, { cacheDir: cache }),
      /too many redirects/,
    );
  });
});
