/**
 * The provider's flows called directly against the emulator (no runner): the edges that would make
 * the runner matrix slow, such as artifact lists past Graph's per-request limit, bulk requests and
 * selectors that match nothing.
 */
import { expect } from "chai";
import type { Emulator } from "../../tools/emulator";
import * as host from "../../provider/resources/host";
import type { ConfigSnapshot } from "../../provider/resources/host";
import { graphCall } from "../helpers/emulator";
import { browseItems, sessionsInEmulator, unitOnHold, unitPoints, useDirectProvider } from "./harness";

describe("restore-session provider flows against the emulator (direct calls)", function () {
  this.timeout(120_000);
  const fixture = useDirectProvider({ restoreMs: 50, unitsPerWorkload: 90, pollIntervalInMs: 10 });
  let emulator: Emulator;
  let config: ConfigSnapshot;
  before(() => {
    ({ emulator, config } = fixture);
  });

  async function checked(
    kind: "sharePoint" | "exchange" | "oneDriveForBusiness",
    news: Record<string, unknown>,
    olds = {},
  ) {
    const result = await host.check(kind, config, olds, news);
    expect(result.failures ?? []).to.deep.equal([]);
    return result.inputs as Record<string, unknown>;
  }

  it("creates a session of 60 artifacts with one POST of 50 and one PATCH of 10, then shrinks it in batches", async () => {
    const points = await unitPoints(emulator, "oneDriveForBusiness", 60);
    const inputs = await checked("oneDriveForBusiness", {
      driveRestoreArtifacts: points.map((p) => ({ restorePoint: { id: p.restorePointId } })),
    });
    emulator.requestLog.clear();
    const created = await host.create("oneDriveForBusiness", config, { ...inputs, __provider: "p" });
    const writes = emulator.requestLog.writes().map((entry) => entry.method);
    expect(writes).to.deep.equal(["POST", "PATCH"]);
    expect((created.outs as { artifacts: unknown[] }).artifacts).to.have.length(60);

    emulator.requestLog.clear();
    const news = await checked("oneDriveForBusiness", {
      driveRestoreArtifacts: points.slice(0, 5).map((p) => ({ restorePoint: { id: p.restorePointId } })),
    });
    const diff = await host.diff("oneDriveForBusiness", created.outs as Record<string, unknown>, news);
    expect(diff).to.deep.include({ changes: true, replaces: [] });
    const updated = await host.update(
      "oneDriveForBusiness",
      config,
      created.id,
      created.outs as Record<string, unknown>,
      news,
    );
    expect(emulator.requestLog.writes().map((entry) => entry.method)).to.deep.equal(["PATCH", "PATCH"]);
    expect(
      (updated.outs as { artifacts: { restorePointId: string }[] }).artifacts.map((a) => a.restorePointId),
    ).to.have.members(points.slice(0, 5).map((p) => p.restorePointId));
  });

  it("fails before creating anything when a selector matches no restore point", async () => {
    const before = await sessionsInEmulator(emulator);
    const inputs = await checked("exchange", {
      mailboxRestoreArtifacts: [{ mailbox: "nobody@contoso.com", restorePointTime: "2026-11-20T09:00:00Z" }],
    });
    let failure: unknown;
    try {
      await host.create("exchange", config, inputs);
    } catch (error) {
      failure = error;
    }
    expect(String(failure)).to.include("nobody@contoso.com");
    expect(failure).to.not.have.property("id");
    expect(await sessionsInEmulator(emulator)).to.have.length(before.length);
  });

  it("records what a selector resolved to and keeps it when newer restore points appear", async () => {
    const [point] = await unitPoints(emulator, "exchange", 1, 61);
    const inputs = await checked("exchange", {
      mailboxRestoreArtifacts: [
        { mailbox: point.name, restorePointTime: emulator.clock.now().toISOString() },
      ],
    });
    const created = await host.create("exchange", config, inputs);
    const outs = created.outs as {
      artifacts: { restorePointId: string }[];
      mailboxRestoreArtifacts: { resolvedRestorePointId: string }[];
    };
    expect(outs.artifacts[0]?.restorePointId).to.equal(point.restorePointId);
    expect(outs.mailboxRestoreArtifacts[0]?.resolvedRestorePointId).to.equal(point.restorePointId);
    emulator.clock.advance(2 * 86_400_000);
    const diff = await host.diff("exchange", created.outs as Record<string, unknown>, inputs);
    expect(diff).to.deep.include({ changes: false });
  });

  it("creates an empty session, posts the bulk request, activates and waits for completion", async () => {
    const now = emulator.clock.now();
    const mailboxes = (await unitPoints(emulator, "exchange", 2, 63)).map((p) => p.name);
    const inputs = await checked("exchange", {
      mailboxRestoreArtifactsBulkAdditionRequest: {
        displayName: "bulk drill",
        mailboxes,
        protectionTimePeriod: {
          startDateTime: new Date(now.getTime() - 7 * 86_400_000).toISOString(),
          endDateTime: now.toISOString(),
        },
        restorePointPreference: "latest",
      },
      activate: true,
      waitForCompletion: true,
    });
    emulator.requestLog.clear();
    const created = await host.create("exchange", config, inputs);
    const writes = emulator.requestLog
      .writes()
      .map((entry) => `${entry.method} ${entry.path.replace(/[0-9a-f-]{36}/g, "{id}")}`);
    expect(writes).to.deep.equal([
      "POST /v1.0/solutions/backupRestore/exchangeRestoreSessions",
      "POST /v1.0/solutions/backupRestore/exchangeRestoreSessions/{id}/mailboxRestoreArtifactsBulkAdditionRequests",
      "POST /v1.0/solutions/backupRestore/restoreSessions/{id}/activate",
    ]);
    expect(created.outs).to.deep.include({ status: "completed", restoreJobType: "bulk" });
    const imported = await host.read("exchange", config, created.id, {});
    expect(imported.inputs).to.deep.include({ activate: true });
    expect(
      (imported.inputs as Record<string, { mailboxes: string[] }>).mailboxRestoreArtifactsBulkAdditionRequest
        ?.mailboxes,
    ).to.have.members(mailboxes.map((m) => m.toLowerCase()));
  });

  it("treats a draft that is already gone as deleted", async () => {
    const [point] = await unitPoints(emulator, "sharePoint", 1, 64);
    const inputs = await checked("sharePoint", {
      siteRestoreArtifacts: [{ restorePoint: { id: point.restorePointId } }],
    });
    const created = await host.create("sharePoint", config, inputs);
    expect(
      (
        await graphCall(emulator, {
          method: "DELETE",
          path: `/solutions/backupRestore/restoreSessions/${created.id}`,
        })
      ).status,
    ).to.equal(204);
    await host.remove("sharePoint", config, created.id, created.outs as Record<string, unknown>);
    const read = await host.read("sharePoint", config, created.id, created.outs as Record<string, unknown>);
    expect(read.id).to.equal(undefined);
  });

  it("refuses beta-only inputs when the stack's apiVersion is v1.0 and accepts them under beta", async () => {
    const news = {
      granularSiteRestoreArtifacts: [
        { browseSessionId: "m_RtZ8BiiUXOK69cuN6gwubfm9", id: "a535851e-9fc6-4eb1-90ab-2955fd9117b5" },
      ],
      conflictBehavior: "rename",
    };
    const v1 = await host.check("sharePoint", config, {}, news);
    // v1.0 also wants the granular item's destination written (it has no field, and Graph would choose).
    expect(v1.failures?.map((f) => f.property)).to.deep.equal([
      "granularSiteRestoreArtifacts[0].destinationType",
      "conflictBehavior",
    ]);
    const beta = await host.check(
      "sharePoint",
      { ...config, values: { ...config.values, apiVersion: "beta" } },
      {},
      news,
    );
    expect(beta.failures ?? []).to.deep.equal([]);
  });

  it("lists only the failed artifacts with artifactOutputs failedOnly, and all of them again after a read", async () => {
    const points = await unitPoints(emulator, "exchange", 3, 70);
    const held = await unitOnHold(emulator, "exchange");
    const artifacts = [...points, held].map((p) => ({ restorePoint: { id: p.restorePointId } }));
    const inputs = await checked("exchange", {
      mailboxRestoreArtifacts: artifacts,
      artifactOutputs: "failedOnly",
    });
    const created = await host.create("exchange", config, inputs);
    const activate = await checked("exchange", {
      ...inputs,
      activate: true,
      waitForCompletion: true,
    });
    let kept: { properties?: Record<string, unknown> } = {};
    try {
      await host.update("exchange", config, created.id, created.outs as Record<string, unknown>, activate);
    } catch (error) {
      kept = error as { properties?: Record<string, unknown> };
    }
    const failedOnly = kept.properties as {
      status: string;
      restoreSessionArtifactCount: Record<string, number>;
      artifacts: { restorePointId: string; status: string }[];
    };
    expect(failedOnly.status).to.equal("completedWithError");
    expect(failedOnly.restoreSessionArtifactCount).to.include({ total: 4, completed: 3, failed: 1 });
    expect(failedOnly.artifacts.map((a) => [a.restorePointId, a.status])).to.deep.equal([
      [held.restorePointId, "failed"],
    ]);

    const all = await checked("exchange", { ...activate, artifactOutputs: "all" });
    const diff = await host.diff("exchange", failedOnly, all);
    expect(diff).to.deep.include({ changes: true, replaces: [] });
    emulator.requestLog.clear();
    const updated = await host.update("exchange", config, created.id, failedOnly, all);
    expect(emulator.requestLog.writes(), "reading again writes nothing").to.deep.equal([]);
    expect((updated.outs as { artifacts: unknown[] }).artifacts).to.have.length(4);
  });
});

describe("granular restore-session flows against the emulator (direct calls, beta)", function () {
  this.timeout(120_000);
  const fixture = useDirectProvider({ restoreMs: 50, pollIntervalInMs: 10 });
  let emulator: Emulator;
  let config: ConfigSnapshot;
  before(() => {
    emulator = fixture.emulator;
    config = { ...fixture.config, values: { ...fixture.config.values, apiVersion: "beta" } };
  });

  it("creates a granular session with conflictBehavior, adds an item while draft, then restores it", async () => {
    const { browseSessionId, itemKeys } = await browseItems(emulator);
    expect(itemKeys).to.have.length(2);
    const first = await host.check(
      "sharePoint",
      config,
      {},
      {
        granularSiteRestoreArtifacts: [{ browseSessionId, id: itemKeys[0] }],
        conflictBehavior: "rename",
      },
    );
    expect(first.failures ?? []).to.deep.equal([]);
    const created = await host.create("sharePoint", config, first.inputs as Record<string, unknown>);
    expect(created.outs).to.deep.include({ status: "draft", restoreJobType: "granular" });

    const second = await host.check("sharePoint", config, first.inputs as Record<string, unknown>, {
      granularSiteRestoreArtifacts: [
        { browseSessionId, id: itemKeys[0] },
        { browseSessionId, id: itemKeys[1] },
      ],
      conflictBehavior: "rename",
      activate: true,
      waitForCompletion: true,
    });
    const diff = await host.diff(
      "sharePoint",
      created.outs as Record<string, unknown>,
      second.inputs as Record<string, unknown>,
    );
    expect(diff).to.deep.include({ changes: true, replaces: [] });
    emulator.requestLog.clear();
    const updated = await host.update(
      "sharePoint",
      config,
      created.id,
      created.outs as Record<string, unknown>,
      second.inputs as Record<string, unknown>,
    );
    expect(emulator.requestLog.writes().map((entry) => entry.method)).to.deep.equal(["PATCH", "POST"]);
    const outs = updated.outs as { status: string; artifacts: { id: string; status: string }[] };
    expect(outs.status).to.equal("completed");
    expect(outs.artifacts.map((artifact) => artifact.status)).to.deep.equal(["succeeded", "succeeded"]);
  });
});
