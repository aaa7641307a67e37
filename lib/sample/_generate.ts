/**
 * The synthetic sample generator's engine: builds every entry of the sample together with the
 * content grade it was generated to have (its "truth"), which tests use and the public
 * `generateSample` drops.
 *
 * PRIVATE TO THE SAMPLE GENERATOR; the offline lexical baseline judge must not import it.
 *
 * @module
 */

import type { TaskKey } from "../data/task_key.ts";
import type { Entry, RaterScore } from "../data/entry.ts";
import { Random } from "./_random.ts";
import { bondResponse } from "./_bond.ts";
import {
  type CasePool,
  POOL_SIZES,
  type Respondent,
  STUDY_DESIGNS,
  type StudyDesign,
  THIRD_RATER,
  TOUCHPOINT_GAIN,
} from "./_design.ts";
import { reflectionResponse } from "./_diagnostic_reasoning.ts";
import { entryRubric, managementResponse } from "./_management.ts";
import { MANAGEMENT_CASES, type ManagementCase } from "./_management_cases.ts";
import {
  assignRaters,
  bondConsensus,
  bondRaterScore,
  integerRaterScore,
  RATER_NOISE,
  rubricRaterScore,
  type ScaleNoise,
} from "./_raters.ts";
import { rIdeaResponse } from "./_r_idea.ts";
import { testPlanResponse } from "./_test_plan.ts";
import {
  type ClinicalCase,
  cpcVignette,
  drawCase,
  edVignette,
  type FormKind,
  healerVignette,
} from "./_text.ts";
import { CPC_DIAGNOSES, type DiagnosisConcept, ED_DIAGNOSES, testConcept } from "./_vocabulary.ts";

/** Options of the generator (see `generateSample`). */
export interface GeneratorOptions {
  /** Seed of every random draw. */
  seed: number;
  /** Which design counts to use. */
  size: "small" | "full";
  /** Multiplier of the counts. */
  scale: number;
}

/** What an entry was generated to contain: the answer key the raters' scores are noise around. */
export interface SampleTruth {
  /** The entry id. */
  id: string;
  /** The task. */
  benchmark: TaskKey;
  /** The content grade, by the task's rule. */
  content: number;
  /** Bond tasks: how the exact diagnosis was written, when the response names it. */
  form?: FormKind;
  /** Testing plans: whether the response names the actual test by its `test_plan` name. */
  canonicalTest?: boolean;
}

/** Entries with their truths, index for index. */
export interface GeneratedSample {
  /** The entries, as `generateSample` returns them. */
  entries: Entry[];
  /** The content grades behind them. */
  truths: SampleTruth[];
}

const R_IDEA_QUESTIONS = [
  "Evaluate the quality of this emergency consultation.",
  "Evaluate the clinical reasoning documented in this admission note.",
  "Evaluate the quality of the assessment in this consultation note.",
];

const REFLECTION_QUESTION = "List the three diagnoses you consider most likely, with the " +
  "findings that support and oppose each; then give your final diagnosis and up to three next " +
  "diagnostic steps.";

/**
 * Generates the sample and the truths behind it.
 *
 * @param options Seed, size and scale (already checked by `generateSample`).
 * @returns Entries and truths, index for index.
 */
export function generateWithTruth(options: GeneratorOptions): GeneratedSample {
  const generator = new Generator(options.seed);
  const entries: Entry[] = [];
  const truths: SampleTruth[] = [];
  for (const design of STUDY_DESIGNS) {
    const base = options.size === "small" ? design.small : design.full;
    const count = Math.round(base * options.scale);
    for (const slot of slotsOf(design, options.size, base, count)) {
      const { entry, truth } = generator.entry(design, slot);
      entries.push(entry);
      truths.push(truth);
    }
  }
  return { entries, truths };
}

/** One response to generate: a respondent on a case at a phase. */
interface Slot {
  replicate: number;
  caseIndex: number;
  respondent: Respondent;
  phase: number;
}

/**
 * The slots of a design, `count` of them, in replicates of `perReplicate`: within a replicate
 * the cases take turns (one slot per case per round), so that any prefix spreads over all cases
 * and truncation drops the last rounds. Replicates repeat the design on new cases.
 */
function slotsOf(
  design: StudyDesign,
  size: "small" | "full",
  perReplicate: number,
  count: number,
): Slot[] {
  const cases = size === "small" ? design.smallCases : design.cases;
  const out: Slot[] = [];
  for (let replicate = 0; out.length < count; replicate++) {
    const perCase: Slot[][] = [];
    for (let c = 0; c < cases; c++) {
      const caseIndex = design.firstCase + c;
      const phases = design.phases === "questions"
        ? managementCase(caseIndex).questions.length
        : design.phases;
      const slots: Slot[] = [];
      for (const respondent of design.respondents) {
        for (let phase = 0; phase < phases; phase++) {
          slots.push({ replicate, caseIndex, respondent, phase });
        }
      }
      perCase.push(slots);
    }
    const rounds = Math.max(...perCase.map((s) => s.length));
    if (rounds === 0) throw new Error(`sample design ${design.study}/${design.task} has no slots`);
    const end = Math.min(count, out.length + perReplicate);
    for (let round = 0; round < rounds && out.length < end; round++) {
      for (const slots of perCase) {
        const slot = slots[round];
        if (slot && out.length < end) out.push(slot);
      }
    }
  }
  return out;
}

function managementCase(index: number): ManagementCase {
  return MANAGEMENT_CASES[index % MANAGEMENT_CASES.length]!;
}

function caseId(pool: CasePool, replicate: number, index: number): string {
  const base = `syn-${pool}-${String(index + 1).padStart(3, "0")}`;
  return replicate === 0 ? base : `${base}-x${replicate + 1}`;
}

/**
 * Whether two diagnoses are too close to serve as each other's unrelated (Bond 0) items: the
 * same organ system, declared kin, or one's neighbour list mentions the other.
 */
function related(a: DiagnosisConcept, b: DiagnosisConcept): boolean {
  if (a.system === b.system) return true;
  if (a.kin?.includes(b.key) || b.kin?.includes(a.key)) return true;
  const names = (d: DiagnosisConcept) =>
    [d.name, ...Object.values(d.forms).flat()].map((s) => (s as string).toLowerCase());
  const neighbours = (d: DiagnosisConcept) =>
    [...d.veryClose, ...d.closelyRelated, ...d.related, ...(d.borderline ?? []).map(([t]) => t)]
      .map((s) => s.toLowerCase());
  // Short abbreviations ("PE", "MG") would match inside unrelated words; compare them whole.
  const mentions = (text: string, name: string) =>
    name.length >= 6 ? text.includes(name) || name.includes(text) : text === name;
  const cross = (x: DiagnosisConcept, y: DiagnosisConcept) =>
    neighbours(x).some((n) => names(y).some((name) => mentions(n, name)));
  return cross(a, b) || cross(b, a);
}

class Generator {
  readonly #seed: number;
  readonly #cases = new Map<string, ClinicalCase>();
  readonly #distractors = new Map<string, DiagnosisConcept[]>();

  constructor(seed: number) {
    this.#seed = seed;
  }

  /** Unrelated diagnoses from the same setting as `dx`. */
  distractors(dx: DiagnosisConcept): DiagnosisConcept[] {
    let list = this.#distractors.get(dx.key);
    if (!list) {
      const setting = CPC_DIAGNOSES.includes(dx) ? CPC_DIAGNOSES : ED_DIAGNOSES;
      list = setting.filter((d) => d !== dx && !related(dx, d));
      this.#distractors.set(dx.key, list);
    }
    return list;
  }

  /** The clinical case at an index of a pool: every response to it sees the same facts. */
  clinicalCase(pool: CasePool, replicate: number, index: number): ClinicalCase {
    const id = caseId(pool, replicate, index);
    let c = this.#cases.get(id);
    if (!c) {
      const vocabulary = pool === "cpc"
        ? CPC_DIAGNOSES
        : pool === "ed"
        ? ED_DIAGNOSES
        : [...CPC_DIAGNOSES, ...ED_DIAGNOSES];
      // Walk the vocabulary in shuffled blocks so that consecutive cases cover every diagnosis.
      const n = vocabulary.length;
      const block = Math.floor(index / n);
      const order = Random.from(this.#seed, "diagnosis-order", pool, replicate, block)
        .shuffle(vocabulary.map((_, i) => i));
      const dx = vocabulary[order[index % n]!]!;
      c = drawCase(id, dx, Random.from(this.#seed, "case", id));
      this.#cases.set(id, c);
    }
    return c;
  }

  entry(design: StudyDesign, slot: Slot): { entry: Entry; truth: SampleTruth } {
    const { respondent, phase, replicate, caseIndex } = slot;
    const pool = design.pool;
    const poolIndex = caseIndex % POOL_SIZES[pool];
    const cid = caseId(pool, replicate, poolIndex);
    const phaseTag = design.phases === "questions"
      ? `/q${phase + 1}`
      : design.phases > 1
      ? design.task === "bi_triage" ? `/tp${phase + 1}` : `/stage${phase + 1}`
      : "";
    const id = `${cid}/${design.task}/${design.study}/${respondent.tag}${phaseTag}`;
    const rng = Random.from(this.#seed, design.task, id);
    const raters = assignRaters(design.panel, THIRD_RATER, rng.fork("raters"));
    const noise = rng.fork("noise");
    const turn: Turn = { respondent, phase, noise, write: rng.fork("response") };
    const truth: SampleTruth = { id, benchmark: design.task, content: 0 };
    const scored = pool === "management"
      ? managementScored(managementCase(poolIndex), turn)
      : this.#caseScored(
        design.task,
        this.clinicalCase(pool, replicate, poolIndex),
        poolIndex,
        turn,
        truth,
      );
    const { fields, maxScore } = scored;
    truth.content = scored.written.score;
    const grades: RaterScore[] = raters.map((rater) => ({ rater, score: scored.rate(rater) }));

    const scores = grades.map((g) => g.score);
    const grade = maxScore === 5 && (design.task === "cpc_bond" || design.task === "bi_triage")
      ? bondConsensus(scores)
      : scores.reduce((a, b) => a + b, 0) / scores.length;
    const entry: Entry = {
      id,
      case_id: cid,
      benchmark: design.task,
      study: design.study,
      model: respondent.model,
      grade,
      max_score: maxScore,
      response: scored.written.text,
    };
    if (fields.rubric !== undefined) entry.rubric = fields.rubric;
    if (fields.case_vignette !== undefined) entry.case_vignette = fields.case_vignette;
    if (fields.question_text !== undefined) entry.question_text = fields.question_text;
    if (fields.final_diagnosis !== undefined) entry.final_diagnosis = fields.final_diagnosis;
    if (fields.test_plan !== undefined) entry.test_plan = fields.test_plan;
    entry.grades = grades;
    // The mark that travels into every frame, table and caption (see isSynthetic()).
    entry.extra = { synthetic: true };
    return { entry, truth };
  }

  /** A response to a clinical case by its task's writer, scored by the raters. */
  #caseScored(
    task: TaskKey,
    c: ClinicalCase,
    poolIndex: number,
    turn: Turn,
    truth: SampleTruth,
  ): Scored {
    const { respondent: { skill, voice }, phase, write } = turn;
    switch (task) {
      case "cpc_bond":
      case "bi_triage": {
        const ed = task === "bi_triage";
        const bondSkill = Math.min(0.97, skill + (ed ? TOUCHPOINT_GAIN * phase : 0));
        const r = bondResponse(
          c.dx,
          this.distractors(c.dx),
          bondSkill,
          voice,
          ed ? "ed" : "cpc",
          write,
        );
        if (r.form !== undefined) truth.form = r.form;
        return {
          written: r,
          maxScore: 5,
          rate: (rater) => bondRaterScore(r.score, rater, RATER_NOISE.bond, turn.noise),
          fields: {
            case_vignette: ed ? edVignette(c, phase) : cpcVignette(c),
            final_diagnosis: c.dx.name,
          },
        };
      }
      case "cpc_management": {
        const r = testPlanResponse(c.dx, skill, voice, write);
        truth.canonicalTest = r.canonical;
        return integerScored(turn, r, 2, RATER_NOISE.testPlan, {
          case_vignette: cpcVignette(c),
          test_plan: testConcept(c.dx.test).name,
        });
      }
      case "r_idea": {
        const r = rIdeaResponse(c, phase, skill, voice, write);
        return integerScored(turn, r, 10, RATER_NOISE.rIdea, {
          case_vignette: healerVignette(c, phase),
          question_text: R_IDEA_QUESTIONS[poolIndex % R_IDEA_QUESTIONS.length]!,
        });
      }
      case "diagnostic_reasoning": {
        const r = reflectionResponse(c, this.distractors(c.dx), skill, voice, write);
        return integerScored(turn, r, 19, RATER_NOISE.reflection, {
          case_vignette: cpcVignette(c),
          question_text: REFLECTION_QUESTION,
          final_diagnosis: c.dx.name,
        });
      }
      default:
        throw new Error(`sample design for ${task} on a diagnosis pool`);
    }
  }
}

/** Who answers in one entry, and the streams its response and its raters draw from. */
interface Turn {
  respondent: Respondent;
  phase: number;
  /** The raters' stream. */
  noise: Random;
  /** The writer's stream. */
  write: Random;
}

/** A response with its content grade, how a rater scores it, and the entry's context fields. */
interface Scored {
  written: { text: string; score: number };
  maxScore: number;
  /** One rater's score, drawn from the raters' stream. */
  rate: (rater: string) => number;
  fields: Partial<Entry>;
}

/** A response on an integer scale `0..maxScore`, each rater scoring its content with noise. */
function integerScored(
  turn: Turn,
  written: { text: string; score: number },
  maxScore: number,
  noise: ScaleNoise,
  fields: Partial<Entry>,
): Scored {
  return {
    written,
    maxScore,
    rate: (rater) => integerRaterScore(written.score, maxScore, rater, noise, turn.noise),
    fields,
  };
}

/** An answer to one management question, each rater reading it against the rubric. */
function managementScored(mc: ManagementCase, turn: Turn): Scored {
  const question = mc.questions[turn.phase]!;
  const { rubric, maxScore } = entryRubric(question);
  const { skill, voice } = turn.respondent;
  const r = managementResponse(question, skill, voice, turn.write);
  return {
    written: r,
    maxScore,
    rate: (rater) =>
      rubricRaterScore(
        question.items,
        r.states,
        maxScore,
        rater,
        RATER_NOISE.management,
        turn.noise,
      ),
    fields: { rubric, case_vignette: mc.vignette, question_text: question.text },
  };
}
