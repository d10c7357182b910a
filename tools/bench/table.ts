/** Renders {@link BenchResults} as the plain-text table `npm run bench` prints. Pure. */
import type { BenchResults, BulkRow, DrillFigures, DurationRow, OperationRow } from "./model";
import type { RequestCounts } from "./requests";

type Align = "left" | "right";

/** A table: a header row and body rows of cells, each column aligned left or right. */
function renderTable(headers: readonly string[], rows: readonly (readonly string[])[], align: readonly Align[]): string[] {
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => (row[column] ?? "").length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) => (align[column] === "right" ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0)))
      .join("  ")
      .trimEnd();
  return [line(headers), widths.map((width) => "-".repeat(width)).join("  "), ...rows.map(line)];
}

/** Milliseconds as seconds with one decimal, e.g. `12.4 s`. */
export function seconds(ms: number): string {
  return Number.isFinite(ms) ? `${(ms / 1000).toFixed(1)} s` : "n/a";
}

function milliseconds(ms: number): string {
  return Number.isFinite(ms) ? `${Math.round(ms)} ms` : "n/a";
}

function mebibytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

function kibibytes(bytes: number): string {
  return bytes < 10_240 ? `${bytes} B` : `${(bytes / 1024).toFixed(0)} KiB`;
}

/** A count, or a share of one (auth split between kinds) to one decimal. */
function count(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

/** `auth/GET/write = total`. */
function split(counts: RequestCounts): string {
  return `${count(counts.auth)}/${count(counts.get)}/${count(counts.write)} = ${count(counts.total)}`;
}

function ratio(measured: number, minimum: number): string {
  if (minimum === 0) {
    return measured === 0 ? "1.0×" : "∞";
  }
  return `${(measured / minimum).toFixed(1)}×`;
}

function operationsTable(rows: readonly OperationRow[]): string[] {
  return renderTable(
    ["Kind", "Operation", "Requests a/G/w = all", "Minimum", "Ratio", "Longest step", "Operation", "Errors"],
    rows.map((row) => [
      row.kind,
      row.operation,
      split(row.measured),
      split(row.minimum),
      ratio(row.measured.total, row.minimum.total),
      seconds(row.providerInMs),
      seconds(row.wallInMs),
      String(row.failures.length),
    ]),
    ["left", "left", "right", "right", "right", "right", "right", "right"],
  );
}

function drillTimeTable(drills: readonly DrillFigures[]): string[] {
  return renderTable(
    ["Run", "Wall", "Critical path", "Wall/CP", "Start to 1st request", "Activations spread over", "Failed", "Duplicates"],
    drills.map((drill) => [
      drill.label,
      seconds(drill.wallInMs),
      seconds(drill.criticalPathInMs),
      ratio(drill.wallInMs, drill.criticalPathInMs),
      seconds(drill.startupInMs),
      seconds(drill.activationSpreadInMs),
      String(drill.failed),
      String(drill.duplicateSessions),
    ]),
    ["left", "right", "right", "right", "right", "right", "right", "right"],
  );
}

function drillRequestTable(drills: readonly DrillFigures[]): string[] {
  return renderTable(
    ["Run", "Requests a/G/w = all", "Minimum", "Ratio", "429s", "Waits Graph mandated (sum / one session)"],
    drills.map((drill) => [
      drill.label,
      split(drill.requests),
      split(drill.minimum),
      ratio(drill.requests.total, drill.minimum.total),
      String(drill.requests.throttled),
      `${seconds(drill.mandatedWaitInMs)} / ${seconds(drill.longestSessionMandatedWaitInMs)}`,
    ]),
    ["left", "right", "right", "right", "right", "right"],
  );
}

function pollingTable(drills: readonly DrillFigures[]): string[] {
  return renderTable(
    ["Run", "Session GETs while waiting (mean/max)", "Session duration (mean/max)", "Seen done after (mean/max)"],
    drills.map(({ label, polling }) => [
      label,
      `${polling.pollsPerSessionMean.toFixed(1)} / ${polling.pollsPerSessionMax}`,
      `${seconds(polling.sessionDurationMeanInMs)} / ${seconds(polling.sessionDurationMaxInMs)}`,
      `${seconds(polling.detectionDelayMeanInMs)} / ${seconds(polling.detectionDelayMaxInMs)}`,
    ]),
    ["left", "right", "right", "right"],
  );
}

/** Where a drill's wall time went, from the request log's timestamps. */
function drillBreakdown(drill: DrillFigures): string {
  const { polling, startupParts: parts } = drill;
  const startup = parts
    ? `provider host and the program's Node process to its first line ${milliseconds(parts.toProgramInMs)}, ` +
      `loading the package ${milliseconds(parts.packageLoadInMs)}, declaring the resources ${milliseconds(parts.declareInMs)}, ` +
      `then registrations, Check, Create and token ${milliseconds(parts.toFirstRequestInMs)}`
    : "program, provider host, token";
  return (
    `${drill.label}: start to 1st request ${seconds(drill.startupInMs)} (${startup}); ` +
    `1st request to the last session seen done ${seconds(polling.lastSeenInMs)} (longest restore ` +
    `${seconds(drill.longestRestoreInMs)}, activations spread over ${seconds(drill.activationSpreadInMs)}, ` +
    `completion seen ${seconds(polling.detectionDelayMeanInMs)} late on average, ${seconds(polling.detectionDelayMaxInMs)} at most); ` +
    `last request ${seconds(drill.requestSpanInMs - polling.lastSeenInMs)} after that; end of run ${seconds(drill.tailInMs)} after the last request.`
  );
}

function durationRows(row: DurationRow): string[][] {
  return [row.provider, row.script5, row.script2].map((drill, index) => [
    index === 0 ? row.restore : "",
    drill.label,
    split(drill.requests),
    `${drill.polling.pollsPerSessionMean.toFixed(1)} / ${drill.polling.pollsPerSessionMax}`,
    `${seconds(drill.polling.sessionDurationMeanInMs)} / ${seconds(drill.polling.sessionDurationMaxInMs)}`,
    `${seconds(drill.polling.detectionDelayMeanInMs)} / ${seconds(drill.polling.detectionDelayMaxInMs)}`,
    seconds(drill.polling.lastSeenInMs),
    seconds(drill.requestSpanInMs),
    String(drill.failed),
  ]);
}

/** The bar: no more requests than the 5 s loop (one per session aside), seen no more than 10 % later. */
function durationVerdict(row: DurationRow): string {
  const { provider, script5 } = row;
  const extraPerSession = (provider.requests.total - script5.requests.total) / provider.sessions;
  const seenRatio = provider.polling.lastSeenInMs / script5.polling.lastSeenInMs;
  const spanRatio = provider.requestSpanInMs / script5.requestSpanInMs;
  const met = extraPerSession <= 1 && seenRatio <= 1.1;
  return (
    `${row.restore}: provider against the 5 s loop: ${count(provider.requests.total)} against ${count(script5.requests.total)} requests ` +
    `(${extraPerSession >= 0 ? "+" : ""}${extraPerSession.toFixed(1)} per session), last completion seen ${seenRatio.toFixed(2)}×, ` +
    `Graph span ${spanRatio.toFixed(2)}× (${met ? "within" : "OUTSIDE"} +1 request per session and 1.10×)`
  );
}

function durationsTable(rows: readonly DurationRow[]): string[] {
  return [
    ...renderTable(
      [
        "Restore",
        "Run",
        "Requests a/G/w = all",
        "Polls per session (mean/max)",
        "Session (mean/max)",
        "Seen late (mean/max)",
        "Last done seen",
        "Graph span",
        "Failed",
      ],
      rows.flatMap(durationRows),
      ["left", "left", "right", "right", "right", "right", "right", "right", "right"],
    ),
    `Each run: ${rows[0]?.provider.sessions ?? 0} sessions × ${rows[0]?.provider.artifactsPerSession ?? 0} artifacts, created, activated and waited for. ` +
      `"Last done seen" and "Graph span" count from the run's first request.`,
    ...rows.map(durationVerdict),
  ];
}

function bulkTable(rows: readonly BulkRow[]): string[] {
  return renderTable(
    ["Session", "Requests a/G/w = all", "Minimum", "Ratio", "Wall", "Restore", "State", "Errors"],
    rows.map((row) => [
      row.label,
      split(row.requests),
      split(row.minimum),
      ratio(row.requests.total, row.minimum.total),
      seconds(row.wallInMs),
      seconds(row.restoreInMs),
      kibibytes(row.stateBytes),
      String(row.failures.length),
    ]),
    ["left", "right", "right", "right", "right", "right", "right", "right"],
  );
}

function overheadLines(results: BenchResults): string[] {
  const overhead = results.overhead;
  const lines: string[] = [];
  if (overhead) {
    const sizes = Object.entries(overhead.providerBytes).map(
      ([type, bytes]) => `${type.replace(/^.*:/, "")} ${bytes} B`,
    );
    lines.push(
      `Serialized __provider per resource: ${sizes.join(", ") || "n/a"}`,
      `Provider host cold start (spawn to Configure answered): ${milliseconds(overhead.hostStartInMs)}`,
      `Fresh host, first provider call to its first request: ${milliseconds(overhead.firstCallToFirstRequestInMs)}`,
      `Fresh runner, up started to first request (program run included): ${milliseconds(overhead.upToFirstRequestInMs)}`,
    );
  }
  const peaks = Object.entries(results.hostPeakMemoryInBytes).map(([scenario, bytes]) => `${scenario} ${mebibytes(bytes)}`);
  if (peaks.length > 0) {
    lines.push(`Provider host peak memory (VmHWM): ${peaks.join(", ")}`);
  }
  return lines;
}

/** The whole printout. */
export function renderResults(results: BenchResults): string {
  const { machine, settings } = results;
  const out: string[] = [
    `pulumi-m365-backup benchmarks, ${results.generatedAt}`,
    `Machine: ${machine.cpus} × ${machine.cpuModel}, ${mebibytes(machine.memoryInBytes)}, Node ${machine.nodeVersion}, ${machine.platform}, load average ${machine.loadAverage} at start`,
    `Emulator: ${String(settings.latencyInMs)} ms latency per Graph request, restoreMs ${String(settings.restoreMs)} ` +
      `(drills ${[settings.drillRestoreMs].flat().join(" and ")}), ` +
      `page size ${String(settings.pageSize)}. Requests are a/G/w = auth (token + discovery) / Graph GET / Graph write.`,
  ];
  const section = (title: string, lines: readonly string[]): void => {
    out.push("", title, ...lines.map((line) => `  ${line}`));
  };
  if (results.operations) section("1. Requests per operation", operationsTable(results.operations));
  const drills = [...(results.drill ?? []), ...(results.throttled ?? []), ...(results.alternative ?? [])];
  if (drills.length > 0) {
    const first = drills[0];
    const what = `${first.sessions} sessions × ${first.artifactsPerSession} artifacts, created, activated and waited for`;
    section(`2, 4, 7. Drill (${what}): time`, [
      ...drillTimeTable(drills),
      `Critical path: ${first.criticalChainRequests} sequential requests × latency + the longest restore of the run.`,
    ]);
    section("2, 4, 7. Drill: requests", drillRequestTable(drills));
    section(
      "2, 4. Drill: where the provider's wall time goes",
      [...(results.drill ?? []), ...(results.throttled ?? [])].map(drillBreakdown),
    );
  }
  if (results.bulk) section("3. Large sessions (activated and waited for)", bulkTable(results.bulk));
  if (drills.length > 0) section("5. Polling cost per session", pollingTable(drills));
  const overhead = overheadLines(results);
  if (overhead.length > 0) section("6. Provider overhead", overhead);
  if (results.durations) {
    section("8. Polling against a hand-written loop, by restore length", durationsTable(results.durations));
  }
  out.push("", `Total run time ${seconds(results.totalInMs)}.`);
  return out.join("\n");
}
