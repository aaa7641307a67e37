/**
 * Display helpers for the Deno Jupyter kernel: banners and notes.
 *
 * @module
 */

export * from "./banner.ts";
export * from "./dataset_banner.ts";
export * from "./judge_banner.ts";
export * from "./judgement_view.ts";
export * from "./rounded.ts";
export * from "./candidate_banner.ts";
export { frameHtml } from "./frame_html.ts";
export { frameText } from "./frame_text.ts";
export {
  type FrameBundle,
  FrameDisplay,
  type FrameDisplayOptions,
  showFrame,
} from "./show_frame.ts";
export { installFrameDisplay } from "./install_frame_display.ts";

import { installFrameDisplay } from "./install_frame_display.ts";
// From the moment the kit is imported, every Polars frame displays as the kit's table.
installFrameDisplay();
