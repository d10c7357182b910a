import { expect } from "chai";
import { inspect } from "node:util";
import { createGraphError } from "../../provider/graph/errorFactory";
import { AmbiguousRequestError, GraphError } from "../../provider/graph/errors";
import type { PipelineRequest, PipelineResponse } from "../../provider/graph/pipeline";
import { createScrubber } from "../../provider/redact";

const CANARY = "canary-Secret-7f3a9c1e";
const scrub = createScrubber([CANARY]);
const NOW = Date.parse("2026-11-22T10:00:00Z");

function respond(
  status: number,
  body: unknown,
  options: { method?: PipelineRequest["method"]; path?: string; headers?: Record<string, string> } = {},
): PipelineResponse {
  return {
    request: {
      method: options.method ?? "GET",
      url: "https://graph.example/v1.0/solutions/backupRestore/x",
      logPath: options.path ?? "/restoreSessions",
      headers: { "client-request-id": "crid-1", authorization: `Bearer ${CANARY}` },
      body: undefined,
      replayable: true,
      timeoutInMs: 1000,
      abortSignal: undefined,
    },
    status,
    headers: options.headers ?? {},
    bodyText: typeof body === "string" ? body : JSON.stringify(body),
  };
}

function envelope(code: string, message: string): unknown {
  return {
    error: {
      code,
      message,
      innerError: { "request-id": "rid-9", date: "2026-11-22T10:00:00", "client-request-id": "crid-1" },
    },
  };
}

describe("GraphError from a response", () => {
  it("takes status, code, message and ids from Graph's envelope", () => {
    const error = createGraphError(respond(404, envelope("RestoreSessionNotFound", "No such session")), {
      scrub,
      nowInMs: NOW,
    });
    expect(error).to.include({
      status: 404,
      code: "RestoreSessionNotFound",
      requestId: "rid-9",
      clientRequestId: "crid-1",
      date: "2026-11-22T10:00:00",
      method: "GET",
      path: "/restoreSessions",
    });
    expect(error.message).to.contain("No such session");
  });

  it("falls back to the response headers for ids and reads Retry-After", () => {
    const error = createGraphError(
      respond(429, envelope("TooManyRequests", "Please retry again later."), {
        headers: { "request-id": "hdr-rid", "retry-after": "12" },
      }),
      { scrub, nowInMs: NOW },
    );
    expect(error.retryAfterInMs).to.equal(12_000);
    expect(error.requestId).to.equal("rid-9");
    const bare = createGraphError(respond(503, "", { headers: { "request-id": "hdr-rid" } }), {
      scrub,
      nowInMs: NOW,
    });
    expect(bare).to.include({
      status: 503,
      code: "ServiceUnavailable",
      requestId: "hdr-rid",
      clientRequestId: "crid-1",
    });
  });

  it("names the missing permission on a 403 and says to grant and consent it", () => {
    const fromTable = createGraphError(
      respond(403, envelope("Forbidden", "Access denied."), {
        method: "POST",
        path: "/restorePoints/search",
      }),
      {
        scrub,
        nowInMs: NOW,
      },
    );
    expect(fromTable.permissions).to.deep.equal(["BackupRestore-Search.Read.All"]);
    expect(fromTable.message).to.contain("BackupRestore-Search.Read.All").and.contain("admin consent");
    const fromMessage = createGraphError(
      respond(
        403,
        envelope(
          "accessDenied",
          "API requires one of 'BackupRestore-Restore.ReadWrite.All'. Roles on the request: BackupRestore-Restore.Read.All.",
        ),
        { path: "/unknownThing" },
      ),
      { scrub, nowInMs: NOW },
    );
    expect(fromMessage.permissions).to.deep.equal(["BackupRestore-Restore.ReadWrite.All"]);
  });

  it("explains a session that is not in draft instead of blaming permissions", () => {
    const error = createGraphError(respond(403, envelope("RestoreSessionActionNotAllowed", "Not allowed.")), {
      scrub,
      nowInMs: NOW,
    });
    expect(error.permissions).to.equal(undefined);
    expect(error.message).to.contain("not in draft");
  });

  it("explains too many active sessions", () => {
    const error = createGraphError(respond(500, envelope("TooManyActiveRestoreSessions", "Limit.")), {
      scrub,
      nowInMs: NOW,
    });
    expect(error.message).to.contain("25").and.contain("retry");
  });

  it("explains a 401", () => {
    const error = createGraphError(respond(401, envelope("InvalidAuthenticationToken", "Token expired.")), {
      scrub,
      nowInMs: NOW,
    });
    expect(error.message).to.contain("rejected the access token").and.contain("m365-backup:tenantId");
  });

  it("turns an HTML page into a clean error with the status and a short excerpt", () => {
    const html = `<html><body><h1>502 Bad Gateway</h1><p>${"filler ".repeat(100)}</p></body></html>`;
    const error = createGraphError(
      respond(502, html, { headers: { "content-type": "text/html; charset=utf-8" } }),
      {
        scrub,
        nowInMs: NOW,
      },
    );
    expect(error).to.include({ status: 502, code: "BadGateway" });
    expect(error.message).to.contain("text/html").and.contain("502 Bad Gateway");
    expect(error.message).not.to.contain("<");
    expect(error.message.length).to.be.lessThan(400);
  });

  it("reports a success response whose body is not JSON", () => {
    const error = createGraphError(respond(200, "{not json"), {
      scrub,
      nowInMs: NOW,
      unexpectedBody: "JSON",
    });
    expect(error).to.include({ status: 200, code: "MalformedResponse" });
  });

  it("scrubs secrets and tokens that a server echoes in its message", () => {
    const error = createGraphError(
      respond(400, envelope("BadRequest", `bad secret ${CANARY} and Bearer abc.def`)),
      {
        scrub,
        nowInMs: NOW,
      },
    );
    expect(error.message).not.to.contain(CANARY).and.not.to.contain("abc.def");
  });
});

describe("printing errors", () => {
  const error = createGraphError(respond(404, envelope("RestoreSessionNotFound", "No such session")), {
    scrub,
    nowInMs: NOW,
  });

  it("shows only allowlisted fields in JSON", () => {
    expect(Object.keys(error.toJSON()).sort()).to.deep.equal(
      ["clientRequestId", "code", "date", "message", "method", "name", "path", "requestId", "status"].sort(),
    );
  });

  it("never shows the request it came from, even with showHidden", () => {
    for (const text of [
      inspect(error, { showHidden: true, depth: 10 }),
      String(error),
      JSON.stringify(error),
    ]) {
      expect(text).to.contain("RestoreSessionNotFound");
      expect(text).not.to.contain(CANARY).and.not.to.contain("authorization");
    }
  });

  it("is recognized by isInstance and nothing else is", () => {
    expect(GraphError.isInstance(error)).to.equal(true);
    expect(GraphError.isInstance(new Error("x"))).to.equal(false);
    expect(GraphError.isInstance({ status: 404 })).to.equal(false);
  });

  it("prints an ambiguous request with its method, path, start time and cause", () => {
    const ambiguous = new AmbiguousRequestError(
      "POST",
      "/exchangeRestoreSessions",
      new Date(NOW),
      "the connection was reset (ECONNRESET)",
      "crid-1",
    );
    expect(ambiguous.toJSON()).to.deep.equal({
      name: "AmbiguousRequestError",
      message: ambiguous.message,
      method: "POST",
      path: "/exchangeRestoreSessions",
      startedAt: "2026-11-22T10:00:00.000Z",
      causeSummary: "the connection was reset (ECONNRESET)",
      clientRequestId: "crid-1",
    });
    expect(inspect(ambiguous)).to.contain("2026-11-22T10:00:00.000Z");
    expect(AmbiguousRequestError.isInstance(ambiguous)).to.equal(true);
    expect(GraphError.isInstance(ambiguous)).to.equal(false);
  });
});
