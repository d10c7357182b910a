/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-return -- Graph response bodies are untyped JSON here; the tests assert their shape. */
import { expect } from "chai";
import { EmulatorClock, type Emulator } from "../../tools/emulator";
import { graphCall, useEmulator, expectGraphError as expectError } from "../helpers/emulator";

const NOW = Date.parse("2026-03-10T09:30:00Z");
const BASE = "/solutions/backupRestore";
const GUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

async function firstUnit(emulator: Emulator, collection: string, index = 0): Promise<any> {
  const res = await graphCall(emulator, { method: "GET", path: `${BASE}/${collection}` });
  return res.body.value[index];
}

async function latestPoint(emulator: Emulator, unitId: string, tags: "fastRestore" | "none"): Promise<any> {
  const res = await graphCall(emulator, {
    method: "POST",
    path: `${BASE}/restorePoints/search`,
    body: {
      protectionUnitIds: [unitId],
      protectionTimePeriod: { endDateTime: "2026-03-10T07:30:00Z" },
      restorePointPreference: "latest",
      tags,
    },
  });
  return res.body.searchResults[0].restorePoint;
}

/** Every item of a browse location, following nextLinks (GET, as Graph documents the next page). */
async function browseAll(
  emulator: Emulator,
  path: string,
  body: unknown,
): Promise<{ items: any[]; count: number; pages: number }> {
  let res: any = await graphCall(emulator, { method: "POST", path, body });
  expect(res.status, JSON.stringify(res.body)).to.equal(200);
  const items = [...res.body.value];
  const count = res.body["@odata.count"];
  let pages = 1;
  while (res.body["@odata.nextLink"] !== undefined) {
    res = await graphCall(emulator, { method: "GET", path: res.body["@odata.nextLink"] });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    items.push(...res.body.value);
    pages += 1;
  }
  return { items, count, pages };
}

describe("emulator tenant: SharePoint and OneDrive browse sessions", () => {
  const clock = new EmulatorClock(() => NOW);
  const suite = useEmulator({ seed: "tenant-browse", clock, unitsPerWorkload: 20, pageSize: 5 });
  let site: any;
  let sessionId: string;
  let sessionPath: string;

  before(async () => {
    site = await firstUnit(suite.emulator, "siteProtectionUnits");
  });

  it("creates a session on a fastRestore point: 201, creating, with the site and a three-day expiry", async () => {
    const point = await latestPoint(suite.emulator, site.id, "fastRestore");
    const res = await graphCall(suite.emulator, {
      method: "POST",
      path: `${BASE}/sharePointBrowseSessions`,
      body: { restorePointId: point.id },
    });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect(res.body).to.include({
      "@odata.type": "#microsoft.graph.sharePointBrowseSession",
      status: "creating",
      restorePointId: point.id,
      restorePointDateTime: point.protectionDateTime,
      siteId: site.siteId,
      createdDateTime: "2026-03-10T09:30:00Z",
      expirationDateTime: "2026-03-13T09:30:00Z",
      error: null,
    });
    expect(res.body.backupSizeInBytes).to.match(/^\d+$/);
    expect(res.body["@odata.context"]).to.include("sharePointBrowseSessions/$entity");
    sessionId = res.body.id;
    sessionPath = `${BASE}/sharePointBrowseSessions/${sessionId}`;
  });

  it("answers BrowseSessionNotReady while creating, and created once the clock passes the delay", async () => {
    expectError(
      await graphCall(suite.emulator, { method: "POST", path: `${sessionPath}/browse` }),
      409,
      "BrowseSessionNotReady",
    );
    expect(suite.emulator.service.tenant.browseItem("sharePoint", sessionId, site.siteId)).to.equal(
      undefined,
    );
    clock.advance(1000);
    const res = await graphCall(suite.emulator, { method: "GET", path: sessionPath });
    expect(res.body.status).to.equal("created");
  });

  it("lists the site at the top level, its libraries under it, and pages a library by $skiptoken", async () => {
    const top = await browseAll(suite.emulator, `${sessionPath}/browse`, undefined);
    expect(top.items).to.have.length(1);
    const [siteItem] = top.items;
    expect(siteItem).to.include({ type: "site", name: site.siteName, webUrl: site.siteWebUrl });
    expect(siteItem.itemKey).to.match(new RegExp(`^${GUID},${GUID}$`));
    expect(siteItem.sizeInBytes).to.match(/^\d+$/);

    const libraries = await browseAll(suite.emulator, `${sessionPath}/browse`, {
      browseLocationItemKey: siteItem.itemKey,
      browseResourceType: "site",
    });
    expect(libraries.items.map((i) => [i.name, i.type])).to.deep.equal([
      ["Documents", "documentLibrary"],
      ["Site Assets", "documentLibrary"],
    ]);
    const documents = libraries.items[0];
    expect(documents.webUrl).to.equal(`${site.siteWebUrl}/Shared%20Documents`);

    const content = await browseAll(suite.emulator, `${sessionPath}/browse`, {
      browseLocationItemKey: documents.itemKey,
      browseResourceType: "documentLibrary",
    });
    expect(content.items).to.have.length(content.count);
    expect(content.count).to.equal(documents.itemsCount);
    expect(content.pages).to.equal(Math.ceil(content.count / 5));
    expect(new Set(content.items.map((i) => i.itemKey)).size).to.equal(content.count);
    for (const item of content.items) {
      expect(item.itemKey).to.match(new RegExp(`^${GUID},${GUID},${GUID},${GUID}$`));
      expect(["folder", "file"]).to.include(item.type);
    }
    const sorted = [...content.items].sort((a, b) => (a.webUrl < b.webUrl ? -1 : 1));
    expect(content.items.map((i) => i.name)).to.deep.equal(sorted.map((i) => i.name));
  });

  it("drills into folders, filters by name and orders by name", async () => {
    const top = await browseAll(suite.emulator, `${sessionPath}/browse`, {});
    const libraries = await browseAll(suite.emulator, `${sessionPath}/browse`, {
      browseLocationItemKey: top.items[0].itemKey,
      browseResourceType: "site",
    });
    const content = await browseAll(suite.emulator, `${sessionPath}/browse`, {
      browseLocationItemKey: libraries.items[0].itemKey,
      browseResourceType: "documentLibrary",
    });
    const folder = content.items.find((i) => i.type === "folder");
    const inside = await browseAll(suite.emulator, `${sessionPath}/browse`, {
      browseLocationItemKey: folder.itemKey,
      browseResourceType: "folder",
    });
    expect(inside.count).to.equal(folder.itemsCount);
    expect(inside.items.every((i) => i.webUrl.startsWith(`${folder.webUrl}/`))).to.equal(true);

    const file = inside.items.find((i) => i.type === "file");
    const needle = file.name.slice(0, 4).toUpperCase();
    const hits = await browseAll(suite.emulator, `${sessionPath}/browse`, {
      browseLocationItemKey: folder.itemKey,
      browseResourceType: "folder",
      filter: `(name -contains '${needle}')`,
      orderBy: "nameDsc",
    });
    expect(hits.items.length).to.be.greaterThan(0);
    expect(hits.items.every((i) => i.name.toUpperCase().includes(needle))).to.equal(true);
    const names = hits.items.map((i) => i.name);
    expect(names).to.deep.equal([...names].sort().reverse());

    const found = suite.emulator.service.tenant.browseItem("sharePoint", sessionId, file.itemKey);
    expect(found).to.include({ webUrl: file.webUrl, siteId: site.siteId, unitId: site.id });
    expect(found?.path).to.match(/^\/sites\/[a-z]+-0001\/Shared Documents\//);
    expect(suite.emulator.service.tenant.browseItem("oneDriveForBusiness", sessionId, file.itemKey)).to.equal(
      undefined,
    );
  });

  it("rejects browse requests it cannot serve, naming the problem", async () => {
    const browse = (body: unknown) =>
      graphCall(suite.emulator, { method: "POST", path: `${sessionPath}/browse`, body });
    const top = (await browse({})).body.value[0];
    expectError(
      await browse({ browseLocationItemKey: top.itemKey, browseResourceType: "folder" }),
      400,
      "InvalidBrowseRequest",
      "site",
    );
    expectError(
      await browse({ browseLocationItemKey: top.itemKey }),
      400,
      "InvalidBrowseRequest",
      "browseResourceType",
    );
    expectError(
      await browse({
        browseLocationItemKey: `${top.itemKey},00000000-0000-4000-8000-000000000000`,
        browseResourceType: "documentLibrary",
      }),
      400,
      "InvalidBrowseRequest",
      "browseLocationItemKey",
    );
    expectError(
      await browse({ filter: "startswith(name,'a')" }),
      400,
      "InvalidBrowseRequest",
      "name -contains",
    );
    expectError(await browse({ orderBy: "sizeDesc" }), 400, "InvalidBrowseRequest", "sizeDesc");
    expectError(await browse({ top: 3 }), 400, "BadRequest", "top");
    expectError(
      await graphCall(suite.emulator, { method: "GET", path: `${sessionPath}/browse` }),
      400,
      "InvalidBrowseRequest",
      "$skiptoken",
    );
    expectError(
      await graphCall(suite.emulator, { method: "GET", path: `${sessionPath}/browse?$skiptoken=abc` }),
      400,
      "BadRequest",
    );
  });

  it("refuses points that are not fastRestore, belong to another workload, or do not exist", async () => {
    const create = (body: unknown) =>
      graphCall(suite.emulator, { method: "POST", path: `${BASE}/sharePointBrowseSessions`, body });
    const slow = await latestPoint(suite.emulator, site.id, "none");
    expect(slow.tags).to.equal("none");
    expectError(await create({ restorePointId: slow.id }), 400, "InvalidRestorePoint", "fastRestore");
    const drive = await firstUnit(suite.emulator, "driveProtectionUnits");
    const drivePoint = await latestPoint(suite.emulator, drive.id, "fastRestore");
    expectError(
      await create({ restorePointId: drivePoint.id }),
      400,
      "InvalidRestorePoint",
      "oneDriveForBusiness",
    );
    expectError(
      await create({
        restorePointId:
          "TXpSbE5HUXpNR1l0TldZMFlpMDBNMk16TFdFeFl6WXRZall3TTJFeFl6Sm1OV000WHpFPV8xNzQ5NTY3MDAwXzE0XzE=",
      }),
      400,
      "InvalidRestorePoint",
    );
    expectError(await create({}), 400, "InvalidRestorePoint", "restorePointId");
    expectError(await create({ restorePointId: slow.id, siteId: site.siteId }), 400, "BadRequest", "siteId");
  });

  it("serves OneDrive sessions too: the Documents library at the top, the owner's object id on the session", async () => {
    const drive = await firstUnit(suite.emulator, "driveProtectionUnits", 2);
    const point = await latestPoint(suite.emulator, drive.id, "fastRestore");
    const created = await graphCall(suite.emulator, {
      method: "POST",
      path: `${BASE}/oneDriveForBusinessBrowseSessions`,
      body: { restorePointId: point.id },
    });
    expect(created.status).to.equal(201);
    expect(created.body).to.include({
      "@odata.type": "#microsoft.graph.oneDriveForBusinessBrowseSession",
      directoryObjectId: drive.directoryObjectId,
    });
    clock.advance(1000);
    const path = `${BASE}/oneDriveForBusinessBrowseSessions/${created.body.id}`;
    const top = await browseAll(suite.emulator, `${path}/browse`, {});
    expect(top.items.map((i) => [i.name, i.type])).to.deep.equal([["Documents", "documentLibrary"]]);
    expect(top.items[0].webUrl).to.equal(
      "https://contoso-my.sharepoint.com/personal/user0003_contoso_com/Documents",
    );

    const all = await graphCall(suite.emulator, { method: "GET", path: `${BASE}/browseSessions` });
    expect(all.body.value.map((s: any) => s.id)).to.deep.equal([sessionId, created.body.id]);
    const viaBase = await graphCall(suite.emulator, {
      method: "GET",
      path: `${BASE}/browseSessions/${created.body.id}`,
    });
    expect(viaBase.body.directoryObjectId).to.equal(drive.directoryObjectId);
    expectError(
      await graphCall(suite.emulator, {
        method: "GET",
        path: `${BASE}/sharePointBrowseSessions/${created.body.id}`,
      }),
      404,
      "BrowseSessionNotFound",
    );
    const spoOnly = await graphCall(suite.emulator, {
      method: "GET",
      path: `${BASE}/sharePointBrowseSessions`,
    });
    expect(spoOnly.body.value.map((s: any) => s.id)).to.deep.equal([sessionId]);
  });

  it("requires BackupRestore-Restore.ReadWrite.All and is blocked while restores are locked", async () => {
    const denied = await graphCall(suite.emulator, {
      method: "GET",
      path: `${BASE}/browseSessions`,
      client: "readOnly",
    });
    expect(denied.status).to.equal(403);
    expect(denied.body.error.message).to.include("BackupRestore-Restore.ReadWrite.All");
    const point = await latestPoint(suite.emulator, site.id, "fastRestore");
    suite.emulator.setServiceStatus("restoreLocked");
    try {
      const locked = await graphCall(suite.emulator, {
        method: "POST",
        path: `${BASE}/sharePointBrowseSessions`,
        body: { restorePointId: point.id },
      });
      expectError(locked, 403, "RestoreLocked");
    } finally {
      suite.emulator.setServiceStatus("enabled");
    }
  });

  it("deletes sessions three days after creation", async () => {
    clock.advance(3 * 24 * 60 * 60 * 1000);
    expectError(
      await graphCall(suite.emulator, { method: "GET", path: sessionPath }),
      404,
      "BrowseSessionNotFound",
    );
    expectError(
      await graphCall(suite.emulator, { method: "POST", path: `${sessionPath}/browse` }),
      404,
      "BrowseSessionNotFound",
    );
    const all = await graphCall(suite.emulator, { method: "GET", path: `${BASE}/browseSessions` });
    expect(all.body.value).to.deep.equal([]);
  });
});
