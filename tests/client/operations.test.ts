/**
 * The typed operations of provider/graph/backupRestore.ts against the emulator: paths, bodies and the
 * statuses parsed into their closed unions.
 */
import { expect } from "chai";
import {
  activateRestoreSession,
  createBulkAdditionRequest,
  createGraphClient,
  createRestoreSession,
  deleteRestoreSession,
  getBulkAdditionRequest,
  getRestoreSession,
  getServiceStatus,
  GraphError,
  listArtifacts,
  listBulkAdditionRequests,
  listProtectionUnits,
  patchArtifacts,
  searchRestorePoints,
  toArray,
  type GraphClient,
} from "../../provider/graph";
import type { RestoreSessionKind } from "../../provider/model";
import { useEmulator } from "../helpers/emulator";
import { emulatorSettings, rejection, virtualClient } from "./fixtures";

const WEEKS_AGO = new Date(Date.now() - 60 * 24 * 3600 * 1000).toISOString();

async function restorePointIds(
  client: GraphClient,
  kind: RestoreSessionKind,
  count: number,
): Promise<string[]> {
  const units = (await toArray(listProtectionUnits(client, kind))).slice(0, 10);
  const search = await searchRestorePoints(client, {
    protectionUnitIds: units.map((unit) => unit.id),
    protectionTimePeriod: { startDateTime: WEEKS_AGO, endDateTime: new Date().toISOString() },
    restorePointPreference: "latest",
  });
  const byUnit = new Map(
    search.searchResults.map((result) => [result.restorePoint.protectionUnit?.id, result.restorePoint.id]),
  );
  const ids = [...byUnit.values()].slice(0, count);
  expect(ids, "restore points in the seeded tenant").to.have.length(count);
  return ids;
}

/** The GraphError `promise` rejected with. */
async function graphRejection(promise: Promise<unknown>): Promise<GraphError> {
  const error = await rejection(promise);
  expect(GraphError.isInstance(error), String(error)).to.equal(true);
  return error as GraphError;
}

describe("backup-restore operations against the emulator", () => {
  const suite = useEmulator();

  it("creates a session with artifacts, adds and removes through @delta, lists and activates it", async () => {
    const client = virtualClient(suite.emulator);
    const [first, second] = await restorePointIds(client, "sharePoint", 2);
    const session = await createRestoreSession(client, "sharePoint", {
      collection: "standard",
      artifacts: [{ restorePoint: { id: first }, destinationType: "new" }],
    });
    expect(session).to.include({ status: "draft", restoreJobType: "standard" });
    expect(session.restoreSessionArtifactCount?.total).to.equal(1);

    const added = await patchArtifacts(client, "sharePoint", session.id, "standard", [
      { restorePoint: { id: second }, destinationType: "new" },
    ]);
    expect(added).to.have.length(1);
    expect(added[0]).to.include({ removed: false, status: "added" });
    expect(added[0].id).to.be.a("string");

    const missing = await patchArtifacts(client, "sharePoint", session.id, "standard", [
      { "@removed": { reason: "changed" }, id: "no-such-artifact" },
    ]);
    expect(missing[0].removed).to.equal(true);
    expect(missing[0].failure?.code).to.be.a("string");

    const artifacts = await toArray(listArtifacts(client, "sharePoint", session.id, "standard"));
    expect(artifacts.map((artifact) => artifact.status)).to.deep.equal(["added", "added"]);

    const activated = await activateRestoreSession(client, session.id);
    expect(["activating", "active"]).to.include(activated.status);
    const again = await getRestoreSession(client, session.id);
    expect(again.id).to.equal(session.id);

    const refused = await graphRejection(deleteRestoreSession(client, session.id));
    expect(refused).to.include({ status: 403, code: "RestoreSessionActionNotAllowed" });
    expect(refused.message).to.contain("not in draft");
    expect(refused.permissions).to.equal(undefined);
  });

  it("refuses more than 50 artifacts in one PATCH before sending it", async () => {
    const client = virtualClient(suite.emulator);
    const delta = Array.from({ length: 51 }, (_, i) => ({
      "@removed": { reason: "changed" as const },
      id: `a${i}`,
    }));
    let error: unknown;
    try {
      await patchArtifacts(client, "exchange", "any", "standard", delta);
    } catch (caught) {
      error = caught;
    }
    expect(error).to.be.instanceOf(RangeError);
    expect(suite.emulator.requestLog.count({ kind: "graph" })).to.equal(0);
  });

  it("deletes a draft session, after which it is not found", async () => {
    const client = virtualClient(suite.emulator);
    const session = await createRestoreSession(client, "oneDriveForBusiness");
    await deleteRestoreSession(client, session.id);
    const error = await graphRejection(getRestoreSession(client, session.id));
    expect(error).to.include({ status: 404, code: "RestoreSessionNotFound" });
  });

  it("creates, lists and reads a bulk addition request on an empty session", async () => {
    const client = virtualClient(suite.emulator);
    const units = await toArray(listProtectionUnits(client, "exchange"));
    const session = await createRestoreSession(client, "exchange");
    const created = await createBulkAdditionRequest(client, "exchange", session.id, {
      displayName: "bulk",
      destinationType: "new",
      protectionTimePeriod: { startDateTime: WEEKS_AGO, endDateTime: new Date().toISOString() },
      restorePointPreference: "latest",
      directoryObjectIds: units.slice(0, 3).map((unit) => unit.directoryObjectId ?? ""),
    });
    expect(created.status).to.equal("active");
    const listed = await toArray(listBulkAdditionRequests(client, "exchange", session.id));
    expect(listed.map((request) => request.id)).to.deep.equal([created.id]);
    const read = await getBulkAdditionRequest(client, "exchange", session.id, created.id);
    expect(read).to.include({ id: created.id, status: "active" });
  });

  it("reads the service status with the control permission", async () => {
    const control = suite.emulator.clients.find((client) => client.name === "control");
    const settings = emulatorSettings(suite.emulator, {
      clientId: control?.clientId ?? "",
      clientSecret: control?.secret ?? "",
    });
    const status = await getServiceStatus(createGraphClient(settings));
    expect(status.status).to.equal("enabled");
  });
});

describe("queries with OData options", () => {
  const suite = useEmulator();

  it("sends a $filter with spaces and quotes as Graph expects", async () => {
    const client = virtualClient(suite.emulator);
    const [unit] = await toArray(listProtectionUnits(client, "exchange"));
    const now = new Date().toISOString();
    const page = await client.get<{ value: { id: string }[] }>(
      `/restorePoints?$expand=protectionUnit($filter=id eq '${unit.id}')&$filter=protectionDateTime lt ${now}`,
    );
    expect(page.value.length).to.be.within(1, 5);
  });
});
