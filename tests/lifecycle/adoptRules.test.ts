/**
 * Search-adoption only of what we made (issue 13, finding 3; docs/exactly-once.md rows C3 and X2),
 * with the provider's create called directly against the emulator: a create POST whose answer was lost
 * is never settled by guessing.
 */
import { ClientSecretCredential } from "@azure/identity";
import { expect } from "chai";
import { authorityOptions } from "../../provider/auth";
import { createGraphClient } from "../../provider/graph";
import { createSession } from "../../provider/resources/create/create";
import { findOurDraft } from "../../provider/resources/create/search";
import type { AnyArtifactInput } from "../../provider/resources/session/artifactIdentity";
import { realTiming, type SessionContext } from "../../provider/resources/session/context";
import * as host from "../../provider/resources/host";
import { KIND_SCHEMAS, type SessionInputs } from "../../provider/model";
import { resolveSettings } from "../../provider/settings";
import { graphCall } from "../helpers/emulator";
import { sessionsInEmulator, unitPoints, useDirectProvider } from "./harness";

const SESSIONS = "/solutions/backupRestore/exchangeRestoreSessions";

describe("adoption after a lost create answer (direct calls)", function () {
  this.timeout(120_000);
  const fixture = useDirectProvider({ restoreMs: 50, unitsPerWorkload: 30, pollIntervalInMs: 10 });
  const warnings: string[] = [];
  beforeEach(() => warnings.splice(0));

  /** A context whose settings name no app id (managed identity, default chain), or the configured one. */
  function context(withClientId: boolean): SessionContext {
    const { emulator, config } = fixture;
    const configured = resolveSettings((key) => config.values[key], {});
    // Without an app id the settings describe no secret either (the default chain); the token still
    // comes from the emulator's app, which the provider then cannot name.
    const settings = withClientId
      ? configured
      : resolveSettings(
          (key) => (key === "clientId" || key === "clientSecret" ? undefined : config.values[key]),
          {},
        );
    const credential = new ClientSecretCredential(
      emulator.tenantId,
      emulator.clientId,
      emulator.clientSecret,
      authorityOptions(configured),
    );
    return {
      schema: KIND_SCHEMAS.exchange,
      settings,
      client: createGraphClient(settings, { credential }),
      log: {
        info: () => Promise.resolve(),
        warn: (message) => {
          warnings.push(message);
          return Promise.resolve();
        },
        debug: () => Promise.resolve(),
      },
      timing: realTiming(),
    };
  }

  async function checked(news: Record<string, unknown>): Promise<SessionInputs> {
    const result = await host.check("exchange", fixture.config, {}, news);
    expect(result.failures ?? []).to.deep.equal([]);
    const inputs: unknown = result.inputs;
    return inputs as SessionInputs;
  }

  const posts = (): number => fixture.emulator.requestLog.count({ method: "POST", pathPrefix: SESSIONS });

  it("X2: with no app id configured, a draft the lost POST made is not adopted; the error says how to take it over", async () => {
    const { emulator } = fixture;
    const [point] = await unitPoints(emulator, "exchange", 1, 0);
    const inputs = await checked({
      mailboxRestoreArtifacts: [{ restorePoint: { id: point.restorePointId } }],
    });
    const before = (await sessionsInEmulator(emulator)).length;
    emulator.faults.add({ method: "POST", pattern: SESSIONS, once: true, action: { kind: "ambiguous" } });
    const error = await createSession(context(false), inputs, "provider").then(
      () => undefined,
      (caught: unknown) => caught as Error,
    );
    expect(error?.message).to.include("without a configured app id").and.include("importSessionId");
    expect(posts(), "not sent again").to.equal(1);
    expect((await sessionsInEmulator(emulator)).length).to.equal(before + 1);
  });

  it("C3: a lost POST without artifacts (bulk) is never adopted: a new session, and the possible orphan named", async () => {
    const { emulator } = fixture;
    const now = emulator.clock.now();
    const mailboxes = (await unitPoints(emulator, "exchange", 1, 5)).map((p) => p.name);
    const inputs = await checked({
      mailboxRestoreArtifactsBulkAdditionRequest: {
        mailboxes,
        protectionTimePeriod: { startDateTime: new Date(now.getTime() - 7 * 86_400_000).toISOString() },
      },
    });
    const before = await sessionsInEmulator(emulator);
    emulator.faults.add({ method: "POST", pattern: SESSIONS, once: true, action: { kind: "ambiguous" } });
    const created = await createSession(context(true), inputs, "provider");
    const made = (await sessionsInEmulator(emulator)).filter((s) => !before.some((b) => b.id === s.id));
    expect(made, "the orphan of the lost POST, and ours").to.have.length(2);
    const orphan = made.find((s) => s.id !== created.id);
    expect(orphan?.status).to.equal("draft");
    expect(warnings.join("\n")).to.include(orphan?.id).and.include("Possibly orphaned");
    const bulkPosts = emulator.requestLog
      .writes()
      .filter((w) => w.method === "POST" && w.path.includes("BulkAdditionRequests"));
    expect(bulkPosts.map((w) => w.path.includes(created.id))).to.deep.equal([true]);
  });

  it("C3: with the app id, the draft the lost POST made (same app, exact artifacts, just created) is adopted once", async () => {
    const { emulator } = fixture;
    const [point] = await unitPoints(emulator, "exchange", 1, 10);
    const inputs = await checked({
      mailboxRestoreArtifacts: [{ restorePoint: { id: point.restorePointId } }],
    });
    const before = await sessionsInEmulator(emulator);
    emulator.faults.add({ method: "POST", pattern: SESSIONS, once: true, action: { kind: "ambiguous" } });
    const created = await createSession(context(true), inputs, "provider");
    const made = (await sessionsInEmulator(emulator)).filter((s) => !before.some((b) => b.id === s.id));
    expect(made.map((s) => s.id)).to.deep.equal([created.id]);
    expect(posts()).to.equal(1);
  });

  it("X1 with the creation time no help: a draft of our app made after the POST, same restore point, is ours only with the same destination", async () => {
    const { emulator } = fixture;
    const [point] = await unitPoints(emulator, "exchange", 1, 15);
    const inputs = await checked({
      mailboxRestoreArtifacts: [{ restorePoint: { id: point.restorePointId }, destinationType: "new" }],
    });
    const sent = inputs.mailboxRestoreArtifacts as AnyArtifactInput[];
    // The lost POST was sent before both drafts exist, so the time check lets both through.
    const sentAt = new Date(Date.now() - 60_000);
    const draft = async (destinationType: string): Promise<string> => {
      const made = await graphCall(emulator, {
        method: "POST",
        path: SESSIONS,
        body: { mailboxRestoreArtifacts: [{ restorePoint: { id: point.restorePointId }, destinationType }] },
      });
      expect(made.status, made.text).to.equal(201);
      return made.body.id as string;
    };
    const ctx = context(true);
    const appId = ctx.settings.clientId as string;
    const inPlace = await draft("inPlace");
    expect((await findOurDraft(ctx, appId, sentAt, sent)).map((s) => s.id)).to.not.include(inPlace);
    const same = await draft("new");
    expect((await findOurDraft(ctx, appId, sentAt, sent)).map((s) => s.id)).to.include(same);
  });
});
