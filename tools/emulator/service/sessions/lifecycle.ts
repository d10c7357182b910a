/**
 * Restore progress on the emulator clock. Nothing runs in the background: activation fixes a plan per
 * artifact (when it is scheduled, starts and ends, and whether it fails) and every read derives the
 * statuses from that plan and the current emulator time (Graph docs: resources/restoresessionbase,
 * resources/restoreartifactbase).
 *
 * Timeline of one artifact, with `restoreMs` the configured typical restore time:
 * - activation at T: `scheduling`; the session is `activating`.
 * - T + max(1, 10% of restoreMs): every artifact `scheduled` at once; the session is `active`.
 * - then `inProgress` after a seeded wait of 0–20% of restoreMs,
 * - then `succeeded` or `failed` after a seeded 75–125% of restoreMs (at least 1 ms).
 */
import { SeededRandom } from "../../random";
import type { ArtifactRecord, SessionRecord } from "./model";

/** `artifactRestoreStatus` as the emulator produces it (never `unknownFutureValue`). */
export type ArtifactStatus = "added" | "scheduling" | "scheduled" | "inProgress" | "succeeded" | "failed";
/** `restoreSessionStatus` before the evolvable-enum mapping of the wire. */
export type SessionStatus = "draft" | "activating" | "active" | "completedWithError" | "completed" | "failed";

/** How long restores take: the seed for jitter and the typical duration. */
export interface Timing {
  readonly seed: string;
  /** Typical time one artifact takes from scheduled to done. */
  readonly restoreMs: number;
}

/** How long a session stays `activating`. */
export function schedulingDelayMs(timing: Timing): number {
  return Math.max(1, Math.round(timing.restoreMs * 0.1));
}

/** The seeded times of one artifact, once its session has been activated. */
export function planTimes(
  timing: Timing,
  session: SessionRecord,
  artifact: ArtifactRecord,
  scheduledAtMs: number,
): { scheduledAtMs: number; startAtMs: number; endAtMs: number } {
  const random = new SeededRandom(`${timing.seed}/restore/${session.ordinal}/${artifact.ordinal}`);
  const startAtMs = scheduledAtMs + Math.round(timing.restoreMs * 0.2 * random.next());
  const endAtMs = startAtMs + Math.max(1, Math.round(timing.restoreMs * (0.75 + 0.5 * random.next())));
  return { scheduledAtMs, startAtMs, endAtMs };
}

/** An artifact's status at an instant of emulator time. */
export function artifactStatusAt(artifact: ArtifactRecord, nowMs: number): ArtifactStatus {
  const plan = artifact.plan;
  if (plan === undefined) {
    return "added";
  }
  if (nowMs < plan.scheduledAtMs) {
    return "scheduling";
  }
  if (nowMs < plan.startAtMs) {
    return "scheduled";
  }
  if (nowMs < plan.endAtMs) {
    return "inProgress";
  }
  return plan.failure === undefined ? "succeeded" : "failed";
}

/** `restoreSessionArtifactCount`. */
export interface ArtifactCounts {
  total: number;
  inProgress: number;
  completed: number;
  failed: number;
}

/** `inProgress` counts activated artifacts that have not finished; a draft's artifacts count in `total` only. */
export function artifactCounts(session: SessionRecord, nowMs: number): ArtifactCounts {
  const counts: ArtifactCounts = { total: session.artifacts.length, inProgress: 0, completed: 0, failed: 0 };
  for (const artifact of session.artifacts) {
    const status = artifactStatusAt(artifact, nowMs);
    if (status === "succeeded") {
      counts.completed++;
    } else if (status === "failed") {
      counts.failed++;
    } else if (status !== "added") {
      counts.inProgress++;
    }
  }
  return counts;
}

/** The session status derived from its artifacts, as docs/emulator-sessions.md describes it. */
export function sessionStatusAt(session: SessionRecord, nowMs: number): SessionStatus {
  if (session.activatedAtMs === undefined || session.scheduledAtMs === undefined) {
    return "draft";
  }
  if (nowMs < session.scheduledAtMs) {
    return "activating";
  }
  const counts = artifactCounts(session, nowMs);
  if (counts.inProgress > 0) {
    return "active";
  }
  if (counts.failed === counts.total) {
    // Also a session whose bulk request resolved nothing: there is nothing it restored.
    return "failed";
  }
  return counts.failed === 0 ? "completed" : "completedWithError";
}

/** A status the session never leaves. */
export function isTerminal(status: SessionStatus): boolean {
  return status === "completed" || status === "completedWithError" || status === "failed";
}

/** Activated and not finished: what the active-session cap counts. */
export function isBusy(session: SessionRecord, nowMs: number): boolean {
  const status = sessionStatusAt(session, nowMs);
  return status === "activating" || status === "active";
}

/** When the last artifact finished, once the session is terminal. */
export function completedAtMs(session: SessionRecord, nowMs: number): number | undefined {
  if (!isTerminal(sessionStatusAt(session, nowMs))) {
    return undefined;
  }
  return session.artifacts.reduce(
    (latest, a) => Math.max(latest, a.plan?.endAtMs ?? 0),
    session.scheduledAtMs ?? 0,
  );
}
