/**
 * The client under Graph's failure modes, over real HTTPS against the emulator's scripted faults. Waits
 * between attempts go through a recording sleep on a virtual clock (see fixtures.ts), so a 400 s
 * Retry-After is checked without waiting; everything on the wire is real.
 */
import { expect } from "chai";
import {
  AbortError,
  AmbiguousRequestError,
  createRestoreSession,
  getRestoreSession,
  GraphError,
  listRestoreSessions,
  toArray,
} from "../../provider/graph";
import { createGraphClient } from "../../provider/graph";
import { useEmulator } from "../helpers/emulator";
import { emulatorSettings, recordingLogger, rejection, virtualClient, virtualRetry } from "./fixtures";

const SESSIONS = "/solutions/backupRestore/restoreSessions";
const SHAREPOINT_SESSIONS = "/solutions/backupRestore/sharePointRestoreSessions";

describe("client resilience against the emulator", function () {
  const suite = useEmulator();
  const graphRequests = (method: string, pathPrefix: string) =>
    suite.emulator.requestLog.entries({ kind: "graph", method, pathPrefix });

  describe("throttling", () => {
    it("honours Retry-After in seconds, including waits longer than three minutes", async () => {
      suite.emulator.faults.add({
        method: "GET",
        path: SESSIONS,
        times: 2,
        action: { kind: "throttle", retryAfterSeconds: 240 },
      });
      const retry = virtualRetry();
      const sessions = await toArray(listRestoreSessions(virtualClient(suite.emulator, retry)));
      expect(sessions).to.be.an("array");
      expect(retry.waits).to.deep.equal([240_000, 240_000]);
      expect(graphRequests("GET", SESSIONS).map((entry) => entry.status)).to.deep.equal([429, 429, 200]);
    });

    it("honours Retry-After given as an HTTP date", async () => {
      suite.emulator.faults.add({
        method: "GET",
        path: SESSIONS,
        once: true,
        action: { kind: "throttle", retryAfterSeconds: 30, retryAfterAsDate: true },
      });
      const retry = virtualRetry();
      await toArray(listRestoreSessions(virtualClient(suite.emulator, retry)));
      expect(retry.waits).to.have.length(1);
      // An HTTP date has whole seconds, so the wait is up to a second shorter than asked.
      expect(retry.waits[0]).to.be.within(28_000, 30_000);
    });

    it("retries a throttled create: Graph refused it, so sending it again cannot duplicate it", async () => {
      suite.emulator.faults.add({
        method: "POST",
        path: SHAREPOINT_SESSIONS,
        once: true,
        action: { kind: "throttle" },
      });
      const session = await createRestoreSession(virtualClient(suite.emulator), "sharePoint");
      expect(graphRequests("POST", SHAREPOINT_SESSIONS).map((entry) => entry.status)).to.deep.equal([
        429, 201,
      ]);
      const listed = await toArray(listRestoreSessions(virtualClient(suite.emulator)));
      expect(listed.filter((candidate) => candidate.id === session.id)).to.have.length(1);
    });

    it("fails at once with a throttling error when Retry-After is past the cap, saying how long Graph asked", async () => {
      suite.emulator.faults.add({
        method: "GET",
        path: SESSIONS,
        once: true,
        action: { kind: "throttle", retryAfterSeconds: 900 },
      });
      const retry = virtualRetry({ maxRetryAfterInMs: 600_000 });
      const error = (await rejection(
        toArray(listRestoreSessions(virtualClient(suite.emulator, retry))),
      )) as GraphError;
      expect(GraphError.isInstance(error)).to.equal(true);
      expect(error.status).to.equal(429);
      expect(error.retryAfterInMs).to.equal(900_000);
      expect(error.message).to.contain("900 s");
      expect(retry.waits).to.deep.equal([]);
      expect(graphRequests("GET", SESSIONS)).to.have.length(1);
    });
  });

  describe("server and network failures", () => {
    it("retries 503 and 504 for a read, with backoff when there is no Retry-After", async () => {
      suite.emulator.faults.add({
        method: "GET",
        path: SESSIONS,
        once: true,
        action: { kind: "status", status: 504 },
      });
      suite.emulator.faults.add({
        method: "GET",
        path: SESSIONS,
        once: true,
        action: { kind: "status", status: 503 },
      });
      const retry = virtualRetry();
      await toArray(listRestoreSessions(virtualClient(suite.emulator, retry)));
      expect(graphRequests("GET", SESSIONS).map((entry) => entry.status)).to.deep.equal([503, 504, 200]);
      expect(retry.waits).to.deep.equal([500, 1_000]);
    });

    it("keeps one client-request-id across the retries of a request", async () => {
      suite.emulator.faults.add({
        method: "GET",
        path: SESSIONS,
        times: 2,
        action: { kind: "status", status: 503 },
      });
      await toArray(listRestoreSessions(virtualClient(suite.emulator)));
      const ids = graphRequests("GET", SESSIONS).map((entry) => entry.clientRequestId);
      expect(ids).to.have.length(3);
      expect(new Set(ids).size).to.equal(1);
    });

    it("retries a connection reset for a read", async () => {
      suite.emulator.faults.add({ method: "GET", path: SESSIONS, once: true, action: { kind: "reset" } });
      await toArray(listRestoreSessions(virtualClient(suite.emulator)));
      expect(graphRequests("GET", SESSIONS).map((entry) => entry.fault ?? "none")).to.deep.equal([
        "reset",
        "none",
      ]);
    });

    it("times out a hanging read and retries it", async () => {
      suite.emulator.faults.add({ method: "GET", path: SESSIONS, once: true, action: { kind: "hang" } });
      const logger = recordingLogger();
      await toArray(listRestoreSessions(virtualClient(suite.emulator, virtualRetry(), logger, 300)));
      expect(graphRequests("GET", SESSIONS)).to.have.length(2);
      expect(logger.lines.join("\n")).to.match(/timeout/);
    });

    it("takes its timeout and attempts from m365-backup:requestTimeoutSeconds and retryMaxAttempts", async () => {
      suite.emulator.faults.add({ method: "GET", path: SESSIONS, times: 5, action: { kind: "hang" } });
      const settings = emulatorSettings(suite.emulator, {
        requestTimeoutSeconds: "1",
        retryMaxAttempts: "2",
      });
      const client = createGraphClient(settings, { retry: { baseDelayInMs: 10 } });
      const started = Date.now();
      const error = (await rejection(toArray(listRestoreSessions(client)))) as GraphError;
      expect(error.code).to.equal("Timeout");
      expect(error.message).to.contain("2 attempts").and.contain("m365-backup:requestTimeoutSeconds");
      expect(graphRequests("GET", SESSIONS)).to.have.length(2);
      expect(Date.now() - started).to.be.within(1_900, 10_000);
    });

    it("stops after maxAttempts", async () => {
      suite.emulator.faults.add({
        method: "GET",
        path: SESSIONS,
        times: 10,
        action: { kind: "status", status: 503 },
      });
      const client = virtualClient(suite.emulator, virtualRetry({ maxAttempts: 3 }));
      const error = (await rejection(toArray(listRestoreSessions(client)))) as GraphError;
      expect(error.status).to.equal(503);
      expect(error.message).to.contain("3 attempts");
      expect(graphRequests("GET", SESSIONS)).to.have.length(3);
    });

    it("stops when the next wait would pass the deadline", async () => {
      suite.emulator.faults.add({
        method: "GET",
        path: SESSIONS,
        times: 10,
        action: { kind: "throttle", retryAfterSeconds: 30 },
      });
      const retry = virtualRetry({ deadlineInMs: 100_000, maxAttempts: 10 });
      const error = (await rejection(
        toArray(listRestoreSessions(virtualClient(suite.emulator, retry))),
      )) as GraphError;
      expect(error.message).to.contain("deadline");
      expect(retry.waits).to.deep.equal([30_000, 30_000, 30_000]);
      expect(graphRequests("GET", SESSIONS)).to.have.length(4);
    });

    it("ends a real wait as soon as the caller aborts", async () => {
      suite.emulator.faults.add({
        method: "GET",
        path: SESSIONS,
        once: true,
        action: { kind: "throttle", retryAfterSeconds: 300 },
      });
      const client = createGraphClient(emulatorSettings(suite.emulator));
      const controller = new AbortController();
      const started = Date.now();
      const pending = rejection(toArray(listRestoreSessions(client, { abortSignal: controller.signal })));
      while (graphRequests("GET", SESSIONS).length === 0) {
        await new Promise((resolve) => setImmediate(resolve));
      }
      controller.abort();
      expect(await pending).to.be.instanceOf(AbortError);
      expect(Date.now() - started).to.be.lessThan(5_000);
      expect(graphRequests("GET", SESSIONS)).to.have.length(1);
    });
  });

  describe("requests that must not be sent twice", () => {
    for (const [name, action] of [
      ["the connection drops after the session was created", { kind: "ambiguous" }],
      ["the connection is reset", { kind: "reset" }],
      ["Graph answers 504", { kind: "status", status: 504 }],
      ["the request hangs until it times out", { kind: "hang" }],
    ] as const) {
      it(`surfaces a create as ambiguous and does not re-send it when ${name}`, async () => {
        suite.emulator.faults.add({ method: "POST", path: SHAREPOINT_SESSIONS, once: true, action });
        const client = virtualClient(suite.emulator, virtualRetry(), recordingLogger(), 500);
        const before = Date.now();
        const error = (await rejection(createRestoreSession(client, "sharePoint"))) as AmbiguousRequestError;
        expect(AmbiguousRequestError.isInstance(error), String(error)).to.equal(true);
        expect(error.method).to.equal("POST");
        expect(error.path).to.equal("/sharePointRestoreSessions");
        expect(error.startedAt.getTime()).to.be.within(before, Date.now());
        expect(error.clientRequestId).to.match(/^[0-9a-f-]{36}$/);
        expect(graphRequests("POST", SHAREPOINT_SESSIONS)).to.have.length(1);
      });
    }

    it("leaves the caller able to find what an ambiguous create made", async () => {
      suite.emulator.faults.add({
        method: "POST",
        path: SHAREPOINT_SESSIONS,
        once: true,
        action: { kind: "ambiguous" },
      });
      const client = virtualClient(suite.emulator);
      const error = (await rejection(createRestoreSession(client, "sharePoint"))) as AmbiguousRequestError;
      const created = (await toArray(listRestoreSessions(client))).filter(
        (session) => Date.parse(session.createdDateTime ?? "") >= error.startedAt.getTime() - 1_000,
      );
      expect(created.length).to.be.at.least(1);
    });

    it("re-sends a POST the caller declares replayable", async () => {
      suite.emulator.faults.add({
        method: "POST",
        path: SHAREPOINT_SESSIONS,
        once: true,
        action: { kind: "reset" },
      });
      await createRestoreSession(virtualClient(suite.emulator), "sharePoint", {}, { replayable: true });
      expect(graphRequests("POST", SHAREPOINT_SESSIONS)).to.have.length(2);
    });
  });

  describe("bodies that are not Graph's JSON", () => {
    it("turns malformed JSON on a 200 into a GraphError", async () => {
      const created = await createRestoreSession(virtualClient(suite.emulator), "exchange");
      suite.emulator.faults.add({
        method: "GET",
        path: `${SESSIONS}/`,
        once: true,
        action: { kind: "malformedJson" },
      });
      const error = (await rejection(
        getRestoreSession(virtualClient(suite.emulator), created.id),
      )) as GraphError;
      expect(error).to.include({ status: 200, code: "MalformedResponse" });
      expect(error.message).to.contain("Graph answered 200, but the response body was not JSON");
    });

    it("reports malformed JSON on a 2xx to a create as ambiguous: Graph may have made the session", async () => {
      suite.emulator.faults.add({
        method: "POST",
        path: SHAREPOINT_SESSIONS,
        once: true,
        action: { kind: "malformedJson" },
      });
      const before = new Date();
      const error = await rejection(createRestoreSession(virtualClient(suite.emulator), "sharePoint"));
      expect(error).to.be.instanceOf(AmbiguousRequestError);
      const ambiguous = error as AmbiguousRequestError;
      expect(ambiguous.causeSummary).to.equal("Graph answered 200 with a body that is not JSON");
      expect(ambiguous.startedAt.getTime()).to.be.at.least(before.getTime() - 1);
      expect(graphRequests("POST", SHAREPOINT_SESSIONS)).to.have.length(1);
    });

    it("turns a proxy's HTML page into a GraphError with the status and a short excerpt", async () => {
      suite.emulator.faults.add({ method: "GET", path: SESSIONS, once: true, action: { kind: "htmlError" } });
      const error = (await rejection(
        toArray(listRestoreSessions(virtualClient(suite.emulator))),
      )) as GraphError;
      expect(error).to.include({ status: 502, code: "BadGateway" });
      expect(error.message).to.contain("502 Bad Gateway").and.not.contain("<");
    });
  });
});
