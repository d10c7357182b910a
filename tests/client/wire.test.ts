/**
 * What the client puts on the wire, as the emulator's Graph service receives it (a thin wrapper around
 * the real service records each request's headers), and how the token is cached per client.
 */
import { expect } from "chai";
import type { IncomingHttpHeaders } from "node:http";
import type { AccessToken, TokenCredential } from "@azure/identity";
import { createGraphService } from "../../tools/emulator/service";
import { createCredential } from "../../provider/auth";
import {
  AbortError,
  createGraphClient,
  createRestoreSession,
  listRestoreSessions,
  toArray,
} from "../../provider/graph";
import { packageVersion } from "../../provider/graph/userAgent";
import { useEmulator } from "../helpers/emulator";
import { emulatorSettings, virtualRetry } from "./fixtures";

const SESSIONS = "/solutions/backupRestore/restoreSessions";

describe("requests on the wire", () => {
  const received: IncomingHttpHeaders[] = [];
  const suite = useEmulator({
    createService: (options) => {
      const real = createGraphService(options);
      return {
        ...real,
        handle: (request) => {
          received.push(request.headers);
          return real.handle(request);
        },
      };
    },
  });
  beforeEach(() => {
    received.length = 0;
  });

  it("sends Prefer, User-Agent, a client-request-id and the bearer token on every request", async () => {
    const client = createGraphClient(emulatorSettings(suite.emulator));
    await createRestoreSession(client, "exchange");
    await toArray(listRestoreSessions(client));
    expect(received).to.have.length(2);
    for (const headers of received) {
      expect(headers.prefer).to.equal("include-unknown-enum-members");
      expect(headers["user-agent"]).to.equal(`pulumi-m365-backup/${packageVersion()}`);
      expect(headers["client-request-id"]).to.match(/^[0-9a-f-]{36}$/);
      expect(headers.authorization).to.match(/^Bearer /);
      expect(headers["retry-attempt"]).to.equal(undefined);
    }
    expect(received[0]["client-request-id"]).not.to.equal(received[1]["client-request-id"]);
  });

  it("numbers a retry with Retry-Attempt and keeps its client-request-id", async () => {
    suite.emulator.faults.add({
      method: "GET",
      path: SESSIONS,
      times: 2,
      action: { kind: "status", status: 503 },
    });
    const client = createGraphClient(emulatorSettings(suite.emulator), { retry: virtualRetry() });
    await toArray(listRestoreSessions(client));
    expect(received.map((headers) => headers["retry-attempt"])).to.deep.equal(["2"]);
    const log = suite.emulator.requestLog.entries({ kind: "graph", pathPrefix: SESSIONS });
    expect(log.map((entry) => entry.clientRequestId)).to.deep.equal(
      Array.from({ length: 3 }, () => received[0]["client-request-id"]),
    );
  });

  it("aborts a request in flight at once", async () => {
    suite.emulator.faults.add({ method: "GET", path: SESSIONS, once: true, action: { kind: "hang" } });
    const client = createGraphClient(emulatorSettings(suite.emulator));
    const controller = new AbortController();
    const pending = toArray(listRestoreSessions(client, { abortSignal: controller.signal })).then(
      () => undefined,
      (error: unknown) => error,
    );
    while (suite.emulator.requestLog.count({ kind: "graph", pathPrefix: SESSIONS }) === 0) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    controller.abort();
    expect(await pending).to.be.instanceOf(AbortError);
  });
});

describe("token caching", () => {
  const suite = useEmulator();

  /** The real credential, counting requests and optionally shortening the reported lifetime. */
  function counting(credential: TokenCredential, lifetimeInMs?: number): TokenCredential & { calls: number } {
    const wrapper = {
      calls: 0,
      getToken: async (...args: Parameters<TokenCredential["getToken"]>): Promise<AccessToken | null> => {
        wrapper.calls += 1;
        const token = await credential.getToken(...args);
        return token && lifetimeInMs !== undefined
          ? { ...token, expiresOnTimestamp: Date.now() + lifetimeInMs }
          : token;
      },
    };
    return wrapper;
  }

  it("reuses a token while it has more than five minutes left", async () => {
    const settings = emulatorSettings(suite.emulator);
    const credential = counting(createCredential(settings), 6 * 60_000);
    const client = createGraphClient(settings, { credential });
    await Promise.all([toArray(listRestoreSessions(client)), toArray(listRestoreSessions(client))]);
    await toArray(listRestoreSessions(client));
    expect(credential.calls).to.equal(1);
  });

  it("asks for a new token when less than five minutes are left", async () => {
    const settings = emulatorSettings(suite.emulator);
    const credential = counting(createCredential(settings), 4 * 60_000);
    const client = createGraphClient(settings, { credential });
    await toArray(listRestoreSessions(client));
    await toArray(listRestoreSessions(client));
    expect(credential.calls).to.equal(2);
  });

  it("keeps one cache per client", async () => {
    const settings = emulatorSettings(suite.emulator);
    const credential = counting(createCredential(settings));
    await toArray(listRestoreSessions(createGraphClient(settings, { credential })));
    await toArray(listRestoreSessions(createGraphClient(settings, { credential })));
    expect(credential.calls).to.equal(2);
  });
});
