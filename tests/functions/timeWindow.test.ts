import { expect } from "chai";
import sinon from "sinon";
import type { RestorePoint } from "../../provider/model";
import { chunk, mapWithConcurrency } from "../../provider/functions/concurrency";
import {
  SEARCH_WINDOW_IN_MS,
  chooseRestorePoint,
  defaultPreferenceForBounds,
  hasFastRestoreTag,
  rangeForBounds,
  rangeForInstant,
  toTimePeriod,
} from "../../provider/functions/timeWindow";

const T = Date.parse("2026-11-20T09:00:00Z");
const HOUR = 60 * 60 * 1000;

function point(id: string, offsetInHours: number, tags?: string): RestorePoint {
  return { id, protectionDateTime: new Date(T + offsetInHours * HOUR).toISOString(), tags };
}

describe("search windows", () => {
  it("looks back one year for latest and forward one year for oldest, with T as the bound", () => {
    expect(SEARCH_WINDOW_IN_MS).to.equal(365 * 24 * HOUR);
    expect(rangeForInstant(T, "latest")).to.deep.equal({ startInMs: T - SEARCH_WINDOW_IN_MS, endInMs: T });
    expect(rangeForInstant(T, "oldest")).to.deep.equal({ startInMs: T, endInMs: T + SEARCH_WINDOW_IN_MS });
    expect(toTimePeriod({ startInMs: T - HOUR, endInMs: T })).to.deep.equal({
      startDateTime: "2026-11-20T08:00:00.000Z",
      endDateTime: "2026-11-20T09:00:00.000Z",
    });
  });

  it("uses before/after exactly when both are given and one year on the open side otherwise", () => {
    const now = T + 10 * HOUR;
    expect(rangeForBounds({ afterInMs: T - HOUR, beforeInMs: T }, now)).to.deep.equal({
      startInMs: T - HOUR,
      endInMs: T,
    });
    expect(rangeForBounds({ beforeInMs: T }, now)).to.deep.equal({
      startInMs: T - SEARCH_WINDOW_IN_MS,
      endInMs: T,
    });
    expect(rangeForBounds({ afterInMs: T }, now)).to.deep.equal({
      startInMs: T,
      endInMs: T + SEARCH_WINDOW_IN_MS,
    });
    expect(rangeForBounds({}, now)).to.deep.equal({ startInMs: now - SEARCH_WINDOW_IN_MS, endInMs: now });
    expect(() => rangeForBounds({ afterInMs: T, beforeInMs: T - 1 }, now)).to.throw(RangeError, "swap them");
  });

  it("defaults to oldest only when just `after` is given", () => {
    expect(defaultPreferenceForBounds({ afterInMs: T })).to.equal("oldest");
    expect(defaultPreferenceForBounds({ beforeInMs: T })).to.equal("latest");
    expect(defaultPreferenceForBounds({ afterInMs: T - 1, beforeInMs: T })).to.equal("latest");
    expect(defaultPreferenceForBounds({})).to.equal("latest");
  });
});

describe("choosing a restore point", () => {
  const candidates = [
    point("a", -30),
    point("b", -2, "fastRestore"),
    point("c", -1),
    point("d", 0),
    point("e", 1, "fastRestore"),
    point("f", 5),
  ];

  it("takes the latest point at or before T, counting a point exactly at T", () => {
    const chosen = chooseRestorePoint(candidates, {
      range: rangeForInstant(T, "latest"),
      preference: "latest",
      fastRestoreOnly: false,
    });
    expect(chosen?.id).to.equal("d");
  });

  it("takes the oldest point at or after T", () => {
    const chosen = chooseRestorePoint(candidates, {
      range: rangeForInstant(T + 1, "oldest"),
      preference: "oldest",
      fastRestoreOnly: false,
    });
    expect(chosen?.id).to.equal("e");
  });

  it("considers only fast restore points when asked", () => {
    const chosen = chooseRestorePoint(candidates, {
      range: rangeForInstant(T, "latest"),
      preference: "latest",
      fastRestoreOnly: true,
    });
    expect(chosen?.id).to.equal("b");
    expect(hasFastRestoreTag("fastRestore, includeNewerItems")).to.equal(true);
    expect(hasFastRestoreTag("none")).to.equal(false);
  });

  it("never picks a point on the wrong side of T even if the service returned it", () => {
    const chosen = chooseRestorePoint([point("later", 1)], {
      range: rangeForInstant(T, "latest"),
      preference: "latest",
      fastRestoreOnly: false,
    });
    expect(chosen).to.equal(undefined);
  });

  it("breaks ties on the protection time by the smaller id, whatever the order", () => {
    const twins = [point("z", -1), point("m", -1)];
    const criteria = {
      range: rangeForInstant(T, "latest"),
      preference: "latest" as const,
      fastRestoreOnly: false,
    };
    expect(chooseRestorePoint(twins, criteria)?.id).to.equal("m");
    expect(chooseRestorePoint([...twins].reverse(), criteria)?.id).to.equal("m");
  });
});

describe("chunking and bounded concurrency", () => {
  it("splits into chunks of at most the size, in order", () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).to.deep.equal([[1, 2], [3, 4], [5]]);
    expect(chunk([], 20)).to.deep.equal([]);
    expect(() => chunk([1], 0)).to.throw(RangeError);
  });

  it("never runs more than the limit at once and keeps the result order", async () => {
    const clock = sinon.useFakeTimers();
    try {
      let inFlight = 0;
      let maxInFlight = 0;
      const promise = mapWithConcurrency([5, 1, 4, 2, 3, 1, 2], 3, async (delay, index) => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((resolve) => setTimeout(resolve, delay * 10));
        inFlight--;
        return index * 10;
      });
      await clock.runAllAsync();
      expect(await promise).to.deep.equal([0, 10, 20, 30, 40, 50, 60]);
      expect(maxInFlight).to.equal(3);
    } finally {
      clock.restore();
    }
  });

  it("stops starting work after a failure and rejects with it", async () => {
    const started: number[] = [];
    const failure = new Error("boom");
    const outcome = await mapWithConcurrency([0, 1, 2, 3, 4], 1, (item) => {
      started.push(item);
      return item === 1 ? Promise.reject(failure) : Promise.resolve(item);
    }).catch((error: unknown) => error);
    expect(outcome).to.equal(failure);
    expect(started).to.deep.equal([0, 1]);
  });
});
