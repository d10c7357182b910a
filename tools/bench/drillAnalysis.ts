/**
 * Turns one drill's request log and final sessions into figures: requests against the minimum, wall
 * time against the critical path, duplicates, waits Graph mandated, and the polling cost per session.
 * Shared by the provider's drill and the plain script's, so both are measured the same way.
 */
import type { RequestLogEntry } from "../emulator";
import { createMinimum, pages } from "./minimums";
import type { DrillFigures, PollingFigures } from "./model";
import {
  arrivalInMs,
  countRequests,
  groupBySession,
  isActivate,
  isSessionGet,
  isThrottled,
  type RequestCounts,
} from "./requests";

/** A session as it ended, from Graph's own timestamps. */
export interface FinalSession {
  readonly id: string;
  readonly status: string;
  /** Graph sets `lastModifiedDateTime` at activation (and never after), so it is the activation time. */
  readonly lastModifiedDateTime: string | null;
  readonly completedDateTime: string | null;
}

/** One drill's raw material. */
export interface DrillInput {
  readonly label: string;
  readonly plannedSessions: number;
  readonly artifactsPerSession: number;
  readonly parallel?: number;
  readonly entries: readonly RequestLogEntry[];
  readonly sessions: readonly FinalSession[];
  /** Every session the emulator holds at the end (duplicates show here). */
  readonly sessionsInEmulator: number;
  readonly wallInMs: number;
  /** When the run started (ms since the epoch). */
  readonly startedAtInMs: number;
  readonly latencyInMs: number;
  readonly pageSize: number;
  readonly retryAfterInMs: number;
  readonly failures: readonly string[];
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length;
}

function max(values: readonly number[]): number {
  return values.length === 0 ? 0 : Math.max(...values);
}

function restoreInMs(session: FinalSession): number | undefined {
  const started = Date.parse(session.lastModifiedDateTime ?? "");
  const ended = Date.parse(session.completedDateTime ?? "");
  return Number.isFinite(started) && Number.isFinite(ended) ? ended - started : undefined;
}

function pollingOf(input: DrillInput, bySession: Map<string, RequestLogEntry[]>): PollingFigures {
  const polls: number[] = [];
  const durations: number[] = [];
  const delays: number[] = [];
  const seenAt: number[] = [];
  for (const session of input.sessions) {
    const activatedAt = Date.parse(session.lastModifiedDateTime ?? "");
    const completedAt = Date.parse(session.completedDateTime ?? "");
    const gets = (bySession.get(session.id.toLowerCase()) ?? []).filter(isSessionGet);
    polls.push(gets.filter((entry) => arrivalInMs(entry) >= activatedAt).length);
    const duration = restoreInMs(session);
    if (duration !== undefined) durations.push(duration);
    // The request is answered after the emulator's latency; that is when the caller can learn the outcome.
    const seen = gets
      .filter((entry) => entry.status === 200)
      .map((entry) => arrivalInMs(entry) + input.latencyInMs)
      .find((answeredAt) => answeredAt >= completedAt);
    if (seen !== undefined && Number.isFinite(completedAt)) {
      delays.push(seen - completedAt);
      seenAt.push(seen);
    }
  }
  const firstArrival = Math.min(...input.entries.map(arrivalInMs));
  return {
    pollsPerSessionMean: mean(polls),
    pollsPerSessionMax: max(polls),
    sessionDurationMeanInMs: mean(durations),
    sessionDurationMaxInMs: max(durations),
    detectionDelayMeanInMs: mean(delays),
    detectionDelayMaxInMs: max(delays),
    lastSeenInMs: seenAt.length === 0 ? Number.NaN : max(seenAt) - firstArrival,
  };
}

/** The minimum for the whole drill: one token, and each session created, activated, waited for and listed. */
function drillMinimum(input: DrillInput): RequestCounts {
  const one = createMinimum(input.artifactsPerSession, input.pageSize, { activate: true, wait: true });
  const get = one.get * input.plannedSessions;
  const write = one.write * input.plannedSessions;
  return { auth: 1, get, write, total: 1 + get + write, throttled: 0 };
}

/** The figures of one drill. */
export function analyzeDrill(input: DrillInput): DrillFigures {
  const bySession = groupBySession(input.entries);
  const arrivals = input.entries.map(arrivalInMs);
  const chain = 3 + pages(input.artifactsPerSession, input.pageSize);
  const longestRestore = max(input.sessions.map((session) => restoreInMs(session) ?? 0));
  const throttledPerSession = [...bySession.values()].map((entries) => entries.filter(isThrottled).length);
  const activations = input.entries.filter((entry) => isActivate(entry) && entry.status === 200).map(arrivalInMs);
  const notCompleted = input.sessions.filter((session) => session.status !== "completed").length;
  return {
    label: input.label,
    sessions: input.plannedSessions,
    artifactsPerSession: input.artifactsPerSession,
    ...(input.parallel === undefined ? {} : { parallel: input.parallel }),
    wallInMs: input.wallInMs,
    requestSpanInMs: arrivals.length === 0 ? 0 : max(arrivals) - Math.min(...arrivals),
    tailInMs: arrivals.length === 0 ? 0 : input.startedAtInMs + input.wallInMs - max(arrivals),
    startupInMs: arrivals.length === 0 ? 0 : Math.min(...arrivals) - input.startedAtInMs,
    activationSpreadInMs: activations.length === 0 ? 0 : max(activations) - Math.min(...activations),
    requests: countRequests(input.entries),
    minimum: drillMinimum(input),
    criticalPathInMs: chain * input.latencyInMs + longestRestore,
    criticalChainRequests: chain,
    longestRestoreInMs: longestRestore,
    failed: Math.max(notCompleted + (input.plannedSessions - input.sessions.length), input.failures.length > 0 ? 1 : 0),
    failures: [...input.failures],
    duplicateSessions: Math.max(0, input.sessionsInEmulator - input.plannedSessions),
    mandatedWaitInMs: input.entries.filter(isThrottled).length * input.retryAfterInMs,
    longestSessionMandatedWaitInMs: max(throttledPerSession) * input.retryAfterInMs,
    polling: pollingOf(input, bySession),
  };
}
