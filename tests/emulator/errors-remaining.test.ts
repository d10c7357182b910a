/**
 * The documented error codes the other suites do not reach (Graph docs: backup-storage-error-codes), over
 * HTTPS: a DELETE that removes only part of a draft (500 `IncompleteArtifactDeletion`), the billing errors of
 * `enable` (403 `UnableToReadBillingProfile`, 402 `InvalidBillingProfile`), 403 `Forbidden` for allow-listed
 * internal apps, and the per-artifact `UnknownError` and `ArtifactNotFound`. Each is switched on
 * through an `/_emulator/...` admin route or the programmatic service handle.
 */
import { expect } from "chai";
import type { Emulator } from "../../tools/emulator";
import { rawRequest, useEmulator } from "../helpers/emulator";
import {
  activate,
  artifactsOf,
  call,
  createSession,
  expectError,
  getSession,
  type Json,
  latestPoints,
  standard,
  unitIds,
} from "./sessions.fixtures";

/** Longer than any artifact's seeded timeline at restoreMs 60 s. */
const PAST_COMPLETION_MS = 120_000;
const POWERSHELL_APP_ID = "14d82eec-204b-4c2f-b7e8-296a70dab67e";

async function admin(
  emulator: Emulator,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Json }> {
  const res = await rawRequest(emulator, {
    method,
    path: `/_emulator${path}`,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (res.text === "" ? {} : JSON.parse(res.text)) as Json };
}

describe("emulator errors: the remaining documented codes", function () {
  const suite = useEmulator({ restoreMs: 60_000, unitsPerWorkload: 40 });
  const used = new Set<string>();

  function freshUnits(kind: "sharePoint" | "exchange" | "oneDriveForBusiness", count: number): string[] {
    const units = unitIds(suite.emulator, kind, false)
      .filter((u) => !used.has(u))
      .slice(0, count);
    units.forEach((u) => used.add(u));
    expect(units).to.have.length(count);
    return units;
  }

  describe("DELETE of a draft: 500 IncompleteArtifactDeletion", () => {
    it("deletes part of the artifacts and answers 500 in Graph's envelope; the retried DELETE completes", async () => {
      const points = await latestPoints(suite.emulator, freshUnits("sharePoint", 4));
      const id = await createSession(suite.emulator, "sharePoint", {
        siteRestoreArtifacts: standard(points),
      });
      const scripted = await admin(suite.emulator, "POST", "/sessions/incomplete-deletion", {
        sessionId: id,
      });
      expect(scripted.status).to.equal(204);

      const first = await call(suite.emulator, "DELETE", `/restoreSessions/${id}`, undefined, {
        headers: { "client-request-id": "6f0e7f3c-1d4e-4c53-9a3b-1c1f6f0b7d11" },
      });
      const message = expectError(first, 500, "IncompleteArtifactDeletion");
      expect(message).to.match(/Retry/);
      expect(first.headers["client-request-id"]).to.equal("6f0e7f3c-1d4e-4c53-9a3b-1c1f6f0b7d11");
      const left = await artifactsOf(suite.emulator, "sharePoint", id);
      expect(left).to.have.length(2);
      expect((await getSession(suite.emulator, id)).status).to.equal("draft");

      const retried = await call(suite.emulator, "DELETE", `/restoreSessions/${id}`);
      expect(retried.status, retried.text).to.equal(204);
      expectError(await call(suite.emulator, "GET", `/restoreSessions/${id}`), 404, "RestoreSessionNotFound");
    });

    it("fails the next `times` DELETEs when scripted programmatically, on the typed route too", async () => {
      const points = await latestPoints(suite.emulator, freshUnits("exchange", 3));
      const id = await createSession(suite.emulator, "exchange", {
        mailboxRestoreArtifacts: standard(points),
      });
      suite.emulator.service.scriptIncompleteDeletion(id, 2);
      expectError(
        await call(suite.emulator, "DELETE", `/exchangeRestoreSessions/${id}`),
        500,
        "IncompleteArtifactDeletion",
      );
      expectError(
        await call(suite.emulator, "DELETE", `/restoreSessions/${id}`),
        500,
        "IncompleteArtifactDeletion",
      );
      // 3 → 1 (two removed, one always kept) → 1 (the last one stays until the DELETE completes).
      expect(await artifactsOf(suite.emulator, "exchange", id)).to.have.length(1);
      expect((await call(suite.emulator, "DELETE", `/restoreSessions/${id}`)).status).to.equal(204);
    });

    it("still answers 403 RestoreSessionActionNotAllowed for a session that is not a draft", async () => {
      const points = await latestPoints(suite.emulator, freshUnits("oneDriveForBusiness", 1));
      const id = await createSession(suite.emulator, "oneDriveForBusiness", {
        driveRestoreArtifacts: standard(points),
      });
      await activate(suite.emulator, id);
      suite.emulator.service.scriptIncompleteDeletion(id);
      expectError(
        await call(suite.emulator, "DELETE", `/restoreSessions/${id}`),
        403,
        "RestoreSessionActionNotAllowed",
      );
      suite.emulator.service.scriptIncompleteDeletion(id, 0);
    });

    it("refuses a malformed admin request with 400 naming the problem", async () => {
      const noId = await admin(suite.emulator, "POST", "/sessions/incomplete-deletion", {});
      expect(noId.status).to.equal(400);
      expect(noId.body.error.message).to.include("sessionId");
      const badId = await admin(suite.emulator, "POST", "/sessions/incomplete-deletion", {
        sessionId: "nope",
      });
      expect(badId.status).to.equal(400);
      expect(badId.body.error.message).to.include("GUID");
    });
  });

  describe("enable: billing profile errors", () => {
    const enable = (body: unknown) => call(suite.emulator, "POST", "/enable", body, { client: "control" });

    afterEach(async () => {
      await admin(suite.emulator, "PUT", "/tenant", { billingProfile: "valid" });
    });

    it("answers 403 UnableToReadBillingProfile while the billing profile is unreadable", async () => {
      const set = await admin(suite.emulator, "PUT", "/tenant", { billingProfile: "unreadable" });
      expect(set.status).to.equal(200);
      expect(set.body.billingProfile).to.equal("unreadable");
      expectError(
        await enable({ appOwnerTenantId: suite.emulator.tenantId }),
        403,
        "UnableToReadBillingProfile",
      );
    });

    it("answers 402 InvalidBillingProfile while the billing profile is invalid", async () => {
      suite.emulator.service.setBillingProfile("invalid");
      expectError(await enable({ appOwnerTenantId: suite.emulator.tenantId }), 402, "InvalidBillingProfile");
    });

    it("checks the body before billing, and enables again once billing is valid", async () => {
      suite.emulator.service.setBillingProfile("invalid");
      expectError(await enable({}), 400, "InvalidAppOwnerTenantId");
      suite.emulator.service.setBillingProfile("valid");
      const ok = await enable({ appOwnerTenantId: suite.emulator.tenantId });
      expect(ok.status, ok.text).to.equal(200);
      expect(ok.body.status).to.equal("enabled");
    });

    it("rejects an unknown billing state on the admin route and the programmatic setter", async () => {
      const res = await admin(suite.emulator, "PUT", "/tenant", { billingProfile: "expired" });
      expect(res.status).to.equal(400);
      expect(res.body.error.message).to.include("valid, unreadable, invalid");
      expect(() => suite.emulator.service.setBillingProfile("expired")).to.throw(RangeError);
    });
  });

  describe("root GET and enable: 403 Forbidden for allow-listed internal apps", () => {
    const controlAppId = (): string => {
      const control = suite.emulator.clients.find((c) => c.name === "control");
      if (control === undefined) throw new Error("no seeded control client");
      return control.clientId;
    };

    afterEach(async () => {
      await admin(suite.emulator, "PUT", "/tenant", { internalAppIds: [POWERSHELL_APP_ID] });
    });

    it("seeds Microsoft Graph PowerShell's app id as the internal app", async () => {
      const state = await admin(suite.emulator, "PUT", "/tenant", {});
      expect(state.status).to.equal(200);
      expect(state.body.internalAppIds).to.deep.equal([POWERSHELL_APP_ID]);
      expect((await call(suite.emulator, "GET", "", undefined, { client: "control" })).status).to.equal(200);
    });

    it("answers 403 Forbidden on the root GET and enable to an app on the internal list", async () => {
      const set = await admin(suite.emulator, "PUT", "/tenant", { internalAppIds: [controlAppId()] });
      expect(set.body.internalAppIds).to.deep.equal([controlAppId().toLowerCase()]);
      const root = await call(suite.emulator, "GET", "", undefined, { client: "control" });
      expect(expectError(root, 403, "Forbidden")).to.include(controlAppId());
      expectError(
        await call(
          suite.emulator,
          "POST",
          "/enable",
          { appOwnerTenantId: suite.emulator.tenantId },
          { client: "control" },
        ),
        403,
        "Forbidden",
      );
      // Only the root is blocked: restore sessions still answer the read-write client.
      expect((await call(suite.emulator, "GET", "/restoreSessions")).status).to.equal(200);
    });

    it("refuses internal app ids that are not GUIDs", async () => {
      const res = await admin(suite.emulator, "PUT", "/tenant", { internalAppIds: ["powershell"] });
      expect(res.status).to.equal(400);
      expect(res.body.error.message).to.include("GUID");
    });
  });

  describe("per-artifact UnknownError and ArtifactNotFound (HTTP 200, in artifact.error.code)", () => {
    it("fails a scripted unit's artifact with UnknownError while the other succeeds", async () => {
      const [broken, fine] = freshUnits("exchange", 2);
      const scripted = await admin(suite.emulator, "POST", "/artifact-failures", {
        protectionUnitId: broken,
        code: "UnknownError",
      });
      expect(scripted.status).to.equal(204);
      try {
        const points = await latestPoints(suite.emulator, [broken ?? "", fine ?? ""]);
        const id = await createSession(suite.emulator, "exchange", {
          mailboxRestoreArtifacts: standard(points),
        });
        await activate(suite.emulator, id);
        suite.emulator.clock.advance(PAST_COMPLETION_MS);
        const list = await call(
          suite.emulator,
          "GET",
          `/exchangeRestoreSessions/${id}/mailboxRestoreArtifacts`,
        );
        expect(list.status, list.text).to.equal(200);
        const artifacts = await artifactsOf(suite.emulator, "exchange", id);
        const failed = artifacts.find((a) => a.restorePoint?.id === points[0]);
        const succeeded = artifacts.find((a) => a.restorePoint?.id === points[1]);
        expect(failed?.status).to.equal("failed");
        expect(failed?.error?.code).to.equal("UnknownError");
        expect(failed?.error?.message).to.include(broken);
        expect(succeeded?.status).to.equal("succeeded");
        const session = await getSession(suite.emulator, id);
        expect(session.status).to.equal("completedWithError");
        expect(session.error.code).to.equal("UnknownError");
      } finally {
        await admin(suite.emulator, "POST", "/artifact-failures", { protectionUnitId: broken, code: null });
      }
    });

    it("fails a scripted unit's artifact with ArtifactNotFound, and a cleared script restores normally", async () => {
      const [missing] = freshUnits("sharePoint", 1);
      suite.emulator.service.scriptArtifactFailure(missing ?? "", "ArtifactNotFound");
      const points = await latestPoints(suite.emulator, [missing ?? ""]);
      const first = await createSession(suite.emulator, "sharePoint", {
        siteRestoreArtifacts: standard(points),
      });
      await activate(suite.emulator, first);
      suite.emulator.clock.advance(PAST_COMPLETION_MS);
      const [artifact] = await artifactsOf(suite.emulator, "sharePoint", first);
      expect(artifact?.status).to.equal("failed");
      expect(artifact?.error?.code).to.equal("ArtifactNotFound");
      expect(artifact?.restoredSiteId ?? null).to.equal(null);

      suite.emulator.service.scriptArtifactFailure(missing ?? "", null);
      const second = await createSession(suite.emulator, "sharePoint", {
        siteRestoreArtifacts: standard(points),
      });
      await activate(suite.emulator, second);
      suite.emulator.clock.advance(PAST_COMPLETION_MS);
      const [again] = await artifactsOf(suite.emulator, "sharePoint", second);
      expect(again?.status).to.equal("succeeded");
      expect(again?.error ?? null).to.equal(null);
    });

    it("refuses to script a code the tenant's state already decides", async () => {
      const [unit] = freshUnits("oneDriveForBusiness", 1);
      const res = await admin(suite.emulator, "POST", "/artifact-failures", {
        protectionUnitId: unit,
        code: "InvalidRestoreTime",
      });
      expect(res.status).to.equal(400);
      expect(res.body.error.message).to.include("UnknownError, ArtifactNotFound");
    });
  });
});
