import { expect } from "chai";
import { AmbiguousRequestError, GraphError } from "../../provider/graph/errors";
import type { PipelineRequest, PipelineResponse } from "../../provider/graph/pipeline";
import {
  decideRetry,
  resolveRetryOptions,
  type AttemptOutcome,
  type RetryContext,
  type RetryDecision,
} from "../../provider/graph/retry";
import { classifyTransportFailure, TransportError } from "../../provider/graph/transport";
import { createScrubber } from "../../provider/redact";

const NOW = Date.parse("2026-11-22T10:00:00Z");

function request(overrides: Partial<PipelineRequest> = {}): PipelineRequest {
  return {
    method: "GET",
    url: "https://graph.example/v1.0/solutions/backupRestore/restoreSessions",
    logPath: "/restoreSessions",
    headers: { "client-request-id": "11111111-2222-3333-4444-555555555555" },
    body: undefined,
    replayable: true,
    timeoutInMs: 1_000,
    abortSignal: undefined,
    ...overrides,
  };
}

function response(status: number, headers: Record<string, string> = {}, req = request()): AttemptOutcome {
  const envelope = {
    error: { code: status === 429 ? "TooManyRequests" : "Whatever", message: "from Graph" },
  };
  const result: PipelineResponse = { request: req, status, headers, bodyText: JSON.stringify(envelope) };
  return { response: result };
}

function failure(kind: TransportError["kind"], code: string, sent = true): AttemptOutcome {
  return { failure: new TransportError(kind, code, sent) };
}

function context(overrides: Partial<RetryContext> = {}, options = {}): RetryContext {
  return {
    request: request(),
    attempt: 1,
    startedAtInMs: NOW,
    nowInMs: NOW,
    options: resolveRetryOptions({ random: () => 0.5, ...options }),
    scrub: createScrubber(),
    ...overrides,
  };
}

/** The error of a "throw" decision (fails the test for any other decision). */
function thrown<E extends Error = GraphError>(decision: RetryDecision): E {
  if (decision.action !== "throw") {
    throw new Error(`expected a throw decision, got ${decision.action}`);
  }
  return decision.error as E;
}

describe("retry decisions", () => {
  it("returns success and non-retryable statuses to the caller", () => {
    for (const status of [200, 201, 204, 400, 401, 403, 404, 409, 500]) {
      expect(decideRetry(response(status), context()).action, String(status)).to.equal("return");
    }
  });

  it("retries 429, 503 and 504 for a replayable request", () => {
    for (const status of [429, 503, 504]) {
      expect(decideRetry(response(status), context()).action, String(status)).to.equal("retry");
    }
  });

  it("waits what Retry-After asks, in seconds or as an HTTP date", () => {
    const inSeconds = decideRetry(response(429, { "retry-after": "7" }), context());
    expect(inSeconds).to.deep.include({ action: "retry", delayInMs: 7_000 });
    const asDate = decideRetry(response(429, { "retry-after": "Sun, 22 Nov 2026 10:00:30 GMT" }), context());
    expect(asDate).to.deep.include({ action: "retry", delayInMs: 30_000 });
  });

  it("honours a Retry-After longer than three minutes when it is within the cap", () => {
    const decision = decideRetry(response(429, { "retry-after": "240" }), context());
    expect(decision).to.deep.include({ action: "retry", delayInMs: 240_000 });
  });

  it("fails with a throttling GraphError saying how long Graph asked to wait when past the cap", () => {
    const decision = decideRetry(
      response(429, { "retry-after": "900" }),
      context({}, { maxRetryAfterInMs: 600_000 }),
    );
    expect(decision.action).to.equal("throw");
    const error = thrown<GraphError>(decision);
    expect(GraphError.isInstance(error)).to.equal(true);
    expect(error.status).to.equal(429);
    expect(error.retryAfterInMs).to.equal(900_000);
    expect(error.message).to.contain("900 s").and.contain("maxRetryAfterInMs");
  });

  it("uses exponential backoff with jitter when there is no Retry-After", () => {
    const first = decideRetry(response(503), context({ attempt: 1 }));
    const third = decideRetry(response(503), context({ attempt: 3 }));
    expect(first).to.deep.include({ action: "retry", delayInMs: 500 });
    expect(third).to.deep.include({ action: "retry", delayInMs: 2_000 });
  });

  it("retries 429 even for a POST that creates something: throttling refuses before the work", () => {
    const post = request({ method: "POST", replayable: false });
    expect(decideRetry(response(429, {}, post), context({ request: post })).action).to.equal("retry");
  });

  it("does not re-send a non-replayable request after any 5xx (503 included), a reset or a timeout", () => {
    const post = request({ method: "POST", replayable: false, logPath: "/sharePointRestoreSessions" });
    for (const outcome of [
      response(500, {}, post),
      response(502, {}, post),
      response(503, {}, post),
      response(504, {}, post),
      failure("reset", "ECONNRESET"),
      failure("timeout", "ECONNABORTED"),
    ]) {
      const decision = decideRetry(outcome, context({ request: post }));
      expect(decision.action).to.equal("throw");
      const error = thrown<AmbiguousRequestError>(decision);
      expect(AmbiguousRequestError.isInstance(error)).to.equal(true);
      expect(error.method).to.equal("POST");
      expect(error.path).to.equal("/sharePointRestoreSessions");
      expect(error.startedAt.getTime()).to.equal(NOW);
      expect(error.clientRequestId).to.equal("11111111-2222-3333-4444-555555555555");
    }
  });

  it("retries a non-replayable request when the connection was never made", () => {
    const post = request({ method: "POST", replayable: false });
    for (const outcome of [failure("refused", "ECONNREFUSED", false), failure("dns", "EAI_AGAIN", false)]) {
      expect(decideRetry(outcome, context({ request: post })).action).to.equal("retry");
    }
  });

  it("retries network failures of a replayable request", () => {
    for (const outcome of [
      failure("reset", "ECONNRESET"),
      failure("timeout", "ETIMEDOUT"),
      failure("dns", "EAI_AGAIN", false),
    ]) {
      expect(decideRetry(outcome, context()).action).to.equal("retry");
    }
  });

  it("does not retry an untrusted certificate and says how to fix it", () => {
    const decision = decideRetry(failure("tls", "SELF_SIGNED_CERT_IN_CHAIN", false), context());
    expect(decision.action).to.equal("throw");
    expect(thrown<Error>(decision).message).to.contain("NODE_EXTRA_CA_CERTS");
  });

  it("stops at maxAttempts with the last error", () => {
    const decision = decideRetry(response(503), context({ attempt: 4 }, { maxAttempts: 4 }));
    expect(decision.action).to.equal("throw");
    const error = thrown<GraphError>(decision);
    expect(error.status).to.equal(503);
    expect(error.message).to.contain("4 attempts");
    const network = decideRetry(failure("reset", "ECONNRESET"), context({ attempt: 4 }, { maxAttempts: 4 }));
    expect(thrown<GraphError>(network).code).to.equal("NetworkError");
  });

  it("does not start a wait that would end past the deadline", () => {
    const decision = decideRetry(
      response(429, { "retry-after": "60" }),
      context({ nowInMs: NOW + 50_000 }, { deadlineInMs: 100_000 }),
    );
    expect(decision.action).to.equal("throw");
    expect(thrown<GraphError>(decision).message).to.contain("deadline");
    const within = decideRetry(
      response(429, { "retry-after": "40" }),
      context({ nowInMs: NOW + 50_000 }, { deadlineInMs: 100_000 }),
    );
    expect(within.action).to.equal("retry");
  });
});

describe("transport failure classification", () => {
  it("marks failures before a connection as never sent, and everything after as maybe sent", () => {
    const cases: [string, string, boolean][] = [
      ["ECONNREFUSED", "refused", false],
      ["ENOTFOUND", "dns", false],
      ["EAI_AGAIN", "dns", false],
      ["EHOSTUNREACH", "unreachable", false],
      ["SELF_SIGNED_CERT_IN_CHAIN", "tls", false],
      ["ECONNRESET", "reset", true],
      ["ETIMEDOUT", "timeout", true],
      ["ECONNABORTED", "timeout", true],
      ["ERR_CANCELED", "aborted", true],
    ];
    for (const [code, kind, sent] of cases) {
      const failure = classifyTransportFailure({ code, config: { headers: { Authorization: "Bearer x" } } });
      expect([failure.kind, failure.requestMaybeSent], code).to.deep.equal([kind, sent]);
      expect(failure.code).to.equal(code);
    }
  });

  it("keeps nothing of the thrown error but a well-formed code", () => {
    const failure = classifyTransportFailure({ code: "Bearer abc.def", message: "secret", config: {} });
    expect(failure.code).to.equal("UNKNOWN");
    expect(failure.kind).to.equal("other");
    expect(Object.keys(failure)).to.not.include("config");
  });
});
