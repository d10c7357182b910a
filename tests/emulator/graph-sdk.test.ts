/**
 * The emulator driven by code we did not write: Microsoft's Graph JavaScript client
 * (`@microsoft/microsoft-graph-client`, its default middleware chain and Node's global fetch) with a
 * token from `@azure/identity`. Runs under tools/test.js, whose NODE_EXTRA_CA_CERTS makes Node's fetch
 * trust the emulator's CA (the client passes no TLS options of its own).
 */
import { expect } from "chai";
import { ClientSecretCredential } from "@azure/identity";
import { Client, GraphError, PageIterator, type PageCollection } from "@microsoft/microsoft-graph-client";
import { TokenCredentialAuthenticationProvider } from "@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials";
import type { ClientName, Emulator } from "../../tools/emulator";
import { useEmulator } from "../helpers/emulator";

const ROOT = "/solutions/backupRestore";

function graphClient(emulator: Emulator, clientName: ClientName = "readWrite"): Client {
  const seeded = emulator.clients.find((client) => client.name === clientName);
  const credential = new ClientSecretCredential(
    emulator.tenantId,
    seeded?.clientId ?? "",
    seeded?.secret ?? "",
    {
      authorityHost: emulator.authorityHost,
      disableInstanceDiscovery: true,
    },
  );
  return Client.initWithMiddleware({
    authProvider: new TokenCredentialAuthenticationProvider(credential, {
      scopes: ["https://graph.microsoft.com/.default"],
    }),
    baseUrl: emulator.graphEndpoint,
    defaultVersion: "v1.0",
    // The client attaches tokens only to Graph's own hosts and the custom hosts named here.
    customHosts: new Set([new URL(emulator.graphEndpoint).hostname]),
  });
}

async function collectAll<T>(client: Client, first: PageCollection): Promise<T[]> {
  const items: T[] = [];
  const iterator = new PageIterator(client, first, (item: T) => {
    items.push(item);
    return true;
  });
  await iterator.iterate();
  return items;
}

interface ProtectionUnit {
  "@odata.type": string;
  id: string;
}

describe("emulator through the official Microsoft Graph JavaScript client", () => {
  const suite = useEmulator({ pageSize: 4, unitsPerWorkload: 6 });
  let client: Client;
  let sitesUnits: string[] = [];

  before(() => {
    client = graphClient(suite.emulator);
  });

  it("lists restore sessions of an empty tenant", async () => {
    const page = await client.api(`${ROOT}/restoreSessions`).get();
    expect(page.value).to.deep.equal([]);
    expect(page["@odata.context"]).to.be.a("string");
  });

  it("pages through protection units with PageIterator following @odata.nextLink", async () => {
    const first = await client.api(`${ROOT}/protectionUnits`).get();
    expect(first["@odata.nextLink"]).to.match(new RegExp(`^${suite.emulator.graphEndpoint}/v1\\.0/`));
    const units = await collectAll<ProtectionUnit>(client, first);
    expect(units).to.have.length(18);
    expect(new Set(units.map((unit) => unit.id)).size).to.equal(18);
    sitesUnits = units
      .filter((unit) => unit["@odata.type"] === "#microsoft.graph.siteProtectionUnit")
      .map((unit) => unit.id);
    expect(sitesUnits).to.have.length(6);
  });

  it("creates a SharePoint restore session from searched restore points, then gets it", async () => {
    const now = suite.emulator.clock.now();
    const search = await client.api(`${ROOT}/restorePoints/search`).post({
      protectionUnitIds: sitesUnits.slice(0, 2),
      protectionTimePeriod: {
        startDateTime: new Date(now.getTime() - 7 * 24 * 3600 * 1000).toISOString(),
        endDateTime: now.toISOString(),
      },
      restorePointPreference: "latest",
    });
    const restorePointIds: string[] = search.searchResults.map(
      (result: { restorePoint: { id: string } }) => result.restorePoint.id,
    );
    expect(restorePointIds.length).to.be.greaterThan(0);

    const created = await client.api(`${ROOT}/sharePointRestoreSessions`).post({
      siteRestoreArtifacts: restorePointIds.map((id) => ({
        restorePoint: { id },
        destinationType: "inPlace",
      })),
    });
    expect(created).to.include({
      "@odata.type": "#microsoft.graph.sharePointRestoreSession",
      status: "draft",
    });

    const fetched = await client.api(`${ROOT}/restoreSessions/${created.id}`).get();
    expect(fetched.id).to.equal(created.id);
    expect(fetched["@odata.type"]).to.equal("#microsoft.graph.sharePointRestoreSession");
  });

  it("pages through restore sessions across several pages", async () => {
    for (let i = 0; i < 8; i++) {
      await client.api(`${ROOT}/oneDriveForBusinessRestoreSessions`).post({});
    }
    const first = await client.api(`${ROOT}/restoreSessions`).get();
    expect(first.value).to.have.length(4);
    const sessions = await collectAll<{ id: string }>(client, first);
    expect(sessions).to.have.length(9);
  });

  it("surfaces Graph's error envelope as the client's GraphError with status, code and request id", async () => {
    const error = await client
      .api(`${ROOT}/restoreSessions/00000000-0000-4000-8000-000000000000`)
      .get()
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).to.be.instanceOf(GraphError);
    const graphError = error as GraphError;
    expect(graphError.statusCode).to.equal(404);
    expect(graphError.code).to.equal("RestoreSessionNotFound");
    expect(graphError.requestId).to.match(/^[0-9a-f-]{36}$/);
  });

  it("answers a read-only app's create with 403 naming the missing permission", async () => {
    const readOnly = graphClient(suite.emulator, "readOnly");
    const error = (await readOnly
      .api(`${ROOT}/sharePointRestoreSessions`)
      .post({})
      .then(
        () => undefined,
        (e: unknown) => e,
      )) as GraphError;
    expect(error.statusCode).to.equal(403);
    expect(error.message).to.include("BackupRestore-Restore.ReadWrite.All");
  });

  it("is retried by the client's RetryHandler after an emulated 429 with Retry-After", async () => {
    const emulator = suite.emulator;
    emulator.faults.add({
      method: "GET",
      path: `${ROOT}/restoreSessions`,
      once: true,
      action: { kind: "throttle", retryAfterSeconds: 0 },
    });
    const page = await client.api(`${ROOT}/restoreSessions`).get();
    expect(page.value).to.be.an("array");
    const statuses = emulator.requestLog
      .entries({ kind: "graph", pathPrefix: `${ROOT}/restoreSessions` })
      .map((e) => e.status);
    expect(statuses).to.deep.equal([429, 200]);
  });
});
