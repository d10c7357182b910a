/**
 * Plants canary secrets in the configuration (as the real client secrets of the seeded apps, and as a
 * wrong secret) and drives the client through every error path against the emulator. Neither the
 * canaries nor any access token may appear in an error message, a log line, or an inspected error.
 */
import { expect } from "chai";
import { inspect } from "node:util";
import type { AccessToken, TokenCredential } from "@azure/identity";
import { createCredential } from "../../provider/auth";
import {
  createGraphClient,
  createRestoreSession,
  getRestoreSession,
  getServiceStatus,
  listRestoreSessions,
  toArray,
  type CreateGraphClientOptions,
} from "../../provider/graph";
import type { ProviderSettings } from "../../provider/settings";
import { useEmulator } from "../helpers/emulator";
import { emulatorSettings, recordingLogger, virtualRetry } from "./fixtures";

const CANARY = "canary-7f3a9c1e-Secret~Value";
const CANARY_NO_ROLES = "canary-0b5d2e47-NoRoles~Value";
const CANARY_WRONG = "canary-91c4aa03-Wrong~Value";
const CANARIES = [CANARY, CANARY_NO_ROLES, CANARY_WRONG];
const SESSIONS = "/solutions/backupRestore/restoreSessions";

describe("redaction: nothing secret escapes any error path", function () {
  const suite = useEmulator({ clientSecrets: { readWrite: CANARY, noRoles: CANARY_NO_ROLES } });
  const logger = recordingLogger();
  const tokens: string[] = [];
  const printed: string[] = [];

  /** Wraps a credential so the test learns every token the client receives. */
  function recording(credential: TokenCredential): TokenCredential {
    return {
      getToken: async (scopes, options) => {
        const token = await credential.getToken(scopes, options);
        if (token) {
          tokens.push(token.token);
        }
        return token;
      },
    };
  }

  function client(
    settings: ProviderSettings = emulatorSettings(suite.emulator),
    options: CreateGraphClientOptions = {},
  ) {
    return createGraphClient(settings, {
      logger,
      retry: virtualRetry({ maxAttempts: 2 }),
      timeoutInMs: 500,
      credential: recording(createCredential(settings)),
      ...options,
    });
  }

  /** Runs a failing call and keeps every printed form of its error. */
  async function failure(call: Promise<unknown>): Promise<Error> {
    const error = await call.then(
      () => {
        throw new Error("expected the call to fail");
      },
      (caught: unknown) => caught as Error,
    );
    printed.push(
      error.message,
      String(error),
      error.stack ?? "",
      JSON.stringify(error),
      inspect(error),
      inspect(error, { showHidden: true, depth: null, getters: true }),
      inspect({ wrapped: error }, { depth: null }),
    );
    return error;
  }

  it("401: a wrong secret at the token endpoint", async () => {
    const settings = emulatorSettings(suite.emulator, { clientSecret: CANARY_WRONG });
    const error = await failure(getServiceStatus(client(settings)));
    expect((error as { code?: string }).code).to.equal("AuthenticationFailed");
  });

  it("token endpoint failure", async () => {
    suite.emulator.faults.add({ target: "token", times: 10, action: { kind: "status", status: 400 } });
    const error = await failure(toArray(listRestoreSessions(client())));
    expect((error as { code?: string }).code).to.equal("AuthenticationFailed");
  });

  it("401: Graph rejects an expired token", async () => {
    const expired = await suite.emulator.issueAccessToken("readWrite", { lifetimeInSeconds: -60 });
    const stale: TokenCredential = {
      getToken: () =>
        Promise.resolve<AccessToken>({ token: expired, expiresOnTimestamp: Date.now() + 3_600_000 }),
    };
    const error = await failure(
      toArray(listRestoreSessions(client(undefined, { credential: recording(stale) }))),
    );
    expect((error as { status?: number }).status).to.equal(401);
  });

  it("403: no backup role", async () => {
    const noRoles = suite.emulator.clients.find((candidate) => candidate.name === "noRoles");
    const settings = emulatorSettings(suite.emulator, {
      clientId: noRoles?.clientId ?? "",
      clientSecret: CANARY_NO_ROLES,
    });
    const error = await failure(toArray(listRestoreSessions(client(settings))));
    expect((error as { status?: number }).status).to.equal(403);
  });

  it("404: unknown session", async () => {
    const error = await failure(getRestoreSession(client(), "00000000-0000-4000-8000-000000000000"));
    expect((error as { status?: number }).status).to.equal(404);
  });

  it("429 past the Retry-After cap", async () => {
    suite.emulator.faults.add({
      path: SESSIONS,
      once: true,
      action: { kind: "throttle", retryAfterSeconds: 3_600 },
    });
    await failure(toArray(listRestoreSessions(client())));
  });

  it("network errors: reset and refused connection", async () => {
    suite.emulator.faults.add({ path: SESSIONS, times: 2, action: { kind: "reset" } });
    await failure(toArray(listRestoreSessions(client())));
    const closed = emulatorSettings(suite.emulator, { graphEndpoint: "https://127.0.0.1:1" });
    await failure(toArray(listRestoreSessions(client(closed))));
  });

  it("ambiguous create", async () => {
    suite.emulator.faults.add({ method: "POST", once: true, action: { kind: "ambiguous" } });
    await failure(createRestoreSession(client(), "sharePoint"));
  });

  it("malformed JSON and an HTML page", async () => {
    suite.emulator.faults.add({ path: SESSIONS, once: true, action: { kind: "malformedJson" } });
    await failure(toArray(listRestoreSessions(client())));
    suite.emulator.faults.add({ path: SESSIONS, once: true, action: { kind: "htmlError" } });
    await failure(toArray(listRestoreSessions(client())));
  });

  it("prints clients and settings without their secrets", async () => {
    const settings = emulatorSettings(suite.emulator);
    const graph = client(settings);
    await toArray(listRestoreSessions(graph));
    for (const value of [graph, settings]) {
      printed.push(
        inspect(value, { showHidden: true, depth: null, getters: true }),
        JSON.stringify(value) ?? "",
      );
    }
  });

  it("leaves no canary and no token in any message, log line or inspected error", () => {
    // Runs last (mocha keeps declaration order), so every path above contributes to the haystack.
    if (process.env.REDACTION_DUMP) {
      console.log([...printed, ...logger.lines].join("\n---\n"));
    }
    const haystack = [...printed, ...logger.lines].join("\n");
    expect(printed.length).to.be.at.least(11 * 7);
    expect(logger.lines.length).to.be.greaterThan(5);
    expect(tokens.length).to.be.greaterThan(0);
    for (const secret of [...CANARIES, ...tokens]) {
      expect(haystack.includes(secret), `a secret leaked: ${secret.slice(0, 12)}…`).to.equal(false);
    }
    expect(haystack).not.to.match(/eyJ[A-Za-z0-9_-]{10,}\./);
    expect(haystack).not.to.match(/Bearer [A-Za-z0-9]/);
  });
});
