/**
 * The study designs behind the synthetic sample: which study contributes how many entries to
 * which task, on which cases, from which models or physician groups, scored by which raters.
 *
 * The `full` counts reproduce the published per-task totals (management_reasoning 2,765 ·
 * bi_triage 911 · cpc_bond 853 · r_idea 312 · diagnostic_reasoning 278 · cpc_management 131) and
 * the 1,403 entries whose study starts with `brodeur`. How those totals split across studies,
 * models and cases is not published; the split below is our own, shaped after the source
 * studies' designs (e.g. 76 emergency cases × 3 touchpoints × 4 differential sources, minus one,
 * for the triage task). Model skills are rough echoes of the studies' headline results, not
 * estimates.
 *
 * PRIVATE TO THE SAMPLE GENERATOR; the offline lexical baseline judge must not import it.
 *
 * @module
 */

import type { TaskKey } from "../data/task_key.ts";
import type { Voice } from "./_text.ts";

/** The case collections the designs draw from. */
export type CasePool = "cpc" | "ed" | "healer" | "landmark" | "management";

/** Cases per pool in one replicate of the `full` sample. */
export const POOL_SIZES: Readonly<Record<CasePool, number>> = {
  cpc: 257,
  ed: 76,
  healer: 20,
  landmark: 6,
  management: 8,
};

/** Who wrote a response: a model or a physician group, and how well it does the task. */
export interface Respondent {
  /** The `model` field. */
  model: string;
  /** Distinguishes respondents of the same group on one case (run or participant). */
  tag: string;
  /** Task-specific skill in 0..1 (see each task's generator). */
  skill: number;
  /** Writing voice. */
  voice: Voice;
}

/** One study's contribution to one task. */
export interface StudyDesign {
  /** The task. */
  task: TaskKey;
  /** The study id. */
  study: string;
  /** The case pool. */
  pool: CasePool;
  /** Index of the study's first case in the pool. */
  firstCase: number;
  /** Cases in `full`. */
  cases: number;
  /** Cases in `small`. */
  smallCases: number;
  /** Entries in `full`. */
  full: number;
  /** Entries in `small`. */
  small: number;
  /** Respondents per case. */
  respondents: readonly Respondent[];
  /** Phases per case: touchpoints, stages, or (`"questions"`) one per management question. */
  phases: number | "questions";
  /** The study's raters. */
  panel: readonly string[];
}

function llm(model: string, skill: number, tag = model): Respondent {
  return { model, tag, skill, voice: "llm" };
}

function physician(model: string, skill: number, tag: string): Respondent {
  return { model, tag, skill, voice: "physician" };
}

/**
 * Participants of a randomised study: physicians alternating between two arms, with a model
 * run slipped in at regular intervals (so that a truncated list keeps every arm).
 */
function participants(
  count: number,
  arms: readonly (readonly [string, number])[],
  run: readonly [string, number, number],
): Respondent[] {
  const [runModel, runSkill, runs] = run;
  const out: Respondent[] = [];
  let used = 0;
  let doctor = 0;
  for (let k = 0; k < count; k++) {
    if (k % 7 === 3 && used < runs) {
      used++;
      out.push(llm(runModel, runSkill, `${runModel}-run${used}`));
    } else {
      const [arm, skill] = arms[doctor % arms.length]!;
      doctor++;
      out.push(physician(arm, skill, `p${String(doctor).padStart(3, "0")}`));
    }
  }
  return out;
}

function runs(model: string, skill: number, n: number): Respondent[] {
  return Array.from({ length: n }, (_, i) => llm(model, skill, `${model}-run${i + 1}`));
}

/** Every study design, in task order. */
export const STUDY_DESIGNS: readonly StudyDesign[] = [
  {
    task: "management_reasoning",
    study: "goh2025",
    pool: "management",
    firstCase: 0,
    cases: 8,
    smallCases: 4,
    full: 2627,
    small: 96,
    respondents: participants(
      140,
      [["physician + gpt-4", 0.44], ["physician (conventional resources)", 0.36]],
      ["gpt-4", 0.46, 5],
    ),
    phases: "questions",
    panel: ["phys-10", "phys-11", "phys-06"],
  },
  {
    task: "management_reasoning",
    study: "brodeur2025_greymatters",
    pool: "management",
    firstCase: 0,
    cases: 8,
    smallCases: 4,
    full: 138,
    small: 12,
    respondents: runs("o1-preview", 0.84, 6),
    phases: "questions",
    panel: ["phys-10", "phys-11"],
  },
  {
    task: "bi_triage",
    study: "brodeur2025_er",
    pool: "ed",
    firstCase: 0,
    cases: 76,
    smallCases: 5,
    full: 911,
    small: 60,
    respondents: [
      physician("attending physician", 0.4, "attending-a"),
      physician("attending physician", 0.38, "attending-b"),
      llm("o1-preview", 0.52),
      llm("gpt-4o", 0.44),
    ],
    phases: 3,
    panel: ["phys-05", "phys-06"],
  },
  {
    task: "cpc_bond",
    study: "kanjee2023",
    pool: "cpc",
    firstCase: 0,
    cases: 70,
    smallCases: 14,
    full: 70,
    small: 14,
    respondents: [llm("gpt-4", 0.62)],
    phases: 1,
    panel: ["phys-01", "phys-02", "phys-03"],
  },
  {
    task: "cpc_bond",
    study: "buckley2024",
    pool: "cpc",
    firstCase: 30,
    cases: 92,
    smallCases: 8,
    full: 184,
    small: 16,
    respondents: [llm("llama-3.1-405b", 0.68), llm("gpt-4", 0.62)],
    phases: 1,
    panel: ["phys-02", "phys-03"],
  },
  {
    task: "cpc_bond",
    study: "buckley2025",
    pool: "cpc",
    firstCase: 143,
    cases: 114,
    smallCases: 6,
    full: 456,
    small: 24,
    respondents: [
      llm("o3", 0.78),
      llm("gpt-4o", 0.68),
      llm("claude-3.5-sonnet", 0.66),
      llm("gemini-1.5-pro", 0.62),
    ],
    phases: 1,
    panel: ["phys-01", "phys-03", "phys-04"],
  },
  {
    task: "cpc_bond",
    study: "brodeur2025_cpc",
    pool: "cpc",
    firstCase: 0,
    cases: 143,
    smallCases: 16,
    full: 143,
    small: 16,
    respondents: [llm("o1-preview", 0.76)],
    phases: 1,
    panel: ["phys-04", "phys-05"],
  },
  {
    task: "r_idea",
    study: "cabral2024",
    pool: "healer",
    firstCase: 0,
    cases: 20,
    smallCases: 3,
    full: 232,
    small: 36,
    respondents: [
      llm("gpt-4", 0.9),
      physician("attending physician", 0.72, "attending"),
      physician("resident physician", 0.55, "resident"),
    ],
    phases: 4,
    panel: ["phys-07", "phys-08", "phys-09"],
  },
  {
    task: "r_idea",
    study: "brodeur2025_healer",
    pool: "healer",
    firstCase: 0,
    cases: 20,
    smallCases: 3,
    full: 80,
    small: 12,
    respondents: [llm("o1-preview", 0.92)],
    phases: 4,
    panel: ["phys-07", "phys-08"],
  },
  {
    task: "diagnostic_reasoning",
    study: "goh2024",
    pool: "landmark",
    firstCase: 0,
    cases: 6,
    smallCases: 4,
    full: 248,
    small: 36,
    respondents: participants(
      48,
      [["physician + gpt-4", 0.75], ["physician (conventional resources)", 0.72]],
      ["gpt-4", 0.88, 3],
    ),
    phases: 1,
    panel: ["phys-09", "phys-10", "phys-11"],
  },
  {
    task: "diagnostic_reasoning",
    study: "brodeur2025_landmark",
    pool: "landmark",
    firstCase: 0,
    cases: 6,
    smallCases: 4,
    full: 30,
    small: 8,
    respondents: runs("o1-preview", 0.95, 5),
    phases: 1,
    panel: ["phys-09", "phys-10"],
  },
  {
    task: "cpc_management",
    study: "brodeur2025_testplan",
    pool: "cpc",
    firstCase: 0,
    cases: 101,
    smallCases: 20,
    full: 101,
    small: 20,
    respondents: [llm("o1-preview", 0.8)],
    phases: 1,
    panel: ["phys-04", "phys-05"],
  },
  {
    task: "cpc_management",
    study: "buckley2025",
    pool: "cpc",
    firstCase: 143,
    cases: 15,
    smallCases: 5,
    full: 30,
    small: 10,
    respondents: [llm("o3", 0.82), llm("gpt-4o", 0.66)],
    phases: 1,
    panel: ["phys-01", "phys-03", "phys-04"],
  },
];

/** Chance that an entry gets a third rater. */
export const THIRD_RATER = 0.15;

/** How much a respondent's Bond skill rises at each later triage touchpoint (more is known). */
export const TOUCHPOINT_GAIN = 0.08;
