/**
 * The drill report: model, builder and the three renderers, plus {@link writeDrillReport}, which puts
 * `report.json`, `report.md` and `report.html` into one directory.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { DrillReport } from "./model";
import { renderDrillReportHtml } from "./html";
import { renderDrillReportJson } from "./json";
import { renderDrillReportMarkdown } from "./markdown";

export * from "./model";
export { buildDrillReport, artifactOutcome, secondsBetween } from "./build";
export { renderDrillReportHtml } from "./html";
export { renderDrillReportJson } from "./json";
export { renderDrillReportMarkdown } from "./markdown";
export { formatDuration, formatInstant, OUTCOME_WORDS, VERDICT_WORDS } from "./format";

/** Where {@link writeDrillReport} put each file (absolute paths). */
export interface DrillReportPaths {
  readonly json: string;
  readonly markdown: string;
  readonly html: string;
}

/** Writes the three report files into `directory` (created if missing), replacing earlier ones. */
export function writeDrillReport(report: DrillReport, directory: string): DrillReportPaths {
  const absolute = path.resolve(directory);
  fs.mkdirSync(absolute, { recursive: true });
  const paths: DrillReportPaths = {
    json: path.join(absolute, "report.json"),
    markdown: path.join(absolute, "report.md"),
    html: path.join(absolute, "report.html"),
  };
  fs.writeFileSync(paths.json, renderDrillReportJson(report));
  fs.writeFileSync(paths.markdown, renderDrillReportMarkdown(report));
  fs.writeFileSync(paths.html, renderDrillReportHtml(report));
  return paths;
}
