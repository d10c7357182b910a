/**
 * The inline SVG charts of `report.html`: the timeline (one bar per artifact, grouped by session,
 * coloured by outcome) and the recovery time per workload against the target RTO. Pure string
 * building; every text is escaped; no external reference of any kind.
 */
import type { ArtifactOutcome, DrillReport, ReportSession } from "./model";
import { ARTIFACT_OUTCOME_WORDS, formatDuration, formatInstant } from "./format";
import { escapeXml } from "./escape";

/** Fill colour per outcome; failed bars are also hatched so the chart does not rely on colour alone. */
export const OUTCOME_COLOURS: Readonly<Record<ArtifactOutcome, string>> = {
  succeeded: "#1a7f37",
  failed: "#c62828",
  notFinished: "#9a6700",
};

const CHART_WIDTH = 960;
const LABEL_WIDTH = 280;
const PLOT_LEFT = LABEL_WIDTH + 10;
const PLOT_RIGHT = CHART_WIDTH - 20;
const ROW_HEIGHT = 22;
const GROUP_HEADER_HEIGHT = 26;
const AXIS_HEIGHT = 30;

const NICE_STEPS_IN_SECONDS = [
  0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400,
];

/** The smallest step from a fixed list that keeps the axis to at most `maxTicks` intervals. */
export function tickStepInSeconds(spanInSeconds: number, maxTicks = 8): number {
  return (
    NICE_STEPS_IN_SECONDS.find((step) => spanInSeconds / step <= maxTicks) ??
    Math.ceil(spanInSeconds / maxTicks)
  );
}

function tickLabel(seconds: number, step: number): string {
  if (step < 1) {
    return `${seconds.toFixed(1)} s`;
  }
  if (step < 60) {
    return `${Math.round(seconds)} s`;
  }
  return step < 3600
    ? `${Math.round(seconds / 60)} min`
    : `${(seconds / 3600).toFixed(step % 3600 === 0 ? 0 : 1)} h`;
}

function ms(value: string | null | undefined): number | null {
  if (!value || value.startsWith("0001-01-01")) {
    return null;
  }
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? null : parsed;
}

interface TimeScale {
  readonly originInMs: number;
  readonly spanInSeconds: number;
  x(instantInMs: number): number;
}

function timeScale(report: DrillReport): TimeScale {
  const starts = report.sessions.flatMap((session) => [ms(session.createdDateTime) ?? []].flat());
  const ends = report.sessions.flatMap((session) =>
    [session.completedDateTime, ...session.artifacts.map((artifact) => artifact.completionDateTime)].flatMap(
      (value) => [ms(value) ?? []].flat(),
    ),
  );
  const unfinished = report.sessions.some((session) => session.counts.notFinished > 0);
  const runEnd = ms(report.run.endedDateTime);
  const originInMs = starts.length > 0 ? Math.min(...starts) : (ms(report.run.startedDateTime) ?? 0);
  const candidates = [...ends, ...(unfinished && runEnd !== null ? [runEnd] : []), originInMs + 1000];
  const spanInSeconds = (Math.max(...candidates) - originInMs) / 1000;
  const step = tickStepInSeconds(spanInSeconds);
  const axisSpan = Math.ceil(spanInSeconds / step) * step;
  return {
    originInMs,
    spanInSeconds: axisSpan,
    x: (instantInMs) => PLOT_LEFT + ((instantInMs - originInMs) / 1000 / axisSpan) * (PLOT_RIGHT - PLOT_LEFT),
  };
}

function axis(scale: TimeScale, top: number, bottom: number): string[] {
  const step = tickStepInSeconds(scale.spanInSeconds);
  const parts: string[] = [];
  for (let seconds = 0; seconds <= scale.spanInSeconds + 1e-9; seconds += step) {
    const x = scale.x(scale.originInMs + seconds * 1000).toFixed(1);
    parts.push(
      `<line class="grid" x1="${x}" y1="${top}" x2="${x}" y2="${bottom}"/>`,
      `<text class="tick" x="${x}" y="${top - 8}" text-anchor="middle">${escapeXml(tickLabel(seconds, step))}</text>`,
    );
  }
  return parts;
}

function artifactRow(session: ReportSession, index: number, y: number, scale: TimeScale): string[] {
  const artifact = session.artifacts[index];
  const created = ms(session.createdDateTime) ?? scale.originInMs;
  const start = ms(artifact.startDateTime) ?? created;
  const end = ms(artifact.completionDateTime) ?? scale.originInMs + scale.spanInSeconds * 1000;
  const x0 = scale.x(start);
  const width = Math.max(2, scale.x(end) - x0);
  const label = artifact.label.length > 40 ? `${artifact.label.slice(0, 39)}…` : artifact.label;
  const tooltip =
    `${artifact.label}: ${ARTIFACT_OUTCOME_WORDS[artifact.outcome]}; started ${formatInstant(artifact.startDateTime)}, ` +
    `completed ${formatInstant(artifact.completionDateTime)}, recovery time ${formatDuration(artifact.recoveryTimeInSeconds)}` +
    (artifact.errorCode ? `; error ${artifact.errorCode}` : "");
  const fill = artifact.outcome === "failed" ? "url(#hatch-failed)" : OUTCOME_COLOURS[artifact.outcome];
  return [
    `<g class="artifact" data-artifact-id="${escapeXml(artifact.id)}" data-outcome="${artifact.outcome}">`,
    `<title>${escapeXml(tooltip)}</title>`,
    `<text class="row-label" x="${LABEL_WIDTH}" y="${y + 15}" text-anchor="end">${escapeXml(label)}</text>`,
    `<line class="queued" x1="${scale.x(created).toFixed(1)}" y1="${y + 11}" x2="${x0.toFixed(1)}" y2="${y + 11}"/>`,
    `<rect class="bar bar-${artifact.outcome}" x="${x0.toFixed(1)}" y="${y + 4}" width="${width.toFixed(1)}" height="14" rx="2" fill="${fill}"/>`,
    `</g>`,
  ];
}

/**
 * The timeline: one bar per artifact from its start to its completion (a thin grey line shows the wait
 * from the session's creation), grouped under one heading per session. Time 0 is the first session's creation.
 */
export function renderTimelineSvg(report: DrillReport): string {
  const scale = timeScale(report);
  const rows = report.sessions.reduce((sum, session) => sum + session.artifacts.length, 0);
  const top = AXIS_HEIGHT;
  const height = top + report.sessions.length * GROUP_HEADER_HEIGHT + rows * ROW_HEIGHT + 10;
  const body: string[] = [];
  let y = top;
  for (const session of report.sessions) {
    body.push(
      `<g class="session" data-session-id="${escapeXml(session.id)}">`,
      `<text class="group-label" x="8" y="${y + 18}">${escapeXml(`${session.workloadName} · session ${session.id} · ${session.status}`)}</text>`,
    );
    y += GROUP_HEADER_HEIGHT;
    session.artifacts.forEach((_, index) => {
      body.push(...artifactRow(session, index, y, scale));
      y += ROW_HEIGHT;
    });
    body.push("</g>");
  }
  const description =
    `Timeline of ${rows} restored items in ${report.sessions.length} sessions, from the first session's creation ` +
    `(${formatInstant(new Date(scale.originInMs).toISOString())}) over ${formatDuration(scale.spanInSeconds)}. ` +
    `${report.counts.succeeded} restored, ${report.counts.failed} failed, ${report.counts.notFinished} not finished.`;
  return [
    `<svg class="timeline" role="img" aria-labelledby="timeline-title timeline-desc" viewBox="0 0 ${CHART_WIDTH} ${height}" width="100%" preserveAspectRatio="xMinYMin meet">`,
    `<title id="timeline-title">Restore timeline by session</title>`,
    `<desc id="timeline-desc">${escapeXml(description)}</desc>`,
    `<defs><pattern id="hatch-failed" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">`,
    `<rect width="6" height="6" fill="${OUTCOME_COLOURS.failed}"/><rect width="2" height="6" fill="#ffffff" fill-opacity="0.45"/></pattern></defs>`,
    ...axis(scale, top, height - 10),
    ...body,
    `</svg>`,
  ].join("\n");
}

const RTO_ROW_HEIGHT = 64;
const RTO_FIGURES = [
  { key: "medianInSeconds", name: "median", colour: "#6e7781" },
  { key: "p95InSeconds", name: "p95", colour: "#0969da" },
  { key: "maxInSeconds", name: "max", colour: "#1b1f24" },
] as const;

/** Recovery time per workload (median, p95, max) on one scale with the target RTO drawn as a line. */
export function renderRtoSvg(report: DrillReport): string {
  const targetInSeconds = report.targetRtoInMinutes * 60;
  const longest = Math.max(
    0,
    ...report.workloads.map((workload) => workload.recoveryTime?.maxInSeconds ?? 0),
  );
  const scaleMax = Math.max(targetInSeconds, longest) * 1.1 || 1;
  const x = (seconds: number) => PLOT_LEFT + (seconds / scaleMax) * (PLOT_RIGHT - PLOT_LEFT - 90);
  const height = 30 + report.workloads.length * RTO_ROW_HEIGHT + 10;
  const targetX = x(targetInSeconds).toFixed(1);
  const parts: string[] = [
    `<svg class="rto-chart" role="img" aria-labelledby="rto-title rto-desc" viewBox="0 0 ${CHART_WIDTH} ${height}" width="100%" preserveAspectRatio="xMinYMin meet">`,
    `<title id="rto-title">Recovery time per workload against the target RTO</title>`,
    `<desc id="rto-desc">${escapeXml(
      report.workloads
        .map(
          (workload) =>
            `${workload.workloadName}: median ${formatDuration(workload.recoveryTime?.medianInSeconds)}, p95 ${formatDuration(workload.recoveryTime?.p95InSeconds)}, max ${formatDuration(workload.recoveryTime?.maxInSeconds)}.`,
        )
        .join(" ") + ` Target RTO ${report.targetRtoInMinutes} min.`,
    )}</desc>`,
    `<line class="target" x1="${targetX}" y1="20" x2="${targetX}" y2="${height - 6}"/>`,
    `<text class="tick" x="${targetX}" y="14" text-anchor="middle">${escapeXml(`target RTO ${report.targetRtoInMinutes} min`)}</text>`,
  ];
  report.workloads.forEach((workload, index) => {
    const y = 30 + index * RTO_ROW_HEIGHT;
    parts.push(
      `<g class="rto-workload" data-workload="${workload.kind}">`,
      `<text class="group-label" x="${LABEL_WIDTH}" y="${y + 30}" text-anchor="end">${escapeXml(workload.workloadName)}</text>`,
    );
    RTO_FIGURES.forEach((figure, row) => {
      const value = workload.recoveryTime?.[figure.key] ?? null;
      const barY = y + 6 + row * 18;
      const width = value === null ? 0 : Math.max(2, x(value) - PLOT_LEFT);
      parts.push(
        `<rect class="rto-bar" x="${PLOT_LEFT}" y="${barY}" width="${width.toFixed(1)}" height="12" fill="${figure.colour}"/>`,
        `<text class="tick" x="${(PLOT_LEFT + width + 6).toFixed(1)}" y="${barY + 10}">${escapeXml(`${figure.name} ${formatDuration(value)}`)}</text>`,
      );
    });
    parts.push("</g>");
  });
  parts.push("</svg>");
  return parts.join("\n");
}
