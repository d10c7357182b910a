/**
 * Time-window math for restore point searches, and the one rule that picks a restore point.
 *
 * `restorePoints/search` needs a bounded `protectionTimePeriod`. Microsoft 365 Backup keeps restore
 * points for at most one year, so a one-year window on the relevant side of the requested instant sees
 * every restore point that can still exist:
 *
 * - `latest` at or before T searches `[T - 365 days, T]`;
 * - `oldest` at or after T searches `[T, T + 365 days]`.
 *
 * Graph does not document whether the period's bounds are inclusive. We treat both as inclusive, send
 * exactly T as the bound, and apply the rule again on our side ({@link chooseRestorePoint}) so a point
 * outside the requested side of T is never chosen, whatever the service returns.
 */
import type { RestorePoint, TimePeriod } from "../model";
import type { SelectorPreference } from "./selectors";

/** Microsoft 365 Backup's longest retention: the width of every search window we open. */
export const SEARCH_WINDOW_IN_DAYS = 365;
const DAY_IN_MS = 24 * 60 * 60 * 1000;
export const SEARCH_WINDOW_IN_MS = SEARCH_WINDOW_IN_DAYS * DAY_IN_MS;

/** A closed interval of instants, in ms since the epoch. */
export interface TimeRange {
  startInMs: number;
  endInMs: number;
}

/** The search window for one instant and preference (see the file comment). */
export function rangeForInstant(instantInMs: number, preference: SelectorPreference): TimeRange {
  return preference === "latest"
    ? { startInMs: instantInMs - SEARCH_WINDOW_IN_MS, endInMs: instantInMs }
    : { startInMs: instantInMs, endInMs: instantInMs + SEARCH_WINDOW_IN_MS };
}

/**
 * The search window for `getRestorePoints`' `before`/`after` bounds (ms since the epoch):
 * both given, exactly `[after, before]`; only `before`, the year before it; only `after`, the year after
 * it; neither, the year before `nowInMs`. Throws a `RangeError` when `after` is later than `before`.
 */
export function rangeForBounds(
  bounds: { beforeInMs?: number; afterInMs?: number },
  nowInMs: number,
): TimeRange {
  const { beforeInMs, afterInMs } = bounds;
  if (beforeInMs !== undefined && afterInMs !== undefined) {
    if (afterInMs > beforeInMs) {
      throw new RangeError(
        `"after" (${new Date(afterInMs).toISOString()}) is later than "before" (${new Date(beforeInMs).toISOString()}); swap them.`,
      );
    }
    return { startInMs: afterInMs, endInMs: beforeInMs };
  }
  if (afterInMs !== undefined) {
    return { startInMs: afterInMs, endInMs: afterInMs + SEARCH_WINDOW_IN_MS };
  }
  const end = beforeInMs ?? nowInMs;
  return { startInMs: end - SEARCH_WINDOW_IN_MS, endInMs: end };
}

/** The default preference for `getRestorePoints`: `oldest` when only `after` is given, else `latest`. */
export function defaultPreferenceForBounds(bounds: {
  beforeInMs?: number;
  afterInMs?: number;
}): SelectorPreference {
  return bounds.afterInMs !== undefined && bounds.beforeInMs === undefined ? "oldest" : "latest";
}

/** The wire form of a range: `{ startDateTime, endDateTime }` in UTC ISO 8601. */
export function toTimePeriod(range: TimeRange): TimePeriod {
  return {
    startDateTime: new Date(range.startInMs).toISOString(),
    endDateTime: new Date(range.endInMs).toISOString(),
  };
}

/** True when a wire `tags` flags value (comma-separated members) includes `fastRestore`. */
export function hasFastRestoreTag(tags: string | undefined): boolean {
  return (tags ?? "")
    .split(",")
    .map((tag) => tag.trim())
    .includes("fastRestore");
}

/** What {@link chooseRestorePoint} looks for. */
export interface ChoiceCriteria {
  range: TimeRange;
  preference: SelectorPreference;
  fastRestoreOnly: boolean;
}

/**
 * Picks the restore point the criteria mean among candidates for one unit: inside the range (bounds
 * inclusive), fast restore only if asked, then the latest (or oldest) protection time. Ties on the time
 * go to the smaller id so the choice is the same on every run. Returns `undefined` when none qualifies.
 */
export function chooseRestorePoint(
  candidates: readonly RestorePoint[],
  criteria: ChoiceCriteria,
): RestorePoint | undefined {
  let chosen: { point: RestorePoint; timeInMs: number } | undefined;
  for (const point of candidates) {
    const timeInMs = Date.parse(point.protectionDateTime);
    if (Number.isNaN(timeInMs) || timeInMs < criteria.range.startInMs || timeInMs > criteria.range.endInMs) {
      continue;
    }
    if (criteria.fastRestoreOnly && !hasFastRestoreTag(point.tags)) {
      continue;
    }
    if (chosen === undefined || isBetter(timeInMs, point.id, chosen, criteria.preference)) {
      chosen = { point, timeInMs };
    }
  }
  return chosen?.point;
}

function isBetter(
  timeInMs: number,
  id: string,
  current: { point: RestorePoint; timeInMs: number },
  preference: SelectorPreference,
): boolean {
  if (timeInMs === current.timeInMs) {
    return id < current.point.id;
  }
  return preference === "latest" ? timeInMs > current.timeInMs : timeInMs < current.timeInMs;
}
