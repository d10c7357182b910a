import { expect } from "chai";
import type { Emulator } from "../../tools/emulator";
import { createGraphClient, type GraphClient } from "../../provider/graph";
import {
  NoMatchingRestorePointError,
  UnknownProtectionUnitError,
  resolveSelectors,
  type RestorePointSelector,
} from "../../provider/functions";
import { resolveSettings } from "../../provider/settings";
import { useEmulator } from "../helpers/emulator";

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const SEARCH_PATH = "/solutions/backupRestore/restorePoints/search";
const UNITS_PATH = "/solutions/backupRestore/protectionUnits";

type Workload = "exchange" | "sharePoint" | "oneDriveForBusiness";

/** Settings for the emulator's read-write client, with no environment fallback. */
export function emulatorConfig(emulator: Emulator): Record<string, string> {
  return {
    tenantId: emulator.tenantId,
    clientId: emulator.clientId,
    clientSecret: emulator.clientSecret,
    authorityHost: emulator.authorityHost,
    graphEndpoint: emulator.graphEndpoint,
  };
}

function clientFor(emulator: Emulator): GraphClient {
  const config = emulatorConfig(emulator);
  return createGraphClient(resolveSettings((key) => config[key], {}));
}

function unit(emulator: Emulator, workload: Workload, index: number) {
  const found = emulator.service.tenant.unitAt(workload, index);
  if (found === undefined) {
    throw new Error(`the seeded tenant has no ${workload} unit ${index}`);
  }
  return found;
}

/**
 * Half past the hour, about three hours ago: every seeded unit (even those protected only since the day
 * before the tenant was created) has hourly points on both sides of it.
 */
function incidentTime(emulator: Emulator): number {
  return Math.floor((emulator.clock.nowInMs() - 3 * HOUR) / HOUR) * HOUR + 30 * 60 * 1000;
}

function searchCalls(emulator: Emulator): number {
  return emulator.requestLog.count({ kind: "graph", method: "POST", pathPrefix: SEARCH_PATH });
}

function iso(timeInMs: number): string {
  return new Date(timeInMs).toISOString();
}

describe("resolveSelectors against the emulator's seeded tenant", function () {
  this.timeout(60_000);
  const suite = useEmulator({ unitsPerWorkload: 45 });

  it("resolves a mailbox to its latest restore point at or before the time, ignoring email case", async () => {
    const emulator = suite.emulator;
    const T = incidentTime(emulator);
    const mailbox = unit(emulator, "exchange", 3);
    const [resolved] = await resolveSelectors(clientFor(emulator), "exchange", [
      { mailbox: mailbox.email?.toUpperCase(), restorePointTime: iso(T) },
    ]);
    expect(resolved.protectionUnitId).to.equal(mailbox.id);
    expect(Date.parse(resolved.restorePoint.protectionDateTime)).to.equal(Math.floor(T / HOUR) * HOUR);
    expect(resolved.selector).to.deep.include({
      mailbox: mailbox.email?.toLowerCase(),
      restorePointPreference: "latest",
    });
    expect(resolved.restorePoint.expirationDateTime).to.be.a("string");
  });

  it("resolves a site URL written with a trailing slash and other case to the oldest point at or after the time", async () => {
    const emulator = suite.emulator;
    const T = incidentTime(emulator);
    const site = unit(emulator, "sharePoint", 5);
    const url = `${site.siteWebUrl?.replace("/sites/", "/SITES/") ?? ""}/`;
    const [resolved] = await resolveSelectors(clientFor(emulator), "sharePoint", [
      { siteWebUrl: url, restorePointTime: iso(T), restorePointPreference: "oldest" },
    ]);
    expect(resolved.protectionUnitId).to.equal(site.id);
    expect(Date.parse(resolved.restorePoint.protectionDateTime)).to.equal(Math.ceil(T / HOUR) * HOUR);
  });

  it("resolves OneDrive owners by user id and by email, and fastRestore picks only fast restore points", async () => {
    const emulator = suite.emulator;
    const T = incidentTime(emulator);
    const drive = unit(emulator, "oneDriveForBusiness", 7);
    const other = unit(emulator, "oneDriveForBusiness", 8);
    const resolved = await resolveSelectors(clientFor(emulator), "oneDriveForBusiness", [
      { oneDriveOwner: drive.directoryObjectId, restorePointTime: iso(T), tags: "fastRestore" },
      { oneDriveOwner: other.email, restorePointTime: iso(T) },
    ]);
    expect(resolved.map((entry) => entry.protectionUnitId)).to.deep.equal([drive.id, other.id]);
    expect(Date.parse(resolved[0].restorePoint.protectionDateTime)).to.equal(
      Math.floor(T / (6 * HOUR)) * 6 * HOUR,
    );
    expect(resolved[0].restorePoint.tags).to.equal("fastRestore");
    expect(Date.parse(resolved[1].restorePoint.protectionDateTime)).to.equal(Math.floor(T / HOUR) * HOUR);
  });

  it("counts a restore point taken exactly at the time as at or before it", async () => {
    const emulator = suite.emulator;
    const onTheHour = Math.floor(incidentTime(emulator) / HOUR) * HOUR;
    const site = unit(emulator, "sharePoint", 2);
    const [resolved] = await resolveSelectors(clientFor(emulator), "sharePoint", [
      { protectionUnitId: site.id, restorePointTime: iso(onTheHour) },
    ]);
    expect(Date.parse(resolved.restorePoint.protectionDateTime)).to.equal(onTheHour);
  });

  it("lists only the kind it needs, and a protectionUnitId alone needs no listing", async () => {
    const emulator = suite.emulator;
    const T = iso(incidentTime(emulator));
    await resolveSelectors(clientFor(emulator), "exchange", [
      { protectionUnitId: unit(emulator, "exchange", 1).id, restorePointTime: T },
    ]);
    expect(emulator.requestLog.count({ kind: "graph", pathPrefix: UNITS_PATH })).to.equal(0);
    await resolveSelectors(clientFor(emulator), "exchange", [
      { mailbox: unit(emulator, "exchange", 1).email, restorePointTime: T },
    ]);
    const listed = emulator.requestLog
      .entries({ kind: "graph", pathPrefix: UNITS_PATH })
      .map((entry) => entry.path);
    expect(listed.length).to.equal(Math.ceil(45 / 5)); // every page, page size 5
    expect(listed.every((path) => path.includes("mailboxProtectionUnit"))).to.equal(true);
  });

  it("splits 45 units into search calls of at most 20 and groups selectors sharing a time into the same calls", async () => {
    const emulator = suite.emulator;
    const T = incidentTime(emulator);
    const selectors: RestorePointSelector[] = Array.from({ length: 45 }, (_, index) => ({
      mailbox: unit(emulator, "exchange", index).email,
      restorePointTime: iso(T),
    }));
    // A second spelling of the same instant joins the same group rather than adding calls.
    selectors.push({
      mailbox: unit(emulator, "exchange", 0).email,
      restorePointTime: iso(T).replace("Z", "+00:00"),
    });
    const resolved = await resolveSelectors(clientFor(emulator), "exchange", selectors);
    expect(resolved).to.have.length(46);
    expect(searchCalls(emulator)).to.equal(3);
    const expectedTime = Math.floor(T / HOUR) * HOUR;
    resolved.forEach((entry, index) => {
      expect(entry.protectionUnitId).to.equal(unit(emulator, "exchange", index % 45).id);
      expect(Date.parse(entry.restorePoint.protectionDateTime), `selector ${index}`).to.equal(expectedTime);
    });
  });

  it("runs the chunks concurrently, never more than four search calls at once", async () => {
    const emulator = suite.emulator;
    const T = incidentTime(emulator);
    emulator.faults.add({ method: "POST", path: SEARCH_PATH, action: { kind: "latency", latencyInMs: 300 } });
    // 45 units at two times: two groups of three chunks, six calls in all.
    const selectors: RestorePointSelector[] = [T, T - HOUR].flatMap((time) =>
      Array.from({ length: 45 }, (_, index) => ({
        protectionUnitId: unit(emulator, "exchange", index).id,
        restorePointTime: iso(time),
      })),
    );
    const resolved = await resolveSelectors(clientFor(emulator), "exchange", selectors);
    expect(resolved).to.have.length(90);
    const calls = emulator.requestLog
      .entries({ kind: "graph", method: "POST", pathPrefix: SEARCH_PATH })
      .map((entry) => ({ start: Date.parse(entry.time), end: Date.parse(entry.time) + entry.durationInMs }));
    expect(calls).to.have.length(6);
    // Calls in flight when each one arrived; the 100 ms margin absorbs the gap between the server
    // finishing one call and the client starting the next.
    const inFlight = calls.map(
      (call) => calls.filter((other) => other.start <= call.start && call.start < other.end - 100).length,
    );
    expect(Math.max(...inFlight)).to.equal(4);
  });

  it("uses separate searches for different times and preferences", async () => {
    const emulator = suite.emulator;
    const T = incidentTime(emulator);
    const mailbox = unit(emulator, "exchange", 4).email;
    const resolved = await resolveSelectors(clientFor(emulator), "exchange", [
      { mailbox, restorePointTime: iso(T) },
      { mailbox, restorePointTime: iso(T), restorePointPreference: "oldest" },
      { mailbox, restorePointTime: iso(T - DAY) },
    ]);
    expect(searchCalls(emulator)).to.equal(3);
    expect(resolved.map((entry) => Date.parse(entry.restorePoint.protectionDateTime))).to.deep.equal([
      Math.floor(T / HOUR) * HOUR,
      Math.ceil(T / HOUR) * HOUR,
      Math.floor((T - DAY) / HOUR) * HOUR,
    ]);
  });

  it("resolves to the same restore point a day of emulator time later, when newer points exist", async () => {
    const emulator = suite.emulator;
    const T = iso(incidentTime(emulator));
    const selector = { siteWebUrl: unit(emulator, "sharePoint", 9).siteWebUrl, restorePointTime: T };
    const [before] = await resolveSelectors(clientFor(emulator), "sharePoint", [selector]);
    emulator.clock.advance(DAY);
    const [after] = await resolveSelectors(clientFor(emulator), "sharePoint", [selector]);
    expect(after.restorePoint).to.deep.equal(before.restorePoint);
  });

  it("fails naming every unknown mailbox, before any search", async () => {
    const emulator = suite.emulator;
    const T = iso(incidentTime(emulator));
    const error = await resolveSelectors(clientFor(emulator), "exchange", [
      { mailbox: unit(emulator, "exchange", 0).email, restorePointTime: T },
      { mailbox: "nobody@contoso.com", restorePointTime: T },
      { mailbox: "ghost@contoso.com", restorePointTime: T },
    ]).catch((caught: unknown) => caught);
    expect(UnknownProtectionUnitError.isInstance(error)).to.equal(true);
    const unknownError = error as UnknownProtectionUnitError;
    expect(unknownError.unknown).to.deep.equal(["mailbox nobody@contoso.com", "mailbox ghost@contoso.com"]);
    expect(unknownError.message).to.contain("nobody@contoso.com").and.to.contain("ghost@contoso.com");
    expect(searchCalls(emulator)).to.equal(0);
  });

  it("fails naming an unknown site URL", async () => {
    const emulator = suite.emulator;
    const url = "https://contoso.sharepoint.com/sites/does-not-exist";
    const error = await resolveSelectors(clientFor(emulator), "sharePoint", [
      { siteWebUrl: url, restorePointTime: iso(incidentTime(emulator)) },
    ]).catch((caught: unknown) => caught);
    expect(UnknownProtectionUnitError.isInstance(error)).to.equal(true);
    expect((error as Error).message)
      .to.contain(`siteWebUrl ${url}`)
      .and.to.contain("sharePoint protection unit");
  });

  it("refuses a protectionUnitId of another workload, and names an id Graph does not know", async () => {
    const emulator = suite.emulator;
    const T = iso(incidentTime(emulator));
    const site = unit(emulator, "sharePoint", 1);
    const wrongKind = await resolveSelectors(clientFor(emulator), "exchange", [
      { protectionUnitId: site.id, restorePointTime: T },
    ]).catch((caught: unknown) => caught);
    expect(UnknownProtectionUnitError.isInstance(wrongKind)).to.equal(true);
    expect((wrongKind as Error).message)
      .to.contain(site.id)
      .and.to.contain("a sharePoint unit");

    const bogus = "00000000-0000-4000-8000-000000000000";
    const unknownId = await resolveSelectors(clientFor(emulator), "exchange", [
      { mailbox: unit(emulator, "exchange", 0).email, restorePointTime: T },
      { protectionUnitId: bogus, restorePointTime: T },
    ]).catch((caught: unknown) => caught);
    expect(UnknownProtectionUnitError.isInstance(unknownId)).to.equal(true);
    expect((unknownId as UnknownProtectionUnitError).unknown).to.deep.equal([`protectionUnitId ${bogus}`]);
  });

  it("fails with NoMatchingRestorePointError naming the unit and the time when nothing matches", async () => {
    const emulator = suite.emulator;
    // Unit 39 was protected only from one day before the tenant was created: nothing exists a week ago.
    const recent = unit(emulator, "exchange", 39);
    const weekAgo = iso(Math.floor((emulator.clock.nowInMs() - 7 * DAY) / HOUR) * HOUR);
    const future = iso(emulator.clock.nowInMs() + DAY);
    const error = await resolveSelectors(clientFor(emulator), "exchange", [
      { mailbox: recent.email, restorePointTime: weekAgo },
      {
        mailbox: unit(emulator, "exchange", 0).email,
        restorePointTime: future,
        restorePointPreference: "oldest",
      },
    ]).catch((caught: unknown) => caught);
    expect(NoMatchingRestorePointError.isInstance(error)).to.equal(true);
    expect(UnknownProtectionUnitError.isInstance(error)).to.equal(false);
    const noMatch = error as NoMatchingRestorePointError;
    expect(
      noMatch.misses.map((miss) => [miss.target, miss.protectionUnitId, miss.restorePointTime]),
    ).to.deep.equal([
      [`mailbox ${recent.email?.toLowerCase()}`, recent.id, weekAgo],
      [
        `mailbox ${unit(emulator, "exchange", 0).email?.toLowerCase()}`,
        unit(emulator, "exchange", 0).id,
        future,
      ],
    ]);
    expect(noMatch.message).to.contain(`no restore point at or before ${weekAgo}`);
    expect(noMatch.message).to.contain(`no restore point at or after ${future}`);
    expect(
      emulator.requestLog.count({
        kind: "graph",
        method: "POST",
        pathPrefix: "/solutions/backupRestore/exchangeRestoreSessions",
      }),
    ).to.equal(0);
  });

  it("rejects an invalid selector with the path and the fix, without calling Graph", async () => {
    const emulator = suite.emulator;
    const error = await resolveSelectors(clientFor(emulator), "exchange", [
      { mailbox: "ann@contoso.com", restorePointTime: "yesterday" },
    ]).catch((caught: unknown) => caught);
    expect(error).to.be.instanceOf(TypeError);
    expect((error as Error).message).to.contain("selectors[0].restorePointTime");
    expect(emulator.requestLog.count({ kind: "graph" })).to.equal(0);
  });
});
