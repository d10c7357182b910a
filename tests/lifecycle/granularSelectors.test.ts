/**
 * Granular selectors through the lifecycle runner (installed package, emulator): a SharePoint folder,
 * a OneDrive folder and file, and the mail items a query matches, each named by path or query and a
 * time. Each restores, the resolution is pinned in state (a re-run, and a re-run after newer restore
 * points appear, is all `same` with zero Graph writes), preview says what each selector means, and bad
 * selectors fail at check naming the property. Also finding 4: a v1.0 granular item is never restored
 * in place silently.
 */
/* eslint-disable @typescript-eslint/no-unsafe-return -- Graph's answers are untyped JSON that the tests read freely */
import { expect } from "chai";
import type { Emulator } from "../../tools/emulator";
import type { OperationResult } from "../../tools/runner";
import { browseRestorePoint, type FunctionOptions } from "../../sdk/functions";
import { graphCall } from "../helpers/emulator";
import { graphWrites, ops, Stack, useRunnerStacks, type Kind } from "./harness";

const BASE = "/solutions/backupRestore";
const HOUR = 3_600_000;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- stack outputs are untyped JSON
type Json = any;

function outputOf(result: OperationResult, key: string): Json {
  return result.outputs[key];
}

function stateInputs(stack: Stack): Record<string, Json> {
  return (stack.runner.resources().find((resource) => resource.custom)?.outputs ?? {}) as Record<
    string,
    Json
  >;
}

/** Every item of a Graph list (all pages), as the emulator's read-write client sees it. */
async function graphList(
  emulator: Emulator,
  path: string,
  version: "v1.0" | "beta" = "beta",
): Promise<Json[]> {
  const items: Json[] = [];
  let next: string | undefined = path;
  while (next !== undefined) {
    const page = await graphCall(emulator, { method: "GET", path: next, version });
    expect(page.status, page.text).to.equal(200);
    items.push(...(page.body.value as Json[]));
    next = page.body["@odata.nextLink"] as string | undefined;
  }
  return items;
}

function functionOptions(emulator: Emulator): FunctionOptions {
  return {
    config: {
      tenantId: emulator.tenantId,
      clientId: emulator.clientId,
      clientSecret: emulator.clientSecret,
      authorityHost: emulator.authorityHost,
      graphEndpoint: emulator.graphEndpoint,
    },
    env: {},
  };
}

/** Messages of the operation's check failures. */
function checkErrors(result: OperationResult): string[] {
  return result.errors.filter((error) => error.operation === "check").map((error) => error.message);
}

describe("granular selectors through the lifecycle runner (installed package, emulator)", function () {
  this.timeout(600_000);
  // Pages of 5: library listings run over several pages, as Graph's do.
  const suite = useRunnerStacks({ restoreMs: 200, unitsPerWorkload: 20, pageSize: 5 });
  const { stack } = suite;

  function unit(kind: Kind, index: number): Json {
    const found = suite.emulator.service.tenant.unitAt(kind, index);
    if (found === undefined) throw new Error(`no ${kind} unit ${index}`);
    return found;
  }

  /** The first folder (and file) of a library, as browseRestorePoint lists it. */
  async function libraryItems(
    args: { siteWebUrl?: string; oneDriveOwner?: string },
    library: string,
    time: string,
  ) {
    const found = await browseRestorePoint(
      { ...args, restorePointTime: time, path: `/${library}` },
      functionOptions(suite.emulator),
    );
    const folder = found.items.find((item) => item.type === "folder");
    const file = found.items.find((item) => item.type === "file");
    if (!folder || !file) throw new Error(`library ${library} has no folder or no file`);
    return { found, folder, file };
  }

  it("restores a SharePoint folder by path (v1.0, destinationType new), previews it, and re-runs as a no-op", async () => {
    const site = unit("sharePoint", 2);
    const time = suite.emulator.clock.now().toISOString();
    const { found, folder } = await libraryItems({ siteWebUrl: site.siteWebUrl }, "Shared Documents", time);
    expect(found.items.length, "the library spans more than one page").to.be.above(5);
    const path = `/Shared Documents/${folder.name}`;
    const s = stack();
    s.program("sharePoint", [
      {
        name: "folder",
        args: {
          granularSiteRestoreArtifacts: [
            { siteWebUrl: site.siteWebUrl, restorePointTime: time, paths: [path], destinationType: "new" },
          ],
          activate: true,
          waitForCompletion: true,
        },
      },
    ]);

    const preview = await s.runner.preview();
    expect(preview.errors).to.deep.equal([]);
    const said = preview.diagnostics.map((d) => d.message).join("\n");
    expect(said).to.include(`will restore from fast restore point ${found.restorePoint.id}`);
    expect(said).to.include(`1 item(s): ${path} (folder, ${folder.itemsCount} items)`);
    expect(
      graphWrites(suite.emulator).filter((write) => write.includes("RestoreSessions")),
      "preview writes no restore session",
    ).to.deep.equal([]);

    const first = await s.runner.up();
    expect(first.errors).to.deep.equal([]);
    expect(ops(first)).to.deep.equal(["create"]);
    expect(outputOf(first, "folderStatus")).to.equal("completed");
    const id = outputOf(first, "folderId") as string;
    const artifacts = await graphList(
      suite.emulator,
      `${BASE}/sharePointRestoreSessions/${id}/granularSiteRestoreArtifacts`,
    );
    expect(artifacts.map((a) => [a.id, a.browseSessionId, a.destinationType, a.status])).to.deep.equal([
      [folder.itemKey, found.browseSession.id, "new", "succeeded"],
    ]);
    // v1.0 restores into the session's one folder, never over the original.
    expect(artifacts[0].restoredItemPath).to.match(/\/Shared Documents\/Restored-/);
    expect(artifacts[0].restoredItemWebUrl).to.not.equal(folder.webUrl);
    const pinned = stateInputs(s).granularSiteRestoreArtifacts as Json[];
    expect(pinned).to.have.length(1);
    expect(pinned[0]).to.deep.include({ paths: [path], destinationType: "new" });
    expect(pinned[0].resolved).to.deep.include({
      restorePointId: found.restorePoint.id,
      browseSessionId: found.browseSession.id,
    });

    suite.emulator.requestLog.clear();
    const again = await s.runner.up();
    expect(ops(again)).to.deep.equal(["same"]);
    expect(graphWrites(suite.emulator)).to.deep.equal([]);

    // Newer fast restore points appear: the pinned resolution stands, nothing is resolved or written.
    suite.emulator.clock.advance(13 * HOUR);
    suite.emulator.requestLog.clear();
    const later = await s.runner.up();
    expect(ops(later)).to.deep.equal(["same"]);
    expect(graphWrites(suite.emulator)).to.deep.equal([]);
  });

  it("restores a OneDrive folder and a file by path (beta sends destinationType new) and re-runs as a no-op", async () => {
    const drive = unit("oneDriveForBusiness", 3);
    const time = suite.emulator.clock.now().toISOString();
    const { found, folder, file } = await libraryItems({ oneDriveOwner: drive.email }, "Documents", time);
    const s = stack({ "m365-backup:apiVersion": "beta" });
    s.program("oneDriveForBusiness", [
      {
        name: "items",
        args: {
          granularDriveRestoreArtifacts: [
            {
              oneDriveOwner: drive.email,
              restorePointTime: time,
              paths: [`/Documents/${folder.name}`, `/documents/${file.name}`],
            },
          ],
          conflictBehavior: "rename",
          activate: true,
          waitForCompletion: true,
        },
      },
    ]);
    const first = await s.runner.up();
    expect(first.errors).to.deep.equal([]);
    expect(ops(first)).to.deep.equal(["create"]);
    expect(outputOf(first, "itemsStatus")).to.equal("completed");
    const id = outputOf(first, "itemsId") as string;
    const artifacts = await graphList(
      suite.emulator,
      `${BASE}/oneDriveForBusinessRestoreSessions/${id}/granularDriveRestoreArtifacts`,
    );
    expect(artifacts.map((a) => [a.id, a.browseSessionId, a.destinationType])).to.have.deep.members([
      [folder.itemKey, found.browseSession.id, "new"],
      [file.itemKey, found.browseSession.id, "new"],
    ]);
    // One folder per session: both items land under the same restoredItemPath.
    expect(new Set(artifacts.map((a) => a.restoredItemPath)).size).to.equal(1);
    const said = first.diagnostics.map((d) => d.message).join("\n");
    expect(said).to.include(`resolves to fast restore point ${found.restorePoint.id}`);
    expect(said).to.include("2 item(s)");

    suite.emulator.requestLog.clear();
    const again = await s.runner.up();
    expect(ops(again)).to.deep.equal(["same"]);
    expect(graphWrites(suite.emulator)).to.deep.equal([]);
  });

  it("adds a path to a draft's selector with one PATCH of the new item, and then stays same", async () => {
    const site = unit("sharePoint", 7);
    const time = suite.emulator.clock.now().toISOString();
    const { folder, file } = await libraryItems({ siteWebUrl: site.siteWebUrl }, "Shared Documents", time);
    const selector = (paths: string[]) => ({
      granularSiteRestoreArtifacts: [
        { siteWebUrl: site.siteWebUrl, restorePointTime: time, paths, destinationType: "new" },
      ],
    });
    const s = stack();
    s.program("sharePoint", [{ name: "draft", args: selector([`/Shared Documents/${folder.name}`]) }]);
    const first = await s.runner.up();
    expect(ops(first)).to.deep.equal(["create"]);
    const id = outputOf(first, "draftId") as string;

    s.program("sharePoint", [
      {
        name: "draft",
        args: selector([`/Shared Documents/${folder.name}`, `/Shared Documents/${file.name}`]),
      },
    ]);
    suite.emulator.requestLog.clear();
    const second = await s.runner.up();
    expect(ops(second)).to.deep.equal(["update"]);
    expect(graphWrites(suite.emulator).filter((write) => write.includes("RestoreSessions"))).to.deep.equal([
      `PATCH /v1.0${BASE}/sharePointRestoreSessions/${id}`,
    ]);
    const artifacts = await graphList(
      suite.emulator,
      `${BASE}/sharePointRestoreSessions/${id}/granularSiteRestoreArtifacts`,
    );
    expect(artifacts.map((a) => a.id)).to.have.members([folder.itemKey, file.itemKey]);
    const pinned = (stateInputs(s).granularSiteRestoreArtifacts as Json[])[0];
    expect(pinned.resolved.items.map((item: Json) => item.id)).to.have.members([
      folder.itemKey,
      file.itemKey,
    ]);

    suite.emulator.requestLog.clear();
    expect(ops(await s.runner.up())).to.deep.equal(["same"]);
    expect(graphWrites(suite.emulator)).to.deep.equal([]);
  });

  it("restores the mail items a query matches, to a new folder, and re-runs as a no-op", async () => {
    const mailbox = unit("exchange", 4);
    const time = suite.emulator.clock.now().toISOString();
    const s = stack();
    s.program("exchange", [
      {
        name: "mail",
        args: {
          granularMailboxRestoreArtifacts: [
            {
              mailbox: mailbox.email,
              restorePointTime: time,
              query: { queryExpression: "(Subject -like 'Invoice*') -and (HasAttachment -eq 'true')" },
            },
          ],
          activate: true,
          waitForCompletion: true,
        },
      },
    ]);
    const first = await s.runner.up();
    expect(first.errors).to.deep.equal([]);
    expect(ops(first)).to.deep.equal(["create"]);
    expect(outputOf(first, "mailStatus")).to.equal("completed");
    const pinned = (stateInputs(s).granularMailboxRestoreArtifacts as Json[])[0];
    expect(pinned.resolved.searchResponseId).to.be.a("string");
    expect(suite.emulator.service.tenant.restorePoint(pinned.resolved.restorePointId)?.unitId).to.equal(
      mailbox.id,
    );
    const id = outputOf(first, "mailId") as string;
    const artifacts = await graphList(
      suite.emulator,
      `${BASE}/exchangeRestoreSessions/${id}/granularMailboxRestoreArtifacts`,
    );
    expect(
      artifacts.map((a) => [a.restorePoint.id, a.searchResponseId, a.destinationType, a.restoredItemCount]),
    ).to.deep.equal([
      [
        pinned.resolved.restorePointId,
        pinned.resolved.searchResponseId,
        "new",
        pinned.resolved.artifactHitCount,
      ],
    ]);
    const said = first.diagnostics.map((d) => d.message).join("\n");
    expect(said).to.include(`${pinned.resolved.artifactHitCount} matching item(s)`);

    suite.emulator.requestLog.clear();
    const again = await s.runner.up();
    expect(ops(again)).to.deep.equal(["same"]);
    expect(graphWrites(suite.emulator)).to.deep.equal([]);
  });

  it("fails at check naming the property for bad selectors, and writes no restore session", async () => {
    const site = unit("sharePoint", 5);
    const mailbox = unit("exchange", 5);
    const time = suite.emulator.clock.now().toISOString();
    const cases: { kind: Kind; property: string; item: Record<string, unknown>; says: string }[] = [
      {
        kind: "sharePoint",
        property: "granularSiteRestoreArtifacts[0].paths",
        item: { siteWebUrl: site.siteWebUrl, restorePointTime: time, destinationType: "new" },
        says: "paths must be a non-empty list",
      },
      {
        kind: "sharePoint",
        property: "granularSiteRestoreArtifacts[0].paths[0]",
        item: { siteWebUrl: site.siteWebUrl, restorePointTime: time, paths: ["/"], destinationType: "new" },
        says: "names the whole site",
      },
      {
        kind: "sharePoint",
        property: "granularSiteRestoreArtifacts[0].restorePointTime",
        item: {
          siteWebUrl: site.siteWebUrl,
          restorePointTime: "yesterday",
          paths: ["/Shared Documents"],
          destinationType: "new",
        },
        says: "ISO 8601",
      },
      {
        kind: "sharePoint",
        property: "granularSiteRestoreArtifacts[0]",
        item: {
          siteWebUrl: site.siteWebUrl,
          restorePointTime: time,
          paths: ["/Shared Documents/No Such Folder"],
          destinationType: "new",
        },
        says: 'Nothing named "No Such Folder"',
      },
      {
        kind: "exchange",
        property: "granularMailboxRestoreArtifacts[0].query",
        item: { mailbox: mailbox.email, restorePointTime: time, query: {} },
        says: "exactly one of queryExpression and structuredQueryExpression",
      },
      {
        kind: "exchange",
        property: "granularMailboxRestoreArtifacts[0].paths",
        item: {
          mailbox: mailbox.email,
          restorePointTime: time,
          paths: ["/Inbox"],
          query: { queryExpression: "(Subject -like 'a*')" },
        },
        says: "paths select files and folders",
      },
    ];
    for (const { kind, property, item, says } of cases) {
      const s = stack();
      const granular =
        kind === "sharePoint" ? "granularSiteRestoreArtifacts" : "granularMailboxRestoreArtifacts";
      s.program(kind, [{ name: "bad", args: { [granular]: [item] } }]);
      suite.emulator.requestLog.clear();
      const result = await s.runner.preview({ allowErrors: true });
      const messages = checkErrors(result);
      expect(
        messages.some((m) => m.includes(property) && m.includes(says)),
        `${property}: ${JSON.stringify(result.errors)}`,
      ).to.equal(true);
      expect(graphWrites(suite.emulator).filter((write) => write.includes("RestoreSessions"))).to.deep.equal(
        [],
      );
    }
  });

  it("finding 4: a v1.0 granular item without destinationType fails at check; with new it lands in the session's folder, not in place", async () => {
    const site = unit("sharePoint", 6);
    const time = suite.emulator.clock.now().toISOString();
    const { found, file } = await libraryItems({ siteWebUrl: site.siteWebUrl }, "Shared Documents", time);
    const explicit = { browseSessionId: found.browseSession.id, id: file.itemKey };

    const silent = stack();
    silent.program("sharePoint", [{ name: "file", args: { granularSiteRestoreArtifacts: [explicit] } }]);
    suite.emulator.requestLog.clear();
    const refused = await silent.runner.up({ allowErrors: true });
    expect(ops(refused)).to.deep.equal([]);
    expect(checkErrors(refused).join("\n")).to.include("granularSiteRestoreArtifacts[0].destinationType");
    expect(checkErrors(refused).join("\n")).to.include('destinationType: "new"');
    expect(graphWrites(suite.emulator).filter((write) => write.includes("RestoreSessions"))).to.deep.equal(
      [],
    );

    const inPlace = stack();
    inPlace.program("sharePoint", [
      { name: "file", args: { granularSiteRestoreArtifacts: [{ ...explicit, destinationType: "inPlace" }] } },
    ]);
    expect(checkErrors(await inPlace.runner.preview({ allowErrors: true })).join("\n")).to.include(
      "cannot restore granular items in place",
    );

    const accepted = stack();
    accepted.program("sharePoint", [
      {
        name: "file",
        args: {
          granularSiteRestoreArtifacts: [{ ...explicit, destinationType: "new" }],
          activate: true,
          waitForCompletion: true,
        },
      },
    ]);
    const done = await accepted.runner.up();
    expect(done.errors).to.deep.equal([]);
    expect(outputOf(done, "fileStatus")).to.equal("completed");
    const id = outputOf(done, "fileId") as string;
    const [artifact] = await graphList(
      suite.emulator,
      `${BASE}/sharePointRestoreSessions/${id}/granularSiteRestoreArtifacts`,
    );
    expect(artifact.destinationType).to.equal("new");
    expect(artifact.restoredItemWebUrl).to.not.equal(file.webUrl);
    expect(artifact.restoredItemPath).to.match(/\/Restored-/);
    suite.emulator.requestLog.clear();
    expect(ops(await accepted.runner.up())).to.deep.equal(["same"]);
    expect(graphWrites(suite.emulator)).to.deep.equal([]);
  });
});
