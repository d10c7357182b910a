/**
 * Bulk addition requests over HTTPS (Graph docs:
 * exchangerestoresession-post-mailboxrestoreartifactsbulkadditionrequests): the documented Exchange flow, the
 * SharePoint and OneDrive variants, every bulk error code, and the rules that tie a bulk request to its
 * session.
 */
import { expect } from "chai";
import { useEmulator } from "../helpers/emulator";
import {
  activate,
  artifactsOf,
  BULK,
  call,
  createSession,
  DAY_IN_MS,
  expectError,
  getSession,
  latestPoints,
  PREFER_UNKNOWN,
  SET,
  standard,
  unitIds,
} from "./sessions.fixtures";

const PAST_COMPLETION_MS = 120_000;

describe("emulator restore sessions: bulk addition requests", function () {
  const suite = useEmulator({ restoreMs: 60_000, unitsPerWorkload: 30 });

  function period(): { startDateTime: string; endDateTime: string } {
    const now = suite.emulator.clock.nowInMs();
    return {
      startDateTime: new Date(now - 7 * DAY_IN_MS).toISOString(),
      endDateTime: new Date(now).toISOString(),
    };
  }

  function unitField<K extends "email" | "siteWebUrl">(
    kind: "exchange" | "sharePoint" | "oneDriveForBusiness",
    field: K,
    from: number,
    count: number,
  ): string[] {
    const tenant = suite.emulator.service.tenant;
    return unitIds(suite.emulator, kind, false)
      .slice(from, from + count)
      .map((id) => tenant.unit(id)?.[field] ?? "");
  }

  it("runs the documented Exchange flow: empty session, bulk request, activate, completedWithErrors (8.4)", async function () {
    const session = await createSession(suite.emulator, "exchange");
    const mailboxes = [...unitField("exchange", "email", 0, 3), "nobody@contoso.com"];
    const created = await call(suite.emulator, "POST", `/${SET.exchange}/${session}/${BULK.exchange}`, {
      displayName: "Usermailbox-BulkRestoreArtifacts",
      mailboxes,
      protectionTimePeriod: period(),
      destinationType: "new",
      tags: "fastRestore",
      restorePointPreference: "latest",
    });
    expect(created.status, created.text).to.equal(201);
    const bulk = created.body;
    expect(bulk).to.include({
      "@odata.type": "#microsoft.graph.mailboxRestoreArtifactsBulkAdditionRequest",
      displayName: "Usermailbox-BulkRestoreArtifacts",
      destinationType: "new",
      tags: "fastRestore",
      restorePointPreference: "latest",
      status: "active",
    });
    expect(bulk.id).to.match(/^[0-9a-f-]{36}$/);
    expect(bulk.mailboxes).to.deep.equal(mailboxes);
    expect(bulk.createdBy.application.id).to.equal(suite.emulator.clientId);
    expect((await getSession(suite.emulator, session)).restoreJobType).to.equal("bulk");

    const fetched = await call(
      suite.emulator,
      "GET",
      `/${SET.exchange}/${session}/${BULK.exchange}/${bulk.id}`,
    );
    expect(fetched.status).to.equal(200);
    expect(fetched.body.mailboxes).to.deep.equal(mailboxes);
    const listed = await call(suite.emulator, "GET", `/${SET.exchange}/${session}/${BULK.exchange}`);
    expect(listed.body.value).to.have.length(1);
    expect(listed.body.value[0]).not.to.have.property("mailboxes");
    expect(listed.body.value[0]).to.have.property("directoryObjectIds");

    const early = await call(
      suite.emulator,
      "DELETE",
      `/${SET.exchange}/${session}/${BULK.exchange}/${bulk.id}`,
    );
    expectError(early, 403, "InvalidStateForBulkRequestDeletion");

    await activate(suite.emulator, session);
    const resolved = await call(
      suite.emulator,
      "GET",
      `/${SET.exchange}/${session}/${BULK.exchange}/${bulk.id}`,
    );
    expect(resolved.body.status).to.equal("completedWithErrors");
    expect(resolved.body.error.details).to.have.length(1);
    expect(resolved.body.error.details[0].target).to.equal("nobody@contoso.com");
    const artifacts = await artifactsOf(suite.emulator, "exchange", session);
    expect(artifacts).to.have.length(3);
    expect(artifacts.every((a) => a.destinationType === "new")).to.be.true;

    suite.emulator.clock.advance(PAST_COMPLETION_MS);
    expect((await getSession(suite.emulator, session)).status).to.equal("completed");
    const deleted = await call(
      suite.emulator,
      "DELETE",
      `/${SET.exchange}/${session}/${BULK.exchange}/${bulk.id}`,
    );
    expect(deleted.status).to.equal(204);
    expectError(
      await call(suite.emulator, "GET", `/${SET.exchange}/${session}/${BULK.exchange}/${bulk.id}`),
      404,
      "BulkRestoreArtifactsNotFound",
    );
    expect(await artifactsOf(suite.emulator, "exchange", session)).to.have.length(3);
  });

  it("resolves SharePoint site URLs and OneDrive accounts into artifacts and completes the bulk request", async function () {
    const sites = unitField("sharePoint", "siteWebUrl", 0, 2);
    const site = await createSession(suite.emulator, "sharePoint");
    const siteBulk = await call(suite.emulator, "POST", `/${SET.sharePoint}/${site}/${BULK.sharePoint}`, {
      siteWebUrls: sites,
      protectionTimePeriod: period(),
      destinationType: "inPlace",
    });
    expect(siteBulk.status, siteBulk.text).to.equal(201);
    expect(siteBulk.body.siteWebUrls).to.deep.equal(sites);
    const drives = unitField("oneDriveForBusiness", "email", 0, 2);
    const drive = await createSession(suite.emulator, "oneDriveForBusiness");
    const driveBulk = await call(
      suite.emulator,
      "POST",
      `/${SET.oneDriveForBusiness}/${drive}/${BULK.oneDriveForBusiness}`,
      {
        drives,
        protectionTimePeriod: period(),
        destinationType: "new",
      },
    );
    expect(driveBulk.status, driveBulk.text).to.equal(201);
    const driveList = await call(
      suite.emulator,
      "GET",
      `/${SET.oneDriveForBusiness}/${drive}/${BULK.oneDriveForBusiness}`,
    );
    expect(driveList.body.value[0]).not.to.have.property("drives");

    await activate(suite.emulator, site);
    await activate(suite.emulator, drive);
    const siteDone = await call(
      suite.emulator,
      "GET",
      `/${SET.sharePoint}/${site}/${BULK.sharePoint}/${siteBulk.body.id}`,
    );
    expect(siteDone.body).to.include({ status: "completed", error: null });
    expect(await artifactsOf(suite.emulator, "sharePoint", site)).to.have.length(2);
    expect(await artifactsOf(suite.emulator, "oneDriveForBusiness", drive)).to.have.length(2);
  });

  it("fails the session when the bulk request resolves nothing", async function () {
    const session = await createSession(suite.emulator, "exchange");
    const created = await call(suite.emulator, "POST", `/${SET.exchange}/${session}/${BULK.exchange}`, {
      mailboxes: ["ghost@contoso.com"],
      protectionTimePeriod: period(),
      destinationType: "new",
    });
    expect(created.status, created.text).to.equal(201);
    await activate(suite.emulator, session);
    suite.emulator.clock.advance(PAST_COMPLETION_MS);
    const failed = await getSession(suite.emulator, session, PREFER_UNKNOWN);
    expect(failed.status).to.equal("failed");
    expect(failed.restoreSessionArtifactCount.total).to.equal(0);
    expect(failed.error.details[0].target).to.equal("ghost@contoso.com");
  });

  describe("documented bulk errors", function () {
    const valid = (): object => ({
      mailboxes: ["a@contoso.com"],
      protectionTimePeriod: period(),
      destinationType: "new",
    });

    it("answers InvalidBulkRestoreArtifactId for a non-GUID id in the URI and 404s for unknown ones", async function () {
      expectError(
        await call(suite.emulator, "POST", `/${SET.exchange}/abc/${BULK.exchange}`, valid()),
        400,
        "InvalidBulkRestoreArtifactId",
      );
      const session = await createSession(suite.emulator, "exchange");
      expectError(
        await call(suite.emulator, "GET", `/${SET.exchange}/${session}/${BULK.exchange}/abc`),
        400,
        "InvalidBulkRestoreArtifactId",
      );
      expectError(
        await call(
          suite.emulator,
          "GET",
          `/${SET.exchange}/${session}/${BULK.exchange}/0d5c7a7e-4b7e-4c43-9a51-6e3f2d1c0b9a`,
        ),
        404,
        "BulkRestoreArtifactsNotFound",
      );
      expectError(
        await call(
          suite.emulator,
          "POST",
          `/${SET.exchange}/0d5c7a7e-4b7e-4c43-9a51-6e3f2d1c0b9a/${BULK.exchange}`,
          valid(),
        ),
        404,
        "RestoreSessionNotFound",
      );
    });

    it("answers BulkRestoreInvalidCreateRequest for an empty body, missing fields and protectionUnitIds", async function () {
      const session = await createSession(suite.emulator, "exchange");
      const path = `/${SET.exchange}/${session}/${BULK.exchange}`;
      const bodies = [
        undefined,
        {},
        { mailboxes: ["a@contoso.com"], protectionTimePeriod: period() },
        { mailboxes: ["a@contoso.com"], destinationType: "new" },
        { mailboxes: [], protectionTimePeriod: period(), destinationType: "new" },
        { protectionUnitIds: ["x"], protectionTimePeriod: period(), destinationType: "new" },
        {
          mailboxes: ["a@contoso.com"],
          protectionTimePeriod: period(),
          destinationType: "new",
          restorePointPreference: "middle",
        },
      ];
      for (const body of bodies) {
        expectError(await call(suite.emulator, "POST", path, body), 400, "BulkRestoreInvalidCreateRequest");
      }
      const unknown = await call(suite.emulator, "POST", path, {
        ...valid(),
        siteWebUrls: ["https://contoso.sharepoint.com"],
      });
      expect(expectError(unknown, 400, "BadRequest")).to.contain("'siteWebUrls'");
    });

    it("answers the URL, email and size codes", async function () {
      const site = await createSession(suite.emulator, "sharePoint");
      const badUrl = await call(suite.emulator, "POST", `/${SET.sharePoint}/${site}/${BULK.sharePoint}`, {
        siteWebUrls: ["https: //contoso1.sharepoint.com"],
        protectionTimePeriod: period(),
        destinationType: "new",
      });
      expectError(badUrl, 400, "BulkRestoreInvalidCreateRequestSiteUrl");
      const mailbox = await createSession(suite.emulator, "exchange");
      const path = `/${SET.exchange}/${mailbox}/${BULK.exchange}`;
      const badEmail = await call(suite.emulator, "POST", path, { ...valid(), mailboxes: ["not-an-email"] });
      expectError(badEmail, 400, "BulkRestoreInvalidCreateRequestUserEmail");
      const tooMany = Array.from({ length: 10_001 }, (_, i) => `user${i}@contoso.com`);
      const big = await call(suite.emulator, "POST", path, { ...valid(), mailboxes: tooMany });
      expectError(big, 400, "BulkRestoreRestorationResourcesCountExceedsLimit");
      const limit = await call(suite.emulator, "POST", path, { ...valid(), mailboxes: tooMany.slice(1) });
      expect(limit.status, limit.text).to.equal(201);
    });
  });

  describe("rules between a bulk request and its session", function () {
    it("allows one bulk request per session, none on a session with artifacts, and no PATCH on a bulk session", async function () {
      const body = { mailboxes: ["a@contoso.com"], protectionTimePeriod: period(), destinationType: "new" };
      const session = await createSession(suite.emulator, "exchange");
      const path = `/${SET.exchange}/${session}/${BULK.exchange}`;
      expect((await call(suite.emulator, "POST", path, body)).status).to.equal(201);
      expect(
        expectError(await call(suite.emulator, "POST", path, body), 400, "BulkRestoreInvalidCreateRequest"),
      ).to.contain("one is allowed");
      const [point] = await latestPoints(suite.emulator, unitIds(suite.emulator, "exchange").slice(20, 21));
      const patch = await call(suite.emulator, "PATCH", `/${SET.exchange}/${session}`, {
        mailboxRestoreArtifactsBulkAdditionRequests: [],
      });
      expectError(patch, 400, "BadRequest");
      const delta = await call(suite.emulator, "PATCH", `/${SET.exchange}/${session}`, {
        "mailboxRestoreArtifacts@delta": standard([point ?? ""]),
      });
      expectError(delta, 403, "RestoreSessionActionNotAllowed");

      const manual = await createSession(suite.emulator, "exchange", {
        mailboxRestoreArtifacts: standard([point ?? ""]),
      });
      const mixed = await call(suite.emulator, "POST", `/${SET.exchange}/${manual}/${BULK.exchange}`, body);
      expect(expectError(mixed, 400, "BulkRestoreInvalidCreateRequest")).to.contain("mix");
      await activate(suite.emulator, manual);
      expectError(
        await call(suite.emulator, "POST", `/${SET.exchange}/${manual}/${BULK.exchange}`, body),
        403,
        "RestoreSessionActionNotAllowed",
      );
    });

    it("lets a read-only client read bulk requests but not create them", async function () {
      const session = await createSession(suite.emulator, "exchange");
      const path = `/${SET.exchange}/${session}/${BULK.exchange}`;
      expect((await call(suite.emulator, "GET", path, undefined, { client: "readOnly" })).status).to.equal(
        200,
      );
      const denied = await call(suite.emulator, "POST", path, {}, { client: "readOnly" });
      expect(expectError(denied, 403, "Authorization_RequestDenied")).to.contain(
        "BackupRestore-Restore.ReadWrite.All",
      );
    });
  });
});
