/**
 * The retry loop in isolation, on sinon fake timers: a scripted `next` stands where the transport would
 * be, so long waits (minutes of Retry-After) are checked to the millisecond without waiting. The same
 * behaviour over real HTTPS is covered against the emulator in resilience.test.ts.
 */
import { expect } from "chai";
import sinon from "sinon";
import { AbortError } from "../../provider/graph/errors";
import { GraphError } from "../../provider/graph";
import {
  clientRequestIdPolicy,
  composePipeline,
  type PipelineRequest,
  type PipelineResponse,
} from "../../provider/graph/pipeline";
import { resolveRetryOptions, retryPolicy } from "../../provider/graph/retry";
import { TransportError } from "../../provider/graph/transport";
import { createScrubber } from "../../provider/redact";

const NOW = Date.parse("2026-11-22T10:00:00Z");

type Step = { status: number; headers?: Record<string, string> } | { fail: TransportError };

function scripted(steps: Step[]): {
  next: (r: PipelineRequest) => Promise<PipelineResponse>;
  seen: PipelineRequest[];
} {
  const seen: PipelineRequest[] = [];
  const next = (request: PipelineRequest): Promise<PipelineResponse> => {
    seen.push(request);
    const step = steps.shift() ?? { status: 200 };
    if ("fail" in step) {
      return Promise.reject(step.fail);
    }
    return Promise.resolve({ request, status: step.status, headers: step.headers ?? {}, bodyText: "{}" });
  };
  return { next, seen };
}

const base: PipelineRequest = {
  method: "GET",
  url: "https://graph.example/v1.0/solutions/backupRestore/restoreSessions",
  logPath: "/restoreSessions",
  headers: {},
  body: undefined,
  replayable: true,
  timeoutInMs: 30_000,
  abortSignal: undefined,
};

describe("retry loop", () => {
  let clock: sinon.SinonFakeTimers;
  const warnings: string[] = [];
  const logger = {
    info: () => undefined,
    debug: () => undefined,
    warn: (m: string) => void warnings.push(m),
  };

  beforeEach(() => {
    clock = sinon.useFakeTimers({ now: NOW, toFake: ["setTimeout", "clearTimeout", "Date"] });
    warnings.length = 0;
  });
  afterEach(() => clock.restore());

  function pipeline(steps: Step[], options = {}) {
    const { next, seen } = scripted(steps);
    const send = composePipeline(
      [
        clientRequestIdPolicy(),
        retryPolicy(resolveRetryOptions({ random: () => 0.5, ...options }), createScrubber(), logger),
      ],
      next,
    );
    return { send, seen };
  }

  it("waits exactly what Retry-After asks, minutes included, then re-sends", async () => {
    const { send, seen } = pipeline([{ status: 429, headers: { "retry-after": "240" } }, { status: 200 }]);
    const result = send(base);
    await clock.tickAsync(239_999);
    expect(seen).to.have.length(1);
    await clock.tickAsync(1);
    expect((await result).status).to.equal(200);
    expect(seen).to.have.length(2);
  });

  it("honours Retry-After given as an HTTP date", async () => {
    const { send, seen } = pipeline([
      { status: 503, headers: { "retry-after": new Date(NOW + 90_000).toUTCString() } },
    ]);
    const result = send(base);
    await clock.tickAsync(89_999);
    expect(seen).to.have.length(1);
    await clock.tickAsync(1);
    expect((await result).status).to.equal(200);
  });

  it("keeps one client-request-id across attempts and numbers retries with Retry-Attempt", async () => {
    const { send, seen } = pipeline([{ status: 503 }, { status: 504 }, { status: 200 }]);
    const result = send(base);
    await clock.tickAsync(10_000);
    await result;
    expect(seen.map((r) => r.headers["retry-attempt"])).to.deep.equal([undefined, "1", "2"]);
    const ids = new Set(seen.map((r) => r.headers["client-request-id"]));
    expect(ids.size).to.equal(1);
    expect([...ids][0]).to.match(/^[0-9a-f-]{36}$/);
  });

  it("backs off exponentially between attempts when Graph gives no Retry-After", async () => {
    const { send, seen } = pipeline([{ status: 503 }, { status: 503 }, { status: 503 }, { status: 200 }]);
    const result = send(base);
    // With random() = 0.5 and a 1 s base: 500 ms, 1000 ms, 2000 ms.
    await clock.tickAsync(499);
    expect(seen).to.have.length(1);
    await clock.tickAsync(1);
    expect(seen).to.have.length(2);
    await clock.tickAsync(1_000);
    expect(seen).to.have.length(3);
    await clock.tickAsync(2_000);
    expect(seen).to.have.length(4);
    expect((await result).status).to.equal(200);
  });

  it("gives up after maxAttempts with the last response as a GraphError", async () => {
    const { send, seen } = pipeline(
      Array.from({ length: 10 }, () => ({ status: 503 })),
      { maxAttempts: 3 },
    );
    const result = send(base).catch((error: unknown) => error);
    await clock.tickAsync(60_000);
    const error = (await result) as GraphError;
    expect(GraphError.isInstance(error)).to.equal(true);
    expect(error.status).to.equal(503);
    expect(seen).to.have.length(3);
  });

  it("stops before a wait would pass the deadline", async () => {
    const steps: Step[] = Array.from({ length: 10 }, () => ({
      status: 429,
      headers: { "retry-after": "30" },
    }));
    const { send, seen } = pipeline(steps, { deadlineInMs: 100_000, maxAttempts: 10 });
    const result = send(base).catch((error: unknown) => error);
    await clock.tickAsync(200_000);
    const error = (await result) as GraphError;
    expect(error.message).to.contain("deadline");
    expect(seen).to.have.length(4); // at 0, 30, 60 and 90 s; a fifth would start at 120 s.
  });

  it("ends a wait at once when the caller aborts", async () => {
    const controller = new AbortController();
    const { send, seen } = pipeline([{ status: 429, headers: { "retry-after": "300" } }]);
    const result = send({ ...base, abortSignal: controller.signal }).catch((error: unknown) => error);
    await clock.tickAsync(1_000);
    controller.abort();
    const error = await result;
    expect(error).to.be.instanceOf(AbortError);
    expect(clock.now - NOW).to.equal(1_000);
    expect(seen).to.have.length(1);
  });

  it("retries a reset for a replayable request", async () => {
    const { send, seen } = pipeline([
      { fail: new TransportError("reset", "ECONNRESET", true) },
      { status: 200 },
    ]);
    const result = send(base);
    await clock.tickAsync(1_000);
    expect((await result).status).to.equal(200);
    expect(seen).to.have.length(2);
    expect(warnings.join("\n")).to.contain("ECONNRESET");
  });

  it("caps each attempt's timeout at the time left before the deadline", async () => {
    const { send, seen } = pipeline([{ status: 503, headers: { "retry-after": "50" } }], {
      deadlineInMs: 60_000,
    });
    const result = send(base);
    await clock.tickAsync(50_000);
    await result;
    expect(seen.map((r) => r.timeoutInMs)).to.deep.equal([30_000, 10_000]);
  });
});
