import assert from "node:assert/strict";
import { defaultJudgeConfig } from "./default_judge_config.ts";

Deno.test("defaultJudgeConfig() follows the environment's provider, else the offline baseline", () => {
  assert.equal(defaultJudgeConfig({}).provider, "offline");
  assert.deepEqual(
    defaultJudgeConfig({ OPENROUTER_API_KEY: "k", PRECEPTRON_MODEL: "openai/gpt-4o" }),
    {
      name: "openai-gpt-4o",
      provider: "openrouter",
      model_id: "openai/gpt-4o",
    },
  );
});
