/**
 * Activation and the restore lifecycle on the emulator clock over HTTPS (Graph docs:
 * restoresessionbase-activate, restoresessionbase-get): each path (completed, completedWithError, failed with
 * and without the enum header), the documented per-artifact failures, restored locations, delete, the
 * active-session cap and the service status. Restores take ~60 s of emulator time; tests advance the clock
 * instead of waiting.
 */
import { expect } from "chai";
import { startTestEmulator, useEmulator } from "../helpers/emulator";
import {
  activate,
  artifactsOf,
  browseItem,
  call,
  createSession,
  DAY_IN_MS,
  expectError,
  getSession,
  type Json,
  latestPoints,
  mailboxSearch,
  PREFER_UNKNOWN,
  restorePointIds,
  standard,
  unitIds,
} from "./sessions.fixtures";

/** Longer than any artifact's seeded timeline at restoreMs 60 s (6 s + 12 s + 75 s). */
const PAST_COMPLETION_MS = 120_000;

describe("emulator restore sessions: activation and lifecycle", function () {
  const suite = useEmulator({ restoreMs: 60_000, unitsPerWorkload: 150 });
  const used = new Set<string>();

  /** Units not used by an earlier test of this suite (restores of one unit in parallel collide on purpose). */
  function freshUnits(
    kind: "sharePoint" | "exchange" | "oneDriveForBusiness",
    count: number,
    onHold = false,
  ): string[] {
    const units = unitIds(suite.emulator, kind, onHold)
      .filter((u) => !used.has(u))
      .slice(0, count);
    units.forEach((u) => used.add(u));
    expect(units).to.have.length(count);
    return units;
  }

  it("activates a draft: 200 with status activating and every artifact scheduling (8.7)", async function () {
    const points = await latestPoints(suite.emulator, freshUnits("sharePoint", 2));
    const id = await createSession(suite.emulator, "sharePoint", { siteRestoreArtifacts: standard(points) });
    const response = await activate(suite.emulator, id);
    expect(response.body["@odata.context"]).to.match(/#solutions\/backupRestore\/restoreSessions\/\$entity$/);
    expect(response.body).to.include({
      "@odata.type": "#microsoft.graph.sharePointRestoreSession",
      id,
      status: "activating",
    });
    expect(response.body.restoreSessionArtifactCount).to.deep.equal({
      total: 2,
      inProgress: 2,
      completed: 0,
      failed: 0,
    });
    const artifacts = await artifactsOf(suite.emulator, "sharePoint", id);
    expect(artifacts.map((a) => a.status as string)).to.deep.equal(["scheduling", "scheduling"]);
  });

  it("moves artifacts scheduled → inProgress → succeeded and the session active → completed (8.8)", async function () {
    const points = await latestPoints(suite.emulator, freshUnits("sharePoint", 3));
    const id = await createSession(suite.emulator, "sharePoint", { siteRestoreArtifacts: standard(points) });
    await activate(suite.emulator, id);
    suite.emulator.clock.advance(6_000);
    const active = await getSession(suite.emulator, id);
    expect(active.status).to.equal("active");
    expect(active.restoreSessionArtifactCount).to.deep.equal({
      total: 3,
      inProgress: 3,
      completed: 0,
      failed: 0,
    });
    const midway = await artifactsOf(suite.emulator, "sharePoint", id);
    for (const artifact of midway) {
      expect(["scheduled", "inProgress"]).to.include(artifact.status);
      expect(artifact.completionDateTime).to.equal(null);
    }
    suite.emulator.clock.advance(PAST_COMPLETION_MS);
    const done = await getSession(suite.emulator, id);
    expect(done.status).to.equal("completed");
    expect(done.restoreSessionArtifactCount).to.deep.equal({
      total: 3,
      inProgress: 0,
      completed: 3,
      failed: 0,
    });
    expect(done.error).to.equal(null);
    const artifacts = await artifactsOf(suite.emulator, "sharePoint", id);
    const latest = Math.max(...artifacts.map((a) => Date.parse(a.completionDateTime)));
    expect(Date.parse(done.completedDateTime)).to.equal(latest);
    for (const artifact of artifacts) {
      expect(artifact.status).to.equal("succeeded");
      expect(Date.parse(artifact.startDateTime)).to.be.below(Date.parse(artifact.completionDateTime));
    }
  });

  it("fills restoredSite* with a new site for new and with the original site for inPlace (8.10)", async function () {
    const [newUnit, inPlaceUnit] = freshUnits("sharePoint", 2);
    const tenant = suite.emulator.service.tenant;
    const [newPoint, inPlacePoint] = await latestPoints(suite.emulator, [newUnit ?? "", inPlaceUnit ?? ""]);
    const toNew = await createSession(suite.emulator, "sharePoint", {
      siteRestoreArtifacts: standard([newPoint ?? ""], "new"),
    });
    const inPlace = await createSession(suite.emulator, "sharePoint", {
      siteRestoreArtifacts: standard([inPlacePoint ?? ""], "inPlace"),
    });
    await activate(suite.emulator, toNew);
    await activate(suite.emulator, inPlace);
    suite.emulator.clock.advance(PAST_COMPLETION_MS);
    const [created] = await artifactsOf(suite.emulator, "sharePoint", toNew);
    const original = tenant.unit(newUnit ?? "");
    expect(created.restoredSiteName).to.equal(original?.siteName);
    expect(created.restoredSiteWebUrl).to.match(new RegExp(`^${original?.siteWebUrl}R\\d+$`));
    expect(original?.siteId).not.to.contain(created.restoredSiteId);
    const [back] = await artifactsOf(suite.emulator, "sharePoint", inPlace);
    const site = tenant.unit(inPlaceUnit ?? "");
    expect(back).to.include({ restoredSiteName: site?.siteName, restoredSiteWebUrl: site?.siteWebUrl });
    expect(site?.siteId?.split(",")[1]).to.equal(back.restoredSiteId);
    expect(back.restorePoint.id).to.equal(inPlacePoint);
    expect(back.restorePoint.protectionDateTime).to.be.a("string");
    expect(back.restorePoint.expirationDateTime).to.be.a("string");
  });

  it("fills restoredFolder* for mailboxes and the personal site for OneDrive accounts", async function () {
    const [mailboxPoint] = await latestPoints(suite.emulator, freshUnits("exchange", 1));
    const [drivePoint] = await latestPoints(suite.emulator, freshUnits("oneDriveForBusiness", 1));
    const mailbox = await createSession(suite.emulator, "exchange", {
      mailboxRestoreArtifacts: standard([mailboxPoint ?? ""]),
    });
    const drive = await createSession(suite.emulator, "oneDriveForBusiness", {
      driveRestoreArtifacts: standard([drivePoint ?? ""], "inPlace"),
    });
    await activate(suite.emulator, mailbox);
    await activate(suite.emulator, drive);
    const [pending] = await artifactsOf(suite.emulator, "exchange", mailbox);
    expect(pending).to.include({ restoredFolderId: null, restoredFolderName: null, restoredItemCount: null });
    suite.emulator.clock.advance(PAST_COMPLETION_MS);
    const [folder] = await artifactsOf(suite.emulator, "exchange", mailbox);
    expect(folder.status).to.equal("succeeded");
    expect(folder.restoredFolderId).to.match(/^[0-9a-f-]{36}$/);
    expect(folder.restoredFolderName).to.match(/^Restored-\d{4}-\d{2}-\d{2}$/);
    expect(folder.restoredItemCount).to.be.a("number");
    expect(folder).not.to.have.property("restoredSiteId");
    const [site] = await artifactsOf(suite.emulator, "oneDriveForBusiness", drive);
    expect(site.restoredSiteWebUrl).to.match(
      /^https:\/\/contoso-my\.sharepoint\.com\/personal\/.+_contoso_com$/,
    );
    expect(site.restoredSiteName).to.be.a("string");
  });

  it("ends completedWithError with ArtifactCannotBeRestored for a mailbox on hold, and sets the session error", async function () {
    const [held] = freshUnits("exchange", 1, true);
    const [fine] = freshUnits("exchange", 1);
    const points = await latestPoints(suite.emulator, [held ?? "", fine ?? ""]);
    const id = await createSession(suite.emulator, "exchange", { mailboxRestoreArtifacts: standard(points) });
    await activate(suite.emulator, id);
    suite.emulator.clock.advance(PAST_COMPLETION_MS);
    const session = await getSession(suite.emulator, id);
    expect(session.status).to.equal("completedWithError");
    expect(session.restoreSessionArtifactCount).to.deep.equal({
      total: 2,
      inProgress: 0,
      completed: 1,
      failed: 1,
    });
    expect(session.error.code).to.equal("ArtifactCannotBeRestored");
    const artifacts = await artifactsOf(suite.emulator, "exchange", id);
    const failed = artifacts.find((a) => a.status === "failed") ?? {};
    expect(failed.error?.code).to.equal("ArtifactCannotBeRestored");
    expect(failed.restoredFolderId).to.equal(null);
    expect(session.error.details).to.deep.equal([
      { code: "ArtifactCannotBeRestored", message: failed.error?.message, target: failed.id },
    ]);
  });

  it("ends failed when every artifact fails: unknownFutureValue without the Prefer header, failed with it", async function () {
    const [held] = freshUnits("oneDriveForBusiness", 1, true);
    const points = await latestPoints(suite.emulator, [held ?? ""]);
    const id = await createSession(suite.emulator, "oneDriveForBusiness", {
      driveRestoreArtifacts: standard(points),
    });
    await activate(suite.emulator, id);
    suite.emulator.clock.advance(PAST_COMPLETION_MS);
    const plain = await getSession(suite.emulator, id);
    expect(plain.status).to.equal("unknownFutureValue");
    expect(plain.error.code).to.equal("ArtifactCannotBeRestored");
    const preferred = await getSession(suite.emulator, id, PREFER_UNKNOWN);
    expect(preferred.status).to.equal("failed");
    expect(preferred.restoreSessionArtifactCount).to.deep.equal({
      total: 1,
      inProgress: 0,
      completed: 0,
      failed: 1,
    });
    expect(preferred.completedDateTime).to.be.a("string");
    const listed = await call(suite.emulator, "GET", "/oneDriveForBusinessRestoreSessions");
    expect((listed.body.value as Json[]).find((s) => s.id === id)?.status).to.equal("unknownFutureValue");
  });

  it("restores a SharePoint site on hold to a new URL but not in place", async function () {
    const [held] = freshUnits("sharePoint", 1, true);
    const [point] = await latestPoints(suite.emulator, [held ?? ""]);
    const toNew = await createSession(suite.emulator, "sharePoint", {
      siteRestoreArtifacts: standard([point ?? ""], "new"),
    });
    await activate(suite.emulator, toNew);
    suite.emulator.clock.advance(PAST_COMPLETION_MS);
    expect((await getSession(suite.emulator, toNew)).status).to.equal("completed");
    const inPlace = await createSession(suite.emulator, "sharePoint", {
      siteRestoreArtifacts: standard([point ?? ""], "inPlace"),
    });
    await activate(suite.emulator, inPlace);
    suite.emulator.clock.advance(PAST_COMPLETION_MS);
    const [artifact] = await artifactsOf(suite.emulator, "sharePoint", inPlace);
    expect(artifact.error.code).to.equal("ArtifactCannotBeRestored");
    expect(artifact.error.message).to.contain("new URL");
  });

  it("fails DuplicateArtifactRestoreRequest when another active session restores the same unit", async function () {
    const [unit] = freshUnits("sharePoint", 1);
    const [newest, older] = await restorePointIds(suite.emulator, unit ?? "");
    const first = await createSession(suite.emulator, "sharePoint", {
      siteRestoreArtifacts: standard([newest ?? ""]),
    });
    const second = await createSession(suite.emulator, "sharePoint", {
      siteRestoreArtifacts: standard([older ?? ""]),
    });
    await activate(suite.emulator, first);
    await activate(suite.emulator, second);
    suite.emulator.clock.advance(PAST_COMPLETION_MS);
    expect((await getSession(suite.emulator, first)).status).to.equal("completed");
    const [duplicate] = await artifactsOf(suite.emulator, "sharePoint", second);
    expect(duplicate.status).to.equal("failed");
    expect(duplicate.error.code).to.equal("DuplicateArtifactRestoreRequest");
    // Once the first restore is over, the same unit can be restored again.
    const third = await createSession(suite.emulator, "sharePoint", {
      siteRestoreArtifacts: standard([older ?? ""]),
    });
    await activate(suite.emulator, third);
    suite.emulator.clock.advance(PAST_COMPLETION_MS);
    expect((await getSession(suite.emulator, third)).status).to.equal("completed");
  });

  it("restores granular site items without a destination into the session's folder, and granular mailbox items with the search's hit count", async function () {
    const [site] = freshUnits("sharePoint", 1);
    const item = await browseItem(suite.emulator, "sharePoint", site ?? "");
    const granular = await createSession(suite.emulator, "sharePoint", {
      granularSiteRestoreArtifacts: [{ browseSessionId: item.browseSessionId, id: item.itemKey }],
    });
    const [mailbox] = freshUnits("exchange", 1);
    const search = await mailboxSearch(suite.emulator, mailbox ?? "");
    const mail = await createSession(suite.emulator, "exchange", {
      granularMailboxRestoreArtifacts: [
        {
          restorePoint: { id: search.restorePointId },
          destinationType: "new",
          searchResponseId: search.searchResponseId,
        },
      ],
    });
    await activate(suite.emulator, granular);
    await activate(suite.emulator, mail);
    suite.emulator.clock.advance(PAST_COMPLETION_MS);
    const siteList = await call(
      suite.emulator,
      "GET",
      `/sharePointRestoreSessions/${granular}/granularSiteRestoreArtifacts`,
      undefined,
      {
        version: "beta",
      },
    );
    // No destination (v1.0 has none) is a new location: the one folder of the session (restoredItemPath).
    expect(siteList.body.value[0]).to.include({ status: "succeeded", destinationType: "new", error: null });
    expect(siteList.body.value[0].restoredItemKey).to.not.equal(item.itemKey);
    expect(siteList.body.value[0].restoredItemPath).to.match(
      /\/Shared Documents\/Restored-\d{4}-\d{2}-\d{2}-\d+$/,
    );
    expect(siteList.body.value[0].restoredItemWebUrl).to.not.equal(item.webUrl);
    expect(siteList.body.value[0].completionDateTime).not.to.equal("0001-01-01T00:00:00Z");
    const mailList = await call(
      suite.emulator,
      "GET",
      `/exchangeRestoreSessions/${mail}/granularMailboxRestoreArtifacts`,
    );
    expect(mailList.body.value[0]).to.include({ status: "succeeded", restoredItemCount: search.hits });
  });

  describe("state rules", function () {
    it("activates only a draft with artifacts, and takes no body", async function () {
      const [point] = await latestPoints(suite.emulator, freshUnits("sharePoint", 1));
      const empty = await createSession(suite.emulator, "sharePoint");
      const message = expectError(
        await call(suite.emulator, "POST", `/restoreSessions/${empty}/activate`),
        400,
        "InvalidArtifactRequest",
      );
      expect(message).to.contain("no artifacts");
      const id = await createSession(suite.emulator, "sharePoint", {
        siteRestoreArtifacts: standard([point ?? ""]),
      });
      const withBody = await call(suite.emulator, "POST", `/restoreSessions/${id}/activate`, { force: true });
      expect(expectError(withBody, 400, "BadRequest")).to.contain("'force'");
      expect(
        (await call(suite.emulator, "POST", `/sharePointRestoreSessions/${id}/activate`)).status,
      ).to.equal(200);
      expectError(
        await call(suite.emulator, "POST", `/restoreSessions/${id}/activate`),
        403,
        "RestoreSessionActionNotAllowed",
      );
      expectError(
        await call(suite.emulator, "POST", "/restoreSessions/nope/activate"),
        400,
        "InvalidRestoreSessionId",
      );
      expectError(
        await call(suite.emulator, "POST", "/restoreSessions/3c5b6a7d-1e2f-4a3b-8c9d-0e1f2a3b4c5d/activate"),
        404,
        "RestoreSessionNotFound",
      );
    });

    it("deletes a draft (204, then 404) and refuses to delete an activated session", async function () {
      const [point] = await latestPoints(suite.emulator, freshUnits("exchange", 1));
      const draft = await createSession(suite.emulator, "exchange");
      const deleted = await call(suite.emulator, "DELETE", `/restoreSessions/${draft}`);
      expect(deleted.status).to.equal(204);
      expect(deleted.text).to.equal("");
      expectError(
        await call(suite.emulator, "GET", `/restoreSessions/${draft}`),
        404,
        "RestoreSessionNotFound",
      );
      expectError(
        await call(suite.emulator, "DELETE", `/restoreSessions/${draft}`),
        404,
        "RestoreSessionNotFound",
      );
      const typed = await createSession(suite.emulator, "exchange");
      expect((await call(suite.emulator, "DELETE", `/exchangeRestoreSessions/${typed}`)).status).to.equal(
        204,
      );
      const active = await createSession(suite.emulator, "exchange", {
        mailboxRestoreArtifacts: standard([point ?? ""]),
      });
      await activate(suite.emulator, active);
      expectError(
        await call(suite.emulator, "DELETE", `/restoreSessions/${active}`),
        403,
        "RestoreSessionActionNotAllowed",
      );
      suite.emulator.clock.advance(PAST_COMPLETION_MS);
      expectError(
        await call(suite.emulator, "DELETE", `/restoreSessions/${active}`),
        403,
        "RestoreSessionActionNotAllowed",
      );
      expectError(
        await call(suite.emulator, "DELETE", "/restoreSessions/xyz"),
        400,
        "InvalidRestoreSessionId",
      );
    });

    it("blocks restore writes while the service is restoreLocked or disabled, and keeps reads working", async function () {
      const [a, b] = await latestPoints(suite.emulator, freshUnits("sharePoint", 2));
      const draft = await createSession(suite.emulator, "sharePoint", {
        siteRestoreArtifacts: standard([a ?? ""]),
      });
      const empty = await createSession(suite.emulator, "sharePoint");
      const writes = [
        () => call(suite.emulator, "POST", "/sharePointRestoreSessions", {}),
        () =>
          call(suite.emulator, "PATCH", `/sharePointRestoreSessions/${draft}`, {
            "siteRestoreArtifacts@delta": standard([b ?? ""]),
          }),
        () => call(suite.emulator, "POST", `/restoreSessions/${draft}/activate`),
        () =>
          call(
            suite.emulator,
            "POST",
            `/sharePointRestoreSessions/${empty}/siteRestoreArtifactsBulkAdditionRequests`,
            {
              siteWebUrls: ["https://contoso.sharepoint.com/sites/a"],
              destinationType: "new",
              protectionTimePeriod: { startDateTime: "2026-01-01T00:00:00Z" },
            },
          ),
      ];
      try {
        for (const [status, code] of [
          ["restoreLocked", "RestoreLocked"],
          ["disabled", "BackupServiceNotEnabled"],
        ] as const) {
          suite.emulator.setServiceStatus(status);
          for (const write of writes) {
            expect(expectError(await write(), 403, code)).to.contain(status);
          }
          expect((await call(suite.emulator, "GET", `/restoreSessions/${draft}`)).status).to.equal(200);
        }
      } finally {
        suite.emulator.setServiceStatus("enabled");
      }
      expect((await call(suite.emulator, "POST", `/restoreSessions/${draft}/activate`)).status).to.equal(200);
    });
  });
});

describe("emulator restore sessions: limits across time", function () {
  const suite = useEmulator({ restoreMs: 60_000, unitsPerWorkload: 40 });

  it("answers 500 TooManyActiveRestoreSessions past 25 active sessions, and activates once one finishes", async function () {
    const units = unitIds(suite.emulator, "sharePoint", false).slice(0, 26);
    const points = await latestPoints(suite.emulator, units);
    const ids: string[] = [];
    for (const point of points) {
      ids.push(
        await createSession(suite.emulator, "sharePoint", { siteRestoreArtifacts: standard([point]) }),
      );
    }
    for (const id of ids.slice(0, 25)) {
      await activate(suite.emulator, id);
    }
    const last = ids[25] ?? "";
    const message = expectError(
      await call(suite.emulator, "POST", `/restoreSessions/${last}/activate`),
      500,
      "TooManyActiveRestoreSessions",
    );
    expect(message).to.contain("25");
    expect((await getSession(suite.emulator, last)).status).to.equal("draft");
    suite.emulator.clock.advance(PAST_COMPLETION_MS);
    await activate(suite.emulator, last);
  });

  it("fails InvalidRestoreTime when the restore point has expired by the time the restore runs", async function () {
    const [unit] = unitIds(suite.emulator, "exchange", false);
    const [point] = await restorePointIds(suite.emulator, unit ?? "");
    const id = await createSession(suite.emulator, "exchange", {
      mailboxRestoreArtifacts: standard([point ?? ""]),
    });
    suite.emulator.clock.advance(366 * DAY_IN_MS);
    await activate(suite.emulator, id);
    suite.emulator.clock.advance(PAST_COMPLETION_MS);
    const [artifact] = await artifactsOf(suite.emulator, "exchange", id);
    expect(artifact.status).to.equal("failed");
    expect(artifact.error.code).to.equal("InvalidRestoreTime");
    const session = await getSession(suite.emulator, id, PREFER_UNKNOWN);
    expect(session.status).to.equal("failed");
    expect(session.error.code).to.equal("InvalidRestoreTime");
  });
});

describe("emulator restore sessions: seeded timings", function () {
  /** Offsets of each artifact's start and completion from activation, for one run of the same calls. */
  async function timeline(seed: string): Promise<number[]> {
    const emulator = await startTestEmulator({ seed, restoreMs: 60_000, unitsPerWorkload: 10 });
    try {
      const points = await latestPoints(emulator, unitIds(emulator, "sharePoint", false).slice(0, 4));
      const id = await createSession(emulator, "sharePoint", { siteRestoreArtifacts: standard(points) });
      const activatedAt = Date.parse((await activate(emulator, id)).body.lastModifiedDateTime);
      emulator.clock.advance(PAST_COMPLETION_MS);
      const artifacts = await artifactsOf(emulator, "sharePoint", id);
      return artifacts.flatMap((a) => [
        Date.parse(a.startDateTime as string) - activatedAt,
        Date.parse(a.completionDateTime as string) - activatedAt,
      ]);
    } finally {
      await emulator.close();
    }
  }

  it("gives the same restore durations for the same seed and different ones for another seed", async function () {
    const first = await timeline("timing-a");
    const again = await timeline("timing-a");
    const other = await timeline("timing-b");
    expect(again).to.deep.equal(first);
    expect(other).not.to.deep.equal(first);
    for (let i = 0; i < first.length; i += 2) {
      const duration = (first[i + 1] ?? 0) - (first[i] ?? 0);
      expect(duration).to.be.within(45_000, 75_000);
    }
  });
});
