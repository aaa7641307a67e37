/**
 * Test support: a trials frame from judgement rows written as objects, each column typed as a
 * real trials frame types it.
 *
 * @module
 */

import pl from "nodejs-polars";

/** A judgement row of a trials frame: the columns the statistics read. */
export interface TrialRow {
  model?: string;
  judge: string;
  task: string;
  entry_id: string;
  repeat: number;
  status: string;
  score: number | null;
  grade?: number | null;
  max_score?: number;
  case_id?: string;
  raters?: string[];
  rater_scores?: (number | null)[];
}

const COLUMN_TYPES: Record<keyof TrialRow, pl.DataType> = {
  model: pl.Utf8,
  judge: pl.Utf8,
  task: pl.Utf8,
  entry_id: pl.Utf8,
  repeat: pl.Int64,
  status: pl.Utf8,
  score: pl.Float64,
  grade: pl.Float64,
  max_score: pl.Float64,
  case_id: pl.Utf8,
  raters: pl.List(pl.Utf8),
  rater_scores: pl.List(pl.Float64),
};

/**
 * The trials frame of `rows`: a column for each field the rows have, in a trials frame's order.
 *
 * @param rows The judgement rows.
 * @returns The frame.
 */
export function trialsFrame(rows: readonly TrialRow[]): pl.DataFrame {
  const names = (Object.keys(COLUMN_TYPES) as (keyof TrialRow)[])
    .filter((name) => rows.some((r) => name in r));
  return pl.DataFrame(
    names.map((name) => pl.Series(name, rows.map((r) => r[name]), COLUMN_TYPES[name])),
  );
}
