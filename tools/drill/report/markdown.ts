/** `report.md`: the same evidence as the HTML page, readable in a terminal, a pull request or a wiki. */
import { MODE_NAMES, type DrillReport, type ReportSession } from "./model";
import {
  ARTIFACT_OUTCOME_WORDS,
  OUTCOME_WORDS,
  VERDICT_WORDS,
  formatAge,
  formatDuration,
  formatInstant,
} from "./format";

/** Escapes a value for a Markdown table cell (pipes and line breaks would break the row). */
function cell(value: string | number | null | undefined): string {
  if (value === null || value === undefined || value === "") {
    return "—";
  }
  return String(value).replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

function table(headers: readonly string[], rows: readonly (readonly (string | number | null)[])[]): string[] {
  return [
    `| ${headers.join(" | ")} |`,
    `| ${headers.map(() => "---").join(" | ")} |`,
    ...rows.map((row) => `| ${row.map(cell).join(" | ")} |`),
  ];
}

function summarySection(report: DrillReport): string[] {
  const target = report.target.kind === "emulator" ? "Local Graph emulator" : "Microsoft 365 tenant";
  const lines = [
    `# ${report.title}`,
    "",
    `**Outcome: ${OUTCOME_WORDS[report.outcome]}**`,
    "",
    ...report.outcomeReasons.map((reason) => `- ${reason}`),
    ...(report.outcomeReasons.length > 0 ? [""] : []),
    ...table(
      ["", ""],
      [
        ["Target", `${target} (tenant ${report.target.tenantId})`],
        ["Graph endpoint", `${report.target.graphEndpoint} (${report.target.apiVersion})`],
        ["Run with", MODE_NAMES[report.mode]],
        ["Started", formatInstant(report.run.startedDateTime)],
        ["Ended", formatInstant(report.run.endedDateTime)],
        ["Duration", formatDuration(report.run.durationInSeconds)],
        ["Restore point time", formatInstant(report.restorePointTime)],
        ["Target RTO", `${report.targetRtoInMinutes} min`],
        ["Sessions", report.counts.sessions],
        [
          "Artifacts",
          `${report.counts.total} (restored ${report.counts.succeeded}, failed ${report.counts.failed}, not finished ${report.counts.notFinished})`,
        ],
        [
          "Report generated",
          `${formatInstant(report.generatedDateTime)} by ${report.generator.name} ${report.generator.version}`,
        ],
      ],
    ),
  ];
  if (report.run.error) {
    lines.push("", "Run error:", "", "```", report.run.error, "```");
  }
  return lines;
}

function recoverySection(report: DrillReport): string[] {
  return [
    "",
    "## Recovery time per workload",
    "",
    `Recovery time of an item: from its session's creation to the item's completion, both as Graph reports them. Target RTO: ${report.targetRtoInMinutes} min.`,
    "",
    ...table(
      ["Workload", "Items", "Restored", "Failed", "Median", "p95", "Max", "Target RTO"],
      report.workloads.map((workload) => [
        workload.workloadName,
        workload.counts.total,
        workload.counts.succeeded,
        workload.counts.failed + workload.counts.notFinished,
        formatDuration(workload.recoveryTime?.medianInSeconds),
        formatDuration(workload.recoveryTime?.p95InSeconds),
        formatDuration(workload.recoveryTime?.maxInSeconds),
        VERDICT_WORDS[workload.verdict],
      ]),
    ),
  ];
}

function sessionSection(session: ReportSession): string[] {
  return [
    "",
    `### ${session.workloadName}: session ${session.id}`,
    "",
    `Status **${session.status}**${session.resourceName ? `, resource \`${session.resourceName}\`` : ""}; created ${formatInstant(session.createdDateTime)}, completed ${formatInstant(session.completedDateTime)} (${formatDuration(session.durationInSeconds)}).` +
      (session.errorCode ? ` Error \`${session.errorCode}\`: ${session.errorMessage ?? ""}` : ""),
    "",
    ...table(
      [
        "Item",
        "Outcome",
        "Restore point",
        "Point age",
        "Destination",
        "Started",
        "Completed",
        "Recovery time",
        "Error",
        "Restored to",
      ],
      session.artifacts.map((artifact) => [
        artifact.label,
        ARTIFACT_OUTCOME_WORDS[artifact.outcome],
        `${artifact.restorePoint.id} (${formatInstant(artifact.restorePoint.protectionDateTime)})`,
        formatAge(artifact.restorePoint.ageAtRestoreInMinutes),
        artifact.destinationType,
        formatInstant(artifact.startDateTime),
        formatInstant(artifact.completionDateTime),
        formatDuration(artifact.recoveryTimeInSeconds),
        artifact.errorCode ? `${artifact.errorCode}: ${artifact.errorMessage ?? ""}` : null,
        artifact.restoredLocation,
      ]),
    ),
  ];
}

function footerSection(report: DrillReport): string[] {
  const lines = ["", "## Errors", ""];
  lines.push(
    ...(report.errorCodes.length === 0
      ? ["No errors."]
      : table(
          ["Error code", "Count"],
          report.errorCodes.map((entry) => [entry.code, entry.count]),
        )),
  );
  if (report.requests) {
    const methods = Object.entries(report.requests.byMethod)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([method, count]) => `${method} ${count}`)
      .join(", ");
    lines.push(
      "",
      "## Graph requests by the program",
      "",
      `${report.requests.total} requests (${report.requests.writes} writes): ${methods}.`,
    );
  }
  return lines;
}

/** Renders the report as GitHub-flavoured Markdown. */
export function renderDrillReportMarkdown(report: DrillReport): string {
  return [
    ...summarySection(report),
    ...recoverySection(report),
    "",
    "## Sessions",
    ...report.sessions.flatMap(sessionSection),
    ...footerSection(report),
    "",
  ].join("\n");
}
