import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import type { Emulator } from "../../tools/emulator";
import {
  UnknownProtectionUnitError,
  getProtectionUnits,
  getRestorePoints,
  getRestoreSessions,
} from "../../sdk/functions";
import type { RestoreSessionStatus } from "../../provider/model";
import { graphCall, useEmulator } from "../helpers/emulator";
import { emulatorFunctionOptions } from "./options";

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const UNITS_PATH = "/solutions/backupRestore/protectionUnits";
const SESSIONS_PATH = "/solutions/backupRestore/restoreSessions";

type Workload = "exchange" | "sharePoint" | "oneDriveForBusiness";

function unit(emulator: Emulator, workload: Workload, index: number) {
  const found = emulator.service.tenant.unitAt(workload, index);
  if (found === undefined) {
    throw new Error(`the seeded tenant has no ${workload} unit ${index}`);
  }
  return found;
}

function iso(timeInMs: number): string {
  return new Date(timeInMs).toISOString();
}

describe("getRestorePoints against the emulator", function () {
  this.timeout(60_000);
  const suite = useEmulator({ unitsPerWorkload: 45 });

  it("finds each named unit's latest point before the time, listing each needed kind once", async () => {
    const emulator = suite.emulator;
    const T = Math.floor((emulator.clock.nowInMs() - 3 * HOUR) / HOUR) * HOUR + 10 * 60 * 1000;
    const found = await getRestorePoints(
      {
        protectionUnitIds: [unit(emulator, "exchange", 9).id],
        mailboxes: [unit(emulator, "exchange", 1).email as string],
        siteWebUrls: [`${unit(emulator, "sharePoint", 2).siteWebUrl as string}/`],
        oneDriveOwners: [unit(emulator, "oneDriveForBusiness", 3).directoryObjectId as string],
        before: iso(T),
      },
      emulatorFunctionOptions(emulator),
    );
    expect(found.preference).to.equal("latest");
    expect(found.searchPeriod).to.deep.equal({ startDateTime: iso(T - 365 * DAY), endDateTime: iso(T) });
    expect(found.noMatch).to.deep.equal([]);
    expect(found.restorePoints.map((hit) => [hit.protectionUnitId, hit.kind])).to.deep.equal([
      [unit(emulator, "exchange", 9).id, "exchange"],
      [unit(emulator, "exchange", 1).id, "exchange"],
      [unit(emulator, "sharePoint", 2).id, "sharePoint"],
      [unit(emulator, "oneDriveForBusiness", 3).id, "oneDriveForBusiness"],
    ]);
    for (const hit of found.restorePoints) {
      expect(Date.parse(hit.restorePoint.protectionDateTime), hit.target).to.equal(
        Math.floor(T / HOUR) * HOUR,
      );
    }
    // One search call serves all four units; each kind named by name is listed once (9 pages of 5).
    expect(
      emulator.requestLog.count({
        kind: "graph",
        method: "POST",
        pathPrefix: "/solutions/backupRestore/restorePoints/search",
      }),
    ).to.equal(1);
    const listed = emulator.requestLog.entries({ kind: "graph", pathPrefix: UNITS_PATH });
    expect(listed).to.have.length(3 * 9);
  });

  it("with only `after` takes the oldest point at or after it, and fastRestore only fast points", async () => {
    const emulator = suite.emulator;
    const after = Math.floor((emulator.clock.nowInMs() - 2 * DAY) / HOUR) * HOUR + 1;
    const mailbox = unit(emulator, "exchange", 5).email as string;
    const oldest = await getRestorePoints(
      { mailboxes: [mailbox], after: iso(after) },
      emulatorFunctionOptions(emulator),
    );
    expect(oldest.preference).to.equal("oldest");
    expect(Date.parse(oldest.restorePoints[0].restorePoint.protectionDateTime)).to.equal(
      Math.ceil(after / HOUR) * HOUR,
    );
    const fast = await getRestorePoints(
      { mailboxes: [mailbox], after: iso(after), tags: "fastRestore" },
      emulatorFunctionOptions(emulator),
    );
    expect(Date.parse(fast.restorePoints[0].restorePoint.protectionDateTime)).to.equal(
      Math.ceil(after / (6 * HOUR)) * 6 * HOUR,
    );
    expect(fast.restorePoints[0].restorePoint.tags).to.equal("fastRestore");
  });

  it("reports units with nothing in the window under noMatch instead of failing", async () => {
    const emulator = suite.emulator;
    const weekAgo = iso(emulator.clock.nowInMs() - 7 * DAY);
    const recent = unit(emulator, "exchange", 39); // protected only since the day before the tenant was created
    const found = await getRestorePoints(
      { mailboxes: [unit(emulator, "exchange", 0).email as string, recent.email as string], before: weekAgo },
      emulatorFunctionOptions(emulator),
    );
    expect(found.restorePoints.map((hit) => hit.protectionUnitId)).to.deep.equal([
      unit(emulator, "exchange", 0).id,
    ]);
    expect(found.noMatch).to.deep.equal([
      { target: `mailbox ${recent.email as string}`, protectionUnitId: recent.id, kind: "exchange" },
    ]);
  });

  it("fails naming unknown mailboxes and URLs together", async () => {
    const emulator = suite.emulator;
    const error = await getRestorePoints(
      { mailboxes: ["nobody@contoso.com"], siteWebUrls: ["https://contoso.sharepoint.com/sites/nowhere"] },
      emulatorFunctionOptions(emulator),
    ).catch((caught: unknown) => caught);
    expect(UnknownProtectionUnitError.isInstance(error)).to.equal(true);
    expect((error as UnknownProtectionUnitError).unknown).to.deep.equal([
      "mailbox nobody@contoso.com",
      "siteWebUrl https://contoso.sharepoint.com/sites/nowhere",
    ]);
  });

  it("refuses malformed arguments without calling Graph", async () => {
    const emulator = suite.emulator;
    const error = await getRestorePoints(
      { mailboxes: ["a@contoso.com"], before: "2026-11-20" },
      emulatorFunctionOptions(emulator),
    ).catch((caught: unknown) => caught);
    expect(error).to.be.instanceOf(TypeError);
    expect((error as Error).message).to.contain("before must be an ISO 8601 instant");
    const swapped = await getRestorePoints(
      { mailboxes: ["a@contoso.com"], before: "2026-11-19T00:00:00Z", after: "2026-11-20T00:00:00Z" },
      emulatorFunctionOptions(emulator),
    ).catch((caught: unknown) => caught);
    expect(swapped).to.be.instanceOf(RangeError);
    expect(emulator.requestLog.count({ kind: "graph" })).to.equal(0);
  });

  it("asks nothing of Graph when no unit is named", async () => {
    const emulator = suite.emulator;
    const found = await getRestorePoints({}, emulatorFunctionOptions(emulator));
    expect(found.restorePoints).to.deep.equal([]);
    expect(emulator.requestLog.count({ kind: "graph" })).to.equal(0);
  });
});

describe("getProtectionUnits and getRestoreSessions against the emulator", function () {
  this.timeout(60_000);
  const suite = useEmulator({ unitsPerWorkload: 12 });

  it("lists every page of one kind, or of all three, tagging each unit with its kind", async () => {
    const emulator = suite.emulator;
    const sites = await getProtectionUnits({ kind: "sharePoint" }, emulatorFunctionOptions(emulator));
    expect(sites).to.have.length(12);
    expect(sites.every((site) => site.kind === "sharePoint" && typeof site.siteWebUrl === "string")).to.equal(
      true,
    );
    const all = await getProtectionUnits({}, emulatorFunctionOptions(emulator));
    expect(all.map((entry) => entry.kind).filter((kind) => kind === "exchange")).to.have.length(12);
    expect(all).to.have.length(36);
  });

  it("reads stack config inside a Pulumi program, and outside one falls back to the environment without throwing", async () => {
    const emulator = suite.emulator;
    const explicit = emulatorFunctionOptions(emulator).config ?? {};
    pulumi.runtime.setAllConfig(
      Object.fromEntries(
        Object.entries(explicit).map(([key, value]) => [
          key.startsWith("m365-backup:") ? key : `m365-backup:${key}`,
          value,
        ]),
      ),
    );
    try {
      const units = await getProtectionUnits({ kind: "exchange" }, { env: {} });
      expect(units).to.have.length(12);
    } finally {
      pulumi.runtime.setAllConfig({});
    }
    const outside = await getProtectionUnits(
      { kind: "exchange" },
      {
        env: {
          AZURE_TENANT_ID: emulator.tenantId,
          AZURE_CLIENT_ID: emulator.clientId,
          AZURE_CLIENT_SECRET: emulator.clientSecret,
          AZURE_AUTHORITY_HOST: emulator.authorityHost,
          M365_BACKUP_GRAPH_ENDPOINT: emulator.graphEndpoint,
        },
      },
    );
    expect(outside).to.have.length(12);
  });

  it("pages through every session and filters by kind and status on our side", async () => {
    const emulator = suite.emulator;
    const T = iso(emulator.clock.nowInMs() - 3 * HOUR);
    const points = await getRestorePoints(
      {
        mailboxes: [0, 1, 2, 3].map((index) => unit(emulator, "exchange", index).email as string),
        siteWebUrls: [0, 1, 2].map((index) => unit(emulator, "sharePoint", index).siteWebUrl as string),
        before: T,
      },
      emulatorFunctionOptions(emulator),
    );
    const created: { id: string; kind: string }[] = [];
    for (const hit of points.restorePoints) {
      const entitySet = hit.kind === "exchange" ? "exchangeRestoreSessions" : "sharePointRestoreSessions";
      const artifacts = hit.kind === "exchange" ? "mailboxRestoreArtifacts" : "siteRestoreArtifacts";
      const response = await graphCall(emulator, {
        method: "POST",
        path: `/solutions/backupRestore/${entitySet}`,
        body: { [artifacts]: [{ restorePoint: { id: hit.restorePoint.id }, destinationType: "new" }] },
      });
      expect(response.status, JSON.stringify(response.body)).to.equal(201);
      created.push({ id: response.body.id as string, kind: hit.kind as string });
    }
    const activated = created[0].id;
    expect(
      (await graphCall(emulator, { method: "POST", path: `${SESSIONS_PATH}/${activated}/activate` })).status,
    ).to.equal(200);
    emulator.requestLog.clear();

    const all = await getRestoreSessions({}, emulatorFunctionOptions(emulator));
    expect(all.map((session) => session.id).sort()).to.deep.equal(
      created.map((session) => session.id).sort(),
    );
    expect(emulator.requestLog.count({ kind: "graph", method: "GET", pathPrefix: SESSIONS_PATH })).to.equal(
      2,
    ); // 7 sessions, pages of 5

    const exchange = await getRestoreSessions({ kind: "exchange" }, emulatorFunctionOptions(emulator));
    expect(exchange.map((session) => session.id).sort()).to.deep.equal(
      created
        .filter((session) => session.kind === "exchange")
        .map((session) => session.id)
        .sort(),
    );
    expect(exchange.every((session) => session.kind === "exchange")).to.equal(true);

    const drafts = await getRestoreSessions(
      { kind: "exchange", status: "draft" },
      emulatorFunctionOptions(emulator),
    );
    expect(drafts).to.have.length(3);
    expect(drafts.map((session) => session.id)).to.not.include(activated);

    const started = await getRestoreSessions(
      { status: ["activating", "active", "completed", "completedWithError", "failed"] },
      emulatorFunctionOptions(emulator),
    );
    expect(started.map((session) => session.id)).to.deep.equal([activated]);
  });

  it("refuses an unknown kind or status with a TypeError naming it", async () => {
    const emulator = suite.emulator;
    const badKind = await getRestoreSessions(
      { kind: "teams" as never },
      emulatorFunctionOptions(emulator),
    ).catch((caught: unknown) => caught);
    expect(badKind).to.be.instanceOf(TypeError);
    expect((badKind as Error).message).to.contain('"teams"');
    // A script in plain JavaScript can pass anything; the types would stop a TypeScript caller.
    const status = JSON.parse('["draft", "paused"]') as RestoreSessionStatus[];
    const badStatus = await getRestoreSessions({ status }, emulatorFunctionOptions(emulator)).catch(
      (caught: unknown) => caught,
    );
    expect((badStatus as Error).message).to.contain('"paused"');
  });
});
