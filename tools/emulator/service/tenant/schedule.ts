/**
 * The restore point schedule, computed from the clock; nothing is stored.
 *
 * - Every protection unit gets a restore point at each whole UTC hour (aligned to the Unix epoch) from
 *   the moment it was added to its policy up to now, so advancing the clock adds points.
 * - Points at 00:00, 06:00, 12:00 and 18:00 UTC are tagged `fastRestore`; the others `none`.
 * - Each point expires one year after it was taken (`expirationDateTime`); an expired point is no
 *   longer listed or found by search, but its id still resolves so restores can fail with
 *   `InvalidRestoreTime`.
 */
import type { EmulatorClock } from "../../clock";
import { encodeRestorePointId } from "./ids";
import type { SeededProtectionUnit, SeededRestorePoint } from "./types";

export const RESTORE_POINT_INTERVAL_IN_MS = 60 * 60 * 1000;
export const FAST_RESTORE_INTERVAL_IN_MS = 6 * RESTORE_POINT_INTERVAL_IN_MS;
export const RETENTION_IN_MS = 365 * 24 * 60 * 60 * 1000;

/** Bounds on protection time, inclusive, in ms since the epoch. */
export interface TimeRange {
  readonly fromInMs: number;
  readonly toInMs: number;
}

export type Preference = "latest" | "oldest";

export function isFastRestoreTime(timeInMs: number): boolean {
  return timeInMs % FAST_RESTORE_INTERVAL_IN_MS === 0;
}

export function restorePointAt(unit: SeededProtectionUnit, timeInMs: number): SeededRestorePoint {
  return {
    id: encodeRestorePointId(unit.id, timeInMs),
    unitId: unit.id,
    workload: unit.workload,
    protectionDateTime: new Date(timeInMs),
    expirationDateTime: new Date(timeInMs + RETENTION_IN_MS),
    tags: isFastRestoreTime(timeInMs) ? "fastRestore" : "none",
  };
}

/** Whether a point at this time exists or existed for the unit (expired ones included). */
export function isScheduledTime(unit: SeededProtectionUnit, timeInMs: number, clock: EmulatorClock): boolean {
  return (
    timeInMs % RESTORE_POINT_INTERVAL_IN_MS === 0 &&
    timeInMs >= unit.protectedSince.getTime() &&
    timeInMs <= clock.nowInMs()
  );
}

/**
 * Live (unexpired, already taken) points of a unit inside `range`, newest first for `latest` and
 * oldest first for `oldest`, at most `limit` of them.
 */
export function pointsInRange(
  unit: SeededProtectionUnit,
  range: TimeRange,
  clock: EmulatorClock,
  options: { readonly preference: Preference; readonly fastRestoreOnly: boolean; readonly limit: number },
): SeededRestorePoint[] {
  const now = clock.nowInMs();
  const step = options.fastRestoreOnly ? FAST_RESTORE_INTERVAL_IN_MS : RESTORE_POINT_INTERVAL_IN_MS;
  // The oldest live point: taken after the unit was protected and less than a year ago.
  const lowest = Math.max(range.fromInMs, unit.protectedSince.getTime(), now - RETENTION_IN_MS + 1);
  const highest = Math.min(range.toInMs, now);
  const first = Math.ceil(lowest / step) * step;
  const last = Math.floor(highest / step) * step;
  const points: SeededRestorePoint[] = [];
  for (let i = 0; i < options.limit && first <= last; i++) {
    const time = options.preference === "latest" ? last - i * step : first + i * step;
    if (time < first || time > last) {
      break;
    }
    points.push(restorePointAt(unit, time));
  }
  return points;
}
