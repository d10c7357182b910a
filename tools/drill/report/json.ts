/** `report.json`: the report object as it is, for machines (schema version 1). */
import type { DrillReport } from "./model";

/** Renders the report as pretty-printed JSON with a trailing newline. */
export function renderDrillReportJson(report: DrillReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
