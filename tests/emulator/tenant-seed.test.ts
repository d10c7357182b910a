/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-return -- Graph response bodies are untyped JSON here; the tests assert their shape. */
import { expect } from "chai";
import { EmulatorClock, type Emulator } from "../../tools/emulator";
import { graphCall, startTestEmulator, useEmulator } from "../helpers/emulator";

const NOW = Date.parse("2026-03-10T09:30:00Z");
const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const BASE = "/solutions/backupRestore";

function fixedClock(): EmulatorClock {
  return new EmulatorClock(() => NOW);
}

function listPoints(emulator: Emulator, unitId: string, filter: string, orderBy?: string) {
  const query = new URLSearchParams({
    $expand: `protectionUnit($filter=id eq '${unitId}')`,
    $filter: filter,
  });
  if (orderBy !== undefined) {
    query.set("$orderby", orderBy);
  }
  return graphCall(emulator, { method: "GET", path: `${BASE}/restorePoints?${query.toString()}` });
}

async function firstUnits(emulator: Emulator, collection: string): Promise<any[]> {
  const res = await graphCall(emulator, { method: "GET", path: `${BASE}/${collection}` });
  expect(res.status).to.equal(200);
  return res.body.value;
}

describe("emulator tenant: seeded units", () => {
  const suite = useEmulator({ seed: "tenant-seed", clock: fixedClock(), unitsPerWorkload: 120, pageSize: 5 });

  it("gives the same units and restore points for the same seed, and different ones for another seed", async () => {
    const twin = await startTestEmulator({
      seed: "tenant-seed",
      clock: fixedClock(),
      unitsPerWorkload: 120,
      pageSize: 5,
    });
    const other = await startTestEmulator({
      seed: "another-seed",
      clock: fixedClock(),
      unitsPerWorkload: 120,
      pageSize: 5,
    });
    try {
      const mine = await firstUnits(suite.emulator, "mailboxProtectionUnits");
      expect(await firstUnits(twin, "mailboxProtectionUnits")).to.deep.equal(mine);
      const [unit] = mine;
      const points = await listPoints(suite.emulator, unit.id, "protectionDateTime lt 2026-03-10T00:00:00Z");
      const twinPoints = await listPoints(twin, unit.id, "protectionDateTime lt 2026-03-10T00:00:00Z");
      expect(twinPoints.body.value).to.deep.equal(points.body.value);
      const others = await firstUnits(other, "mailboxProtectionUnits");
      expect(others.map((u) => u.id)).to.not.include(unit.id);
      expect(others[0].email).to.equal(unit.email);
    } finally {
      await twin.close();
      await other.close();
    }
  });

  it("names mailboxes user0001@contoso.com onwards and gives OneDrive accounts to the same people", async () => {
    const mailboxes = await firstUnits(suite.emulator, "mailboxProtectionUnits");
    const drives = await firstUnits(suite.emulator, "driveProtectionUnits");
    expect(mailboxes.map((u) => u.email)).to.deep.equal(
      [1, 2, 3, 4, 5].map((n) => `user000${n}@contoso.com`),
    );
    expect(drives.map((u) => u.directoryObjectId)).to.deep.equal(mailboxes.map((u) => u.directoryObjectId));
    expect(drives.map((u) => u.id)).to.not.have.members(mailboxes.map((u) => u.id));
    expect(mailboxes[0]).to.include({
      "@odata.type": "#microsoft.graph.mailboxProtectionUnit",
      status: "protected",
    });
    expect(mailboxes[0].displayName).to.match(/^\w+ \w+$/);
    expect(drives[0]["@odata.type"]).to.equal("#microsoft.graph.driveProtectionUnit");
  });

  it("gives sites a host,siteGuid,webGuid id and a /sites/ URL", async () => {
    const [site] = await firstUnits(suite.emulator, "siteProtectionUnits");
    expect(site["@odata.type"]).to.equal("#microsoft.graph.siteProtectionUnit");
    expect(site.siteId).to.match(/^contoso\.sharepoint\.com,[0-9a-f-]{36},[0-9a-f-]{36}$/);
    expect(site.siteWebUrl).to.match(/^https:\/\/contoso\.sharepoint\.com\/sites\/[a-z]+-0001$/);
    expect(site.siteName).to.match(/ 0001$/);
  });

  it("puts every 50th unit of each workload on hold, and no other", () => {
    const { tenant } = suite.emulator.service;
    for (const workload of ["exchange", "sharePoint", "oneDriveForBusiness"] as const) {
      const held = Array.from({ length: 120 }, (_, i) => i).filter((i) =>
        tenant.isOnHold(tenant.unitAt(workload, i)?.id ?? ""),
      );
      expect(held, workload).to.deep.equal([49, 99]);
    }
  });

  it("resolves ids it issued and rejects forged or foreign ones", () => {
    const { tenant } = suite.emulator.service;
    const unit = tenant.unitAt("sharePoint", 7);
    expect(tenant.unit(unit?.id ?? "")).to.deep.equal(unit);
    expect(tenant.unit("00000000-0000-4000-8000-000000000007")).to.equal(undefined);
    expect(tenant.unitAt("sharePoint", 120)).to.equal(undefined);
    expect(tenant.restorePoint("not-a-restore-point")).to.equal(undefined);
  });
});

describe("emulator tenant: size", () => {
  it("starts with 10,000 units per workload in under a second and serves the last ones at once", async () => {
    const started = Date.now();
    const emulator = await startTestEmulator({ unitsPerWorkload: 10_000, pageSize: 100 });
    const startupInMs = Date.now() - started;
    try {
      expect(startupInMs).to.be.below(1000);
      const last = await graphCall(emulator, {
        method: "GET",
        path: `${BASE}/mailboxProtectionUnits?$filter=${encodeURIComponent("email eq 'user10000@contoso.com'")}`,
      });
      expect(last.body.value).to.have.length(1);
      const requestStarted = Date.now();
      const page = await graphCall(emulator, { method: "GET", path: `${BASE}/protectionUnits` });
      expect(page.body.value).to.have.length(100);
      const points = await listPoints(
        emulator,
        last.body.value[0].id,
        `protectionDateTime lt ${new Date().toISOString()}`,
      );
      expect(points.body.value).to.have.length(5);
      expect(Date.now() - requestStarted).to.be.below(1000);
    } finally {
      await emulator.close();
    }
  });
});

describe("emulator tenant: restore point schedule", () => {
  const clock = fixedClock();
  const suite = useEmulator({ seed: "tenant-schedule", clock, unitsPerWorkload: 60 });

  it("takes a point every whole hour, tags 00/06/12/18 UTC fastRestore and expires each after a year", async () => {
    const [unit] = await firstUnits(suite.emulator, "siteProtectionUnits");
    const res = await listPoints(suite.emulator, unit.id, "protectionDateTime le 2026-03-08T13:00:00Z");
    expect(
      res.body.value.map((p: any) => [p.protectionDateTime, p.tags, p.expirationDateTime]),
    ).to.deep.equal([
      ["2026-03-08T13:00:00Z", "none", "2027-03-08T13:00:00Z"],
      ["2026-03-08T12:00:00Z", "fastRestore", "2027-03-08T12:00:00Z"],
      ["2026-03-08T11:00:00Z", "none", "2027-03-08T11:00:00Z"],
      ["2026-03-08T10:00:00Z", "none", "2027-03-08T10:00:00Z"],
      ["2026-03-08T09:00:00Z", "none", "2027-03-08T09:00:00Z"],
    ]);
  });

  it("has no point before the unit was added to its policy (every 40th unit: a day before start)", async () => {
    const { tenant } = suite.emulator.service;
    const recent = tenant.unitAt("exchange", 39);
    expect(recent?.protectedSince.toISOString()).to.equal("2026-03-09T00:00:00.000Z");
    const res = await listPoints(
      suite.emulator,
      recent?.id ?? "",
      "protectionDateTime lt 2026-03-09T02:30:00Z",
      "protectionDateTime asc",
    );
    expect(res.body.value.map((p: any) => p.protectionDateTime)).to.deep.equal([
      "2026-03-09T00:00:00Z",
      "2026-03-09T01:00:00Z",
      "2026-03-09T02:00:00Z",
    ]);
  });

  it("adds a day of points when the clock advances a day, and lets the oldest expire a year on", async () => {
    const [unit] = await firstUnits(suite.emulator, "mailboxProtectionUnits");
    const before = await listPoints(suite.emulator, unit.id, "protectionDateTime lt 2030-01-01T00:00:00Z");
    expect(before.body.value[0].protectionDateTime).to.equal("2026-03-10T09:00:00Z");
    const oldestBefore = await listPoints(
      suite.emulator,
      unit.id,
      "protectionDateTime gt 2000-01-01T00:00:00Z",
      "protectionDateTime asc",
    );
    const oldest = oldestBefore.body.value[0];

    clock.advance(DAY);
    const after = await listPoints(suite.emulator, unit.id, "protectionDateTime lt 2030-01-01T00:00:00Z");
    expect(after.body.value[0].protectionDateTime).to.equal("2026-03-11T09:00:00Z");
    const newDay = await listPoints(
      suite.emulator,
      unit.id,
      "protectionDateTime gt 2026-03-10T09:30:00Z",
      "protectionDateTime asc",
    );
    expect(newDay.body.value[0].protectionDateTime).to.equal("2026-03-10T10:00:00Z");

    clock.advance(365 * DAY);
    const { tenant } = suite.emulator.service;
    const expired = tenant.restorePoint(oldest.id);
    expect(expired?.expirationDateTime.getTime()).to.be.below(clock.nowInMs());
    const stillListed = await listPoints(
      suite.emulator,
      unit.id,
      `protectionDateTime le ${oldest.protectionDateTime}`,
    );
    expect(stillListed.body.value).to.deep.equal([]);
  });
});
