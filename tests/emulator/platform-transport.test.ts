/* eslint-disable @typescript-eslint/no-explicit-any -- parsed JSON bodies are checked field by field */
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { connect, type PeerCertificate } from "node:tls";
import { SignJWT } from "jose";
import { generateKeyPairSync } from "node:crypto";
import { startTestEmulator, graphCall, rawRequest, requestToken } from "../helpers/emulator";
import type { Emulator } from "../../tools/emulator";
import { fakeGraphService, type FakeGraphService } from "./platform-fake-service";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function expectEnvelope(body: any, code: string): void {
  expect(Object.keys(body)).to.deep.equal(["error"]);
  expect(Object.keys(body.error)).to.deep.equal(["code", "message", "innerError"]);
  expect(body.error.code).to.equal(code);
  expect(body.error.message).to.be.a("string").and.not.empty;
  expect(Object.keys(body.error.innerError)).to.have.members(["date", "request-id", "client-request-id"]);
  expect(body.error.innerError.date).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
  expect(body.error.innerError["request-id"]).to.match(GUID);
}

describe("emulator platform: HTTPS transport", () => {
  let emulator: Emulator;
  let fake: FakeGraphService;
  const internalErrors: unknown[] = [];

  before(async () => {
    fake = fakeGraphService();
    emulator = await startTestEmulator({
      createService: fake.factory,
      onInternalError: (error) => internalErrors.push(error),
    });
  });
  after(() => emulator.close());

  it("starts another emulator in the same process in under a second (keys are made once per process)", async () => {
    const started = Date.now();
    const second = await startTestEmulator({ createService: fakeGraphService().factory });
    const elapsed = Date.now() - started;
    await second.close();
    console.log(`      warm startup to ready: ${elapsed} ms (cold start is measured by the CLI suite)`);
    expect(elapsed).to.be.below(1000);
  });

  it("reports a loopback HTTPS origin as both Graph endpoint and authority host", () => {
    expect(emulator.graphEndpoint).to.match(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(emulator.authorityHost).to.equal(emulator.graphEndpoint);
    expect(emulator.tenantId).to.match(GUID);
  });

  it("serves a certificate for 127.0.0.1 that chains to the reported CA", async () => {
    const port = Number(new URL(emulator.graphEndpoint).port);
    const peer = await new Promise<PeerCertificate>((resolve, reject) => {
      const socket = connect(
        { host: "127.0.0.1", port, ca: readFileSync(emulator.caCertPath), servername: undefined },
        () => {
          const certificate = socket.getPeerCertificate();
          expect(socket.authorized).to.equal(true);
          socket.end();
          resolve(certificate);
        },
      );
      socket.on("error", reject);
    });
    expect(peer.subjectaltname).to.include("IP Address:127.0.0.1");
    expect(peer.issuer.CN).to.equal("m365-backup emulator test CA");
  });

  it("refuses a TLS client that does not trust the CA", async () => {
    const port = Number(new URL(emulator.graphEndpoint).port);
    const error = await new Promise<Error>((resolve) => {
      const socket = connect({ host: "127.0.0.1", port, ca: [], rejectUnauthorized: true }, () => {
        socket.end();
        resolve(new Error("connected"));
      });
      socket.on("error", resolve);
    });
    expect(error.message).to.match(/certificate/i);
  });

  for (const version of ["v1.0", "beta"] as const) {
    it(`hands ${version} requests to the service with the path after the version`, async () => {
      const res = await graphCall(emulator, { method: "GET", path: "/echo?$top=3&x=y", version });
      expect(res.status).to.equal(200);
      expect(res.body).to.include({
        method: "GET",
        apiVersion: version,
        path: "/echo",
        query: "%24top=3&x=y",
      });
      expect(res.body.baseUrl).to.equal(emulator.graphEndpoint);
    });
  }

  it("parses a JSON body and passes the verified caller", async () => {
    const res = await graphCall(emulator, {
      method: "POST",
      path: "/echo",
      body: { a: [1, 2] },
      client: "readOnly",
    });
    const readOnly = emulator.clients.find((c) => c.name === "readOnly");
    expect(res.body.body).to.deep.equal({ a: [1, 2] });
    expect(res.body.caller).to.deep.equal({ appId: readOnly?.clientId, roles: readOnly?.roles });
  });

  it("passes the request headers through to the service", async () => {
    const res = await graphCall(emulator, { method: "GET", path: "/echo", headers: { "x-custom": "1" } });
    expect(res.body.headerNames).to.include.members(["x-custom", "authorization"]);
  });

  it("gives a client without roles an empty role list", async () => {
    const res = await graphCall(emulator, { method: "GET", path: "/echo", client: "noRoles" });
    expect(res.body.caller.roles).to.deep.equal([]);
  });

  it("passes no body when the request has none", async () => {
    const res = await graphCall(emulator, { method: "POST", path: "/echo" });
    expect(res.body).to.not.have.property("body");
  });

  it("sets request-id, echoes client-request-id, and sends Date and Graph's JSON content type", async () => {
    const res = await graphCall(emulator, {
      method: "GET",
      path: "/echo",
      headers: { "client-request-id": "7f1c8a52-0000-4000-8000-000000000001" },
    });
    expect(res.headers["request-id"]).to.match(GUID);
    expect(res.headers["client-request-id"]).to.equal("7f1c8a52-0000-4000-8000-000000000001");
    expect(Date.parse(String(res.headers.date))).to.be.closeTo(Date.now(), 5000);
    expect(res.headers["content-type"]).to.match(/^application\/json;odata\.metadata=minimal/);
  });

  it("uses the request-id as client-request-id when the caller sent none", async () => {
    const res = await graphCall(emulator, { method: "GET", path: "/echo" });
    expect(res.headers["client-request-id"]).to.equal(res.headers["request-id"]);
  });

  it("honours Prefer: include-unknown-enum-members and says so in Preference-Applied", async () => {
    const res = await graphCall(emulator, {
      method: "GET",
      path: "/echo",
      headers: { prefer: "odata.maxpagesize=5, include-unknown-enum-members" },
    });
    expect(res.body.includeUnknownEnumMembers).to.equal(true);
    expect(res.headers["preference-applied"]).to.equal("include-unknown-enum-members");
  });

  it("leaves evolvable enum members hidden without the Prefer header", async () => {
    const res = await graphCall(emulator, { method: "GET", path: "/echo" });
    expect(res.body.includeUnknownEnumMembers).to.equal(false);
    expect(res.headers).to.not.have.property("preference-applied");
  });

  it("renders a GraphServiceError in Graph's envelope with the caller's ids and its headers", async () => {
    const res = await graphCall(emulator, {
      method: "GET",
      path: "/fail",
      headers: { "client-request-id": "caller-chosen-id" },
    });
    expect(res.status).to.equal(404);
    expectEnvelope(res.body, "RestoreSessionNotFound");
    expect(res.body.error.innerError["client-request-id"]).to.equal("caller-chosen-id");
    expect(res.body.error.innerError["request-id"]).to.equal(res.headers["request-id"]);
    expect(res.headers["x-fake"]).to.equal("yes");
  });

  it("answers malformed JSON with 400 BadRequest naming the problem, without calling the service", async () => {
    const before = fake.seen.length;
    const res = await graphCall(emulator, {
      method: "POST",
      path: "/echo",
      rawBody: '{"displayName": ',
      headers: { "content-type": "application/json" },
    });
    expect(res.status).to.equal(400);
    expectEnvelope(res.body, "BadRequest");
    expect(res.body.error.message).to.match(/not valid JSON/);
    expect(fake.seen.length).to.equal(before);
  });

  it("answers a body that is not application/json with 415 naming the content type", async () => {
    const res = await graphCall(emulator, {
      method: "POST",
      path: "/echo",
      rawBody: "displayName=x",
      headers: { "content-type": "text/plain" },
    });
    expect(res.status).to.equal(415);
    expectEnvelope(res.body, "UnsupportedMediaType");
    expect(res.body.error.message).to.include("text/plain");
  });

  it("accepts application/json with parameters", async () => {
    const res = await graphCall(emulator, {
      method: "PATCH",
      path: "/echo",
      rawBody: "{}",
      headers: { "content-type": "application/json; charset=utf-8" },
    });
    expect(res.status).to.equal(200);
  });

  it("answers an unknown top-level path with 404 naming it", async () => {
    const res = await graphCall(emulator, {
      method: "GET",
      path: "https://127.0.0.1/v2.0/solutions".replace("https://127.0.0.1", emulator.graphEndpoint),
    });
    expect(res.status).to.equal(404);
    expectEnvelope(res.body, "ResourceNotFound");
    expect(res.body.error.message).to.include("/v2.0/solutions");
  });

  it("answers a method Graph does not use with 405 naming it", async () => {
    const res = await graphCall(emulator, { method: "PUT", path: "/echo", body: {} });
    expect(res.status).to.equal(405);
    expectEnvelope(res.body, "MethodNotAllowed");
    expect(res.body.error.message).to.include("PUT");
  });

  it("answers a body over 4 MB with 413 without calling the service", async () => {
    const before = fake.seen.length;
    const res = await graphCall(emulator, {
      method: "POST",
      path: "/echo",
      rawBody: JSON.stringify({ padding: "x".repeat(4 * 1024 * 1024) }),
      headers: { "content-type": "application/json" },
    });
    expect(res.status).to.equal(413);
    expectEnvelope(res.body, "RequestEntityTooLarge");
    expect(fake.seen.length).to.equal(before);
  });

  it("answers 204 with no body and no content type", async () => {
    const res = await graphCall(emulator, { method: "DELETE", path: "/empty" });
    expect(res.status).to.equal(204);
    expect(res.text).to.equal("");
    expect(res.headers).to.not.have.property("content-type");
  });

  it("turns an unexpected service failure into 500 and reports it as an internal error", async () => {
    const res = await graphCall(emulator, { method: "GET", path: "/boom" });
    expect(res.status).to.equal(500);
    expectEnvelope(res.body, "InternalServerError");
    expect(res.text).to.not.include("a bug inside the service");
    expect(internalErrors.some((e) => (e as Error).message === "a bug inside the service")).to.equal(true);
  });

  describe("bearer token verification", () => {
    it("refuses a request without a token with 401 InvalidAuthenticationToken and a challenge", async () => {
      const res = await graphCall(emulator, { method: "GET", path: "/echo", client: null });
      expect(res.status).to.equal(401);
      expectEnvelope(res.body, "InvalidAuthenticationToken");
      expect(res.headers["www-authenticate"]).to.match(/^Bearer /);
    });

    it("refuses an expired token", async () => {
      const token = await emulator.issueAccessToken("readWrite", { lifetimeInSeconds: -60 });
      const res = await graphCall(emulator, { method: "GET", path: "/echo", token });
      expect(res.status).to.equal(401);
      expect(res.body.error.message).to.match(/expired/);
    });

    it("refuses a token for another audience", async () => {
      const token = await emulator.issueAccessToken("readWrite", {
        audience: "https://management.azure.com",
      });
      const res = await graphCall(emulator, { method: "GET", path: "/echo", token });
      expect(res.status).to.equal(401);
      expect(res.body.error.message).to.match(/audience/);
    });

    it("refuses a token signed by a key the tenant does not know", async () => {
      const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
      const genuine = JSON.parse(
        Buffer.from((await requestToken(emulator)).split(".")[1] ?? "", "base64url").toString(),
      );
      const forged = await new SignJWT(genuine).setProtectedHeader({ alg: "RS256" }).sign(privateKey);
      const res = await graphCall(emulator, { method: "GET", path: "/echo", token: forged });
      expect(res.status).to.equal(401);
      expect(res.body.error.message).to.match(/signature/);
    });

    it("refuses a token that is not a JWT", async () => {
      const res = await graphCall(emulator, { method: "GET", path: "/echo", token: "not-a-token" });
      expect(res.status).to.equal(401);
      expectEnvelope(res.body, "InvalidAuthenticationToken");
    });

    it("checks the token before the body", async () => {
      const res = await rawRequest(emulator, {
        method: "POST",
        path: "/v1.0/echo",
        headers: { "content-type": "application/json" },
        body: "{",
      });
      expect(res.status).to.equal(401);
    });
  });
});
