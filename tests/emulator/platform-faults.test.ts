import { expect } from "chai";
import { Faults, type Emulator } from "../../tools/emulator";
import { graphCall, rawRequest, startTestEmulator } from "../helpers/emulator";
import { fakeGraphService, type FakeGraphService } from "./platform-fake-service";

async function failureOf(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => new Error("the request succeeded"),
    (error: Error) => error,
  );
}

describe("emulator platform: scripted faults", () => {
  let emulator: Emulator;
  let fake: FakeGraphService;

  before(async () => {
    fake = fakeGraphService();
    emulator = await startTestEmulator({ createService: fake.factory });
  });
  afterEach(() => {
    emulator.faults.reset();
    emulator.requestLog.clear();
  });
  after(() => emulator.close());

  const echo = (method = "GET"): ReturnType<typeof graphCall> =>
    graphCall(emulator, { method, path: "/echo", body: method === "GET" ? undefined : {} });

  it("answers once with 429 and Retry-After in seconds, in Graph's envelope, then lets requests through", async () => {
    emulator.faults.add({ path: "/echo", once: true, action: { kind: "throttle", retryAfterSeconds: 7 } });
    const first = await echo();
    expect(first.status).to.equal(429);
    expect(first.headers["retry-after"]).to.equal("7");
    expect(first.body.error.code).to.equal("TooManyRequests");
    expect(first.body.error.innerError["request-id"]).to.equal(first.headers["request-id"]);
    expect((await echo()).status).to.equal(200);
  });

  it("can give Retry-After as an HTTP date", async () => {
    emulator.faults.add({
      path: "/echo",
      once: true,
      action: { kind: "throttle", retryAfterSeconds: 30, retryAfterAsDate: true },
    });
    const res = await echo();
    const retryAt = Date.parse(String(res.headers["retry-after"]));
    expect(String(res.headers["retry-after"])).to.match(/GMT$/);
    expect(retryAt - Date.now()).to.be.within(25_000, 31_000);
  });

  it("fires `times: n` on the first n matches only", async () => {
    emulator.faults.add({
      path: "/echo",
      times: 2,
      action: { kind: "status", status: 503, retryAfterSeconds: 2 },
    });
    const statuses = [];
    for (let i = 0; i < 3; i++) {
      statuses.push((await echo()).status);
    }
    expect(statuses).to.deep.equal([503, 503, 200]);
  });

  it("fires `every: n` on every n-th match", async () => {
    emulator.faults.add({ path: "/echo", every: 3, action: { kind: "status", status: 504 } });
    const statuses = [];
    for (let i = 0; i < 6; i++) {
      statuses.push((await echo()).status);
    }
    expect(statuses).to.deep.equal([200, 200, 504, 200, 200, 504]);
  });

  it("gives 503 and 504 Graph-shaped bodies without calling the service", async () => {
    const before = fake.seen.length;
    emulator.faults.add({ path: "/echo", times: 2, action: { kind: "status", status: 503 } });
    const unavailable = await echo();
    expect(unavailable.body.error).to.include({ code: "ServiceUnavailable" });
    emulator.faults.reset();
    emulator.faults.add({ path: "/echo", once: true, action: { kind: "status", status: 504 } });
    const timeout = await echo();
    expect(timeout.body.error).to.include({ code: "GatewayTimeout" });
    expect(fake.seen.length).to.equal(before);
  });

  it("matches by method and by a {name} pattern, leaving other requests alone", async () => {
    emulator.faults.add({
      method: "POST",
      pattern: "/solutions/backupRestore/restoreSessions/{id}/activate",
      action: { kind: "status", status: 503 },
    });
    const matching = await graphCall(emulator, {
      method: "POST",
      path: "/solutions/backupRestore/restoreSessions/abc/activate",
    });
    const otherMethod = await graphCall(emulator, {
      method: "GET",
      path: "/solutions/backupRestore/restoreSessions/abc/activate",
    });
    const otherPath = await graphCall(emulator, {
      method: "POST",
      path: "/solutions/backupRestore/restoreSessions/abc",
    });
    expect([matching.status, otherMethod.status, otherPath.status]).to.deep.equal([503, 404, 404]);
  });

  it("lets the newest rule win", async () => {
    emulator.faults.add({ path: "/echo", action: { kind: "status", status: 503 } });
    emulator.faults.add({ path: "/echo", once: true, action: { kind: "status", status: 504 } });
    expect((await echo()).status).to.equal(504);
    expect((await echo()).status).to.equal(503);
  });

  it("adds latency before processing", async () => {
    emulator.faults.add({ path: "/echo", once: true, action: { kind: "latency", latencyInMs: 150 } });
    const started = Date.now();
    const res = await echo();
    expect(res.status).to.equal(200);
    expect(Date.now() - started).to.be.at.least(150);
    expect(emulator.requestLog.entries({ pathPrefix: "/echo" })[0]?.fault).to.equal("latency");
  });

  it("adds the standing per-request latency to every Graph request", async () => {
    emulator.faults.latencyInMs = 120;
    const started = Date.now();
    await echo();
    expect(Date.now() - started).to.be.at.least(120);
  });

  it("resets the connection before answering, without processing the request", async () => {
    const before = fake.seen.length;
    emulator.faults.add({ path: "/create", once: true, action: { kind: "reset" } });
    const error = await failureOf(graphCall(emulator, { method: "POST", path: "/create", body: {} }));
    expect(error.message).to.match(/socket hang up|ECONNRESET/);
    expect(fake.seen.length).to.equal(before);
    expect(emulator.requestLog.entries({ pathPrefix: "/create" })[0]).to.include({
      status: 0,
      delivered: false,
      fault: "reset",
    });
  });

  it("hangs until the client gives up, without processing the request", async () => {
    const before = fake.seen.length;
    emulator.faults.add({ path: "/echo", once: true, action: { kind: "hang" } });
    const error = await failureOf(graphCall(emulator, { method: "GET", path: "/echo", timeoutInMs: 300 }));
    expect(error.name).to.match(/AbortError|TimeoutError/);
    expect(fake.seen.length).to.equal(before);
    expect((await echo()).status).to.equal(200);
  });

  it("processes an ambiguous create, then drops the connection without the response", async () => {
    emulator.faults.add({ method: "POST", path: "/create", once: true, action: { kind: "ambiguous" } });
    const createsBefore = fake.seen.filter((r) => r.path === "/create").length;
    const error = await failureOf(graphCall(emulator, { method: "POST", path: "/create", body: {} }));
    expect(error.message).to.match(/socket hang up|ECONNRESET/);
    expect(fake.seen.filter((r) => r.path === "/create").length).to.equal(createsBefore + 1);
    expect(emulator.requestLog.entries({ pathPrefix: "/create" })[0]).to.include({
      status: 201,
      delivered: false,
      fault: "ambiguousCreate",
    });
  });

  it("processes a request whose answer is lost, logs it once processed and never answers", async () => {
    emulator.faults.add({ method: "POST", path: "/create", once: true, action: { kind: "lostAnswer" } });
    const createsBefore = fake.seen.filter((r) => r.path === "/create").length;
    const error = await failureOf(
      graphCall(emulator, { method: "POST", path: "/create", body: {}, timeoutInMs: 300 }),
    );
    expect(error.name).to.match(/AbortError|TimeoutError/);
    expect(fake.seen.filter((r) => r.path === "/create").length).to.equal(createsBefore + 1);
    expect(emulator.requestLog.entries({ pathPrefix: "/create" })[0]).to.include({
      status: 201,
      delivered: false,
      fault: "lostAnswer",
    });
  });

  it("can answer with a body that is not valid JSON", async () => {
    emulator.faults.add({ path: "/echo", once: true, action: { kind: "malformedJson" } });
    const res = await echo();
    expect(res.status).to.equal(200);
    expect(res.headers["content-type"]).to.match(/^application\/json/);
    expect(() => JSON.parse(res.text) as unknown).to.throw(SyntaxError);
  });

  it("can answer with a proxy's HTML error page", async () => {
    emulator.faults.add({ path: "/echo", once: true, action: { kind: "htmlError" } });
    const res = await echo();
    expect(res.status).to.equal(502);
    expect(res.headers["content-type"]).to.match(/^text\/html/);
    expect(res.text).to.include("<html>");
  });

  it("targets the token endpoint with OAuth-shaped errors", async () => {
    emulator.faults.add({ target: "token", once: true, action: { kind: "throttle", retryAfterSeconds: 3 } });
    const form = new URLSearchParams({
      grant_type: "client_credentials",
      client_id: emulator.clientId,
      client_secret: emulator.clientSecret,
      scope: "https://graph.microsoft.com/.default",
    }).toString();
    const post = () =>
      rawRequest(emulator, {
        method: "POST",
        path: `/${emulator.tenantId}/oauth2/v2.0/token`,
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: form,
      });
    const throttled = await post();
    expect(throttled.status).to.equal(429);
    expect(throttled.headers["retry-after"]).to.equal("3");
    expect(JSON.parse(throttled.text)).to.include({ error: "temporarily_unavailable" });
    expect(throttled.text).to.not.include(emulator.clientSecret);
    expect((await post()).status).to.equal(200);
  });

  it("throttles a seeded fraction of requests, the same ones on every run", async () => {
    const run = async (): Promise<number[]> => {
      const other = await startTestEmulator({
        createService: fakeGraphService().factory,
        seed: "throttle-seed",
      });
      try {
        other.faults.setThrottle({ fraction: 0.3, retryAfterSeconds: 1 });
        const statuses: number[] = [];
        for (let i = 0; i < 20; i++) {
          statuses.push((await graphCall(other, { method: "GET", path: "/echo" })).status);
        }
        return statuses;
      } finally {
        await other.close();
      }
    };
    const first = await run();
    const second = await run();
    expect(first).to.deep.equal(second);
    const throttled = first.filter((status) => status === 429).length;
    expect(throttled).to.be.within(2, 12);
  });

  it("clears rules, latency and throttling set by a test on reset()", async () => {
    emulator.faults.add({ path: "/echo", action: { kind: "status", status: 503 } });
    emulator.faults.latencyInMs = 5000;
    emulator.faults.setThrottle({ fraction: 1 });
    emulator.faults.reset();
    const res = await graphCall(emulator, { method: "GET", path: "/echo", timeoutInMs: 2000 });
    expect(res.status).to.equal(200);
    expect(emulator.faults.list()).to.deep.equal([]);
  });

  it("returns latency and throttling to the emulator's options on reset()", () => {
    const faults = new Faults("seed", { latencyInMs: 50, throttle: { fraction: 0.2 } });
    faults.latencyInMs = 0;
    faults.setThrottle(undefined);
    faults.reset();
    expect(faults.latencyInMs).to.equal(50);
    expect(faults.throttle).to.deep.equal({ fraction: 0.2 });
  });

  it("rejects malformed rules with a message naming the problem", () => {
    expect(() => emulator.faults.add({ once: true, times: 2, action: { kind: "reset" } })).to.throw(
      /at most one of/,
    );
    expect(() => emulator.faults.add({ every: 0, action: { kind: "reset" } })).to.throw(/every/);
    expect(() => emulator.faults.add({ action: { kind: "status", status: 200 } })).to.throw(
      /between 400 and 599/,
    );
  });
});

describe("emulator platform: fault rule matching", () => {
  const probe = (path: string, method = "GET", target: "graph" | "token" = "graph") => ({
    target,
    method,
    path,
  });

  it("compares Graph paths without the version unless the rule names one", () => {
    const faults = new Faults("seed");
    faults.add({ path: "/solutions/backupRestore", action: { kind: "reset" } });
    faults.add({ path: "/beta/solutions", action: { kind: "hang" } });
    expect(faults.decide(probe("/v1.0/solutions/backupRestore/restoreSessions"))?.label).to.equal("reset");
    expect(faults.decide(probe("/beta/solutions/backupRestore/restoreSessions"))?.label).to.equal("hang");
    expect(faults.decide(probe("/v1.0/other"))).to.equal(undefined);
  });

  it("matches one segment per {name} and anything after a trailing /*", () => {
    const faults = new Faults("seed");
    faults.add({ pattern: "/solutions/backupRestore/restoreSessions/{id}", action: { kind: "reset" } });
    faults.add({ pattern: "/solutions/backupRestore/sharePointRestoreSessions/*", action: { kind: "hang" } });
    expect(faults.decide(probe("/v1.0/solutions/backupRestore/restoreSessions/abc"))?.label).to.equal(
      "reset",
    );
    expect(faults.decide(probe("/v1.0/solutions/backupRestore/restoreSessions/abc/activate"))).to.equal(
      undefined,
    );
    expect(
      faults.decide(probe("/v1.0/solutions/backupRestore/sharePointRestoreSessions/a/b"))?.label,
    ).to.equal("hang");
  });

  it("keeps Graph rules off the token endpoint and token rules off Graph", () => {
    const faults = new Faults("seed");
    faults.add({ action: { kind: "reset" } });
    expect(faults.decide(probe("/tenant/oauth2/v2.0/token", "POST", "token"))).to.equal(undefined);
    faults.reset();
    faults.add({ target: "token", action: { kind: "reset" } });
    expect(faults.decide(probe("/v1.0/solutions"))).to.equal(undefined);
    expect(faults.decide(probe("/tenant/oauth2/v2.0/token", "POST", "token"))?.label).to.equal("reset");
  });

  it("removes a single rule with the function add() returns", () => {
    const faults = new Faults("seed");
    const remove = faults.add({ action: { kind: "reset" } });
    remove();
    expect(faults.decide(probe("/v1.0/solutions"))).to.equal(undefined);
  });
});

describe("emulator platform: closing with a request still hanging", () => {
  it("drops the hung connection and resolves close()", async () => {
    const emulator = await startTestEmulator({ createService: fakeGraphService().factory });
    emulator.faults.add({ path: "/echo", action: { kind: "hang" } });
    const pending = failureOf(graphCall(emulator, { method: "GET", path: "/echo" }));
    // The request must have reached the emulator before closing; wait for its log entry.
    while (emulator.requestLog.count({ pathPrefix: "/echo" }) === 0) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    await emulator.close();
    expect((await pending).message).to.match(/socket hang up|ECONNRESET/);
  });
});

describe("emulator platform: ambiguous create against the real service", () => {
  let emulator: Emulator;
  before(async () => {
    emulator = await startTestEmulator();
  });
  after(() => emulator.close());

  it("creates the session even though the client never sees the response", async () => {
    const path = "/solutions/backupRestore/sharePointRestoreSessions";
    emulator.faults.add({ method: "POST", path, once: true, action: { kind: "ambiguous" } });
    const error = await failureOf(graphCall(emulator, { method: "POST", path, body: {} }));
    expect(error.message).to.match(/socket hang up|ECONNRESET/);
    expect(emulator.requestLog.writes()[0]).to.include({ status: 201, delivered: false });
    const list = await graphCall(emulator, {
      method: "GET",
      path: "/solutions/backupRestore/restoreSessions",
    });
    expect(list.body.value).to.have.length(1);
    expect(emulator.requestLog.writes()).to.have.length(1);
  });
});
