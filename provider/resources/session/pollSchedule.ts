/**
 * When to look at a restore session again: a pure function of how long the restore has run and what
 * Graph last reported about it. No clock, no I/O; `waitForCompletion` (`steps.ts`) acts on it.
 *
 * The yardstick is the loop a user writes by hand, a GET every 5 s. Against it the schedule must be
 * never worse in either currency, at any restore duration, and far cheaper on long restores:
 *
 * - **Requests.** Waits never shorter than the floor (5 s), so there are never more polls than a 5 s
 *   loop makes in the same time, save the one aimed poll per wait described last.
 * - **Lateness.** A poll at elapsed time `e` followed by a wait `w` sees a completion at most `w`
 *   late. With `w = max(floor, e / 10)` a completion at time `T` is seen by `max(T + floor, 1.1 T)`:
 *   exactly the 5 s loop's bound on restores under 50 s, and within 10 % of the restore's own length
 *   beyond. So completion is never seen more than 10 % later than a 5 s loop sees it.
 * - **Cost on long restores.** Past 50 s the polls form a geometric series of ratio 1.1, so their
 *   number grows with the logarithm of the duration: a 2 h restore takes about 60 polls where a 5 s
 *   loop takes 1,440. The ceiling (5 min) bounds lateness on restores that run for many hours, where
 *   10 % would be longer than an operator waits for `up` to notice.
 *
 * What Graph reports, and where it helps:
 * - **The start time.** A wait resumed by a later `up` knows nothing locally; the session's
 *   `lastModifiedDateTime` (Graph sets it at activation and not after) gives the elapsed time, so a
 *   restore that has run for an hour is not polled at the floor again.
 * - **The counts** (`restoreSessionArtifactCount`). Artifacts of one session run side by side, so once
 *   half of them have finished the rest are close behind: from then on the wait grows half as fast
 *   (`e / 20`), which halves the lateness at the end of long restores for a handful of polls. Before
 *   the first artifact ends the counts say nothing about how long the rest will take, and they are
 *   not used. Per-artifact progress would cost a list request per poll, more than it could save.
 * - **The pace of the counts: one aimed poll.** Two answers in a row whose finished counts
 *   (`completed + failed`) grew give a pace; at that pace the last artifact ends at a predicted time.
 *   When that time (plus a quarter of the predicted remainder, as the last artifacts of a session
 *   tend to be its slowest) comes at least a fifth of the floor before the next poll due, one poll is
 *   made there, once per wait. It is an insertion, not a shift: the poll that was due still comes at
 *   its time if the aimed one finds the restore running. So a wait makes at most one poll more than
 *   the schedule above (the one request per session issue #15 allows beyond a 5 s loop) and never
 *   sees completion later than it. What it cannot do is predict a restore that ends before its
 *   second answer with finished artifacts: a session of 7.6 s is polled at 5 s (a tenth of its
 *   artifacts done, the first answer with any) and seen at 10 s, as by a 5 s loop.
 */

/** `restoreSessionArtifactCount` as the schedule reads it. */
export interface ArtifactCounts {
  readonly total: number;
  readonly inProgress: number;
  readonly completed: number;
  readonly failed: number;
}

/** What the schedule decides from: the restore's age and Graph's last counts. */
export interface PollState {
  /** How long the restore has run when Graph answered, in ms (0 or more). */
  readonly elapsedInMs: number;
  /** The counts from that answer, when it had them. */
  readonly counts?: ArtifactCounts;
}

/** The schedule's bounds. */
export interface PollScheduleOptions {
  /** Shortest wait; also the wait before the first poll after activation. */
  readonly floorInMs: number;
  /** Longest wait. */
  readonly ceilingInMs: number;
}

/** Shortest wait between polls: the hand-written 5 s loop, so never more requests than it makes. */
export const POLL_FLOOR_IN_MS = 5_000;
/** Longest wait between polls: completion of a restore of many hours is seen within 5 minutes. */
export const POLL_CEILING_IN_MS = 5 * 60_000;
/** The wait is this fraction of the elapsed time: completion seen at most 10 % after it happened. */
export const POLL_GROWTH = 0.1;
/** The fraction once half the artifacts are done: the end is near, so look twice as often. */
export const POLL_GROWTH_NEAR_END = 0.05;

/** Whether Graph's counts say at least half the artifacts have finished. */
function nearEnd(counts: ArtifactCounts | undefined): boolean {
  if (counts === undefined || counts.total <= 0) return false;
  return 2 * (counts.completed + counts.failed) >= counts.total;
}

/**
 * The wait before the next poll, in ms: a fraction of the elapsed time, between the floor and the
 * ceiling. The caller also stops it at its deadline.
 *
 * @example
 * ```ts
 * nextPollDelayInMs({ elapsedInMs: 0 }, { floorInMs: 5_000, ceilingInMs: 300_000 }); // 5_000
 * nextPollDelayInMs({ elapsedInMs: 600_000 }, { floorInMs: 5_000, ceilingInMs: 300_000 }); // 60_000
 * ```
 */
export function nextPollDelayInMs(state: PollState, options: PollScheduleOptions): number {
  const growth = nearEnd(state.counts) ? POLL_GROWTH_NEAR_END : POLL_GROWTH;
  const proportional = Math.ceil(Math.max(0, state.elapsedInMs) * growth);
  const ceiling = Math.max(options.floorInMs, options.ceilingInMs);
  return Math.min(Math.max(options.floorInMs, proportional), ceiling);
}

/** The aimed poll comes this fraction of the predicted remainder after the predicted end. */
export const AIM_MARGIN = 0.25;
/** An aimed poll is made only if it comes at least this fraction of the floor before the poll due. */
export const AIM_MIN_GAIN = 0.2;

function finished(counts: ArtifactCounts): number {
  return counts.completed + counts.failed;
}

/**
 * When the last artifact ends if the finished count keeps the pace it had between two answers (restore
 * age in ms), plus {@link AIM_MARGIN} of the remainder; undefined when the answers show no pace (no
 * counts, none finished between them, or all finished).
 */
export function predictedEndInMs(earlier: PollState, later: PollState): number | undefined {
  const before = earlier.counts;
  const after = later.counts;
  if (before === undefined || after === undefined || after.total <= 0) return undefined;
  const gained = finished(after) - finished(before);
  const between = later.elapsedInMs - earlier.elapsedInMs;
  if (gained <= 0 || between <= 0 || finished(after) >= after.total) return undefined;
  const remainder = ((after.total - finished(after)) * between) / gained;
  return later.elapsedInMs + Math.ceil(remainder * (1 + AIM_MARGIN));
}

/** Where a wait stands after Graph's latest answer. */
export interface WaitProgress {
  /** The latest answer. */
  readonly latest: PollState;
  /** The answer before it, when there was one in this wait. */
  readonly previous?: PollState;
  /** The poll still due (restore age, ms) when the latest poll was the aimed one. */
  readonly dueInMs?: number;
  /** Whether this wait has made its aimed poll. */
  readonly aimed: boolean;
}

/** The next poll (restore age, ms), whether it is the aimed one, and the scheduled poll it goes before. */
export interface PollDecision {
  readonly atInMs: number;
  readonly aimed: boolean;
  readonly dueInMs: number;
}

/**
 * The next poll of a wait: the one the schedule has due (the floor, then a fraction of the age), or,
 * once per wait, an aimed poll before it at the end the counts' pace predicts (see the header).
 *
 * @example
 * ```ts
 * // 2 of 10 artifacts finished at 100 s, 8 at 110 s: at that pace the last ends 3.3 s later.
 * const previous = { elapsedInMs: 100_000, counts: { total: 10, inProgress: 8, completed: 2, failed: 0 } };
 * const latest = { elapsedInMs: 110_000, counts: { total: 10, inProgress: 2, completed: 8, failed: 0 } };
 * decideNextPoll({ latest, previous, aimed: false }, { floorInMs: 5_000, ceilingInMs: 300_000 });
 * // { atInMs: 114_167, aimed: true, dueInMs: 115_500 }
 * ```
 */
export function decideNextPoll(progress: WaitProgress, options: PollScheduleOptions): PollDecision {
  const { latest, previous } = progress;
  const dueInMs = progress.dueInMs ?? latest.elapsedInMs + nextPollDelayInMs(latest, options);
  const aimAt = progress.aimed || previous === undefined ? undefined : predictedEndInMs(previous, latest);
  if (aimAt !== undefined && aimAt <= dueInMs - AIM_MIN_GAIN * options.floorInMs) {
    return { atInMs: aimAt, aimed: true, dueInMs };
  }
  return { atInMs: dueInMs, aimed: false, dueInMs };
}

/**
 * When the restore started, in ms since the epoch. `activatedAtInMs` is the local time of our own
 * `/activate` answer, when this wait follows it. Otherwise (a wait resumed by a later `up`) Graph's
 * `lastModifiedDateTime`, which it sets at activation; a value in the future (clock skew) or missing
 * counts as now, which only makes the schedule start from the floor.
 */
export function restoreStartInMs(
  nowInMs: number,
  lastModifiedDateTime: string | null | undefined,
  activatedAtInMs?: number,
): number {
  if (activatedAtInMs !== undefined) return Math.min(activatedAtInMs, nowInMs);
  const reported = Date.parse(lastModifiedDateTime ?? "");
  return Number.isFinite(reported) ? Math.min(reported, nowInMs) : nowInMs;
}

/**
 * Poll times, in ms after the start, that the schedule gives a restore of `durationInMs` whose counts
 * are never read (the worst case), up to and including the first poll at or after it. What the bench
 * and the docs quote as "polls for a restore of D"; `firstAtInMs` is when the first poll comes.
 */
export function pollTimesFor(
  durationInMs: number,
  options: PollScheduleOptions,
  firstAtInMs = options.floorInMs,
): number[] {
  const times = [firstAtInMs];
  while (times[times.length - 1] < durationInMs) {
    const last = times[times.length - 1];
    times.push(last + nextPollDelayInMs({ elapsedInMs: last }, options));
  }
  return times;
}
