import { expect } from "chai";
import { EmulatorClock } from "../../tools/emulator";
import { graphCall, useEmulator, expectGraphError as expectError } from "../helpers/emulator";

const NOW = Date.parse("2026-03-10T09:30:00Z");
const BASE = "/solutions/backupRestore";

describe("emulator tenant: backupRestore root and service status", () => {
  const clock = new EmulatorClock(() => NOW);
  const suite = useEmulator({ seed: "tenant-status", clock, unitsPerWorkload: 5 });
  const root = (client: "control" | "readWrite" = "control") =>
    graphCall(suite.emulator, { method: "GET", path: BASE, client });
  const enable = (body: unknown, client: "control" | "readWrite" = "control") =>
    graphCall(suite.emulator, { method: "POST", path: `${BASE}/enable`, body, client });
  const units = () => graphCall(suite.emulator, { method: "GET", path: `${BASE}/mailboxProtectionUnits` });

  it("starts enabled, so everything works out of the box", async () => {
    const res = await root();
    expect(res.status).to.equal(200);
    expect(res.body.id).to.equal(suite.emulator.tenantId);
    expect(res.body["@odata.context"]).to.include("solutions/backupRestore/$entity");
    expect(res.body.serviceStatus).to.include({
      status: "enabled",
      disableReason: "none",
      lastModifiedDateTime: "2026-03-10T09:30:00Z",
    });
    expect((await units()).status).to.equal(200);
  });

  it("needs a Control role to read the root and Control.ReadWrite.All to enable", async () => {
    const read = await root("readWrite");
    expect(read.status).to.equal(403);
    expect(read.body.error.message).to.include("BackupRestore-Control.Read.All");
    const write = await enable({ appOwnerTenantId: suite.emulator.tenantId }, "readWrite");
    expect(write.status).to.equal(403);
    expect(write.body.error.message).to.include("BackupRestore-Control.ReadWrite.All");
  });

  it("blocks discovery while disabled, and enable turns the service back on", async () => {
    suite.emulator.setServiceStatus("disabled");
    const disabled = await root();
    expect(disabled.body.serviceStatus).to.include({ status: "disabled", disableReason: "userRequested" });
    expectError(await units(), 403, "BackupServiceNotEnabled", "enable");

    clock.advance(60_000);
    const res = await enable({ appOwnerTenantId: suite.emulator.tenantId });
    expect(res.status).to.equal(200);
    expect(res.body["@odata.context"]).to.include("microsoft.graph.serviceStatus");
    const control = suite.emulator.clients.find((client) => client.name === "control");
    expect(res.body).to.deep.include({ status: "enabled", lastModifiedDateTime: "2026-03-10T09:31:00Z" });
    expect(res.body.lastModifiedBy.application.id).to.equal(control?.clientId);
    expect((await units()).status).to.equal(200);
    expect(suite.emulator.service.tenant.serviceStatus()).to.deep.equal({
      status: "enabled",
      lastModifiedDateTime: "2026-03-10T09:31:00Z",
    });
  });

  it("keeps discovery open while restores are locked, and enable does not lift the lock", async () => {
    suite.emulator.setServiceStatus("restoreLocked");
    try {
      expect((await units()).status).to.equal(200);
      const res = await enable({ appOwnerTenantId: suite.emulator.tenantId });
      expect(res.body.status).to.equal("restoreLocked");
    } finally {
      suite.emulator.setServiceStatus("enabled");
    }
  });

  it("answers InvalidAppOwnerTenantId for a missing or malformed tenant id, and BadRequest for other properties", async () => {
    expectError(await enable({}), 400, "InvalidAppOwnerTenantId", "appOwnerTenantId");
    expectError(
      await enable({ appOwnerTenantId: "contoso.onmicrosoft.com" }),
      400,
      "InvalidAppOwnerTenantId",
    );
    expectError(
      await enable({ appOwnerTenantId: suite.emulator.tenantId, force: true }),
      400,
      "BadRequest",
      "force",
    );
  });

  it("refuses a service status the API does not define", () => {
    expect(() => suite.emulator.setServiceStatus("paused")).to.throw(RangeError);
  });
});
