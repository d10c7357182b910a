/** The few lines the drill prints at the end: outcome, RTO per workload against the target, report paths. */
import * as path from "node:path";
import { MODE_NAMES, type DrillReport } from "./report/model";
import { OUTCOME_WORDS, VERDICT_WORDS, formatDuration } from "./report/format";
import type { DrillReportPaths } from "./report";

/** Renders the final summary; paths are shown relative to `cwd`. */
export function renderDrillSummary(report: DrillReport, paths: DrillReportPaths, cwd: string): string[] {
  const where = report.target.kind === "emulator" ? "local emulator" : `tenant ${report.target.tenantId}`;
  const lines = [
    `Drill ${OUTCOME_WORDS[report.outcome]} in ${formatDuration(report.run.durationInSeconds)} against the ${where}, ` +
      `run with the ${MODE_NAMES[report.mode]}.`,
    ...report.outcomeReasons.map((reason) => `  ! ${reason}`),
    `Recovery time per workload (target RTO ${report.targetRtoInMinutes} min):`,
    ...report.workloads.map((workload) => {
      const figures = workload.recoveryTime
        ? `median ${formatDuration(workload.recoveryTime.medianInSeconds)}, p95 ${formatDuration(workload.recoveryTime.p95InSeconds)}, ` +
          `max ${formatDuration(workload.recoveryTime.maxInSeconds)}`
        : "nothing restored";
      return (
        `  ${workload.workloadName.padEnd(28)} ${`${workload.counts.succeeded}/${workload.counts.total}`.padStart(5)} restored  ` +
        `${figures}  → ${VERDICT_WORDS[workload.verdict]}`
      );
    }),
    "Report:",
    ...[paths.html, paths.markdown, paths.json].map((file) => `  ${path.relative(cwd, file) || file}`),
  ];
  return lines;
}
