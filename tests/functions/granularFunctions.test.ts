/**
 * `browseRestorePoint` and `searchMailboxItems` against the emulator, through the package's own Graph
 * client: every page, browse sessions reused, paths resolved by name or URL name, a next-page link to
 * another origin refused (the token never leaves the configured endpoint), and ids checked before a URL
 * is built from them.
 */
import { expect } from "chai";
import { createGraphService } from "../../tools/emulator/service";
import type { Emulator } from "../../tools/emulator";
import { pathSegment } from "../../provider/graph/pathId";
import { BrowsePathNotFoundError, browseRestorePoint, searchMailboxItems } from "../../sdk/functions";
import { useEmulator } from "../helpers/emulator";
import { emulatorFunctionOptions } from "./options";

const BROWSE = /\/(sharePoint|oneDriveForBusiness)BrowseSessions\/[^/]+\/browse$/;

function unit(
  emulator: Emulator,
  workload: "exchange" | "sharePoint" | "oneDriveForBusiness",
  index: number,
) {
  const found = emulator.service.tenant.unitAt(workload, index);
  if (found === undefined) throw new Error(`no ${workload} unit ${index}`);
  return found;
}

describe("browseRestorePoint against the emulator", function () {
  this.timeout(60_000);
  const suite = useEmulator({ pageSize: 3, unitsPerWorkload: 8 });

  it("lists a library across every page, by URL name or display name, and reuses the browse session", async () => {
    const emulator = suite.emulator;
    const site = unit(emulator, "sharePoint", 1);
    const time = emulator.clock.now().toISOString();
    const byUrlName = await browseRestorePoint(
      { siteWebUrl: site.siteWebUrl, restorePointTime: time, path: "/Shared Documents" },
      emulatorFunctionOptions(emulator),
    );
    expect(byUrlName.kind).to.equal("sharePoint");
    expect(byUrlName.location).to.include({ type: "documentLibrary", name: "Documents" });
    expect(byUrlName.items.length, "more items than one page holds").to.be.above(3);
    expect(byUrlName.browseSession.reused).to.equal(false);
    const point = emulator.service.tenant.restorePoint(byUrlName.restorePoint.id);
    expect(point?.tags).to.equal("fastRestore");
    expect(point?.unitId).to.equal(site.id);
    const pages = emulator.requestLog
      .entries({ kind: "graph" })
      .filter((entry) => BROWSE.test(entry.path))
      .map((entry) => entry.method);
    // The first page of each listing is a POST, the rest GETs of @odata.nextLink.
    expect(pages.filter((method) => method === "GET").length).to.be.above(0);

    emulator.requestLog.clear();
    const byName = await browseRestorePoint(
      { siteWebUrl: site.siteWebUrl, restorePointTime: time, path: "documents/" },
      emulatorFunctionOptions(emulator),
    );
    expect(byName.browseSession).to.include({ id: byUrlName.browseSession.id, reused: true });
    expect(byName.items.map((item) => item.itemKey)).to.deep.equal(
      byUrlName.items.map((item) => item.itemKey),
    );
    expect(
      emulator.requestLog.writes().filter((entry) => entry.path.endsWith("BrowseSessions")),
    ).to.deep.equal([]);

    const file = byName.items.find((item) => item.type === "file");
    const onFile = await browseRestorePoint(
      {
        siteWebUrl: site.siteWebUrl,
        restorePointTime: time,
        path: `/Documents/${file?.name ?? ""}`,
      },
      emulatorFunctionOptions(emulator),
    );
    expect(onFile.location?.itemKey).to.equal(file?.itemKey);
    expect(onFile.items).to.deep.equal([]);
  });

  it("names what is there when a path does not exist", async () => {
    const emulator = suite.emulator;
    const drive = unit(emulator, "oneDriveForBusiness", 2);
    const error = await browseRestorePoint(
      {
        oneDriveOwner: drive.email,
        restorePointTime: emulator.clock.now().toISOString(),
        path: "/Documents/Nope",
      },
      emulatorFunctionOptions(emulator),
    ).then(
      () => undefined,
      (failure: unknown) => failure as Error,
    );
    expect(error).to.be.instanceOf(BrowsePathNotFoundError);
    expect(error?.message).to.include('Nothing named "Nope"').and.include('at "/Documents"');
  });

  it("refuses an id that would change the URL before building one", () => {
    expect(() => pathSegment("..", "browse session id", "a test")).to.throw(
      /"\.\." as a browse session id \(from a test\)/,
    );
    expect(() => pathSegment("a/../../activate", "browse session id")).to.throw(/Refusing to use/);
    expect(pathSegment("m_RtZ8Bi+iUX=", "x")).to.equal("m_RtZ8Bi%2BiUX%3D");
  });
});

describe("searchMailboxItems against the emulator", function () {
  this.timeout(60_000);
  const suite = useEmulator({ unitsPerWorkload: 8 });

  it("searches the restore point the time means and answers the hit count and searchResponseId", async () => {
    const emulator = suite.emulator;
    const mailbox = unit(emulator, "exchange", 3);
    const found = await searchMailboxItems(
      {
        mailbox: mailbox.email,
        restorePointTime: emulator.clock.now().toISOString(),
        query: { queryExpression: "(Subject -like 'Invoice*')" },
      },
      emulatorFunctionOptions(emulator),
    );
    expect(found.protectionUnitId).to.equal(mailbox.id);
    expect(found.artifactHitCount).to.be.a("number");
    const registered = emulator.service.tenant.searchResponse(found.searchResponseId);
    expect(registered?.restorePointIds).to.deep.equal([found.restorePoint.id]);
  });

  it("takes exactly one kind of query expression", async () => {
    const error = await searchMailboxItems(
      { mailbox: "ann@contoso.com", restorePointTime: "2026-11-20T09:00:00Z", query: {} },
      emulatorFunctionOptions(suite.emulator),
    ).then(
      () => undefined,
      (failure: unknown) => failure as Error,
    );
    expect(error?.message).to.include("exactly one of queryExpression and structuredQueryExpression");
  });
});

describe("browseRestorePoint with a next-page link to another origin", function () {
  this.timeout(60_000);
  const suite = useEmulator({
    pageSize: 2,
    unitsPerWorkload: 4,
    createService: (serviceOptions) => {
      const real = createGraphService(serviceOptions);
      return {
        ...real,
        handle: async (request) => {
          const response = await real.handle(request);
          const body = response.body as Record<string, unknown> | undefined;
          const link = body?.["@odata.nextLink"];
          if (typeof link !== "string" || !request.path.endsWith("/browse")) return response;
          const moved = new URL(link);
          return {
            ...response,
            body: { ...body, "@odata.nextLink": `https://graph.invalid${moved.pathname}${moved.search}` },
          };
        },
      };
    },
  });

  it("is refused, so the token is never sent there", async () => {
    const emulator = suite.emulator;
    const error = await browseRestorePoint(
      {
        siteWebUrl: unit(emulator, "sharePoint", 0).siteWebUrl,
        restorePointTime: emulator.clock.now().toISOString(),
        path: "/Shared Documents",
      },
      emulatorFunctionOptions(emulator),
    ).then(
      () => undefined,
      (failure: unknown) => failure as Error,
    );
    expect(error?.message).to.contain("another origin");
  });
});
