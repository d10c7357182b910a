import { expect } from "chai";
import { inspect } from "node:util";
import * as sinon from "sinon";
import {
  cachedCredentialCount,
  clearCredentialCache,
  createGraphClient,
  credentialCacheKey,
  getServiceStatus,
  listRestoreSessions,
  MAX_CACHED_CREDENTIALS,
  sharedCredential,
  toArray,
} from "../../provider/graph";
import { useEmulator } from "../helpers/emulator";
import { emulatorSettings, rejection } from "./fixtures";

describe("process-wide credential and token cache", function () {
  const suite = useEmulator();
  beforeEach(() => clearCredentialCache());
  after(() => clearCredentialCache());

  const authRequests = (): number =>
    suite.emulator.requestLog.count({ kind: "token" }) +
    suite.emulator.requestLog.count({ kind: "discovery" });

  it("gives clients built separately from the same settings one token request and one discovery", async () => {
    await toArray(listRestoreSessions(createGraphClient(emulatorSettings(suite.emulator))));
    await toArray(listRestoreSessions(createGraphClient(emulatorSettings(suite.emulator))));
    await Promise.all([
      toArray(listRestoreSessions(createGraphClient(emulatorSettings(suite.emulator)))),
      toArray(listRestoreSessions(createGraphClient(emulatorSettings(suite.emulator)))),
    ]);
    expect(suite.emulator.requestLog.count({ kind: "token" })).to.equal(1);
    expect(authRequests()).to.be.at.most(2);
  });

  it("asks for a new token when the secret changes, and never reuses the other secret's token", async () => {
    await toArray(listRestoreSessions(createGraphClient(emulatorSettings(suite.emulator))));
    const rotated = createGraphClient(
      emulatorSettings(suite.emulator, { clientSecret: "rotated-secret-0000" }),
    );
    const error = await getServiceStatus(rotated).then(
      () => undefined,
      (failure: unknown) => failure,
    );
    // The emulator knows only the original secret: a reused token would have answered 200.
    expect(error).to.have.property("code", "AuthenticationFailed");
    expect(suite.emulator.requestLog.count({ kind: "token" })).to.equal(2);
  });

  it("asks the shared credential again once the token is within five minutes of expiry", async () => {
    const getToken = sinon.spy(sharedCredential(emulatorSettings(suite.emulator)).credential, "getToken");
    await toArray(listRestoreSessions(createGraphClient(emulatorSettings(suite.emulator))));
    await toArray(listRestoreSessions(createGraphClient(emulatorSettings(suite.emulator))));
    expect(getToken.callCount).to.equal(1);
    // The emulator's tokens last an hour; 56 minutes later a client sees 4 minutes left.
    const later = createGraphClient(emulatorSettings(suite.emulator), {
      retry: { now: () => Date.now() + 56 * 60_000 },
    });
    await toArray(listRestoreSessions(later));
    expect(getToken.callCount).to.equal(2);
  });

  it("gives up on a hanging token request after the attempt's timeout and asks again", async () => {
    suite.emulator.faults.add({ target: "token", method: "POST", once: true, action: { kind: "hang" } });
    const settings = emulatorSettings(suite.emulator, { requestTimeoutSeconds: "1" });
    const client = createGraphClient(settings, { retry: { baseDelayInMs: 10 } });
    const started = Date.now();
    await toArray(listRestoreSessions(client));
    expect(Date.now() - started).to.be.at.least(900);
    const tokens = suite.emulator.requestLog.entries({ kind: "token" });
    expect(tokens.map((entry) => entry.fault ?? "none")).to.deep.equal(["hang", "none"]);
  });

  it("reports a token endpoint that keeps hanging as a timeout naming the authority, not as a Graph failure", async () => {
    suite.emulator.faults.add({ target: "token", method: "POST", times: 5, action: { kind: "hang" } });
    const settings = emulatorSettings(suite.emulator, { requestTimeoutSeconds: "1", retryMaxAttempts: "2" });
    const client = createGraphClient(settings, { retry: { baseDelayInMs: 10 } });
    const { message } = (await rejection(toArray(listRestoreSessions(client)))) as Error;
    expect(message).to.contain("access token request to the authority timed out");
    expect(message).to.contain("m365-backup:authorityHost").and.contain("2 attempts");
    expect(suite.emulator.requestLog.count({ kind: "graph" })).to.equal(0);
  });

  it("points at the authority and the network, not the app's settings, when the token answer cannot be read", async () => {
    suite.emulator.faults.add({
      target: "token",
      method: "POST",
      times: 10,
      action: { kind: "malformedJson" },
    });
    const client = createGraphClient(emulatorSettings(suite.emulator), { retry: { baseDelayInMs: 10 } });
    const { message } = (await rejection(toArray(listRestoreSessions(client)))) as Error;
    expect(message).to.contain("Could not get an access token");
    expect(message).to.contain("answer could not be read").and.contain("m365-backup:authorityHost");
    expect(message).to.not.contain("m365-backup:clientId");
  });

  it("keys by a digest that differs per secret, tenant and client and holds no secret in clear", () => {
    const base = emulatorSettings(suite.emulator);
    const key = credentialCacheKey(base);
    expect(key).to.match(/^[0-9a-f]{64}$/);
    expect(key).to.not.include(suite.emulator.clientSecret);
    expect(credentialCacheKey(emulatorSettings(suite.emulator))).to.equal(key);
    for (const override of <Record<string, string>[]>[
      { clientSecret: `${suite.emulator.clientSecret}x` },
      { tenantId: "00000000-0000-0000-0000-000000000001" },
      { clientId: "00000000-0000-0000-0000-000000000002" },
    ]) {
      expect(credentialCacheKey(emulatorSettings(suite.emulator, override))).to.not.equal(key);
    }
    expect(inspect(sharedCredential(base).tokens)).to.not.include(suite.emulator.clientSecret);
  });

  it(`holds at most ${MAX_CACHED_CREDENTIALS} credentials, dropping the least recently used`, () => {
    const first = sharedCredential(emulatorSettings(suite.emulator, { clientSecret: "secret-first" }));
    const oldest = sharedCredential(emulatorSettings(suite.emulator, { clientSecret: "secret-0" }));
    for (let index = 1; index < MAX_CACHED_CREDENTIALS + 4; index++) {
      sharedCredential(emulatorSettings(suite.emulator, { clientSecret: `secret-${index}` }));
      // Touching the first one keeps it the most recently used.
      expect(sharedCredential(emulatorSettings(suite.emulator, { clientSecret: "secret-first" }))).to.equal(
        first,
      );
    }
    expect(cachedCredentialCount()).to.equal(MAX_CACHED_CREDENTIALS);
    // The least recently used entry was dropped: asking again builds a new credential.
    expect(sharedCredential(emulatorSettings(suite.emulator, { clientSecret: "secret-0" }))).to.not.equal(
      oldest,
    );
    expect(cachedCredentialCount()).to.equal(MAX_CACHED_CREDENTIALS);
  });
});
