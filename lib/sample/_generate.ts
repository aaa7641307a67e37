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
    const write = rng.fork("response");

    let response: string;
    let content: number;
    let maxScore: number;
    let grades: RaterScore[];
    const fields: Partial<Entry> = {};
    const truth: SampleTruth = { id, benchmark: design.task, content: 0 };

    if (design.pool === "management") {
      const mc = managementCase(poolIndex);
      const question = mc.questions[phase]!;
      const { rubric, maxScore: max } = entryRubric(question);
      const r = managementResponse(question, respondent.skill, respondent.voice, write);
      response = r.text;
      content = r.score;
      maxScore = max;
      grades = raters.map((rater) => ({
        rater,
        score: rubricRaterScore(
          question.items,
          r.states,
          max,
          rater,
          RATER_NOISE.management,
          noise,
        ),
      }));
      fields.rubric = rubric;
      fields.case_vignette = mc.vignette;
      fields.question_text = question.text;
    } else {
      const c = this.clinicalCase(pool, replicate, poolIndex);
      switch (design.task) {
        case "cpc_bond":
        case "bi_triage": {
          const ed = design.task === "bi_triage";
          const skill = Math.min(0.97, respondent.skill + (ed ? TOUCHPOINT_GAIN * phase : 0));
          const r = bondResponse(
            c.dx,
            this.distractors(c.dx),
            skill,
            respondent.voice,
            ed ? "ed" : "cpc",
            write,
          );
          response = r.text;
          content = r.score;
          maxScore = 5;
          if (r.form !== undefined) truth.form = r.form;
          grades = raters.map((rater) => ({
            rater,
            score: bondRaterScore(r.score, rater, RATER_NOISE.bond, noise),
          }));
          fields.case_vignette = ed ? edVignette(c, phase) : cpcVignette(c);
          fields.final_diagnosis = c.dx.name;
          break;
        }
        case "cpc_management": {
          const r = testPlanResponse(c.dx, respondent.skill, respondent.voice, write);
          response = r.text;
          content = r.score;
          maxScore = 2;
          truth.canonicalTest = r.canonical;
          grades = raters.map((rater) => ({
            rater,
            score: integerRaterScore(r.score, 2, rater, RATER_NOISE.testPlan, noise),
          }));
          fields.case_vignette = cpcVignette(c);
          fields.test_plan = testConcept(c.dx.test).name;
          break;
        }
        case "r_idea": {
          const r = rIdeaResponse(c, phase, respondent.skill, respondent.voice, write);
          response = r.text;
          content = r.score;
          maxScore = 10;
          grades = raters.map((rater) => ({
            rater,
            score: integerRaterScore(r.score, 10, rater, RATER_NOISE.rIdea, noise),
          }));
          fields.case_vignette = healerVignette(c, phase);
          fields.question_text = R_IDEA_QUESTIONS[poolIndex % R_IDEA_QUESTIONS.length]!;
          break;
        }
        case "diagnostic_reasoning": {
          const r = reflectionResponse(
            c,
            this.distractors(c.dx),
            respondent.skill,
            respondent.voice,
            write,
          );
          response = r.text;
          content = r.score;
          maxScore = 19;
          grades = raters.map((rater) => ({
            rater,
            score: integerRaterScore(r.score, 19, rater, RATER_NOISE.reflection, noise),
          }));
          fields.case_vignette = cpcVignette(c);
          fields.question_text = REFLECTION_QUESTION;
          fields.final_diagnosis = c.dx.name;
          break;
        }
        default:
          throw new Error(`sample design for ${design.task} on a diagnosis pool`);
      }
    }
    truth.content = content;

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
      response,
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
}
