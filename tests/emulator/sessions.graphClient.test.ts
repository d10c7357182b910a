/**
 * Restore sessions driven by code we did not write: the official Microsoft Graph JavaScript client
 * with a token from `@azure/identity`, both trusting the emulator's CA through NODE_EXTRA_CA_CERTS
 * (set by `tools/test.js`, the `npm test` launcher).
 */
import { ClientSecretCredential } from "@azure/identity";
import { Client, PageIterator, type PageCollection } from "@microsoft/microsoft-graph-client";
import { TokenCredentialAuthenticationProvider } from "@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials";
import { expect } from "chai";
import { useEmulator } from "../helpers/emulator";
import { latestPoints, PREFER_UNKNOWN, standard, unitIds } from "./sessions.fixtures";

describe("emulator restore sessions through @microsoft/microsoft-graph-client", function () {
  const suite = useEmulator({ restoreMs: 60_000, unitsPerWorkload: 20, pageSize: 2 });
  let client: Client;

  before(function () {
    if (process.env["M365_BACKUP_EMULATOR_CA_DIR"] === undefined) {
      // Only the npm test launcher can make Node trust the emulator's CA (NODE_EXTRA_CA_CERTS is read
      // once at start); it also names the CA directory, which the emulator then signs with.
      this.skip();
    }
    const emulator = suite.emulator;
    const credential = new ClientSecretCredential(
      emulator.tenantId,
      emulator.clientId,
      emulator.clientSecret,
      {
        authorityHost: emulator.authorityHost,
        disableInstanceDiscovery: true,
      },
    );
    client = Client.initWithMiddleware({
      authProvider: new TokenCredentialAuthenticationProvider(credential, {
        scopes: ["https://graph.microsoft.com/.default"],
      }),
      baseUrl: `${emulator.graphEndpoint}/`,
      defaultVersion: "v1.0",
      // The client attaches tokens only to Graph hosts; the emulator's host must be named as one.
      customHosts: new Set([new URL(emulator.graphEndpoint).hostname]),
    });
  });

  it("creates, updates, activates and lists sessions, following nextLinks with PageIterator", async function () {
    const points = await latestPoints(
      suite.emulator,
      unitIds(suite.emulator, "sharePoint", false).slice(0, 3),
    );
    const created = await client
      .api("/solutions/backupRestore/sharePointRestoreSessions")
      .post({ siteRestoreArtifacts: standard(points.slice(0, 2)) });
    expect(created).to.include({ status: "draft", restoreJobType: "standard" });

    const delta = await client
      .api(`/solutions/backupRestore/sharePointRestoreSessions/${created.id}`)
      .patch({ "siteRestoreArtifacts@delta": standard(points.slice(2)) });
    expect(delta["siteRestoreArtifacts@delta"][0]).to.include({ status: "added" });

    const activated = await client
      .api(`/solutions/backupRestore/restoreSessions/${created.id}/activate`)
      .post(undefined);
    expect(activated.status).to.equal("activating");

    for (let i = 0; i < 3; i++) {
      await client.api("/solutions/backupRestore/exchangeRestoreSessions").post({});
    }
    const ids: string[] = [];
    const first = (await client.api("/solutions/backupRestore/restoreSessions").get()) as PageCollection;
    const iterator = new PageIterator(client, first, (session: { id: string }) => {
      ids.push(session.id);
      return true;
    });
    await iterator.iterate();
    expect(ids).to.deep.equal(suite.emulator.service.sessionIds());

    suite.emulator.clock.advance(120_000);
    const artifacts = await client
      .api(`/solutions/backupRestore/sharePointRestoreSessions/${created.id}/siteRestoreArtifacts`)
      .header("Prefer", PREFER_UNKNOWN.prefer)
      .get();
    expect(artifacts.value).to.have.length(2);
    const done = await client.api(`/solutions/backupRestore/restoreSessions/${created.id}`).get();
    expect(done.restoreSessionArtifactCount).to.deep.equal({
      total: 3,
      inProgress: 0,
      completed: 3,
      failed: 0,
    });
  });

  it("surfaces Graph's error envelope as a GraphError with the documented code", async function () {
    try {
      await client.api("/solutions/backupRestore/restoreSessions/not-a-guid").get();
      expect.fail("the request should have failed");
    } catch (error) {
      expect(error).to.include({ statusCode: 400, code: "InvalidRestoreSessionId" });
    }
  });
});
