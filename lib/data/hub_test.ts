import assert from "node:assert/strict";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { _parseHubId, _selectDataFiles, fetchHubDataset, type HubFetchOptions } from "./hub.ts";
import {
  type HubImitation,
  type HubImitationOptions,
  type ImitationRepo,
  startHubImitation,
} from "../testing/hub_imitation.ts";
import { rejection, withEnv, withTempDir } from "./_test_support.ts";

const TOKEN = "hf_imitationSecretToken0123456789";
const OTHER_TOKEN = "hf_tokenOfAnAccountWithoutAccess99";

/** A fresh cache folder per test, removed afterwards. */
const withCache = (fn: (cache: string) => Promise<void>) => withTempDir("preceptron-hub-test-", fn);

/** Options that keep the developer's own HF_TOKEN / HF_ENDPOINT out of the tests. */
function isolated(): Record<string, undefined> {
  return {
    HF_TOKEN: undefined,
    HUGGING_FACE_HUB_TOKEN: undefined,
    HF_ENDPOINT: undefined,
    HF_HUB_OFFLINE: undefined,
  };
}

/**
 * Runs `fn` against a fresh imitation and cache, without the developer's own HF settings, with
 * the fetch options that point at them.
 */
async function withHub(
  imitation: HubImitationOptions,
  fn: (hub: HubImitation, options: { cacheDir: string; endpoint: string }) => Promise<void>,
): Promise<void> {
  await withEnv(isolated(), async () => {
    await using hub = startHubImitation(imitation);
    await withCache((cacheDir) => fn(hub, { cacheDir, endpoint: hub.endpoint }));
  });
}

/** Every file under a folder, relative, including temporaries. */
async function filesUnder(folder: string): Promise<string[]> {
  try {
    return (await readdir(folder, { recursive: true })).map(String).sort();
  } catch {
    return [];
  }
}

const ENTRIES = JSON.stringify([{ id: "e1", grade: 3 }, { id: "e2", grade: 1 }]);

const PRECEPTRON: ImitationRepo = {
  id: "tbuckley/GRAND-ROUNDS",
  files: [
    { path: ".gitattributes", content: "*.parquet filter=lfs\n" },
    { path: "README.md", content: "# GRAND-ROUNDS\n" },
    { path: "dataset_infos.json", content: "{}" },
    { path: "data/train-00000-of-00001.parquet", content: "PAR1 not really", lfs: true },
    { path: "combined_dataset.json", content: ENTRIES, lfs: true },
  ],
};

// ---------------------------------------------------------------------------------------------
// Ids and discovery rules (no server)
// ---------------------------------------------------------------------------------------------

Deno.test("_parseHubId() reads owner, name, revision and path", () => {
  assert.deepEqual(_parseHubId("hf:tbuckley/GRAND-ROUNDS"), {
    owner: "tbuckley",
    name: "GRAND-ROUNDS",
    revision: undefined,
    path: undefined,
  });
  assert.deepEqual(_parseHubId("hf:o/n@v1.0"), {
    owner: "o",
    name: "n",
    revision: "v1.0",
    path: undefined,
  });
  assert.deepEqual(_parseHubId("hf:o/n/data/x.parquet"), {
    owner: "o",
    name: "n",
    revision: undefined,
    path: "data/x.parquet",
  });
  assert.deepEqual(_parseHubId("hf:o/n@refs%2Fpr%2F3/data/x.csv"), {
    owner: "o",
    name: "n",
    revision: "refs/pr/3",
    path: "data/x.csv",
  });
  assert.equal(_parseHubId("hf:o/n/data/").path, "data");
});

Deno.test("_parseHubId() rejects malformed ids with the accepted forms", () => {
  for (
    const id of [
      "tbuckley/GRAND-ROUNDS",
      "hf:justowner",
      "hf:o/",
      "hf:../n",
      "hf:o/n..x",
      "hf:o/n@",
      "hf:o/n/../../etc/passwd",
      "hf:o/n/a//b.json",
      "hf:o/n?x=1",
    ]
  ) {
    assert.throws(() => _parseHubId(id), /not a Hugging Face dataset id.*hf:owner\/name/, id);
  }
});

/** Discovery rules, each with listings of a repository and the data files chosen from them. */
const SELECTIONS: { rule: string; cases: { files: string[]; selected: string[] }[] }[] = [
  {
    rule: "prefers combined_dataset.json, nearest the root",
    cases: [
      {
        files: ["data/a.parquet", "old/combined_dataset.json", "combined_dataset.json", "x.csv"],
        selected: ["combined_dataset.json"],
      },
      { files: ["v2/combined_dataset.json", "b.parquet"], selected: ["v2/combined_dataset.json"] },
    ],
  },
  {
    rule: "returns every shard of the preferred format, sorted",
    cases: [
      {
        files: [
          "data/train-00001-of-00002.parquet",
          "data/test-00000-of-00001.parquet",
          "data/train-00000-of-00002.parquet",
          "data/train.jsonl",
          "extra.csv",
        ],
        selected: [
          "data/test-00000-of-00001.parquet",
          "data/train-00000-of-00002.parquet",
          "data/train-00001-of-00002.parquet",
        ],
      },
      { files: ["b.json", "a.jsonl", "c.ndjson"], selected: ["a.jsonl", "c.ndjson"] },
      { files: ["scores.csv", "scores.json"], selected: ["scores.json"] },
      { files: ["scores.CSV"], selected: ["scores.CSV"] },
    ],
  },
  {
    rule: "skips metadata, hidden files and non-data files",
    cases: [
      {
        files: [
          ".gitattributes",
          "README.md",
          "dataset_infos.json",
          "data/dataset_info.json",
          ".github/workflow.json",
          "notes.txt",
          "real.csv",
        ],
        selected: ["real.csv"],
      },
      { files: ["README.md", "dataset_infos.json", "x.txt"], selected: [] },
    ],
  },
];

for (const { rule, cases } of SELECTIONS) {
  Deno.test(`_selectDataFiles() ${rule}`, () => {
    for (const { files, selected } of cases) {
      assert.deepEqual(_selectDataFiles(files), selected, files.join(", "));
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Discovery through the imitation hub
// ---------------------------------------------------------------------------------------------

Deno.test("fetchHubDataset() discovers combined_dataset.json and caches it by commit", async () => {
  await withHub({ repos: [PRECEPTRON] }, async (hub, options) => {
    const paths = await fetchHubDataset("hf:tbuckley/GRAND-ROUNDS", options);
    const commit = hub.commits["tbuckley/GRAND-ROUNDS"]!;
    assert.deepEqual(paths, [
      join(options.cacheDir, "hf", "tbuckley", "GRAND-ROUNDS", commit, "combined_dataset.json"),
    ]);
    assert.equal(await readFile(paths[0]!, "utf8"), ENTRIES);
    assert.equal(hub.counts.downloads, 1);
  });
});

Deno.test("fetchHubDataset() returns all parquet shards across paged listings", async () => {
  const shards = [2, 0, 1].map((i) => ({
    path: `data/train-0000${i}-of-00003.parquet`,
    content: `shard ${i}`,
    lfs: true,
  }));
  const files = [
    ...shards,
    { path: "data/legacy.csv", content: "a,b\n1,2\n" },
    { path: "README.md", content: "hi" },
  ];
  await withHub({ repos: [{ id: "o/sharded", files }], pageSize: 2 }, async (hub, options) => {
    const paths = await fetchHubDataset("hf:o/sharded", options);
    assert.deepEqual(
      paths.map((path) => path.slice(path.indexOf("data/"))),
      [0, 1, 2].map((i) => `data/train-0000${i}-of-00003.parquet`),
    );
    for (const [i, path] of paths.entries()) {
      assert.equal(await readFile(path, "utf8"), `shard ${i}`);
    }
    // One revision request plus one per tree page (6 entries with the folder, 2 a page).
    assert.equal(hub.counts.api, 1 + 3);
  });
});

Deno.test("fetchHubDataset() prefers JSON over CSV when both are present", async () => {
  const files = [
    { path: "scores.csv", content: "id,grade\ne1,3\n" },
    { path: "scores.json", content: ENTRIES },
  ];
  await withHub({ repos: [{ id: "o/mixed", files }] }, async (_hub, options) => {
    const paths = await fetchHubDataset("hf:o/mixed", options);
    assert.equal(paths.length, 1);
    assert.ok(paths[0]!.endsWith("scores.json"));
  });
});

Deno.test("fetchHubDataset() lists the repository's files when it has no data file", async () => {
  const files = [
    { path: "README.md", content: "# nothing" },
    { path: "dataset_infos.json", content: "{}" },
    { path: "data.txt", content: "x" },
  ];
  await withHub({ repos: [{ id: "o/empty", files }] }, async (hub, options) => {
    const error = await rejection(fetchHubDataset("hf:o/empty", options));
    assert.match(error.message, /no data file \(\.parquet, \.jsonl, \.ndjson, \.json, \.csv\)/);
    assert.match(error.message, /o\/empty \(revision main\)/);
    assert.match(error.message, /README\.md, data\.txt, dataset_infos\.json/);
    assert.equal(hub.counts.downloads, 0);
  });
});

Deno.test("fetchHubDataset() takes an explicit path as is, and a folder as a discovery scope", async () => {
  await withHub({
    repos: [{
      id: "o/n",
      branches: ["main", "v1"],
      files: [
        { path: "combined_dataset.json", content: ENTRIES },
        { path: "extra/scores.csv", content: "id,grade\ne1,3\n" },
        { path: "extra/more.csv", content: "id,grade\ne2,1\n" },
      ],
    }],
  }, async (_hub, options) => {
    const [csv] = await fetchHubDataset("hf:o/n@v1/extra/scores.csv", options);
    assert.equal(await readFile(csv!, "utf8"), "id,grade\ne1,3\n");

    const folder = await fetchHubDataset("hf:o/n/extra", options);
    assert.deepEqual(folder.map((path) => path.slice(path.indexOf("extra/"))), [
      "extra/more.csv",
      "extra/scores.csv",
    ]);

    const missing = await rejection(fetchHubDataset("hf:o/n/extra/nope.csv", options));
    assert.match(
      missing.message,
      /file "extra\/nope\.csv" not found in Hugging Face dataset o\/n/,
    );
    assert.match(missing.message, /combined_dataset\.json/);
  });
});

// ---------------------------------------------------------------------------------------------
// Credentials and errors
// ---------------------------------------------------------------------------------------------

const GATED: ImitationRepo = { ...PRECEPTRON, access: "gated" };

Deno.test("fetchHubDataset() explains 401 on a gated dataset without a token", async () => {
  await withHub({ repos: [GATED], tokens: { [TOKEN]: [GATED.id] } }, async (hub, options) => {
    const error = await rejection(fetchHubDataset("hf:tbuckley/GRAND-ROUNDS", options));
    assert.match(error.message, /gated or private/);
    assert.match(error.message, /no access token was given \(HTTP 401\)/);
    assert.match(error.message, /Set HF_TOKEN/);
    assert.ok(error.message.includes(`${hub.endpoint}/datasets/tbuckley/GRAND-ROUNDS`));
    assert.deepEqual(
      await filesUnder(join(options.cacheDir, "hf", "tbuckley", "GRAND-ROUNDS")),
      [],
    );
  });
});

Deno.test("fetchHubDataset() explains 401 for a wrong token and never shows it", async () => {
  await withHub({
    repos: [GATED],
    tokens: { [TOKEN]: [GATED.id] },
    echoToken: true,
  }, async (hub, options) => {
    const messages: string[] = [];
    const wrong = "hf_wrongTokenThatTheHubDoesNotKnow";
    const error = await rejection(fetchHubDataset("hf:tbuckley/GRAND-ROUNDS", {
      ...options,
      token: wrong,
      onProgress: (message) => messages.push(message),
    }));
    assert.match(error.message, /did not accept the access token given/);
    assert.ok(hub.requests.some((request) => request.authorization === `Bearer ${wrong}`));
    for (const text of [error.message, error.stack ?? "", ...messages]) {
      assert.ok(!text.includes(wrong), text);
    }
    assert.match(error.message, /\*\*\*/); // the echoed token, redacted
  });
});

Deno.test("fetchHubDataset() explains 403 when the token's account was not granted", async () => {
  await withHub({
    repos: [GATED],
    tokens: { [TOKEN]: [GATED.id], [OTHER_TOKEN]: [] },
    echoToken: true,
  }, async (hub, options) => {
    const error = await rejection(fetchHubDataset("hf:tbuckley/GRAND-ROUNDS", {
      ...options,
      token: OTHER_TOKEN,
    }));
    assert.match(error.message, /has not been granted .* \(HTTP 403\)/);
    assert.match(error.message, /accept the conditions/);
    assert.ok(error.message.includes(`${hub.endpoint}/datasets/tbuckley/GRAND-ROUNDS`));
    assert.ok(!error.message.includes(OTHER_TOKEN));
    assert.ok(!(error.stack ?? "").includes(OTHER_TOKEN));
  });
});

Deno.test("fetchHubDataset() reads HF_TOKEN, then HUGGING_FACE_HUB_TOKEN", async () => {
  for (const variable of ["HF_TOKEN", "HUGGING_FACE_HUB_TOKEN"]) {
    await withHub({ repos: [GATED], tokens: { [TOKEN]: [GATED.id] } }, async (_hub, options) => {
      await withEnv({ [variable]: TOKEN }, async () => {
        const paths = await fetchHubDataset("hf:tbuckley/GRAND-ROUNDS", options);
        assert.equal(await readFile(paths[0]!, "utf8"), ENTRIES);
        assert.ok(!paths[0]!.includes(TOKEN));
      });
    });
  }
});

Deno.test("fetchHubDataset() sends the token to the hub but never to the CDN", async () => {
  for (const redirect of ["cross-origin", "chain"] as const) {
    await withHub({
      repos: [GATED],
      tokens: { [TOKEN]: [GATED.id] },
      redirect,
    }, async (hub, options) => {
      const messages: string[] = [];
      const paths = await fetchHubDataset("hf:tbuckley/GRAND-ROUNDS", {
        ...options,
        token: TOKEN,
        onProgress: (message) => messages.push(message),
      });
      assert.equal(await readFile(paths[0]!, "utf8"), ENTRIES);
      const hubSide = hub.requests.filter((request) => request.server === "hub");
      const cdnSide = hub.requests.filter((request) => request.server === "cdn");
      assert.ok(cdnSide.length === 1, redirect);
      assert.ok(cdnSide.every((request) => request.authorization === null), redirect);
      assert.ok(hubSide.every((request) => request.authorization === `Bearer ${TOKEN}`));
      if (redirect === "chain") {
        assert.ok(hubSide.some((request) => request.path.startsWith("/moved/")));
      }
      assert.ok(messages.every((message) => !message.includes(TOKEN)));
    });
  }
});

Deno.test("fetchHubDataset() follows same-origin and relative redirects", async () => {
  for (const redirect of ["same-origin", "relative"] as const) {
    await withHub({ repos: [PRECEPTRON], redirect }, async (hub, options) => {
      const paths = await fetchHubDataset("hf:tbuckley/GRAND-ROUNDS", options);
      assert.equal(await readFile(paths[0]!, "utf8"), ENTRIES, redirect);
      assert.equal(hub.counts.cdn, 1, redirect);
      assert.ok(hub.requests.some((request) => request.path.startsWith("/cdn/")), redirect);
    });
  }
});

Deno.test("fetchHubDataset() says which thing was not found on 404", async () => {
  await withHub({ repos: [PRECEPTRON], tokens: { [TOKEN]: [] } }, async (_hub, options) => {
    const revision = await rejection(fetchHubDataset("hf:tbuckley/GRAND-ROUNDS@v9", options));
    assert.match(
      revision.message,
      /revision "v9" not found in .*tbuckley\/GRAND-ROUNDS \(HTTP 404\)/,
    );

    const repo = await rejection(
      fetchHubDataset("hf:nobody/nothing", { ...options, token: TOKEN }),
    );
    assert.match(
      repo.message,
      /dataset nobody\/nothing not found at .* \(HTTP 404\); check the id/,
    );

    // Without a token the hub will not say whether a repository exists: 401.
    const hidden = await rejection(fetchHubDataset("hf:nobody/nothing", options));
    assert.match(hidden.message, /gated or private \(or does not exist\)/);
  });
});

Deno.test("fetchHubDataset() does not blame access rights for a CDN failure", async () => {
  await withHub({
    repos: [{
      id: "o/n",
      files: [{ path: "a.parquet", content: "x", lfs: true, cdnStatus: 403 }],
    }],
  }, async (_hub, options) => {
    const error = await rejection(fetchHubDataset("hf:o/n", options));
    assert.match(error.message, /download of "a\.parquet" from Hugging Face dataset o\/n failed/);
    assert.match(
      error.message,
      /storage server http:\/\/127\.0\.0\.1:\d+\/cdn\/o\/n\/a\.parquet\?… answered HTTP 403/,
    );
    assert.doesNotMatch(error.message, /granted|gated/);
  });
});

// ---------------------------------------------------------------------------------------------
// Cache behaviour
// ---------------------------------------------------------------------------------------------

Deno.test("fetchHubDataset() with a warm cache lists the repository but downloads nothing", async () => {
  await withHub({ repos: [PRECEPTRON] }, async (hub, options) => {
    const first = await fetchHubDataset("hf:tbuckley/GRAND-ROUNDS", options);
    const downloads = hub.counts.downloads;
    const messages: string[] = [];
    const second = await fetchHubDataset("hf:tbuckley/GRAND-ROUNDS", {
      ...options,
      onProgress: (message) => messages.push(message),
    });
    assert.deepEqual(second, first);
    assert.equal(hub.counts.downloads, downloads);
    assert.equal(hub.counts.resolve, 1);
    assert.ok(messages.some((message) => message.startsWith("cached hf:tbuckley/GRAND-ROUNDS/")));
  });
});

Deno.test("fetchHubDataset() pinned to a cached commit makes no request at all", async () => {
  await withHub({ repos: [PRECEPTRON] }, async (hub, options) => {
    const commit = hub.commits[PRECEPTRON.id]!;
    const first = await fetchHubDataset(`hf:tbuckley/GRAND-ROUNDS@${commit}`, options);
    const requests = hub.requests.length;
    const second = await fetchHubDataset(`hf:tbuckley/GRAND-ROUNDS@${commit}`, options);
    assert.deepEqual(second, first);
    assert.equal(hub.requests.length, requests);
  });
});

Deno.test("fetchHubDataset() downloads a corrupted cached file again", async () => {
  const files = [
    { path: "combined_dataset.json", content: ENTRIES, lfs: true },
    { path: "small/combined_dataset.json", content: "[]" },
  ];
  await withHub({ repos: [{ id: "o/n", files }] }, async (hub, options) => {
    for (const id of ["hf:o/n", "hf:o/n/small/combined_dataset.json"]) {
      const [path] = await fetchHubDataset(id, options);
      const original = await readFile(path!, "utf8");
      // Same length, different bytes: only a checksum can tell (sha256 or git blob sha1).
      await writeFile(path!, original.replace(/.$/, "X"));
      const downloads = hub.counts.downloads;
      const messages: string[] = [];
      const [again] = await fetchHubDataset(id, {
        ...options,
        onProgress: (message) => messages.push(message),
      });
      assert.equal(again, path);
      assert.equal(await readFile(again!, "utf8"), original);
      assert.equal(hub.counts.downloads, downloads + 1);
      assert.ok(
        messages.some((message) => /is corrupted \(.*\); downloading it again/.test(message)),
      );
    }
  });
});

Deno.test("fetchHubDataset() refresh re-downloads even a valid cache", async () => {
  await withHub({ repos: [PRECEPTRON] }, async (hub, options) => {
    await fetchHubDataset("hf:tbuckley/GRAND-ROUNDS", options);
    await fetchHubDataset("hf:tbuckley/GRAND-ROUNDS", { ...options, refresh: true });
    assert.equal(hub.counts.downloads, 2);
  });
});

Deno.test("fetchHubDataset() fails a broken transfer and leaves no partial file", async () => {
  for (const lfs of [true, false]) {
    await withHub({
      repos: [{
        id: "o/n",
        files: [{ path: "data/big.jsonl", content: "x".repeat(200_000), lfs, truncate: true }],
      }],
    }, async (hub, options) => {
      const error = await rejection(fetchHubDataset("hf:o/n", options));
      assert.match(
        error.message,
        /download of hf:o\/n\/data\/big\.jsonl (broke off|ended) after/,
      );
      assert.match(error.message, /of 200000 bytes/);
      assert.match(error.message, /nothing was kept in the cache/);
      const commit = hub.commits["o/n"]!;
      assert.deepEqual(await filesUnder(join(options.cacheDir, "hf", "o", "n", commit)), ["data"]);
    });
  }
});

Deno.test("fetchHubDataset() rejects a file that fails its checksum and keeps nothing", async () => {
  for (const lfs of [true, false]) {
    await withHub({
      repos: [{
        id: "o/n",
        files: [{ path: "scores.csv", content: "id\ne1\n", lfs, corrupt: true }],
      }],
    }, async (hub, options) => {
      const error = await rejection(fetchHubDataset("hf:o/n", options));
      assert.match(
        error.message,
        lfs
          ? /checksum mismatch for hf:o\/n\/scores\.csv: expected sha256 [0-9a-f]{64}, got/
          : /checksum mismatch for hf:o\/n\/scores\.csv: expected git blob [0-9a-f]{40}/,
      );
      assert.match(error.message, /discarded/);
      const commit = hub.commits["o/n"]!;
      assert.deepEqual(await filesUnder(join(options.cacheDir, "hf", "o", "n", commit)), []);
    });
  }
});

Deno.test("fetchHubDataset() uses the cached copy, with a notice, when the hub is down", async () => {
  await withEnv(isolated(), async () => {
    await withCache(async (cache) => {
      const hub = startHubImitation({ repos: [PRECEPTRON] });
      const options: HubFetchOptions = { cacheDir: cache, endpoint: hub.endpoint };
      const first = await fetchHubDataset("hf:tbuckley/GRAND-ROUNDS", options);

      hub.outage = true; // HTTP 503 from the API
      const messages: string[] = [];
      const during = await fetchHubDataset("hf:tbuckley/GRAND-ROUNDS", {
        ...options,
        onProgress: (message) => messages.push(message),
      });
      assert.deepEqual(during, first);
      assert.ok(
        messages.some((message) => /cannot be reached .*HTTP 503.*cached copy/.test(message)),
      );

      await hub.close(); // connection refused from now on
      const after = await fetchHubDataset("hf:tbuckley/GRAND-ROUNDS", options);
      assert.deepEqual(after, first);

      const never = await rejection(fetchHubDataset("hf:tbuckley/other", options));
      assert.match(
        never.message,
        /could not reach .*; and no usable cached copy of hf:tbuckley\/other@main/,
      );

      const cachedFile = first[0]!;
      await writeFile(cachedFile, "tampered");
      const damaged = await rejection(fetchHubDataset("hf:tbuckley/GRAND-ROUNDS", options));
      assert.match(damaged.message, /combined_dataset\.json is corrupted/);
    });
  });
});

Deno.test("fetchHubDataset() honours HF_HUB_OFFLINE", async () => {
  await withHub({ repos: [PRECEPTRON] }, async (hub, options) => {
    await withEnv({ HF_HUB_OFFLINE: "1" }, async () => {
      const error = await rejection(fetchHubDataset("hf:tbuckley/GRAND-ROUNDS", options));
      assert.match(error.message, /HF_HUB_OFFLINE is set, and no usable cached copy/);
    });
    const online = await fetchHubDataset("hf:tbuckley/GRAND-ROUNDS", options);
    const requests = hub.requests.length;
    await withEnv({ HF_HUB_OFFLINE: "1" }, async () => {
      assert.deepEqual(await fetchHubDataset("hf:tbuckley/GRAND-ROUNDS", options), online);
      await assert.rejects(
        fetchHubDataset("hf:tbuckley/GRAND-ROUNDS", { ...options, refresh: true }),
        /HF_HUB_OFFLINE is set, so .* cannot be refreshed/,
      );
    });
    assert.equal(hub.requests.length, requests);
  });
});

Deno.test("fetchHubDataset() never selects listing paths that climb out of the repository", async () => {
  await withHub({
    repos: [{ id: "o/n", files: [{ path: "../../../escape.json", content: "[]" }] }],
  }, async (hub, options) => {
    const error = await rejection(fetchHubDataset("hf:o/n", options));
    assert.match(error.message, /no data file .* it holds: \.\.\/\.\.\/\.\.\/escape\.json/);
    assert.equal(hub.counts.downloads, 0);
  });
});

Deno.test("fetchHubDataset() takes the endpoint from HF_ENDPOINT", async () => {
  await withHub({ repos: [PRECEPTRON] }, async (hub, { cacheDir }) => {
    await withEnv({ HF_ENDPOINT: `${hub.endpoint}/` }, async () => {
      const paths = await fetchHubDataset("hf:tbuckley/GRAND-ROUNDS", { cacheDir });
      assert.equal(paths.length, 1);
      assert.equal(hub.counts.downloads, 1);
    });
  });
});
