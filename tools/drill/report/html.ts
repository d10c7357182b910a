/**
 * `report.html`: one self-contained page (inline CSS, inline SVG, no script, no external resource of
 * any kind) that an auditor can archive, open offline years later, or print.
 */
import { MODE_NAMES, type DrillReport, type ReportSession } from "./model";
import {
  ARTIFACT_OUTCOME_WORDS,
  OUTCOME_WORDS,
  VERDICT_WORDS,
  formatAge,
  formatDuration,
  formatInstant,
  formatTimeOfDay,
} from "./format";
import { escapeXml } from "./escape";
import { OUTCOME_COLOURS, renderRtoSvg, renderTimelineSvg } from "./timeline";

const STYLE = `
:root { color-scheme: light; --ink: #1b1f24; --muted: #57606a; --line: #d0d7de; --panel: #f6f8fa;
  --ok: ${OUTCOME_COLOURS.succeeded}; --bad: ${OUTCOME_COLOURS.failed}; --warn: ${OUTCOME_COLOURS.notFinished}; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: var(--ink); background: #ffffff; }
main { max-width: 1040px; margin: 0 auto; padding: 28px 32px 48px; }
header.title { border-bottom: 3px solid var(--ink); padding-bottom: 12px; margin-bottom: 18px; }
header.title h1 { margin: 0; font-size: 26px; letter-spacing: -0.01em; }
header.title p { margin: 4px 0 0; color: var(--muted); }
.banner { border-radius: 6px; padding: 14px 18px; margin: 0 0 22px; color: #ffffff; }
.banner strong { font-size: 20px; letter-spacing: 0.04em; }
.banner ul { margin: 6px 0 0; padding-left: 20px; }
.banner.passed { background: var(--ok); } .banner.failed { background: var(--bad); } .banner.incomplete { background: var(--warn); }
h2 { font-size: 18px; margin: 30px 0 10px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 22px 0 6px; }
dl.facts { display: grid; grid-template-columns: max-content 1fr max-content 1fr; gap: 4px 18px; margin: 0;
  background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 12px 16px; }
dl.facts dt { color: var(--muted); } dl.facts dd { margin: 0; font-weight: 600; overflow-wrap: anywhere; }
caption { text-align: left; caption-side: top; padding: 2px 0 4px; }
td.time { white-space: nowrap; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 10px; font-size: 13px; }
th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: var(--panel); font-weight: 600; }
td.num { white-space: nowrap; text-align: right; font-variant-numeric: tabular-nums; }
code, .id { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; overflow-wrap: anywhere; }
.tag { display: inline-block; padding: 0 7px; border-radius: 10px; font-size: 12px; font-weight: 600; color: #ffffff; }
.tag.succeeded, .tag.met { background: var(--ok); } .tag.failed, .tag.missed, .tag.notRecovered { background: var(--bad); }
.tag.notFinished { background: var(--warn); }
.legend { list-style: none; display: flex; flex-wrap: wrap; gap: 18px; padding: 0; margin: 6px 0; }
.legend li { display: flex; align-items: center; gap: 6px; }
.swatch { width: 22px; height: 12px; border-radius: 2px; display: inline-block; }
.swatch.failed { background: repeating-linear-gradient(45deg, var(--bad) 0 4px, #e8a3a3 4px 6px); }
.swatch.queued { height: 2px; background: #afb8c1; }
svg { display: block; margin: 6px 0 4px; font-family: inherit; }
svg .grid { stroke: #eaeef2; stroke-width: 1; } svg .tick { font-size: 11px; fill: var(--muted); }
svg .row-label { font-size: 12px; fill: var(--ink); } svg .group-label { font-size: 12px; font-weight: 600; fill: var(--ink); }
svg .queued { stroke: #afb8c1; stroke-width: 2; } svg .target { stroke: var(--bad); stroke-width: 2; stroke-dasharray: 6 4; }
.note { color: var(--muted); font-size: 13px; }
footer { margin-top: 36px; border-top: 1px solid var(--line); padding-top: 8px; color: var(--muted); font-size: 12px; }
@media print { main { padding: 0; max-width: none; } .banner, .tag, .swatch { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
  section { break-inside: avoid-page; } }
`;

function outcomeBanner(report: DrillReport): string {
  const summary =
    report.outcome === "passed"
      ? `All ${report.counts.total} items in ${report.counts.sessions} sessions were restored within the target RTO of ${report.targetRtoInMinutes} min.`
      : `${report.counts.succeeded} of ${report.counts.total} items restored.`;
  const reasons = report.outcomeReasons.map((reason) => `<li>${escapeXml(reason)}</li>`).join("");
  return (
    `<section class="banner ${report.outcome}" role="status" aria-label="Drill outcome">` +
    `<strong>${OUTCOME_WORDS[report.outcome]}</strong> — ${escapeXml(summary)}` +
    (reasons ? `<ul>${reasons}</ul>` : "") +
    `</section>`
  );
}

function facts(report: DrillReport): string {
  const where =
    report.target.kind === "emulator"
      ? "Local Graph emulator (no real data touched)"
      : "Microsoft 365 tenant";
  const requests = report.requests
    ? `${report.requests.total} (${report.requests.writes} writes)`
    : "not recorded (real tenant)";
  const entries: [string, string][] = [
    ["Target", where],
    ["Tenant", report.target.tenantId],
    ["Graph endpoint", `${report.target.graphEndpoint} (${report.target.apiVersion})`],
    ["Run with", MODE_NAMES[report.mode]],
    ["Started", formatInstant(report.run.startedDateTime)],
    ["Ended", formatInstant(report.run.endedDateTime)],
    ["Drill duration", formatDuration(report.run.durationInSeconds)],
    ["Restore point time", formatInstant(report.restorePointTime)],
    ["Target RTO", `${report.targetRtoInMinutes} min`],
    ["Sessions", String(report.counts.sessions)],
    [
      "Items",
      `${report.counts.total} (restored ${report.counts.succeeded}, failed ${report.counts.failed}, not finished ${report.counts.notFinished})`,
    ],
    ["Graph requests by the program", requests],
  ];
  return `<dl class="facts">${entries.map(([term, value]) => `<dt>${escapeXml(term)}</dt><dd>${escapeXml(value)}</dd>`).join("")}</dl>`;
}

function recoveryTable(report: DrillReport): string {
  const rows = report.workloads
    .map(
      (workload) =>
        `<tr><th scope="row">${escapeXml(workload.workloadName)}</th><td class="num">${workload.counts.total}</td>` +
        `<td class="num">${workload.counts.succeeded}</td><td class="num">${workload.counts.failed + workload.counts.notFinished}</td>` +
        `<td class="num">${formatDuration(workload.recoveryTime?.medianInSeconds)}</td>` +
        `<td class="num">${formatDuration(workload.recoveryTime?.p95InSeconds)}</td>` +
        `<td class="num">${formatDuration(workload.recoveryTime?.maxInSeconds)}</td>` +
        `<td><span class="tag ${workload.verdict}">${VERDICT_WORDS[workload.verdict]}</span></td></tr>`,
    )
    .join("");
  return (
    `<table class="recovery"><caption class="note">Target RTO ${report.targetRtoInMinutes} min. Recovery time of an item: from its session's creation to the item's completion, both as Graph reports them.</caption>` +
    `<thead><tr><th scope="col">Workload</th><th scope="col">Items</th><th scope="col">Restored</th><th scope="col">Not restored</th>` +
    `<th scope="col">Median</th><th scope="col">p95</th><th scope="col">Max</th><th scope="col">Target RTO</th></tr></thead><tbody>${rows}</tbody></table>`
  );
}

function legend(): string {
  const items = (["succeeded", "failed", "notFinished"] as const)
    .map(
      (outcome) =>
        `<li><span class="swatch ${outcome}" style="background-color:${OUTCOME_COLOURS[outcome]}" aria-hidden="true"></span>${ARTIFACT_OUTCOME_WORDS[outcome]}</li>`,
    )
    .join("");
  return (
    `<ul class="legend" aria-label="Timeline legend">${items}` +
    `<li><span class="swatch queued" aria-hidden="true"></span>Waiting (session created, item not started)</li></ul>`
  );
}

function sessionTable(session: ReportSession): string {
  const rows = session.artifacts
    .map(
      (artifact) =>
        `<tr><td>${escapeXml(artifact.label)}</td><td><span class="tag ${artifact.outcome}">${ARTIFACT_OUTCOME_WORDS[artifact.outcome]}</span></td>` +
        `<td>${escapeXml(formatInstant(artifact.restorePoint.protectionDateTime))}<br><span class="id">${escapeXml(artifact.restorePoint.id)}</span></td>` +
        `<td class="num">${escapeXml(formatAge(artifact.restorePoint.ageAtRestoreInMinutes))}</td>` +
        `<td>${escapeXml(artifact.destinationType ?? "—")}</td>` +
        `<td class="time">${escapeXml(formatTimeOfDay(artifact.startDateTime, session.createdDateTime))}</td>` +
        `<td class="time">${escapeXml(formatTimeOfDay(artifact.completionDateTime, session.createdDateTime))}</td>` +
        `<td class="num">${escapeXml(formatDuration(artifact.recoveryTimeInSeconds))}</td>` +
        `<td>${artifact.errorCode ? `<code>${escapeXml(artifact.errorCode)}</code> ${escapeXml(artifact.errorMessage ?? "")}` : "—"}</td>` +
        `<td>${escapeXml(artifact.restoredLocation ?? "—")}</td></tr>`,
    )
    .join("");
  const error = session.errorCode
    ? ` Error <code>${escapeXml(session.errorCode)}</code>: ${escapeXml(session.errorMessage ?? "")}`
    : "";
  return (
    `<h3>${escapeXml(session.workloadName)} — session <span class="id">${escapeXml(session.id)}</span></h3>` +
    `<p class="note">Status <strong>${escapeXml(session.status)}</strong>` +
    (session.resourceName ? `, resource <code>${escapeXml(session.resourceName)}</code>` : "") +
    `; created ${escapeXml(formatInstant(session.createdDateTime))}, completed ${escapeXml(formatInstant(session.completedDateTime))} ` +
    `(${escapeXml(formatDuration(session.durationInSeconds))}).${error}</p>` +
    `<table class="artifacts"><thead><tr><th scope="col">Item</th><th scope="col">Outcome</th><th scope="col">Restore point</th>` +
    `<th scope="col">Point age</th><th scope="col">Destination</th><th scope="col">Started (UTC)</th><th scope="col">Completed (UTC)</th>` +
    `<th scope="col">Recovery time</th><th scope="col">Error</th><th scope="col">Restored to</th></tr></thead><tbody>${rows}</tbody></table>`
  );
}

function errorsSection(report: DrillReport): string {
  const body =
    report.errorCodes.length === 0
      ? `<p>No errors.</p>`
      : `<table class="errors"><thead><tr><th scope="col">Error code</th><th scope="col">Count</th></tr></thead><tbody>` +
        report.errorCodes
          .map(
            (entry) =>
              `<tr><td><code>${escapeXml(entry.code)}</code></td><td class="num">${entry.count}</td></tr>`,
          )
          .join("") +
        `</tbody></table>`;
  const runError = report.run.error ? `<p>Run error:</p><pre>${escapeXml(report.run.error)}</pre>` : "";
  return `<section><h2>Errors</h2>${body}${runError}</section>`;
}

/** Renders the report as one self-contained HTML page. */
export function renderDrillReportHtml(report: DrillReport): string {
  const where =
    report.target.kind === "emulator" ? "local Graph emulator" : `tenant ${report.target.tenantId}`;
  return [
    `<!DOCTYPE html>`,
    `<html lang="en"><head><meta charset="utf-8">`,
    `<meta name="viewport" content="width=device-width, initial-scale=1">`,
    `<title>${escapeXml(`${report.title} — ${OUTCOME_WORDS[report.outcome]} — ${formatInstant(report.run.startedDateTime)}`)}</title>`,
    `<style>${STYLE}</style></head><body><main>`,
    `<header class="title"><h1>${escapeXml(report.title)}</h1>`,
    `<p>Restore drill against the ${escapeXml(where)}, ${escapeXml(formatInstant(report.run.startedDateTime))}</p></header>`,
    outcomeBanner(report),
    `<section><h2>Summary</h2>${facts(report)}</section>`,
    `<section><h2>Recovery time per workload</h2>${recoveryTable(report)}${renderRtoSvg(report)}</section>`,
    `<section><h2>Timeline</h2>${legend()}${renderTimelineSvg(report)}`,
    `<p class="note">Time 0 is the creation of the first session. Hover a bar for its times.</p></section>`,
    `<section><h2>Sessions</h2>${report.sessions.map(sessionTable).join("")}</section>`,
    errorsSection(report),
    `<footer>Generated ${escapeXml(formatInstant(report.generatedDateTime))} by ${escapeXml(`${report.generator.name} ${report.generator.version}`)}. ` +
      `This page is self-contained: it loads nothing from anywhere. The same data is in report.json.</footer>`,
    `</main></body></html>`,
    ``,
  ].join("\n");
}
