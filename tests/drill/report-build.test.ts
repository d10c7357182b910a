import { expect } from "chai";
import { buildDrillReport } from "../../tools/drill/report";
import { maximum, median, percentile } from "../../tools/drill/report/stats";
import { at, drillFacts, exchangeSession, passingDrillFacts } from "./fixtures";

describe("drill report: statistics", () => {
  it("takes the mean of the two middle values as the median of an even count", () => {
    expect(median([4, 1, 3, 2])).to.equal(2.5);
    expect(median([5, 1, 3])).to.equal(3);
  });

  it("uses the nearest rank for p95, so the figure is always a measured value", () => {
    const values = Array.from({ length: 20 }, (_, index) => index + 1);
    expect(percentile(values, 95)).to.equal(19);
    expect(percentile([7, 3], 95)).to.equal(7);
    expect(percentile([42], 95)).to.equal(42);
  });

  it("returns undefined rather than zero when nothing was measured", () => {
    expect(median([])).to.equal(undefined);
    expect(percentile([], 95)).to.equal(undefined);
    expect(maximum([])).to.equal(undefined);
  });

  it("rejects a percentile outside (0, 100]", () => {
    expect(() => percentile([1], 0)).to.throw(RangeError);
    expect(() => percentile([1], 101)).to.throw(RangeError);
  });
});

describe("drill report: building from observed facts", () => {
  it("orders sessions by workload (Exchange, SharePoint, OneDrive) whatever order they were observed in", () => {
    const report = buildDrillReport(drillFacts());
    expect(report.sessions.map((session) => session.id)).to.deep.equal(["ex-1", "sp-1", "od-1"]);
  });

  it("measures recovery time from the session's creation to the item's completion, for restored items only", () => {
    const report = buildDrillReport(drillFacts());
    const exchange = report.sessions[0];
    expect(exchange.artifacts.map((artifact) => artifact.recoveryTimeInSeconds)).to.deep.equal([
      10,
      20,
      null,
    ]);
    expect(exchange.artifacts.map((artifact) => artifact.durationInSeconds)).to.deep.equal([8, 17, 26]);
    expect(report.sessions[1].artifacts[0].recoveryTimeInSeconds).to.equal(40);
  });

  it("reports each restore point's age at the time its session was created", () => {
    const report = buildDrillReport(drillFacts());
    expect(report.sessions[0].artifacts[0].restorePoint.ageAtRestoreInMinutes).to.equal(360);
    expect(report.sessions[1].artifacts[0].restorePoint.ageAtRestoreInMinutes).to.be.closeTo(
      360 + 1 / 60,
      1e-9,
    );
  });

  it("computes median, p95 and max per workload and judges them against the target RTO", () => {
    const report = buildDrillReport(passingDrillFacts({ targetRtoInMinutes: 0.5 }));
    const [exchange, sharePoint, oneDrive] = report.workloads;
    expect(exchange.recoveryTime).to.deep.equal({ medianInSeconds: 20, p95InSeconds: 30, maxInSeconds: 30 });
    expect(exchange.verdict).to.equal("met");
    expect(sharePoint.recoveryTime?.maxInSeconds).to.equal(40);
    expect(sharePoint.verdict).to.equal("missed");
    expect(oneDrive.recoveryTime).to.deep.equal({ medianInSeconds: 11, p95InSeconds: 12, maxInSeconds: 12 });
    expect(report.outcome).to.equal("failed");
    expect(report.outcomeReasons).to.deep.equal([
      "SharePoint Online (sites): recovery took longer than the target RTO of 0.5 min.",
    ]);
  });

  it("passes a drill where everything was restored within the target", () => {
    const report = buildDrillReport(passingDrillFacts());
    expect(report.outcome).to.equal("passed");
    expect(report.outcomeReasons).to.deep.equal([]);
    expect(report.workloads.map((workload) => workload.verdict)).to.deep.equal(["met", "met", "met"]);
    expect(report.counts).to.deep.equal({ sessions: 3, total: 6, succeeded: 6, failed: 0, notFinished: 0 });
  });

  it("fails a drill with a failed item and marks that workload not recovered", () => {
    const report = buildDrillReport(drillFacts());
    expect(report.outcome).to.equal("failed");
    expect(report.workloads[0].verdict).to.equal("notRecovered");
    expect(report.workloads[0].counts).to.deep.equal({ total: 3, succeeded: 2, failed: 1, notFinished: 0 });
    expect(report.outcomeReasons).to.deep.equal(["Exchange Online (mailboxes): 1 of 3 artifacts failed."]);
    expect(report.errorCodes).to.deep.equal([{ code: "ArtifactCannotBeRestored", count: 1 }]);
  });

  it("calls a drill incomplete when a session never finished or the run reported an error", () => {
    const unfinished = {
      ...exchangeSession,
      status: "active",
      completedDateTime: null,
      artifacts: exchangeSession.artifacts.map((item) => ({
        ...item,
        status: "inProgress",
        completionDateTime: null,
      })),
    };
    const report = buildDrillReport(drillFacts({ sessions: [unfinished], runError: "up timed out" }));
    expect(report.outcome).to.equal("incomplete");
    expect(report.outcomeReasons[0]).to.equal("The drill run reported an error: up timed out");
    expect(report.outcomeReasons[1]).to.contain("3 of 3 artifacts had not finished");
    expect(report.workloads[0].recoveryTime).to.equal(null);
  });

  it("calls a drill without sessions incomplete", () => {
    const report = buildDrillReport(drillFacts({ sessions: [] }));
    expect(report.outcome).to.equal("incomplete");
    expect(report.workloads).to.deep.equal([]);
  });

  it("treats Graph's zero date (0001-01-01) as no time at all", () => {
    const zero = {
      ...exchangeSession,
      artifacts: [{ ...exchangeSession.artifacts[0], startDateTime: "0001-01-01T00:00:00Z" }],
    };
    const report = buildDrillReport(drillFacts({ sessions: [zero] }));
    expect(report.sessions[0].artifacts[0].durationInSeconds).to.equal(null);
    expect(report.sessions[0].artifacts[0].recoveryTimeInSeconds).to.equal(10);
  });

  it("records the run's facts: mode, target, duration and request counts", () => {
    const report = buildDrillReport(drillFacts());
    expect(report.schemaVersion).to.equal(1);
    expect(report.mode).to.equal("lifecycleRunner");
    expect(report.target.kind).to.equal("emulator");
    expect(report.run).to.deep.equal({
      startedDateTime: at(-5),
      endedDateTime: at(45),
      durationInSeconds: 50,
      error: null,
    });
    expect(report.requests).to.deep.equal({ total: 40, writes: 6, byMethod: { GET: 34, POST: 6 } });
    expect(report.generatedDateTime).to.equal(at(45));
  });
});
