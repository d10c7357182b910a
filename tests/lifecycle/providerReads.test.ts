/**
 * What the provider reads, called directly against the emulator (no runner): the session is not read
 * again when Graph's last answer already carried it, polling sleeps before its first GET, and provider
 * calls of one process share one token.
 */
import { expect } from "chai";
import type { Emulator } from "../../tools/emulator";
import { clearCredentialCache, createGraphClient } from "../../provider/graph";
import { realTiming, type Timing } from "../../provider/resources/session/context";
import { createSession } from "../../provider/resources/create/create";
import * as host from "../../provider/resources/host";
import type { ConfigSnapshot } from "../../provider/resources/host";
import { KIND_SCHEMAS, type SessionInputs } from "../../provider/model";
import { resolveSettings } from "../../provider/settings";
import { unitPoints, useDirectProvider } from "./harness";

/** `GET .../restoreSessions/{id}`: a read of the session itself, not of its artifacts. */
const SESSION_GET = /\/solutions\/backupRestore\/restoreSessions\/[^/]+$/;

describe("what the provider reads (direct calls)", function () {
  this.timeout(120_000);
  const fixture = useDirectProvider({ restoreMs: 60_000, unitsPerWorkload: 90, pollIntervalInMs: 10 });
  let emulator: Emulator;
  let config: ConfigSnapshot;
  before(() => {
    ({ emulator, config } = fixture);
  });

  const sessionGets = (): number =>
    emulator.requestLog
      .entries({ kind: "graph", method: "GET" })
      .filter((entry) => SESSION_GET.test(entry.path)).length;

  async function checked(news: Record<string, unknown>): Promise<Record<string, unknown>> {
    const result = await host.check("oneDriveForBusiness", config, {}, news);
    expect(result.failures ?? []).to.deep.equal([]);
    return result.inputs as Record<string, unknown>;
  }

  it("creates a draft without reading the session back, with outputs equal to a fresh read", async () => {
    const points = await unitPoints(emulator, "oneDriveForBusiness", 3);
    const inputs = await checked({
      driveRestoreArtifacts: points.map((p) => ({ restorePoint: { id: p.restorePointId } })),
    });
    emulator.requestLog.clear();
    const created = await host.create("oneDriveForBusiness", config, inputs);
    expect(sessionGets()).to.equal(0);
    // The session list searched before the POST (docs/exactly-once.md, "search before POST") and the
    // new session's artifact page.
    expect(emulator.requestLog.count({ kind: "graph", method: "GET" })).to.equal(2);
    const read = await host.read(
      "oneDriveForBusiness",
      config,
      created.id,
      created.outs as Record<string, unknown>,
    );
    expect(read.props).to.deep.equal(created.outs);
  });

  it("reads the session once after a PATCH changed it, so the outputs still match Graph", async () => {
    const points = await unitPoints(emulator, "oneDriveForBusiness", 55, 3);
    const inputs = await checked({
      driveRestoreArtifacts: points.map((p) => ({ restorePoint: { id: p.restorePointId } })),
    });
    emulator.requestLog.clear();
    const created = await host.create("oneDriveForBusiness", config, inputs);
    expect(sessionGets()).to.equal(1);
    const read = await host.read(
      "oneDriveForBusiness",
      config,
      created.id,
      created.outs as Record<string, unknown>,
    );
    expect(read.props).to.deep.equal(created.outs);
  });

  it("after activation sleeps before the first poll and does not read the session after the terminal poll", async () => {
    const points = await unitPoints(emulator, "oneDriveForBusiness", 2, 60);
    const inputs = await checked({
      driveRestoreArtifacts: points.map((p) => ({ restorePoint: { id: p.restorePointId } })),
      activate: true,
      waitForCompletion: true,
    });
    const settings = resolveSettings((key) => config.values[key], {});
    const getsAtEachSleep: number[] = [];
    // Virtual time: each sleep moves the emulator's clock on instead of waiting.
    const timing: Timing = {
      nowInMs: () => emulator.clock.now().getTime(),
      sleep: (delayInMs) => {
        getsAtEachSleep.push(sessionGets());
        emulator.clock.advance(delayInMs);
        return Promise.resolve();
      },
      initialPollIntervalInMs: 2_000,
      maxPollIntervalInMs: 15_000,
    };
    const log = {
      info: () => Promise.resolve(),
      warn: () => Promise.resolve(),
      debug: () => Promise.resolve(),
    };
    emulator.requestLog.clear();
    const created = await createSession(
      {
        schema: KIND_SCHEMAS.oneDriveForBusiness,
        settings,
        client: createGraphClient(settings),
        log,
        timing,
      },
      inputs as unknown as SessionInputs,
      "provider",
    );
    expect(created.outs).to.deep.include({ status: "completed" });
    expect(getsAtEachSleep[0]).to.equal(0);
    // One poll after each sleep, none before the first and none after the one that saw it done.
    expect(sessionGets()).to.equal(getsAtEachSleep.length);
    expect(getsAtEachSleep).to.deep.equal(getsAtEachSleep.map((_, index) => index));
    const read = await host.read("oneDriveForBusiness", config, created.id, created.outs);
    expect(read.props).to.deep.equal(created.outs);
  });

  it("on the default schedule polls first within 5 s, no more often than a 5 s loop, and lists the artifacts once", async () => {
    const points = await unitPoints(emulator, "oneDriveForBusiness", 3, 70);
    const inputs = await checked({
      driveRestoreArtifacts: points.map((p) => ({ restorePoint: { id: p.restorePointId } })),
      activate: true,
      waitForCompletion: true,
    });
    const settings = resolveSettings((key) => config.values[key], {});
    const sleeps: number[] = [];
    const timing: Timing = {
      ...realTiming({}),
      nowInMs: () => emulator.clock.nowInMs(),
      sleep: (delayInMs) => {
        sleeps.push(delayInMs);
        emulator.clock.advance(delayInMs);
        return Promise.resolve();
      },
    };
    const quiet = {
      info: () => Promise.resolve(),
      warn: () => Promise.resolve(),
      debug: () => Promise.resolve(),
    };
    emulator.requestLog.clear();
    const created = await createSession(
      {
        schema: KIND_SCHEMAS.oneDriveForBusiness,
        settings,
        client: createGraphClient(settings),
        log: quiet,
        timing,
      },
      inputs as unknown as SessionInputs,
      "provider",
    );
    expect(created.outs).to.deep.include({ status: "completed" });
    expect(sleeps[0]).to.be.at.most(5_000);
    const outs = created.outs as unknown as { lastModifiedDateTime: string; completedDateTime: string };
    const restoreInMs = Date.parse(outs.completedDateTime) - Date.parse(outs.lastModifiedDateTime);
    const fiveSecondLoop = {
      polls: Math.ceil(restoreInMs / 5_000) + 1,
      seenAfterInMs: Math.ceil(restoreInMs / 5_000) * 5_000,
    };
    expect(sessionGets()).to.equal(sleeps.length).and.be.at.most(fiveSecondLoop.polls);
    const waited = sleeps.reduce((sum, delay) => sum + delay, 0);
    expect(waited)
      .to.be.at.least(restoreInMs)
      .and.at.most(1.1 * fiveSecondLoop.seenAfterInMs);
    // This session's artifacts (the search before the POST may read other, earlier drafts' lists).
    const artifactLists = emulator.requestLog
      .entries({ kind: "graph", method: "GET" })
      .filter((entry) => entry.path.endsWith(`/${created.id}/driveRestoreArtifacts`)).length;
    expect(artifactLists).to.equal(1);
  });

  it("makes one token request for two provider calls, and a new one when the secret changes", async () => {
    clearCredentialCache();
    const points = await unitPoints(emulator, "oneDriveForBusiness", 2, 65);
    emulator.requestLog.clear();
    for (const point of points) {
      await host.create(
        "oneDriveForBusiness",
        config,
        await checked({ driveRestoreArtifacts: [{ restorePoint: { id: point.restorePointId } }] }),
      );
    }
    expect(emulator.requestLog.count({ kind: "token" })).to.equal(1);
    const rotated = { ...config, values: { ...config.values, clientSecret: "rotated-secret-0000" } };
    const failure = await host
      .create(
        "oneDriveForBusiness",
        rotated,
        await checked({ driveRestoreArtifacts: [{ restorePoint: { id: points[0].restorePointId } }] }),
      )
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    // The emulator knows only the original secret, so reusing its token would have succeeded.
    expect(String(failure)).to.match(/authentication|AuthenticationFailed/i);
    expect(String(failure)).to.not.include("rotated-secret-0000");
    expect(emulator.requestLog.count({ kind: "token" })).to.equal(2);
  });
});
