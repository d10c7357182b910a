/**
 * Turns what a drill observed ({@link DrillFacts}) into the report every renderer reads. Pure: the same
 * facts always give the same report, so it is tested with fixtures and no clock.
 */
import type { RestoreSessionKind } from "../../../provider/model";
import {
  WORKLOAD_NAMES,
  WORKLOAD_ORDER,
  type ArtifactOutcome,
  type DrillFacts,
  type DrillOutcome,
  type DrillReport,
  type ErrorCodeCount,
  type ObservedArtifact,
  type ObservedSession,
  type OutcomeCounts,
  type ReportArtifact,
  type ReportSession,
  type RtoVerdict,
  type WorkloadRecovery,
} from "./model";
import { maximum, median, percentile } from "./stats";

const DEFAULT_TITLE = "Microsoft 365 Backup restore drill";

/** Seconds from `from` to `to`, or null when either is missing, unparseable or Graph's zero date. */
export function secondsBetween(
  from: string | null | undefined,
  to: string | null | undefined,
): number | null {
  const start = parseInstant(from);
  const end = parseInstant(to);
  return start === null || end === null ? null : (end - start) / 1000;
}

function parseInstant(value: string | null | undefined): number | null {
  if (!value || value.startsWith("0001-01-01")) {
    return null;
  }
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? null : parsed;
}

/** `succeeded` and `failed` are Graph's terminal artifact statuses; anything else never finished. */
export function artifactOutcome(status: string): ArtifactOutcome {
  if (status === "succeeded") {
    return "succeeded";
  }
  return status === "failed" ? "failed" : "notFinished";
}

function countOutcomes(artifacts: readonly { outcome: ArtifactOutcome }[]): OutcomeCounts {
  const count = (outcome: ArtifactOutcome) =>
    artifacts.filter((artifact) => artifact.outcome === outcome).length;
  return {
    total: artifacts.length,
    succeeded: count("succeeded"),
    failed: count("failed"),
    notFinished: count("notFinished"),
  };
}

function buildArtifact(session: ObservedSession, artifact: ObservedArtifact): ReportArtifact {
  const outcome = artifactOutcome(artifact.status);
  const ageInSeconds = secondsBetween(artifact.restorePointProtectionDateTime, session.createdDateTime);
  return {
    id: artifact.id,
    label: artifact.label ?? artifact.restoredLocation ?? artifact.id,
    restorePoint: {
      id: artifact.restorePointId,
      protectionDateTime: artifact.restorePointProtectionDateTime ?? null,
      expirationDateTime: artifact.restorePointExpirationDateTime ?? null,
      ageAtRestoreInMinutes: ageInSeconds === null ? null : ageInSeconds / 60,
    },
    destinationType: artifact.destinationType ?? null,
    status: artifact.status,
    outcome,
    startDateTime: artifact.startDateTime ?? null,
    completionDateTime: artifact.completionDateTime ?? null,
    durationInSeconds: secondsBetween(artifact.startDateTime, artifact.completionDateTime),
    recoveryTimeInSeconds:
      outcome === "succeeded" ? secondsBetween(session.createdDateTime, artifact.completionDateTime) : null,
    errorCode: artifact.errorCode ?? null,
    errorMessage: artifact.errorMessage ?? null,
    restoredLocation: artifact.restoredLocation ?? null,
  };
}

function buildSession(session: ObservedSession): ReportSession {
  const artifacts = session.artifacts.map((artifact) => buildArtifact(session, artifact));
  return {
    id: session.id,
    kind: session.kind,
    workloadName: WORKLOAD_NAMES[session.kind],
    resourceName: session.resourceName ?? null,
    status: session.status,
    createdDateTime: session.createdDateTime,
    completedDateTime: session.completedDateTime ?? null,
    durationInSeconds: secondsBetween(session.createdDateTime, session.completedDateTime),
    errorCode: session.errorCode ?? null,
    errorMessage: session.errorMessage ?? null,
    counts: countOutcomes(artifacts),
    artifacts,
  };
}

function verdictFor(
  counts: OutcomeCounts,
  maxInSeconds: number | undefined,
  targetInSeconds: number,
): RtoVerdict {
  if (counts.failed > 0 || counts.notFinished > 0) {
    return "notRecovered";
  }
  return maxInSeconds !== undefined && maxInSeconds <= targetInSeconds ? "met" : "missed";
}

function buildWorkload(
  kind: RestoreSessionKind,
  sessions: readonly ReportSession[],
  targetRtoInMinutes: number,
): WorkloadRecovery {
  const artifacts = sessions
    .filter((session) => session.kind === kind)
    .flatMap((session) => session.artifacts);
  const counts = countOutcomes(artifacts);
  const times = artifacts.flatMap((artifact) =>
    artifact.recoveryTimeInSeconds === null ? [] : [artifact.recoveryTimeInSeconds],
  );
  const medianInSeconds = median(times);
  const p95InSeconds = percentile(times, 95);
  const maxInSeconds = maximum(times);
  return {
    kind,
    workloadName: WORKLOAD_NAMES[kind],
    counts,
    recoveryTime:
      medianInSeconds === undefined || p95InSeconds === undefined || maxInSeconds === undefined
        ? null
        : { medianInSeconds, p95InSeconds, maxInSeconds },
    verdict: verdictFor(counts, maxInSeconds, targetRtoInMinutes * 60),
  };
}

function countErrorCodes(sessions: readonly ReportSession[]): ErrorCodeCount[] {
  const counts = new Map<string, number>();
  for (const code of sessions.flatMap((session) => [
    session.errorCode,
    ...session.artifacts.map((artifact) => artifact.errorCode),
  ])) {
    if (code) {
      counts.set(code, (counts.get(code) ?? 0) + 1);
    }
  }
  return [...counts.entries()]
    .map(([code, count]) => ({ code, count }))
    .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
}

function decideOutcome(
  facts: DrillFacts,
  sessions: readonly ReportSession[],
  workloads: readonly WorkloadRecovery[],
): { outcome: DrillOutcome; reasons: string[] } {
  const incomplete: string[] = [];
  if (facts.runError) {
    incomplete.push(`The drill run reported an error: ${facts.runError}`);
  }
  if (sessions.length === 0) {
    incomplete.push("No restore session was created.");
  }
  for (const session of sessions.filter((candidate) => candidate.counts.notFinished > 0)) {
    incomplete.push(
      `Session ${session.id} (${session.workloadName}) is ${session.status}: ` +
        `${session.counts.notFinished} of ${session.counts.total} artifacts had not finished.`,
    );
  }
  const failed: string[] = [];
  for (const workload of workloads) {
    if (workload.counts.failed > 0) {
      failed.push(
        `${workload.workloadName}: ${workload.counts.failed} of ${workload.counts.total} artifacts failed.`,
      );
    } else if (workload.verdict === "missed") {
      failed.push(
        `${workload.workloadName}: recovery took longer than the target RTO of ${facts.targetRtoInMinutes} min.`,
      );
    }
  }
  if (incomplete.length > 0) {
    return { outcome: "incomplete", reasons: [...incomplete, ...failed] };
  }
  return failed.length > 0 ? { outcome: "failed", reasons: failed } : { outcome: "passed", reasons: [] };
}

/** Sessions in workload order, then by creation time, then by id: stable whatever order Graph listed them in. */
function compareSessions(a: ReportSession, b: ReportSession): number {
  return (
    WORKLOAD_ORDER.indexOf(a.kind) - WORKLOAD_ORDER.indexOf(b.kind) ||
    a.createdDateTime.localeCompare(b.createdDateTime) ||
    a.id.localeCompare(b.id)
  );
}

/**
 * Builds the drill report from what the drill observed.
 *
 * @example
 * const report = buildDrillReport(facts);
 * console.log(report.outcome, report.workloads.map((w) => w.verdict));
 */
export function buildDrillReport(facts: DrillFacts): DrillReport {
  const sessions = facts.sessions.map(buildSession).sort(compareSessions);
  const workloads = WORKLOAD_ORDER.filter((kind) => sessions.some((session) => session.kind === kind)).map(
    (kind) => buildWorkload(kind, sessions, facts.targetRtoInMinutes),
  );
  const { outcome, reasons } = decideOutcome(facts, sessions, workloads);
  const counts = countOutcomes(sessions.flatMap((session) => session.artifacts));
  return {
    schemaVersion: 1,
    title: facts.title ?? DEFAULT_TITLE,
    generatedDateTime: facts.generatedDateTime ?? facts.endedDateTime,
    generator: facts.generator,
    mode: facts.mode,
    target: facts.target,
    run: {
      startedDateTime: facts.startedDateTime,
      endedDateTime: facts.endedDateTime,
      durationInSeconds: secondsBetween(facts.startedDateTime, facts.endedDateTime) ?? 0,
      error: facts.runError ?? null,
    },
    restorePointTime: facts.restorePointTime ?? null,
    targetRtoInMinutes: facts.targetRtoInMinutes,
    outcome,
    outcomeReasons: reasons,
    counts: { ...counts, sessions: sessions.length },
    workloads,
    sessions,
    errorCodes: countErrorCodes(sessions),
    requests: facts.requests ?? null,
  };
}
