/**
 * The Tenant interface that restore sessions check their input against (restore point ids, bulk
 * targets). The HTTP behaviour is covered by the other tenant suites; these calls have no route.
 */
import { expect } from "chai";
import { EmulatorClock } from "../../tools/emulator/clock";
import { createTenant, type Tenant } from "../../tools/emulator/service/tenant";

const NOW = Date.parse("2026-03-10T09:30:00Z");
const HOUR = 60 * 60 * 1000;

function tenantAt(clock: EmulatorClock): Tenant {
  return createTenant({ seed: "tenant-interface", unitsPerWorkload: 100, clock, pageSize: 10 });
}

function encodePoint(unitId: string, timeInMs: number): string {
  const inner = Buffer.from(`${unitId}_1`).toString("base64");
  return Buffer.from(`${inner}_${timeInMs / 1000}_14_1`).toString("base64");
}

describe("emulator tenant: restore point ids", () => {
  const clock = new EmulatorClock(() => NOW);
  const tenant = tenantAt(clock);
  const unit = tenant.unitAt("exchange", 0);
  const unitId = unit?.id ?? "";

  it("resolves an id on the hourly schedule to its unit, time, tag and expiry", () => {
    const time = Date.parse("2026-03-09T18:00:00Z");
    const point = tenant.restorePoint(encodePoint(unitId, time));
    expect(point).to.deep.equal({
      id: encodePoint(unitId, time),
      unitId,
      workload: "exchange",
      protectionDateTime: new Date(time),
      expirationDateTime: new Date(time + 365 * 24 * HOUR),
      tags: "fastRestore",
    });
  });

  it("does not resolve ids off the schedule, in the future, before protection, or tampered with", () => {
    expect(tenant.restorePoint(encodePoint(unitId, Date.parse("2026-03-09T18:30:00Z")))).to.equal(undefined);
    expect(tenant.restorePoint(encodePoint(unitId, Date.parse("2026-03-10T10:00:00Z")))).to.equal(undefined);
    expect(tenant.restorePoint(encodePoint(unitId, (unit?.protectedSince.getTime() ?? 0) - HOUR))).to.equal(
      undefined,
    );
    expect(
      tenant.restorePoint(
        encodePoint("23014d8c-71fe-4d00-a01a-31850bc5b42a", Date.parse("2026-03-09T18:00:00Z")),
      ),
    ).to.equal(undefined);
    const valid = encodePoint(unitId, Date.parse("2026-03-09T18:00:00Z"));
    expect(tenant.restorePoint(valid.replace(/=+$/, ""))).to.equal(undefined);
    expect(tenant.restorePoint(`${valid}x`)).to.equal(undefined);
    expect(tenant.restorePoint("")).to.equal(undefined);
  });

  it("resolves a point that appears when the clock passes its hour", () => {
    const local = new EmulatorClock(() => NOW);
    const later = tenantAt(local);
    const id = encodePoint(later.unitAt("sharePoint", 1)?.id ?? "", Date.parse("2026-03-10T10:00:00Z"));
    expect(later.restorePoint(id)).to.equal(undefined);
    local.advance(HOUR);
    expect(later.restorePoint(id)?.tags).to.equal("none");
  });
});

describe("emulator tenant: bulk target resolution", () => {
  const clock = new EmulatorClock(() => NOW);
  const tenant = tenantAt(clock);
  const period = { startDateTime: "2026-03-08T00:00:00Z", endDateTime: "2026-03-09T00:00:00Z" };

  it("resolves mailboxes by address and object id, once per unit, to the preferred point", () => {
    const person = tenant.unitAt("exchange", 4);
    const result = tenant.resolveBulkTargets("exchange", {
      mailboxes: ["user0001@contoso.com", "USER0005@contoso.com"],
      directoryObjectIds: [person?.directoryObjectId ?? ""],
      protectionTimePeriod: period,
      restorePointPreference: "oldest",
    });
    expect(result.unresolved).to.deep.equal([]);
    expect(result.points.map((p) => [p.unitId, p.protectionDateTime.toISOString()])).to.deep.equal([
      [tenant.unitAt("exchange", 0)?.id, "2026-03-08T00:00:00.000Z"],
      [person?.id, "2026-03-08T00:00:00.000Z"],
    ]);
  });

  it("keeps fastRestore points only when tagged, latest by default", () => {
    const result = tenant.resolveBulkTargets("oneDriveForBusiness", {
      drives: ["user0002@contoso.com"],
      protectionTimePeriod: { endDateTime: "2026-03-09T17:00:00Z" },
      tags: "fastRestore",
    });
    expect(result.points.map((p) => [p.workload, p.protectionDateTime.toISOString(), p.tags])).to.deep.equal([
      ["oneDriveForBusiness", "2026-03-09T12:00:00.000Z", "fastRestore"],
    ]);
  });

  it("resolves sites by URL and by site id", () => {
    const site = tenant.unitAt("sharePoint", 9);
    const other = tenant.unitAt("sharePoint", 10);
    const result = tenant.resolveBulkTargets("sharePoint", {
      siteWebUrls: [`${site?.siteWebUrl ?? ""}/`],
      siteIds: [other?.siteId ?? ""],
      protectionTimePeriod: period,
    });
    expect(result.points.map((p) => p.unitId)).to.deep.equal([site?.id, other?.id]);
  });

  it("reports inputs that name nobody, or a unit without a point in the period", () => {
    const recent = tenant.unitAt("exchange", 39);
    const result = tenant.resolveBulkTargets("exchange", {
      mailboxes: ["user0999@contoso.com", "someone@fabrikam.com", recent?.email ?? ""],
      protectionTimePeriod: { endDateTime: "2026-03-08T23:59:59Z" },
    });
    expect(result.points).to.deep.equal([]);
    expect(result.unresolved.map((u) => u.input)).to.deep.equal([
      "user0999@contoso.com",
      "someone@fabrikam.com",
      recent?.email,
    ]);
    expect(result.unresolved[0]?.reason).to.include("No mailbox");
    expect(result.unresolved[2]?.reason).to.include("no restore point");
  });

  it("does not resolve a site URL as a mailbox or a mailbox owner's drive in the site workload", () => {
    const site = tenant.unitAt("sharePoint", 0);
    const result = tenant.resolveBulkTargets("exchange", {
      mailboxes: [site?.siteWebUrl ?? ""],
      protectionTimePeriod: period,
    });
    expect(result.points).to.deep.equal([]);
    expect(
      tenant.resolveBulkTargets("sharePoint", {
        drives: ["user0001@contoso.com"],
        protectionTimePeriod: period,
      }).points,
    ).to.deep.equal([]);
  });
});
