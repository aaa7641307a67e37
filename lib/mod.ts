/**
 * PrecepTron for TypeScript: load physician-scored clinical responses, score them with LLM
 * judges, and measure how well the judges agree with physicians.
 *
 * This entry point exports what a notebook needs. Each area has its own, with all of its
 * building blocks: `preceptron/data`, `preceptron/tasks`, `preceptron/judge`,
 * `preceptron/ledger`, `preceptron/runner`, `preceptron/trials`, `preceptron/batch`,
 * `preceptron/stats`, `preceptron/plots`, `preceptron/notebook`; and two that are not the product:
 * `preceptron/testing` (the scripted LLM server, the Hugging Face and batch imitations, fault
 * tools) and `preceptron/sample` (the synthetic sample's generator).
 *
 * ```ts
 * import { countBy, loadDataset } from "preceptron";
 *
 * const dataset = await loadDataset(); // the shipped synthetic sample
 * countBy(dataset, "benchmark");
 * ```
 *
 * @module
 */

// The dataset: loading, frames, checks.
export {
  casesPerTask,
  countBy,
  type DataFrame,
  DatasetError,
  type DatasetProblem,
  defaultSource,
  entriesFrame,
  type Entry,
  type EntryFilter,
  filterEntries,
  gradeSummary,
  isPhysicianRespondent,
  isSynthetic,
  isTaskKey,
  loadDataset,
  type LoadedDataset,
  loadEntries,
  type LoadOptions,
  type Match,
  type RaterScore,
  ratings,
  type RawRow,
  TASK_KEYS,
  type TaskKey,
  validateEntries,
  type Validation,
  withNormalisedGrade,
} from "./data/mod.ts";

// The six tasks (their scales, prompts and reply parsing: `preceptron/tasks`).
export {
  getTask,
  type InputName,
  type JudgePrompt,
  type ReplyFailure,
  type ScoreScale,
  type Task,
  type TaskInputs,
  TASKS,
} from "./tasks/mod.ts";

// Judges: score one response, and a model's config entry (every provider's judge, the
// baselines, clients, retries and redaction: `preceptron/judge`).
export {
  AuthenticationError,
  defaultJudge,
  defaultJudgeConfig,
  type Encoding,
  type ErrorClass,
  type FailedJudgement,
  type FailureReason,
  type Judge,
  type JudgeCallOptions,
  type Judgement,
  type JudgementBase,
  type JudgeSettings,
  type ModelConfig,
  type OutputMode,
  type Prices,
  type Provenance,
  type ProviderEntry,
  type RetryOptions,
  type RoutedScore,
  type Routing,
  score,
  type ScoredJudgement,
  type ScoreRequest,
  type SkippedTask,
  type Usage,
} from "./judge/mod.ts";

// Runs: score the dataset with judges, generate with a candidate model (the config's errors,
// pools, the preflight: `preceptron/runner`; ledgers and locks: `preceptron/ledger`).
export {
  type BenchmarkConfig,
  type BenchmarkSummary,
  type BudgetLimits,
  type CandidateChoice,
  type CandidateOptions,
  chooseCandidate,
  type GenerateOptions,
  generateResponses,
  type GenerationFailure,
  type GenerationSummary,
  loadConfig,
  type PoolEvent,
  type PreflightRow,
  runBenchmark,
  type RunBenchmarkOptions,
  type RunOptions,
  type RunSummary,
  type StandInServer,
} from "./runner/mod.ts";

// A run's results: the trials frame, what an output folder holds, the PrecepTron export
// (`preceptron/trials`).
export {
  type ExportOptions,
  exportPreceptron,
  loadTrials,
  type LoadTrialsOptions,
  trialsDir,
  trialsOverview,
} from "./trials/mod.ts";

// Agreement with physicians, the physician ceiling, and what a paper needs of them (every
// metric on its own, the bootstraps, PPI and isotonic regression: `preceptron/stats`).
export {
  agreement,
  type AgreementOptions,
  agreementSummary,
  altTest,
  type AltTestOptions,
  type AltTestResult,
  biasAudit,
  type BiasAuditOptions,
  blandAltman,
  type BlandAltmanResult,
  type BootstrapInterval,
  calibrate,
  type CalibrateOptions,
  type Calibration,
  type CalibrationMap,
  ceiling,
  type CeilingOptions,
  type IntervalMethod,
  type IsotonicFit,
  METRIC_NAMES,
  type MetricName,
  modelSummary,
  type ModelSummaryOptions,
  physicianAgreement,
  physicianEquivalent,
  type PhysicianEquivalentOptions,
  plannedIds,
  planPhysicianGrading,
  type PlanPhysicianGradingOptions,
  type PpiInterval,
  type ReportBootstrapOptions,
} from "./stats/mod.ts";

// Figures: each a Figure (SVG with its caption) built from Observable Plot options.
export {
  agreementForest,
  type AgreementForestOptions,
  biasAuditPlot,
  type BiasAuditPlotOptions,
  blandAltmanPlot,
  calibrationPlot,
  confusionHeatmap,
  type ConfusionHeatmapOptions,
  type DatasetFigureOptions,
  Figure,
  figure,
  type FigureOptions,
  gradeDistribution,
  type JudgeFigureOptions,
  judgeScatter,
  metricLabel,
  modelBoxplot,
  type ModelBoxplotOptions,
  paperFigures,
  type PaperFiguresOptions,
  physicianEquivalentPlot,
  type PhysicianEquivalentPlotOptions,
  physicianScatter,
  plotDocument,
  plotFigure,
  type PlotOptions,
  type PlotOverrides,
  saveFigure,
  type SaveFigureOptions,
  taskTitle,
} from "./plots/mod.ts";

// What a notebook shows: banners, judgements, frames.
export {
  Banner,
  banner,
  type BannerTone,
  candidateBanner,
  datasetBanner,
  type FrameBundle,
  FrameDisplay,
  type FrameDisplayOptions,
  judgeBanner,
  JudgementView,
  rounded,
  showFrame,
  showJudgement,
} from "./notebook/mod.ts";
