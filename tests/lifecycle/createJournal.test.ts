/**
 * The create journal as `create` uses it, called directly against the emulator (no runner): what a
 * create does with an entry an interrupted create left (the provider host killed), for the cases the
 * interruption drill (`tests/reliability/interruptions.test.ts`) does not reach.
 */
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { Emulator } from "../../tools/emulator";
import { clearCredentialCache, createGraphClient } from "../../provider/graph";
import { realTiming } from "../../provider/resources/session/context";
import { createSession } from "../../provider/resources/create/create";
import * as host from "../../provider/resources/host";
import type { ConfigSnapshot } from "../../provider/resources/host";
import {
  createFingerprint,
  currentOwner,
  JOURNAL_DIR_ENV,
  openJournal,
} from "../../provider/resources/create/journal";
import { KIND_SCHEMAS, type SessionInputs } from "../../provider/model";
import { resolveSettings } from "../../provider/settings";
import { graphCall, startTestEmulator } from "../helpers/emulator";
import { unitPoints, type UnitPoint } from "./harness";

const SESSIONS_POST = "/solutions/backupRestore/oneDriveForBusinessRestoreSessions";

/** A pid that certainly does not run: a child that has already exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ["-e", ""]).pid;
}

describe("create with the journal of an interrupted create (direct calls)", function () {
  this.timeout(120_000);
  let emulator: Emulator;
  let config: ConfigSnapshot;
  let directory: string;
  let points: UnitPoint[];
  const previousDir = process.env[JOURNAL_DIR_ENV];

  before(async () => {
    emulator = await startTestEmulator({ restoreMs: 60_000, unitsPerWorkload: 30 });
    config = {
      values: {
        tenantId: emulator.tenantId,
        clientId: emulator.clientId,
        clientSecret: emulator.clientSecret,
        authorityHost: emulator.authorityHost,
        graphEndpoint: emulator.graphEndpoint,
      },
      unknownKeys: [],
    };
    points = await unitPoints(emulator, "oneDriveForBusiness", 8);
  });
  beforeEach(() => {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), "m365-journal-"));
    process.env[JOURNAL_DIR_ENV] = directory;
    emulator.requestLog.clear();
  });
  afterEach(() => {
    emulator.faults.reset();
    fs.rmSync(directory, { recursive: true, force: true });
  });
  after(async () => {
    if (previousDir === undefined) delete process.env[JOURNAL_DIR_ENV];
    else process.env[JOURNAL_DIR_ENV] = previousDir;
    clearCredentialCache();
    await emulator?.close();
  });

  async function checked(from: number, count: number): Promise<Record<string, unknown>> {
    const news = {
      driveRestoreArtifacts: points
        .slice(from, from + count)
        .map((p) => ({ restorePoint: { id: p.restorePointId } })),
    };
    const result = await host.check("oneDriveForBusiness", config, {}, news);
    expect(result.failures ?? []).to.deep.equal([]);
    return result.inputs as Record<string, unknown>;
  }

  /** Writes the entry a killed provider host would have left for `inputs`, naming `sessionId`. */
  function leaveEntry(inputs: Record<string, unknown>, sessionId?: string): void {
    const settings = resolveSettings((key) => config.values[key], {});
    const fingerprint = createFingerprint({
      tenantId: settings.tenantId,
      clientId: settings.clientId,
      graphEndpoint: settings.graphEndpoint,
      apiVersion: settings.apiVersion,
      kind: "oneDriveForBusiness",
      inputs,
    });
    // What a killed host leaves: its entry, its pid running nothing now, its heartbeat stopped.
    const killed = { ...currentOwner(), pid: deadPid(), token: "00000000deadbeef" };
    const acquired = openJournal({ directory, owner: killed }).acquire(fingerprint);
    if (acquired.kind === "busy") throw new Error("unexpected live entry");
    // Its heartbeat (a timer of this test process) stops once the entry is claimed away.
    if (sessionId !== undefined) acquired.handle.recordSession(sessionId);
  }

  const posts = (): number => emulator.requestLog.count({ method: "POST", pathPrefix: SESSIONS_POST });

  async function restorePointsOf(id: string): Promise<string[]> {
    const page = await graphCall(emulator, {
      method: "GET",
      path: `/solutions/backupRestore/oneDriveForBusinessRestoreSessions/${id}/driveRestoreArtifacts`,
    });
    return (page.body.value as { restorePoint: { id: string } }[]).map((a) => a.restorePoint.id).sort();
  }

  it("adopts the draft the entry names and adds the artifacts its interrupted PATCHes did not", async () => {
    const draft = await host.create("oneDriveForBusiness", config, await checked(0, 1));
    const inputs = await checked(0, 3);
    leaveEntry(inputs, draft.id);
    emulator.requestLog.clear();
    const created = await host.create("oneDriveForBusiness", config, inputs);
    expect(created.id).to.equal(draft.id);
    expect(posts(), "no session POSTed").to.equal(0);
    expect(await restorePointsOf(draft.id)).to.deep.equal(
      points
        .slice(0, 3)
        .map((p) => p.restorePointId)
        .sort(),
    );
    expect(fs.readdirSync(directory), "the entry is removed once the engine has the id").to.deep.equal([]);
  });

  it("creates a new session when the one the entry names is gone", async () => {
    const inputs = await checked(3, 1);
    const gone = await host.create("oneDriveForBusiness", config, inputs);
    await host.remove("oneDriveForBusiness", config, gone.id, gone.outs as Record<string, unknown>);
    leaveEntry(inputs, gone.id);
    emulator.requestLog.clear();
    const created = await host.create("oneDriveForBusiness", config, inputs);
    expect(created.id).to.not.equal(gone.id);
    expect(posts()).to.equal(1);
    expect(fs.readdirSync(directory)).to.deep.equal([]);
  });

  it("leaves alone a named session whose artifacts are not the declared ones, and creates a new one", async () => {
    const other = await host.create("oneDriveForBusiness", config, await checked(4, 1));
    const inputs = await checked(5, 1);
    leaveEntry(inputs, other.id);
    emulator.requestLog.clear();
    const created = await host.create("oneDriveForBusiness", config, inputs);
    expect(created.id).to.not.equal(other.id);
    expect(posts()).to.equal(1);
    expect(await restorePointsOf(other.id)).to.deep.equal([points[4].restorePointId]);
  });

  it("waits while a live create of the same inputs holds the entry, then never adopts its session", async () => {
    const inputs = await checked(6, 1);
    const running = await host.create("oneDriveForBusiness", config, inputs);
    const settings = resolveSettings((key) => config.values[key], {});
    const live = openJournal({ directory, owner: { ...currentOwner(), token: "00000000000a11fe" } }).acquire(
      createFingerprint({
        tenantId: settings.tenantId,
        clientId: settings.clientId,
        graphEndpoint: settings.graphEndpoint,
        apiVersion: settings.apiVersion,
        kind: "oneDriveForBusiness",
        inputs,
      }),
    );
    if (live.kind === "busy") throw new Error("unexpected");
    live.handle.recordSession(running.id);
    emulator.requestLog.clear();
    const second = host.create("oneDriveForBusiness", config, inputs);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(posts(), "nothing is POSTed while the other create runs").to.equal(0);
    // The other create finishes: the engine has its id, its entry is removed.
    live.handle.end();
    const created = await second;
    expect(created.id).to.not.equal(running.id);
    expect(posts()).to.equal(1);
    expect(fs.readdirSync(directory)).to.deep.equal([]);
  });

  it("adopts the session of a killed create whose pid now runs another process (a retry in a new PID namespace)", async () => {
    // The killed job's provider host had the very pid this process has now, but started at another
    // time: a pid check alone would take the entry for a live create and make a second session.
    const inputs = await checked(0, 2);
    const draft = await host.create("oneDriveForBusiness", config, await checked(0, 1));
    const settings = resolveSettings((key) => config.values[key], {});
    const killed = { ...currentOwner(), startTime: "1", token: "0000000000000001" };
    const acquired = openJournal({ directory, owner: killed }).acquire(
      createFingerprint({
        tenantId: settings.tenantId,
        clientId: settings.clientId,
        graphEndpoint: settings.graphEndpoint,
        apiVersion: settings.apiVersion,
        kind: "oneDriveForBusiness",
        inputs,
      }),
    );
    if (acquired.kind === "busy") throw new Error("unexpected live entry");
    acquired.handle.recordSession(draft.id);
    emulator.requestLog.clear();
    const created = await host.create("oneDriveForBusiness", config, inputs);
    expect(created.id, "the killed create's session, adopted").to.equal(draft.id);
    expect(posts(), "no second session").to.equal(0);
    expect(fs.readdirSync(directory)).to.deep.equal([]);
  });

  it("creates as usual, with a warning, when the journal directory cannot be written", async () => {
    const blocked = path.join(directory, "a-file");
    fs.writeFileSync(blocked, "");
    process.env[JOURNAL_DIR_ENV] = path.join(blocked, "journal");
    const settings = resolveSettings((key) => config.values[key], {});
    const warnings: string[] = [];
    const log = {
      info: () => Promise.resolve(),
      warn: (message: string) => {
        warnings.push(message);
        return Promise.resolve();
      },
      debug: () => Promise.resolve(),
    };
    const created = await createSession(
      {
        schema: KIND_SCHEMAS.oneDriveForBusiness,
        settings,
        client: createGraphClient(settings),
        log,
        timing: realTiming(),
      },
      (await checked(7, 1)) as unknown as SessionInputs,
      "provider",
    );
    expect(created.id).to.be.a("string");
    expect(posts()).to.equal(1);
    expect(warnings.join("\n")).to.match(/create journal .* could not be opened \(ENOTDIR\); continuing/);
  });
});
