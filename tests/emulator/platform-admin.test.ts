import { expect } from "chai";
import type { Emulator } from "../../tools/emulator";
import { graphCall, rawRequest, startTestEmulator } from "../helpers/emulator";

async function admin(emulator: Emulator, method: string, path: string, body?: unknown) {
  const res = await rawRequest(emulator, {
    method,
    path: `/_emulator${path}`,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: res.text === "" ? undefined : JSON.parse(res.text) };
}

describe("emulator platform: request log", () => {
  let emulator: Emulator;
  before(async () => {
    emulator = await startTestEmulator();
  });
  afterEach(() => emulator.requestLog.clear());
  after(() => emulator.close());

  it("records each Graph request with method, path, query, status, app, client-request-id and duration", async () => {
    await graphCall(emulator, {
      method: "GET",
      path: "/solutions/backupRestore/restoreSessions?$top=2",
      headers: { "client-request-id": "log-test-1" },
    });
    const graph = emulator.requestLog.entries({ kind: "graph" });
    expect(graph).to.have.length(1);
    expect(graph[0]).to.include({
      kind: "graph",
      method: "GET",
      path: "/v1.0/solutions/backupRestore/restoreSessions",
      query: "$top=2",
      appId: emulator.clientId,
      clientRequestId: "log-test-1",
      delivered: true,
    });
    expect(graph[0]?.status).to.be.a("number");
    expect(graph[0]?.durationInMs).to.be.at.least(0);
    expect(Date.parse(graph[0]?.time ?? "")).to.be.closeTo(Date.now(), 10_000);
  });

  it("records token requests with the client id but without the secret", async () => {
    const token = await rawRequest(emulator, {
      method: "POST",
      path: `/${emulator.tenantId}/oauth2/v2.0/token`,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "client_credentials",
        client_id: emulator.clientId,
        client_secret: emulator.clientSecret,
        scope: "https://graph.microsoft.com/.default",
      }).toString(),
    });
    expect(token.status).to.equal(200);
    const entries = emulator.requestLog.entries({ kind: "token" });
    expect(entries).to.have.length(1);
    expect(entries[0]).to.include({ method: "POST", status: 200, appId: emulator.clientId });
    expect(JSON.stringify(emulator.requestLog.entries())).to.not.include(emulator.clientSecret);
  });

  it("counts writes as non-GET Graph requests and filters by method and path", async () => {
    await graphCall(emulator, { method: "GET", path: "/solutions/backupRestore/restoreSessions" });
    await graphCall(emulator, {
      method: "POST",
      path: "/solutions/backupRestore/oneDriveForBusinessRestoreSessions",
      body: {},
    });
    await graphCall(emulator, {
      method: "DELETE",
      path: "/solutions/backupRestore/restoreSessions/not-a-guid",
    });
    expect(emulator.requestLog.writes().map((e) => e.method)).to.deep.equal(["POST", "DELETE"]);
    expect(
      emulator.requestLog.count({ method: "get", pathPrefix: "/solutions/backupRestore/restoreSessions" }),
    ).to.equal(1);
    expect(emulator.requestLog.count({ pathPrefix: "/v1.0/solutions" })).to.equal(3);
  });

  it("starts empty again after clear()", async () => {
    await graphCall(emulator, { method: "GET", path: "/solutions/backupRestore/restoreSessions" });
    emulator.requestLog.clear();
    expect(emulator.requestLog.entries()).to.deep.equal([]);
  });
});

describe("emulator platform: admin routes under /_emulator", () => {
  let emulator: Emulator;
  before(async () => {
    emulator = await startTestEmulator();
  });
  afterEach(() => {
    emulator.faults.reset();
    emulator.requestLog.clear();
  });
  after(() => emulator.close());

  it("adds a fault over HTTP that the next matching request gets, and lists it with counts", async () => {
    const added = await admin(emulator, "POST", "/faults", {
      method: "GET",
      path: "/solutions/backupRestore/restoreSessions",
      once: true,
      action: { kind: "status", status: 503 },
    });
    expect(added.status).to.equal(201);
    expect(
      (await graphCall(emulator, { method: "GET", path: "/solutions/backupRestore/restoreSessions" })).status,
    ).to.equal(503);
    const listed = await admin(emulator, "GET", "/faults");
    expect(listed.body.value[0]).to.include({ matched: 1, fired: 1 });
  });

  it("clears faults with DELETE /_emulator/faults", async () => {
    await admin(emulator, "POST", "/faults", { path: "/solutions", action: { kind: "status", status: 503 } });
    expect((await admin(emulator, "DELETE", "/faults")).status).to.equal(204);
    expect(
      (await graphCall(emulator, { method: "GET", path: "/solutions/backupRestore/restoreSessions" })).status,
    ).to.equal(200);
  });

  it("refuses a malformed fault rule with 400 naming the problem", async () => {
    const res = await admin(emulator, "POST", "/faults", { action: { kind: "explode" } });
    expect(res.status).to.equal(400);
    expect(res.body.error.message).to.include("kind");
  });

  it("sets standing latency and throttling with PUT /_emulator/network", async () => {
    const res = await admin(emulator, "PUT", "/network", { latencyInMs: 5, throttle: { fraction: 0.5 } });
    expect(res.body).to.deep.equal({ latencyInMs: 5, throttle: { fraction: 0.5 } });
    expect(emulator.faults.latencyInMs).to.equal(5);
    const cleared = await admin(emulator, "PUT", "/network", { throttle: null });
    expect(cleared.body.throttle).to.equal(null);
  });

  it("reads and clears the request log", async () => {
    await graphCall(emulator, { method: "GET", path: "/solutions/backupRestore/restoreSessions" });
    const read = await admin(emulator, "GET", "/requests?kind=graph");
    expect(read.body.count).to.equal(1);
    expect(read.body.value[0].path).to.equal("/v1.0/solutions/backupRestore/restoreSessions");
    expect((await admin(emulator, "DELETE", "/requests")).status).to.equal(204);
    expect(emulator.requestLog.entries()).to.deep.equal([]);
  });

  it("advances the emulator clock", async () => {
    const before = emulator.clock.nowInMs();
    const res = await admin(emulator, "POST", "/clock/advance", { durationInMs: 86_400_000 });
    expect(res.status).to.equal(200);
    expect(emulator.clock.nowInMs() - before).to.be.at.least(86_400_000);
    expect(Date.parse(res.body.now)).to.be.at.least(before + 86_400_000);
  });

  it("refuses to move the clock backwards", async () => {
    const res = await admin(emulator, "POST", "/clock/advance", { durationInMs: -1 });
    expect(res.status).to.equal(400);
  });

  it("switches the service status that Graph reports", async () => {
    expect((await admin(emulator, "POST", "/service-status", { status: "restoreLocked" })).status).to.equal(
      204,
    );
    const root = await graphCall(emulator, {
      method: "GET",
      path: "/solutions/backupRestore",
      client: "control",
    });
    expect(root.body.serviceStatus.status).to.equal("restoreLocked");
    emulator.setServiceStatus("enabled");
    const again = await graphCall(emulator, {
      method: "GET",
      path: "/solutions/backupRestore",
      client: "control",
    });
    expect(again.body.serviceStatus.status).to.equal("enabled");
  });

  it("refuses an unknown service status with 400", async () => {
    const res = await admin(emulator, "POST", "/service-status", { status: "sleeping" });
    expect(res.status).to.equal(400);
  });

  it("summarises the seeded clients without secrets", async () => {
    const res = await admin(emulator, "GET", "/clients");
    expect(res.body.tenantId).to.equal(emulator.tenantId);
    expect(res.body.value.map((c: { name: string }) => c.name)).to.have.members([
      "readWrite",
      "readOnly",
      "noRoles",
      "control",
      "certificate",
      "federated",
    ]);
    for (const client of emulator.clients) {
      if (client.secret !== undefined) {
        expect(JSON.stringify(res.body)).to.not.include(client.secret);
      }
    }
  });

  it("mints a workload token for the federated client", async () => {
    const res = await admin(emulator, "POST", "/oidc/token", {});
    expect(res.body.token).to.match(/^eyJ/);
  });

  it("answers an unknown admin route with 404 listing the routes", async () => {
    const res = await admin(emulator, "GET", "/nothing");
    expect(res.status).to.equal(404);
    expect(res.body.error.message).to.include("GET /faults");
  });

  it("does not log admin requests", async () => {
    await admin(emulator, "GET", "/clients");
    expect(emulator.requestLog.entries()).to.deep.equal([]);
  });
});

describe("emulator platform: seeded clients", () => {
  it("derives client and tenant ids from the seed and makes secrets random per start", async () => {
    const first = await startTestEmulator({ seed: "ids" });
    const second = await startTestEmulator({ seed: "ids" });
    const other = await startTestEmulator({ seed: "other" });
    try {
      expect(first.tenantId).to.equal(second.tenantId);
      expect(first.clients.map((c) => c.clientId)).to.deep.equal(second.clients.map((c) => c.clientId));
      expect(other.tenantId).to.not.equal(first.tenantId);
      expect(first.clientSecret).to.not.equal(second.clientSecret);
    } finally {
      await Promise.all([first.close(), second.close(), other.close()]);
    }
  });

  it("grants each seeded client its documented roles", async () => {
    const emulator = await startTestEmulator();
    try {
      const roles = Object.fromEntries(emulator.clients.map((c) => [c.name, [...c.roles].sort()]));
      const readWrite = [
        "BackupRestore-Configuration.Read.All",
        "BackupRestore-Restore.ReadWrite.All",
        "BackupRestore-Search.Read.All",
      ];
      expect(roles.readWrite).to.deep.equal(readWrite);
      expect(roles.readOnly).to.deep.equal([
        "BackupRestore-Configuration.Read.All",
        "BackupRestore-Restore.Read.All",
        "BackupRestore-Search.Read.All",
      ]);
      expect(roles.noRoles).to.deep.equal([]);
      expect(roles.control).to.deep.equal(["BackupRestore-Control.ReadWrite.All", ...readWrite].sort());
      expect(roles.certificate).to.deep.equal(readWrite);
      expect(roles.federated).to.deep.equal(readWrite);
    } finally {
      await emulator.close();
    }
  });
});
