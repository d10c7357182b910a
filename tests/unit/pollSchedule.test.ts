import { expect } from "chai";
import { realTiming } from "../../provider/resources/session/context";
import {
  nextPollDelayInMs,
  POLL_CEILING_IN_MS,
  POLL_FLOOR_IN_MS,
  pollTimesFor,
  restoreStartInMs,
} from "../../provider/resources/session/pollSchedule";

const OPTIONS = { floorInMs: POLL_FLOOR_IN_MS, ceilingInMs: POLL_CEILING_IN_MS };
const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** A hand-written loop: a GET at once, then one every `everyInMs`, until one sees the restore done. */
function fixedLoop(durationInMs: number, everyInMs: number): { polls: number; seenAtInMs: number } {
  const seenAtInMs = Math.ceil(durationInMs / everyInMs) * everyInMs;
  return { polls: seenAtInMs / everyInMs + 1, seenAtInMs };
}

/** Restore durations from a second to ten hours, dense where the floor meets the growth. */
const DURATIONS = [
  ...Array.from({ length: 120 }, (_, index) => (index + 1) * SECOND),
  ...Array.from({ length: 200 }, (_, index) => 2 * MINUTE + index * 17 * SECOND),
  ...Array.from({ length: 50 }, (_, index) => 1 * HOUR + index * 11 * MINUTE),
];

describe("poll schedule", () => {
  it("makes the first poll after activation no later than 5 s", () => {
    expect(pollTimesFor(60 * SECOND, OPTIONS)[0]).to.be.at.most(5 * SECOND);
    expect(realTiming({}).initialPollIntervalInMs).to.equal(5 * SECOND);
  });

  it("never makes more polls than a 5 s loop, for restores from a second to ten hours", () => {
    for (const duration of DURATIONS) {
      const polls = pollTimesFor(duration, OPTIONS).length;
      expect(polls, `restore of ${duration} ms`).to.be.at.most(fixedLoop(duration, 5 * SECOND).polls);
    }
  });

  it("sees completion no more than 10 % later than a 5 s loop does, for restores from a second to ten hours", () => {
    for (const duration of DURATIONS) {
      const times = pollTimesFor(duration, OPTIONS);
      const seenAt = times[times.length - 1];
      expect(seenAt, `restore of ${duration} ms`).to.be.at.most(
        1.1 * fixedLoop(duration, 5 * SECOND).seenAtInMs,
      );
    }
  });

  it("sees completion of a restore under 50 s exactly when a 5 s loop does", () => {
    for (const duration of [3, 7.6, 20, 49].map((seconds) => seconds * SECOND)) {
      const times = pollTimesFor(duration, OPTIONS);
      expect(times[times.length - 1]).to.equal(fixedLoop(duration, 5 * SECOND).seenAtInMs);
    }
  });

  it("polls a two-hour restore fewer than 80 times, where a 5 s loop polls 1,441 times", () => {
    expect(pollTimesFor(2 * HOUR, OPTIONS).length).to.be.below(80);
    expect(fixedLoop(2 * HOUR, 5 * SECOND).polls).to.equal(1_441);
  });

  it("waits the floor at first, a tenth of the elapsed time later, and never longer than the ceiling", () => {
    expect(nextPollDelayInMs({ elapsedInMs: 0 }, OPTIONS)).to.equal(5 * SECOND);
    expect(nextPollDelayInMs({ elapsedInMs: 40 * SECOND }, OPTIONS)).to.equal(5 * SECOND);
    expect(nextPollDelayInMs({ elapsedInMs: 10 * MINUTE }, OPTIONS)).to.equal(1 * MINUTE);
    expect(nextPollDelayInMs({ elapsedInMs: 10 * HOUR }, OPTIONS)).to.equal(POLL_CEILING_IN_MS);
    expect(nextPollDelayInMs({ elapsedInMs: -5 * SECOND }, OPTIONS)).to.equal(5 * SECOND);
  });

  it("looks twice as often once Graph reports half the artifacts finished", () => {
    const elapsedInMs = 20 * MINUTE;
    const early = { total: 10, inProgress: 10, completed: 0, failed: 0 };
    const late = { total: 10, inProgress: 5, completed: 4, failed: 1 };
    expect(nextPollDelayInMs({ elapsedInMs, counts: early }, OPTIONS)).to.equal(2 * MINUTE);
    expect(nextPollDelayInMs({ elapsedInMs, counts: late }, OPTIONS)).to.equal(1 * MINUTE);
    expect(nextPollDelayInMs({ elapsedInMs: 10 * SECOND, counts: late }, OPTIONS)).to.equal(5 * SECOND);
  });

  it("keeps a floor set below 5 s (tests and demos) as the shortest wait", () => {
    expect(
      nextPollDelayInMs({ elapsedInMs: 0 }, { floorInMs: 10, ceilingInMs: POLL_CEILING_IN_MS }),
    ).to.equal(10);
    expect(realTiming({ M365_BACKUP_POLL_INTERVAL_MS: "10" }).initialPollIntervalInMs).to.equal(10);
  });

  it("counts a resumed wait from Graph's activation time, and from now when that is missing or ahead", () => {
    const now = Date.parse("2026-12-04T12:00:00Z");
    expect(restoreStartInMs(now, "2026-12-04T11:00:00Z")).to.equal(now - HOUR);
    expect(restoreStartInMs(now, "2026-12-04T12:05:00Z")).to.equal(now);
    expect(restoreStartInMs(now, null)).to.equal(now);
    expect(restoreStartInMs(now, "2026-12-04T11:00:00Z", now - 2 * SECOND)).to.equal(now - 2 * SECOND);
    // An hour-old restore picked up again is not polled at the floor.
    const elapsedInMs = now - restoreStartInMs(now, "2026-12-04T11:00:00Z");
    expect(nextPollDelayInMs({ elapsedInMs }, OPTIONS)).to.equal(POLL_CEILING_IN_MS);
  });
});
