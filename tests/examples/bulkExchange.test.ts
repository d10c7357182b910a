import { expect } from "chai";
import { emulatorStackConfig, type Emulator } from "../../tools/emulator";
import { LifecycleError, LifecycleRunner } from "../../tools/runner";
import { useEmulator } from "../helpers/emulator";
import { exampleProject, graphGet, graphList, graphWrites, sessionSteps } from "./fixtures";

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const MAILBOXES = 1000;
const BASE = "/solutions/backupRestore";

/** Seeded units 0..count-1 of the workload; every 50th (index 49, 99, ...) is on a preservation hold. */
function mailboxUnits(emulator: Emulator, count: number) {
  return Array.from({ length: count }, (_, index) => {
    const unit = emulator.service.tenant.unitAt("exchange", index);
    if (unit === undefined) throw new Error(`the seeded tenant has no mailbox ${index}`);
    return unit;
  });
}

/** A period end a little past a whole hour, two hours back: each mailbox's latest point is that hour. */
function periodEndFor(emulator: Emulator): number {
  return Math.floor((emulator.clock.nowInMs() - 2 * HOUR) / HOUR) * HOUR + 15 * 60 * 1000;
}

async function bulkRequest(emulator: Emulator, sessionId: string): Promise<Record<string, unknown>> {
  const path = `${BASE}/exchangeRestoreSessions/${sessionId}/mailboxRestoreArtifactsBulkAdditionRequests`;
  const requests = await graphList(emulator, path);
  expect(requests).to.have.length(1);
  return graphGet(emulator, `${path}/${requests[0].id as string}`);
}

describe("examples/bulk-exchange through the lifecycle runner, from the installed package", function () {
  this.timeout(300_000);
  const suite = useEmulator({ unitsPerWorkload: MAILBOXES + 40, pageSize: 200 });
  const runners: LifecycleRunner[] = [];

  after(async () => {
    await Promise.all(runners.map((runner) => runner.close()));
  });

  it("restores 1,000 named mailboxes through one bulk request, each from its latest point in the period", async () => {
    const emulator = suite.emulator;
    const tenant = emulator.service.tenant;
    const periodEnd = periodEndFor(emulator);
    // 1,000 mailboxes that can be restored (the held ones are the last test's).
    const units = mailboxUnits(emulator, MAILBOXES + 40)
      .filter((unit) => !unit.onHold)
      .slice(0, MAILBOXES);
    const mailboxes = units.map((unit) => unit.email as string);
    const runner = new LifecycleRunner({
      projectDir: await exampleProject("bulk-exchange"),
      config: {
        ...emulatorStackConfig(emulator),
        "bulk-exchange:periodEnd": new Date(periodEnd).toISOString(),
        "bulk-exchange:periodDays": "3",
        "bulk-exchange:mailboxes": JSON.stringify(mailboxes),
      },
    });
    runners.push(runner);

    const result = await runner.up();
    expect(sessionSteps(result.steps)).to.deep.equal([["create", "ExchangeRestoreSession"]]);
    const sessionId = result.outputs.sessionId as string;

    // Exactly one session, one bulk request and one activation: no artifacts added by hand.
    const session = `/v1.0${BASE}/exchangeRestoreSessions/${sessionId}`;
    expect(graphWrites(emulator)).to.deep.equal([
      `POST /v1.0${BASE}/exchangeRestoreSessions`,
      `POST ${session}/mailboxRestoreArtifactsBulkAdditionRequests`,
      `POST /v1.0${BASE}/restoreSessions/${sessionId}/activate`,
    ]);

    const bulk = await bulkRequest(emulator, sessionId);
    // (The provider sends the targets sorted: a reordered list is the same request.)
    expect(bulk.mailboxes).to.have.members(mailboxes);
    expect(bulk.protectionTimePeriod).to.deep.include({
      startDateTime: new Date(periodEnd - 3 * DAY).toISOString(),
      endDateTime: new Date(periodEnd).toISOString(),
    });
    expect(bulk.destinationType).to.equal("new");
    expect(bulk.status).to.equal("completed");

    // Activation resolved one artifact per mailbox, from its latest point in the period, all restored.
    const artifacts = await graphList(
      emulator,
      `${BASE}/exchangeRestoreSessions/${sessionId}/mailboxRestoreArtifacts`,
    );
    const restoredUnits = artifacts.map((artifact) => {
      const point = tenant.restorePoint((artifact.restorePoint as { id: string }).id);
      expect(point?.protectionDateTime.getTime(), JSON.stringify(artifact)).to.equal(
        Math.floor(periodEnd / HOUR) * HOUR,
      );
      expect([artifact.status, artifact.destinationType], JSON.stringify(artifact)).to.deep.equal([
        "succeeded",
        "new",
      ]);
      return point?.unitId;
    });
    expect(restoredUnits).to.have.members(units.map((unit) => unit.id));

    expect(result.outputs).to.deep.include({
      mailboxCount: MAILBOXES,
      restoreJobType: "bulk",
      status: "completed",
      failuresByCode: {},
    });
    expect(result.outputs.restoreSessionArtifactCount).to.deep.include({
      total: MAILBOXES,
      completed: MAILBOXES,
      failed: 0,
    });
  });

  it("by default restores every protected mailbox by object id; a held one fails the first up only", async () => {
    const emulator = suite.emulator;
    emulator.requestLog.clear();
    // 60 mailboxes: unit 49 is on hold.
    const units = mailboxUnits(emulator, 60);
    const runner = new LifecycleRunner({
      projectDir: await exampleProject("bulk-exchange"),
      config: {
        ...emulatorStackConfig(emulator),
        "bulk-exchange:periodEnd": new Date(periodEndFor(emulator)).toISOString(),
        "bulk-exchange:maxMailboxes": "60",
      },
    });
    runners.push(runner);

    const failed = await runner.up().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(LifecycleError.isInstance(failed), String(failed)).to.equal(true);
    expect((failed as Error).message)
      .to.include("completedWithError")
      .and.to.include("ArtifactCannotBeRestored");
    const [state] = runner.resources().filter((resource) => resource.custom);
    const sessionId = state.id as string;
    const bulk = await bulkRequest(emulator, sessionId);
    expect(bulk.directoryObjectIds).to.have.members(units.map((unit) => unit.directoryObjectId));

    // The session stays in the stack; the next up reports the outcome without failing or writing again.
    emulator.requestLog.clear();
    const second = await runner.up();
    expect(graphWrites(emulator)).to.deep.equal([]);
    expect(second.outputs).to.deep.include({
      sessionId,
      mailboxCount: 60,
      status: "completedWithError",
      failuresByCode: { ArtifactCannotBeRestored: 1 },
    });
  });

  // The runner, not the example: a partial-creation error travels in one gRPC trailer field, and Node's
  // HTTP/2 client drops a field over ~64 KB, so `up` hangs (the Go engine takes up to 16 MB). Listing only
  // the failed artifacts (`artifactOutputs: "failedOnly"`) is not enough here: the error carries the
  // inputs twice (as inputs and inside the properties), and 1,000 object ids are ~40 KB each time. The
  // failure path is covered at 60 mailboxes above. Repro: this test without `.skip`.
  it.skip("1,000 protected mailboxes including 20 held ones: up fails naming ArtifactCannotBeRestored, and the state keeps only the failed ones (runner hangs on large partial-creation errors)", async () => {
    const emulator = suite.emulator;
    const runner = new LifecycleRunner({
      projectDir: await exampleProject("bulk-exchange"),
      config: {
        ...emulatorStackConfig(emulator),
        "bulk-exchange:periodEnd": new Date(periodEndFor(emulator)).toISOString(),
      },
    });
    runners.push(runner);
    const failed = await runner.up().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect((failed as Error).message).to.include("ArtifactCannotBeRestored");
    const [session] = runner.resources().filter((resource) => resource.custom);
    const outputs = session.outputs as {
      restoreSessionArtifactCount: { total: number; failed: number };
      artifacts: { status: string }[];
    };
    expect(outputs.restoreSessionArtifactCount.total).to.equal(1000);
    expect(outputs.artifacts.length).to.equal(outputs.restoreSessionArtifactCount.failed);
    expect(outputs.artifacts.every((artifact) => artifact.status === "failed")).to.equal(true);
    expect(outputs.artifacts.length).to.be.at.least(1);
  });
});
