/**
 * Restore session create (POST on the three typed collections) over HTTPS: the documented examples
 * (Graph docs: backuprestoreroot-post-{kind}restoresessions), every create error code
 * (backup-storage-error-codes) and the emulator's strictness.
 */
import { expect } from "chai";
import { useEmulator } from "../helpers/emulator";
import {
  browseItem,
  call,
  createSession,
  expectError,
  getSession,
  isIsoTimestamp,
  type Json,
  latestPoints,
  mailboxSearch,
  PREFER_UNKNOWN,
  restorePointIds,
  SET,
  standard,
  unitIds,
} from "./sessions.fixtures";

describe("emulator restore sessions: create", function () {
  const suite = useEmulator({ restoreMs: 60_000, unitsPerWorkload: 60 });

  async function sitePoints(count: number, offset = 0): Promise<string[]> {
    return latestPoints(
      suite.emulator,
      unitIds(suite.emulator, "sharePoint", false).slice(offset, offset + count),
    );
  }

  describe("documented examples", function () {
    it("creates a standard SharePoint session as a draft with its artifact count (8.1)", async function () {
      const points = await sitePoints(2);
      const response = await call(suite.emulator, "POST", "/sharePointRestoreSessions", {
        siteRestoreArtifacts: standard(points, "inPlace"),
      });
      expect(response.status, response.text).to.equal(201);
      const body = response.body;
      expect(body["@odata.context"]).to.equal(
        `${suite.emulator.graphEndpoint}/v1.0/$metadata#solutions/backupRestore/sharePointRestoreSessions/$entity`,
      );
      expect(body["@odata.type"]).to.equal("#microsoft.graph.sharePointRestoreSession");
      expect(body.id).to.match(/^[0-9a-f-]{36}$/);
      expect(body.status).to.equal("draft");
      expect(body.restoreJobType).to.equal("standard");
      expect(body.restoreSessionArtifactCount).to.deep.equal({
        total: 2,
        inProgress: 0,
        completed: 0,
        failed: 0,
      });
      expect(body.createdBy.application.id).to.equal(suite.emulator.clientId);
      expect(body.lastModifiedBy.application.id).to.equal(suite.emulator.clientId);
      expect(isIsoTimestamp(body.createdDateTime)).to.be.true;
      expect(body.lastModifiedDateTime).to.equal(body.createdDateTime);
      expect(body.completedDateTime).to.equal(null);
      expect(body.error).to.equal(null);
      expect(suite.emulator.service.sessionIds()).to.include(body.id);
    });

    it("creates a standard Exchange session (8.3) and a standard OneDrive session to new locations (8.5)", async function () {
      const mailboxes = await latestPoints(
        suite.emulator,
        unitIds(suite.emulator, "exchange", false).slice(0, 2),
      );
      const exchange = await call(suite.emulator, "POST", "/exchangeRestoreSessions", {
        mailboxRestoreArtifacts: standard(mailboxes, "inPlace"),
      });
      expect(exchange.status, exchange.text).to.equal(201);
      expect(exchange.body["@odata.type"]).to.equal("#microsoft.graph.exchangeRestoreSession");
      expect(exchange.body).to.include({ status: "draft", restoreJobType: "standard", error: null });
      expect(exchange.body.restoreSessionArtifactCount.total).to.equal(2);

      const drives = await latestPoints(
        suite.emulator,
        unitIds(suite.emulator, "oneDriveForBusiness", false).slice(0, 2),
      );
      const oneDrive = await call(suite.emulator, "POST", "/oneDriveForBusinessRestoreSessions", {
        driveRestoreArtifacts: standard(drives, "new"),
      });
      expect(oneDrive.status, oneDrive.text).to.equal(201);
      expect(oneDrive.body["@odata.type"]).to.equal("#microsoft.graph.oneDriveForBusinessRestoreSession");
      expect(oneDrive.body["@odata.context"]).to.match(
        /#solutions\/backupRestore\/oneDriveForBusinessRestoreSessions\/\$entity$/,
      );
      expect(oneDrive.body.restoreSessionArtifactCount).to.deep.equal({
        total: 2,
        inProgress: 0,
        completed: 0,
        failed: 0,
      });
    });

    it("creates a granular SharePoint session in beta with a conflict behavior (8.2 example 3)", async function () {
      const [unit] = unitIds(suite.emulator, "sharePoint", false);
      const item = await browseItem(suite.emulator, "sharePoint", unit ?? "");
      const response = await call(
        suite.emulator,
        "POST",
        "/sharePointRestoreSessions",
        {
          "@microsoft.graph.conflictBehavior": "rename",
          granularSiteRestoreArtifacts: [
            { browseSessionId: item.browseSessionId, id: item.itemKey, destinationType: "inPlace" },
          ],
        },
        { version: "beta", headers: PREFER_UNKNOWN },
      );
      expect(response.status, response.text).to.equal(201);
      expect(response.body).to.include({ status: "draft", restoreJobType: "granular" });
      expect(response.body.restoreSessionArtifactCount).to.deep.equal({
        total: 1,
        inProgress: 0,
        completed: 0,
        failed: 0,
      });
    });

    it("reports restoreJobType granular as unknownFutureValue without the Prefer header (8.2 example 2, v1.0)", async function () {
      const [unit] = unitIds(suite.emulator, "oneDriveForBusiness", false);
      const item = await browseItem(suite.emulator, "oneDriveForBusiness", unit ?? "");
      const response = await call(suite.emulator, "POST", "/oneDriveForBusinessRestoreSessions", {
        granularDriveRestoreArtifacts: [{ browseSessionId: item.browseSessionId, id: item.itemKey }],
      });
      expect(response.status, response.text).to.equal(201);
      expect(response.body.restoreJobType).to.equal("unknownFutureValue");
      const again = await getSession(suite.emulator, response.body.id, PREFER_UNKNOWN);
      expect(again.restoreJobType).to.equal("granular");
    });

    it("creates a granular Exchange session from a search response, with the entity's @odata.type (8.3)", async function () {
      const [unit] = unitIds(suite.emulator, "exchange", false);
      const search = await mailboxSearch(suite.emulator, unit ?? "");
      const response = await call(
        suite.emulator,
        "POST",
        "/exchangeRestoreSessions",
        {
          "@odata.type": "#microsoft.graph.exchangeRestoreSession",
          granularMailboxRestoreArtifacts: [
            {
              restorePoint: { id: search.restorePointId },
              destinationType: "inPlace",
              searchResponseId: search.searchResponseId,
            },
          ],
        },
        { version: "beta", headers: PREFER_UNKNOWN },
      );
      expect(response.status, response.text).to.equal(201);
      expect(response.body.restoreJobType).to.equal("granular");
      const list = await call(
        suite.emulator,
        "GET",
        `/exchangeRestoreSessions/${response.body.id}/granularMailboxRestoreArtifacts`,
      );
      expect(list.status, list.text).to.equal(200);
      expect(list.body.value).to.have.length(1);
      expect(list.body.value[0]).to.include({
        status: "added",
        destinationType: "inPlace",
        searchResponseId: search.searchResponseId,
        restoredFolderId: null,
        error: null,
      });
    });

    for (const kind of ["sharePoint", "exchange", "oneDriveForBusiness"] as const) {
      it(`creates an empty standard ${kind} session from an empty body, {} or no payload`, async function () {
        for (const body of [undefined, {}]) {
          const response = await call(suite.emulator, "POST", `/${SET[kind]}`, body);
          expect(response.status, response.text).to.equal(201);
          expect(response.body).to.include({ status: "draft", restoreJobType: "standard" });
          expect(response.body.restoreSessionArtifactCount.total).to.equal(0);
        }
      });
    }

    it("accepts the older restore point reference { @odata.id } as a bare id or a URL", async function () {
      const points = await sitePoints(2, 2);
      const id = await createSession(suite.emulator, "sharePoint", {
        siteRestoreArtifacts: [
          { restorePoint: { "@odata.id": points[0] }, destinationType: "new" },
          {
            restorePoint: {
              "@odata.id": `https://graph.microsoft.com/v1.0/solutions/backupRestore/restorePoints/${points[1]}`,
            },
            destinationType: "new",
          },
        ],
      });
      const artifacts = await call(
        suite.emulator,
        "GET",
        `/sharePointRestoreSessions/${id}/siteRestoreArtifacts`,
      );
      expect((artifacts.body.value as Json[]).map((a) => a.restorePoint.id as string)).to.deep.equal(points);
    });
  });

  describe("documented create errors", function () {
    it("answers InvalidArtifactRequest for an empty or null artifact list and for standard mixed with granular", async function () {
      for (const body of [{ siteRestoreArtifacts: [] }, { siteRestoreArtifacts: null }]) {
        expectError(
          await call(suite.emulator, "POST", "/sharePointRestoreSessions", body),
          400,
          "InvalidArtifactRequest",
        );
      }
      const [point] = await sitePoints(1);
      const mixed = await call(suite.emulator, "POST", "/sharePointRestoreSessions", {
        siteRestoreArtifacts: standard([point ?? ""]),
        granularSiteRestoreArtifacts: [{ browseSessionId: "x", id: "y" }],
      });
      expect(expectError(mixed, 400, "InvalidArtifactRequest")).to.contain("granularSiteRestoreArtifacts");
    });

    it("answers InvalidRestorePoint for an unknown, empty, missing or other-workload restore point", async function () {
      const [mailboxPoint] = await latestPoints(
        suite.emulator,
        unitIds(suite.emulator, "exchange").slice(0, 1),
      );
      const bodies = [
        { siteRestoreArtifacts: [{ restorePoint: { id: "bm90LWEtcG9pbnQ=" }, destinationType: "new" }] },
        { siteRestoreArtifacts: [{ restorePoint: { id: "" }, destinationType: "new" }] },
        { siteRestoreArtifacts: [{ destinationType: "new" }] },
        { siteRestoreArtifacts: [{ restorePoint: { id: mailboxPoint }, destinationType: "new" }] },
      ];
      for (const body of bodies) {
        const message = expectError(
          await call(suite.emulator, "POST", "/sharePointRestoreSessions", body),
          400,
          "InvalidRestorePoint",
        );
        expect(message).to.contain("siteRestoreArtifacts[0].restorePoint");
      }
    });

    it("answers InvalidPathType when destinationType is missing or unknown", async function () {
      const [point] = await sitePoints(1);
      for (const destination of [undefined, "elsewhere", "unknownFutureValue"]) {
        const body = {
          siteRestoreArtifacts: [{ restorePoint: { id: point }, destinationType: destination }],
        };
        const message = expectError(
          await call(suite.emulator, "POST", "/sharePointRestoreSessions", body),
          400,
          "InvalidPathType",
        );
        expect(message).to.contain("destinationType");
      }
    });

    it("answers DifferentRestoreDestinationType when artifacts mix new and inPlace", async function () {
      const points = await sitePoints(2);
      const body = {
        siteRestoreArtifacts: [
          { restorePoint: { id: points[0] }, destinationType: "new" },
          { restorePoint: { id: points[1] }, destinationType: "inPlace" },
        ],
      };
      expectError(
        await call(suite.emulator, "POST", "/sharePointRestoreSessions", body),
        400,
        "DifferentRestoreDestinationType",
      );
    });

    it("answers DuplicateArtifactInList for the same restore point twice and for two points of one unit", async function () {
      const [unit] = unitIds(suite.emulator, "sharePoint", false);
      const [newest, older] = await restorePointIds(suite.emulator, unit ?? "");
      for (const pair of [
        [newest, newest],
        [newest, older],
      ]) {
        const body = { siteRestoreArtifacts: standard(pair) };
        const message = expectError(
          await call(suite.emulator, "POST", "/sharePointRestoreSessions", body),
          400,
          "DuplicateArtifactInList",
        );
        expect(message).to.contain("siteRestoreArtifacts[1]");
      }
    });

    it("answers 413 RestoreArtifactsLimitBreached above 50 artifacts and accepts exactly 50", async function () {
      // The size check comes before the per-artifact checks, so 51 copies of one point are "too many".
      const [point] = await sitePoints(1);
      const tooMany = { siteRestoreArtifacts: standard(Array.from({ length: 51 }, () => point ?? "")) };
      expectError(
        await call(suite.emulator, "POST", "/sharePointRestoreSessions", tooMany),
        413,
        "RestoreArtifactsLimitBreached",
      );
      const fifty = await latestPoints(suite.emulator, unitIds(suite.emulator, "sharePoint").slice(0, 50));
      const created = await call(suite.emulator, "POST", "/sharePointRestoreSessions", {
        siteRestoreArtifacts: standard(fifty),
      });
      expect(created.status, created.text).to.equal(201);
      expect(created.body.restoreSessionArtifactCount.total).to.equal(50);
    });

    it("rejects @microsoft.graph.conflictBehavior in v1.0, on standard sessions, on Exchange and with unknown values", async function () {
      const [point] = await sitePoints(1);
      const [unit] = unitIds(suite.emulator, "sharePoint", false);
      const item = await browseItem(suite.emulator, "sharePoint", unit ?? "");
      const granular = {
        granularSiteRestoreArtifacts: [{ browseSessionId: item.browseSessionId, id: item.itemKey }],
      };
      const cases: { path: string; body: object; version: "v1.0" | "beta" }[] = [
        {
          path: "/sharePointRestoreSessions",
          body: { "@microsoft.graph.conflictBehavior": "rename", ...granular },
          version: "v1.0",
        },
        {
          path: "/sharePointRestoreSessions",
          body: {
            "@microsoft.graph.conflictBehavior": "rename",
            siteRestoreArtifacts: standard([point ?? ""]),
          },
          version: "beta",
        },
        {
          path: "/exchangeRestoreSessions",
          body: { "@microsoft.graph.conflictBehavior": "fail" },
          version: "beta",
        },
        {
          path: "/sharePointRestoreSessions",
          body: { "@microsoft.graph.conflictBehavior": "merge", ...granular },
          version: "beta",
        },
      ];
      for (const { path, body, version } of cases) {
        const message = expectError(
          await call(suite.emulator, "POST", path, body, { version }),
          400,
          "BadRequest",
        );
        expect(message).to.contain("conflictBehavior");
      }
    });

    it("accepts destinationType on granular site artifacts only in beta", async function () {
      const [unit] = unitIds(suite.emulator, "sharePoint", false);
      const item = await browseItem(suite.emulator, "sharePoint", unit ?? "");
      const body = {
        granularSiteRestoreArtifacts: [
          { browseSessionId: item.browseSessionId, id: item.itemKey, destinationType: "new" },
        ],
      };
      const v1 = await call(suite.emulator, "POST", "/sharePointRestoreSessions", body);
      expect(expectError(v1, 400, "BadRequest")).to.contain(
        "granularSiteRestoreArtifacts[0].destinationType",
      );
      const beta = await call(suite.emulator, "POST", "/sharePointRestoreSessions", body, {
        version: "beta",
      });
      expect(beta.status, beta.text).to.equal(201);
    });

    it("answers InvalidArtifactRequest for a browse item that the browse session does not have", async function () {
      const [unit] = unitIds(suite.emulator, "sharePoint", false);
      const item = await browseItem(suite.emulator, "sharePoint", unit ?? "");
      const body = {
        granularSiteRestoreArtifacts: [{ browseSessionId: item.browseSessionId, id: "no-such-item" }],
      };
      expectError(
        await call(suite.emulator, "POST", "/sharePointRestoreSessions", body),
        400,
        "InvalidArtifactRequest",
      );
    });
  });

  describe("strictness", function () {
    it("names an unknown or read-only property of the session or of an artifact", async function () {
      const [point] = await sitePoints(1);
      const cases: [object, string][] = [
        [{ siteRestoreArtifact: standard([point ?? ""]) }, "siteRestoreArtifact"],
        [{ status: "active" }, "status"],
        [{ mailboxRestoreArtifacts: standard([point ?? ""]) }, "mailboxRestoreArtifacts"],
        [
          { siteRestoreArtifacts: [{ restorePoint: { id: point }, destinationType: "new", colour: "blue" }] },
          "siteRestoreArtifacts[0].colour",
        ],
        [
          {
            siteRestoreArtifacts: [
              { restorePoint: { id: point }, destinationType: "new", status: "succeeded" },
            ],
          },
          "siteRestoreArtifacts[0].status",
        ],
      ];
      for (const [body, name] of cases) {
        const message = expectError(
          await call(suite.emulator, "POST", "/sharePointRestoreSessions", body),
          400,
          "BadRequest",
        );
        expect(message).to.contain(`'${name}'`);
      }
    });

    it("rejects the singular granularMailboxRestoreArtifact key and a body whose @odata.type is another kind", async function () {
      const singular = await call(suite.emulator, "POST", "/exchangeRestoreSessions", {
        granularMailboxRestoreArtifact: [],
      });
      expect(expectError(singular, 400, "BadRequest")).to.contain("granularMailboxRestoreArtifact");
      const wrongType = await call(suite.emulator, "POST", "/exchangeRestoreSessions", {
        "@odata.type": "#microsoft.graph.sharePointRestoreSession",
      });
      expect(expectError(wrongType, 400, "BadRequest")).to.contain("@odata.type");
    });

    it("answers InvalidRestoreSessionId for a malformed id and RestoreSessionNotFound for an unknown one", async function () {
      expectError(
        await call(suite.emulator, "GET", "/restoreSessions/not-a-guid"),
        400,
        "InvalidRestoreSessionId",
      );
      const missing = "0b6b1a5e-8d3c-4a57-9b0e-2f7d1c9a4e11";
      expect(
        expectError(
          await call(suite.emulator, "GET", `/restoreSessions/${missing}`),
          404,
          "RestoreSessionNotFound",
        ),
      ).to.contain(missing);
    });

    it("finds a session through its own typed collection but not through another kind's", async function () {
      const id = await createSession(suite.emulator, "exchange");
      const own = await call(suite.emulator, "GET", `/exchangeRestoreSessions/${id}`);
      expect(own.status).to.equal(200);
      expect(own.body["@odata.type"]).to.equal("#microsoft.graph.exchangeRestoreSession");
      expectError(
        await call(suite.emulator, "GET", `/sharePointRestoreSessions/${id}`),
        404,
        "RestoreSessionNotFound",
      );
    });

    it("requires BackupRestore-Restore.ReadWrite.All to create and names it", async function () {
      const denied = await call(
        suite.emulator,
        "POST",
        "/sharePointRestoreSessions",
        {},
        { client: "readOnly" },
      );
      expect(expectError(denied, 403, "Authorization_RequestDenied")).to.contain(
        "Missing role: BackupRestore-Restore.ReadWrite.All",
      );
      const none = await call(suite.emulator, "GET", "/restoreSessions", undefined, { client: "noRoles" });
      expect(expectError(none, 403, "Authorization_RequestDenied")).to.contain(
        "BackupRestore-Restore.Read.All or BackupRestore-Restore.ReadWrite.All",
      );
    });
  });
});
