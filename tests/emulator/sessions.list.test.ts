/**
 * Listing sessions and artifacts over HTTPS (Graph docs: backuprestoreroot-list-restoresessions,
 * sharepointrestoresession-list-siterestoreartifacts): server paging with absolute `@odata.nextLink` and
 * `$skiptoken`, the polymorphic list, and the router's strictness on paths, methods, query options and
 * permissions.
 */
import { expect } from "chai";
import { useEmulator } from "../helpers/emulator";
import {
  allPages,
  ARTIFACTS,
  call,
  createSession,
  expectError,
  latestPoints,
  SET,
  standard,
  unitIds,
} from "./sessions.fixtures";

describe("emulator restore sessions: lists, paging and routing", function () {
  // Page size 5 (test default) so a dozen sessions span three pages.
  const suite = useEmulator({ restoreMs: 60_000, unitsPerWorkload: 20, pageSize: 5 });
  const created: string[] = [];
  let artifactSession = "";

  before(async function () {
    const kinds = ["sharePoint", "exchange", "oneDriveForBusiness"] as const;
    for (let i = 0; i < 12; i++) {
      created.push(await createSession(suite.emulator, kinds[i % 3] ?? "sharePoint"));
    }
    const points = await latestPoints(suite.emulator, unitIds(suite.emulator, "sharePoint").slice(0, 12));
    artifactSession = await createSession(suite.emulator, "sharePoint", {
      siteRestoreArtifacts: standard(points),
    });
    created.push(artifactSession);
  });

  it("pages GET /restoreSessions with absolute nextLinks on the emulator's address (8.9)", async function () {
    const { items, pages, links } = await allPages(suite.emulator, "/restoreSessions");
    expect(pages).to.deep.equal([5, 5, 3]);
    expect(items.map((s) => s.id as string)).to.deep.equal(created);
    expect(items.map((s) => s.id as string)).to.deep.equal(suite.emulator.service.sessionIds());
    for (const link of links) {
      const url = new URL(link);
      expect(url.origin).to.equal(suite.emulator.graphEndpoint);
      expect(url.pathname).to.equal("/v1.0/solutions/backupRestore/restoreSessions");
      expect(url.searchParams.get("$skiptoken")).to.be.a("string").and.not.match(/^\d+$/);
    }
    const first = await call(suite.emulator, "GET", "/restoreSessions");
    expect(first.body["@odata.context"]).to.equal(
      `${suite.emulator.graphEndpoint}/v1.0/$metadata#solutions/backupRestore/restoreSessions`,
    );
    const kinds = new Set(items.map((s) => s["@odata.type"] as string));
    expect([...kinds].sort()).to.deep.equal([
      "#microsoft.graph.exchangeRestoreSession",
      "#microsoft.graph.oneDriveForBusinessRestoreSession",
      "#microsoft.graph.sharePointRestoreSession",
    ]);
    const item = items[0];
    for (const property of [
      "id",
      "status",
      "restoreJobType",
      "restoreSessionArtifactCount",
      "createdBy",
      "createdDateTime",
      "lastModifiedBy",
      "lastModifiedDateTime",
      "error",
    ]) {
      expect(item).to.have.property(property);
    }
  });

  it("lists one kind through its typed collection", async function () {
    const { items } = await allPages(suite.emulator, `/${SET.exchange}`);
    expect(items).to.have.length(4);
    expect(items.every((s) => s["@odata.type"] === "#microsoft.graph.exchangeRestoreSession")).to.be.true;
  });

  it("pages a session's siteRestoreArtifacts with the restore point expanded (8.10)", async function () {
    const { items, pages, links } = await allPages(
      suite.emulator,
      `/${SET.sharePoint}/${artifactSession}/${ARTIFACTS.sharePoint}`,
    );
    expect(pages).to.deep.equal([5, 5, 2]);
    expect(new URL(links[0] ?? "").pathname).to.equal(
      `/v1.0/solutions/backupRestore/sharePointRestoreSessions/${artifactSession}/siteRestoreArtifacts`,
    );
    const artifact = items[0];
    expect(artifact).to.include({
      destinationType: "new",
      status: "added",
      startDateTime: null,
      completionDateTime: null,
      error: null,
    });
    expect(artifact.restorePoint).to.have.keys(["id", "protectionDateTime", "expirationDateTime"]);
    expect(artifact).to.include({ restoredSiteId: null, restoredSiteName: null, restoredSiteWebUrl: null });
  });

  it("answers InvalidRestoreSessionId and RestoreSessionNotFound on the artifact lists", async function () {
    expectError(
      await call(suite.emulator, "GET", `/${SET.sharePoint}/not-a-guid/${ARTIFACTS.sharePoint}`),
      400,
      "InvalidRestoreSessionId",
    );
    const exchange = created[1] ?? "";
    expectError(
      await call(suite.emulator, "GET", `/${SET.sharePoint}/${exchange}/${ARTIFACTS.sharePoint}`),
      404,
      "RestoreSessionNotFound",
    );
    const mailboxes = await call(suite.emulator, "GET", `/${SET.exchange}/${exchange}/${ARTIFACTS.exchange}`);
    expect(mailboxes.status).to.equal(200);
    expect(mailboxes.body.value).to.deep.equal([]);
  });

  it("answers 400 for a $skiptoken that the emulator did not issue", async function () {
    expectError(await call(suite.emulator, "GET", "/restoreSessions?$skiptoken=garbage"), 400, "BadRequest");
  });

  it("matches segment names case-insensitively and reads OData key syntax", async function () {
    const id = created[0] ?? "";
    const lower = await call(suite.emulator, "GET", `/sharepointRestoreSessions/${id}`);
    expect(lower.status, lower.text).to.equal(200);
    const keyed = await call(suite.emulator, "GET", `/restoreSessions('${id}')`);
    expect(keyed.status, keyed.text).to.equal(200);
    expect(keyed.body.id).to.equal(id);
  });

  it("answers 404 naming an unknown path and 405 naming the method on a known one", async function () {
    const unknown = await call(suite.emulator, "GET", "/restoreSessionz");
    expect(expectError(unknown, 404, "ResourceNotFound")).to.contain(
      "/solutions/backupRestore/restoreSessionz",
    );
    const artifactById = await call(
      suite.emulator,
      "GET",
      `/sharePointRestoreSessions/${artifactSession}/siteRestoreArtifacts/abc`,
    );
    expectError(artifactById, 404, "ResourceNotFound");
    const put = await call(suite.emulator, "PATCH", `/restoreSessions/${created[0] ?? ""}`, {});
    const message = expectError(put, 405, "MethodNotAllowed");
    expect(message).to.contain("PATCH");
    expect(message).to.contain(`/solutions/backupRestore/restoreSessions/${created[0] ?? ""}`);
    expect(put.headers["allow"]).to.contain("GET");
    const postList = await call(suite.emulator, "POST", "/restoreSessions", {});
    expectError(postList, 405, "MethodNotAllowed");
  });

  it("rejects query options the operation does not take, naming them", async function () {
    for (const option of [
      "$top=2",
      "$filter=status eq 'draft'",
      "$select=id",
      "$count=true",
      "$orderby=id",
    ]) {
      const name = option.split("=")[0] ?? "";
      const response = await call(suite.emulator, "GET", `/restoreSessions?${option}`);
      expect(expectError(response, 400, "BadRequest")).to.contain(`'${name}'`);
    }
    const granular = await call(
      suite.emulator,
      "GET",
      `/sharePointRestoreSessions/${artifactSession}/granularSiteRestoreArtifacts?$skiptoken=x`,
    );
    expect(expectError(granular, 400, "BadRequest")).to.contain("$skiptoken");
    const item = await call(
      suite.emulator,
      "GET",
      `/restoreSessions/${artifactSession}?$expand=siteRestoreArtifacts`,
    );
    expect(expectError(item, 400, "BadRequest")).to.contain("$expand");
  });

  it("lets a read-only client list sessions and artifacts but not the granular lists", async function () {
    const readOnly = { client: "readOnly" as const };
    expect((await call(suite.emulator, "GET", "/restoreSessions", undefined, readOnly)).status).to.equal(200);
    const artifacts = await call(
      suite.emulator,
      "GET",
      `/sharePointRestoreSessions/${artifactSession}/siteRestoreArtifacts`,
      undefined,
      readOnly,
    );
    expect(artifacts.status).to.equal(200);
    const granular = await call(
      suite.emulator,
      "GET",
      `/sharePointRestoreSessions/${artifactSession}/granularSiteRestoreArtifacts`,
      undefined,
      readOnly,
    );
    expect(expectError(granular, 403, "Authorization_RequestDenied")).to.contain(
      "BackupRestore-Restore.ReadWrite.All",
    );
    const remove = await call(
      suite.emulator,
      "DELETE",
      `/restoreSessions/${artifactSession}`,
      undefined,
      readOnly,
    );
    expectError(remove, 403, "Authorization_RequestDenied");
  });

  it("serves the same operations under /beta", async function () {
    const beta = await call(suite.emulator, "GET", "/restoreSessions", undefined, { version: "beta" });
    expect(beta.status).to.equal(200);
    expect(beta.body["@odata.context"]).to.contain("/beta/$metadata#");
    expect(new URL(beta.body["@odata.nextLink"]).pathname).to.match(/^\/beta\//);
  });
});
