/**
 * Restore session update (PATCH with `...Artifacts@delta`) over HTTPS: the documented add/remove
 * examples (Graph docs: {kind}restoresession-update) with per-item failures inline, the limits, and the state
 * rules (backup-storage-error-codes).
 */
import { expect } from "chai";
import { graphCall, useEmulator } from "../helpers/emulator";
import {
  activate,
  artifactsOf,
  browseItem,
  call,
  createSession,
  expectError,
  getSession,
  isIsoTimestamp,
  type Json,
  latestPoints,
  mailboxSearch,
  standard,
  unitIds,
} from "./sessions.fixtures";

describe("emulator restore sessions: update with @delta", function () {
  const suite = useEmulator({ restoreMs: 60_000, unitsPerWorkload: 80 });
  let next = 0;

  /** Restore points of units no other test in this suite has used. */
  async function freshSitePoints(count: number): Promise<string[]> {
    const units = unitIds(suite.emulator, "sharePoint", false).slice(next, next + count);
    next += count;
    return latestPoints(suite.emulator, units);
  }

  function patch(id: string, body: unknown, version: "v1.0" | "beta" = "v1.0") {
    return call(suite.emulator, "PATCH", `/sharePointRestoreSessions/${id}`, body, { version });
  }

  it("adds and removes artifacts and reports a missing id inline with 200 (8.6)", async function () {
    const [first, second, ...added] = await freshSitePoints(6);
    const id = await createSession(suite.emulator, "sharePoint", {
      siteRestoreArtifacts: standard([first ?? "", second ?? ""]),
    });
    const existing = (await artifactsOf(suite.emulator, "sharePoint", id)).map((a) => a.id as string);
    const missing = "959ba739-70b5-43c4-8c90-b2c22014f18c";
    const response = await patch(id, {
      "siteRestoreArtifacts@delta": [
        ...standard(added),
        { "@removed": { reason: "changed" }, id: existing[0] },
        { "@removed": { reason: "changed" }, id: existing[1] },
        { "@removed": { reason: "changed" }, id: missing },
      ],
    });
    expect(response.status, response.text).to.equal(200);
    const delta = response.body["siteRestoreArtifacts@delta"] as Json[];
    expect(response.body.id).to.equal(id);
    expect(delta).to.have.length(7);
    delta.slice(0, 4).forEach((element, i) => {
      expect(element).to.include({ destinationType: "new", status: "added" });
      expect(element.restorePoint).to.deep.equal({ id: added[i] });
      expect(element.id).to.match(/^[0-9a-f-]{36}$/);
      expect(isIsoTimestamp(element.createdDateTime)).to.be.true;
    });
    expect(delta[4]).to.deep.equal({ id: existing[0], "@removed": { reason: "changed" } });
    expect(delta[5]).to.deep.equal({ id: existing[1], "@removed": { reason: "changed" } });
    expect(delta[6].id).to.equal(missing);
    expect(delta[6]["@contentId"]).to.match(/^[0-9a-f-]{36}$/);
    expect(delta[6]["@Core.DataModificationException"]).to.deep.equal({
      info: {
        code: "Invalid",
        message: "The identifier to be removed from the Restore Session does not exist",
      },
      failedOperation: "remove",
      responseCode: 409,
    });

    const session = await getSession(suite.emulator, id);
    expect(session.restoreSessionArtifactCount.total).to.equal(4);
    expect(session.status).to.equal("draft");
    const now = (await artifactsOf(suite.emulator, "sharePoint", id)).map((a) => a.restorePoint.id as string);
    expect(now).to.have.members(added);
  });

  it("adds and removes granular site items (8.6, v1.0 granular) and echoes them in the granular shape", async function () {
    const units = unitIds(suite.emulator, "sharePoint", false).slice(70, 72);
    const first = await browseItem(suite.emulator, "sharePoint", units[0] ?? "");
    const second = await browseItem(suite.emulator, "sharePoint", units[1] ?? "");
    const id = await createSession(suite.emulator, "sharePoint", {
      granularSiteRestoreArtifacts: [{ browseSessionId: first.browseSessionId, id: first.itemKey }],
    });
    const response = await patch(id, {
      "granularSiteRestoreArtifacts@delta": [
        { browseSessionId: second.browseSessionId, id: second.itemKey },
        { "@removed": { reason: "changed" }, id: first.itemKey },
      ],
    });
    expect(response.status, response.text).to.equal(200);
    const [added, removed] = response.body["granularSiteRestoreArtifacts@delta"];
    expect(added).to.include({
      id: second.itemKey,
      browseSessionId: second.browseSessionId,
      status: "added",
      restoredItemKey: "",
      restoredItemPath: null,
      restoredItemWebUrl: "",
      webUrl: second.webUrl,
      startDateTime: "0001-01-01T00:00:00Z",
      completionDateTime: "0001-01-01T00:00:00Z",
    });
    expect(added).to.have.property("siteId");
    expect(added).not.to.have.property("destinationType");
    expect(removed).to.deep.equal({ id: first.itemKey, "@removed": { reason: "changed" } });
    const list = await call(
      suite.emulator,
      "GET",
      `/sharePointRestoreSessions/${id}/granularSiteRestoreArtifacts`,
    );
    expect((list.body.value as Json[]).map((a) => a.id as string)).to.deep.equal([second.itemKey]);
  });

  it("answers 400 InvalidPatchRequest for a body that is not JSON (error table, Patch session)", async function () {
    const id = await createSession(suite.emulator, "sharePoint");
    const response = await graphCall(suite.emulator, {
      method: "PATCH",
      path: `/solutions/backupRestore/sharePointRestoreSessions/${id}`,
      rawBody: '{"siteRestoreArtifacts@delta": [',
      headers: { "content-type": "application/json" },
    });
    expect(response.status, response.text).to.equal(400);
    expect(response.body.error.code).to.equal("InvalidPatchRequest");
  });

  it("writes a literal $skiptoken= in every @odata.nextLink, as Graph does", async function () {
    for (let i = 0; i < 6; i++) await createSession(suite.emulator, "sharePoint");
    const listed = await graphCall(suite.emulator, {
      method: "GET",
      path: "/solutions/backupRestore/restoreSessions",
    });
    const link = listed.body["@odata.nextLink"] as string;
    expect(link).to.match(/\?\$skiptoken=[^&]+$/);
    expect(link).to.not.include("%24skiptoken");
    const next = await graphCall(suite.emulator, { method: "GET", path: link });
    expect(next.status, next.text).to.equal(200);
  });

  it("answers 400 RestoreArtifactsLimitBreached above 50 elements and accepts exactly 50", async function () {
    const id = await createSession(suite.emulator, "sharePoint");
    const points = await freshSitePoints(50);
    const tooMany = [
      ...standard(points),
      { "@removed": { reason: "changed" }, id: "4267e382-71a9-4c07-bef7-bda97e09c0d2" },
    ];
    expectError(
      await patch(id, { "siteRestoreArtifacts@delta": tooMany }),
      400,
      "RestoreArtifactsLimitBreached",
    );
    const ok = await patch(id, { "siteRestoreArtifacts@delta": standard(points) });
    expect(ok.status, ok.text).to.equal(200);
    expect((await getSession(suite.emulator, id)).restoreSessionArtifactCount.total).to.equal(50);
  });

  it("answers DuplicateArtifactInList for a unit added twice or already in the session, and allows replacing it", async function () {
    const [point] = await freshSitePoints(1);
    const id = await createSession(suite.emulator, "sharePoint", {
      siteRestoreArtifacts: standard([point ?? ""]),
    });
    expectError(
      await patch(id, { "siteRestoreArtifacts@delta": standard([point ?? "", point ?? ""]) }),
      400,
      "DuplicateArtifactInList",
    );
    const message = expectError(
      await patch(id, { "siteRestoreArtifacts@delta": standard([point ?? ""]) }),
      400,
      "DuplicateArtifactInList",
    );
    expect(message).to.contain("already holds");
    const [existing] = await artifactsOf(suite.emulator, "sharePoint", id);
    const twice = { "@removed": { reason: "changed" }, id: existing?.id };
    const removeTwice = await patch(id, { "siteRestoreArtifacts@delta": [twice, twice] });
    expect(expectError(removeTwice, 400, "DuplicateArtifactInList")).to.contain(
      "siteRestoreArtifacts@delta[1]",
    );
    const replaced = await patch(id, {
      "siteRestoreArtifacts@delta": [
        { "@removed": { reason: "changed" }, id: existing.id },
        ...standard([point ?? ""]),
      ],
    });
    expect(replaced.status, replaced.text).to.equal(200);
    expect((await getSession(suite.emulator, id)).restoreSessionArtifactCount.total).to.equal(1);
  });

  it("answers DifferentRestoreDestinationType when an addition differs from the session's artifacts, changing nothing", async function () {
    const [a, b] = await freshSitePoints(2);
    const id = await createSession(suite.emulator, "sharePoint", {
      siteRestoreArtifacts: standard([a ?? ""], "new"),
    });
    const before = await getSession(suite.emulator, id);
    expectError(
      await patch(id, { "siteRestoreArtifacts@delta": standard([b ?? ""], "inPlace") }),
      400,
      "DifferentRestoreDestinationType",
    );
    const after = await getSession(suite.emulator, id);
    expect(after.restoreSessionArtifactCount).to.deep.equal(before.restoreSessionArtifactCount);
    expect(after.lastModifiedDateTime).to.equal(before.lastModifiedDateTime);
  });

  it("answers InvalidPatchRequest, InvalidArtifactRequest and InvalidRestorePoint for malformed deltas", async function () {
    const id = await createSession(suite.emulator, "sharePoint");
    expectError(await patch(id, {}), 400, "InvalidPatchRequest");
    expectError(await patch(id, { siteRestoreArtifacts: [] }), 400, "InvalidPatchRequest");
    expectError(
      await patch(id, { "siteRestoreArtifacts@delta": [{ "@removed": {}, id: "x" }] }),
      400,
      "InvalidPatchRequest",
    );
    expectError(await patch(id, { "siteRestoreArtifacts@delta": null }), 400, "InvalidArtifactRequest");
    expectError(await patch(id, { "siteRestoreArtifacts@delta": [] }), 400, "InvalidArtifactRequest");
    expectError(
      await patch(id, {
        "siteRestoreArtifacts@delta": [{ restorePoint: { id: "bm9wZQ==" }, destinationType: "new" }],
      }),
      400,
      "InvalidRestorePoint",
    );
    const unknown = await patch(id, { "siteRestoreArtifacts@delta": [], displayName: "x" });
    expect(expectError(unknown, 400, "BadRequest")).to.contain("'displayName'");
    const conflict = await patch(id, { "@microsoft.graph.conflictBehavior": "rename" }, "beta");
    expect(expectError(conflict, 400, "BadRequest")).to.contain("conflictBehavior");
  });

  it("answers InvalidRestoreSessionId and RestoreSessionNotFound for bad ids", async function () {
    expectError(await patch("12345", { "siteRestoreArtifacts@delta": [] }), 400, "InvalidRestoreSessionId");
    const exchange = await createSession(suite.emulator, "exchange");
    expectError(await patch(exchange, { "siteRestoreArtifacts@delta": [] }), 404, "RestoreSessionNotFound");
  });

  it("refuses to mix granular and standard artifacts in one session but lets an empty session become granular", async function () {
    const [point] = await freshSitePoints(1);
    const unit = unitIds(suite.emulator, "sharePoint", false)[75] ?? "";
    const item = await browseItem(suite.emulator, "sharePoint", unit);
    const granularDelta = {
      "granularSiteRestoreArtifacts@delta": [{ browseSessionId: item.browseSessionId, id: item.itemKey }],
    };
    const standardSession = await createSession(suite.emulator, "sharePoint", {
      siteRestoreArtifacts: standard([point ?? ""]),
    });
    expectError(await patch(standardSession, granularDelta), 400, "InvalidArtifactRequest");
    expectError(
      await patch(standardSession, {
        ...granularDelta,
        "siteRestoreArtifacts@delta": standard([point ?? ""]),
      }),
      400,
      "InvalidArtifactRequest",
    );
    const empty = await createSession(suite.emulator, "sharePoint");
    expect((await patch(empty, granularDelta)).status).to.equal(200);
    const session = await getSession(suite.emulator, empty, { prefer: "include-unknown-enum-members" });
    expect(session.restoreJobType).to.equal("granular");
  });

  it("rejects the undocumented granularMailboxRestoreArtifacts@delta, naming it", async function () {
    const unit = unitIds(suite.emulator, "exchange", false)[0] ?? "";
    const search = await mailboxSearch(suite.emulator, unit);
    const id = await createSession(suite.emulator, "exchange");
    const response = await call(suite.emulator, "PATCH", `/exchangeRestoreSessions/${id}`, {
      "granularMailboxRestoreArtifacts@delta": [
        {
          restorePoint: { id: search.restorePointId },
          destinationType: "new",
          searchResponseId: search.searchResponseId,
        },
      ],
    });
    expect(expectError(response, 400, "BadRequest")).to.contain("granularMailboxRestoreArtifacts@delta");
  });

  it("answers 403 RestoreSessionActionNotAllowed once the session is activated", async function () {
    const [a, b] = await freshSitePoints(2);
    const id = await createSession(suite.emulator, "sharePoint", {
      siteRestoreArtifacts: standard([a ?? ""]),
    });
    await activate(suite.emulator, id);
    const message = expectError(
      await patch(id, { "siteRestoreArtifacts@delta": standard([b ?? ""]) }),
      403,
      "RestoreSessionActionNotAllowed",
    );
    expect(message).to.contain("activating");
  });

  it("updates lastModifiedDateTime and lastModifiedBy on a successful PATCH", async function () {
    const [a, b] = await freshSitePoints(2);
    const id = await createSession(suite.emulator, "sharePoint", {
      siteRestoreArtifacts: standard([a ?? ""]),
    });
    suite.emulator.clock.advance(60_000);
    expect((await patch(id, { "siteRestoreArtifacts@delta": standard([b ?? ""]) })).status).to.equal(200);
    const session = await getSession(suite.emulator, id);
    expect(Date.parse(session.lastModifiedDateTime) - Date.parse(session.createdDateTime)).to.be.at.least(
      60_000,
    );
    expect(session.lastModifiedBy.application.id).to.equal(suite.emulator.clientId);
  });
});
