/**
 * A grid of square panels, one per task, on shared 0–1 axes (scores as shares of each entry's
 * maximum): the layout of the scatter and calibration figures.
 *
 * @module
 */

import * as Plot from "@observablehq/plot";
import { TASK_KEYS } from "../data/task_key.ts";
import { _PALETTE } from "./_trial_rows.ts";
import { taskTitle } from "./display_names.ts";

/** Where a panel sits in the grid. */
export interface _Panel {
  fx: number;
  fy: number;
}

/** The grid for some tasks. */
export interface _TaskPanels {
  /** The tasks drawn, in the dataset's task order. */
  tasks: string[];
  /** `rows` with each one's panel, by its task. */
  place<T>(rows: readonly T[], taskOf: (row: T) => string): (T & _Panel)[];
  /**
   * The figure's Plot options: a frame and the dashed identity line in each panel, then
   * `marks`, then each panel's task name top left (render with `plotFigure`).
   */
  spec(options: {
    x: string;
    y: string;
    marks: Plot.Markish[];
    r?: Plot.ScaleOptions;
    /** The y axis's domain (default: the shares' −0.05…1.05). */
    yDomain?: [number, number];
    /** Draw the dashed identity line (default true). */
    identity?: boolean;
  }): Plot.PlotOptions;
}

/**
 * Lays out one square panel per task present in `tasksSeen`, three to a row.
 *
 * @param tasksSeen The task of every row (repeats are fine).
 * @param width The figure's width in pixels.
 * @returns The grid.
 */
export function _taskPanels(tasksSeen: Iterable<string>, width: number): _TaskPanels {
  const seen = new Set(tasksSeen);
  const tasks = TASK_KEYS.filter((t) => seen.has(t)) as string[];
  tasks.push(...[...seen].filter((t) => !tasks.includes(t)).sort());
  const columns = Math.min(3, Math.max(1, tasks.length));
  const panels = new Map<string, _Panel>(
    tasks.map((t, i) => [t, { fx: i % columns, fy: Math.floor(i / columns) }]),
  );
  return {
    tasks,
    place: (rows, taskOf) => rows.map((row) => ({ ...row, ...panels.get(taskOf(row))! })),
    spec: ({ x, y, marks, r, yDomain = [-0.05, 1.05], identity = true }) => ({
      width,
      height: Math.ceil(tasks.length / columns) * ((width - 80) / columns) + 60,
      marginLeft: 50,
      marginBottom: 40,
      x: { label: x, domain: [-0.05, 1.05], ticks: 3 },
      y: { label: y, domain: yDomain, ticks: 3 },
      ...(r ? { r } : {}),
      fx: { axis: null },
      fy: { axis: null },
      marks: [
        Plot.frame({ stroke: "#ccc" }),
        identity
          ? Plot.line([[0, 0], [1, 1]], { stroke: _PALETTE.reference, strokeDasharray: "4,3" })
          : null,
        ...marks,
        Plot.text(
          tasks.map((t) => ({ label: taskTitle(t), ...panels.get(t)! })),
          { fx: "fx", fy: "fy", text: "label", frameAnchor: "top-left", dx: 4, dy: 4 },
        ),
      ],
    }),
  };
}
