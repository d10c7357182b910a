/**
 * Carries out a fault decision on one exchange: waits out latency, answers with a scripted error, drops
 * or holds the connection, or lets the request through (and for an ambiguous create, drops the
 * connection after the request was processed). Graph and the token endpoint share it; each supplies how
 * its errors look.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { FaultDecision } from "./faults";

/** A processed request whose response has not been written yet. */
export interface PreparedResponse {
  readonly status: number;
  send(): void;
}

/** How the endpoint answers and processes, so faults stay shape-agnostic. */
export interface FaultSurface {
  /** Writes an error in the endpoint's own shape (Graph envelope or OAuth error). */
  sendError(status: number, code: string, message: string, headers: Record<string, string>): void;
  /** Processes the request for real. */
  process(): Promise<PreparedResponse>;
}

/** What happened, for the request log. */
export interface FaultOutcome {
  readonly status: number;
  readonly delivered: boolean;
}

const STATUS_CODES: Readonly<Record<number, { code: string; message: string }>> = {
  429: { code: "TooManyRequests", message: "Please retry again later." },
  500: {
    code: "InternalServerError",
    message: "An internal server error occurred. Please retry the request.",
  },
  502: { code: "BadGateway", message: "The gateway received an invalid response. Please retry the request." },
  503: {
    code: "ServiceUnavailable",
    message: "The service is temporarily unavailable. Please retry after the indicated time.",
  },
  504: {
    code: "GatewayTimeout",
    message: "The gateway timed out waiting for the service. Please retry the request.",
  },
};

const HTML_ERROR_PAGE =
  "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head>" +
  "<body><h1>502 Bad Gateway</h1><p>The proxy received an invalid response from an upstream server.</p></body></html>";

function sleep(durationInMs: number): Promise<void> {
  return durationInMs > 0 ? new Promise((resolve) => setTimeout(resolve, durationInMs)) : Promise.resolve();
}

function retryAfterHeader(seconds: number, asDate: boolean): string {
  return asDate ? new Date(Date.now() + seconds * 1000).toUTCString() : String(seconds);
}

/** Runs the exchange under `decision` (which may be undefined: no fault) after `latencyInMs`. */
export async function respondWithFault(
  decision: FaultDecision | undefined,
  latencyInMs: number,
  exchange: { readonly request: IncomingMessage; readonly response: ServerResponse },
  surface: FaultSurface,
): Promise<FaultOutcome> {
  const action = decision?.action;
  await sleep(latencyInMs + (action?.kind === "latency" ? action.latencyInMs : 0));
  switch (action?.kind) {
    case "throttle": {
      const seconds = action.retryAfterSeconds ?? 1;
      const { code, message } = STATUS_CODES[429] ?? { code: "TooManyRequests", message: "" };
      surface.sendError(429, code, message, {
        "retry-after": retryAfterHeader(seconds, action.retryAfterAsDate === true),
      });
      return { status: 429, delivered: true };
    }
    case "status": {
      const known = STATUS_CODES[action.status];
      const headers: Record<string, string> =
        action.retryAfterSeconds === undefined ? {} : { "retry-after": String(action.retryAfterSeconds) };
      surface.sendError(
        action.status,
        action.code ?? known?.code ?? "UnknownError",
        known?.message ?? "Fault injected by the emulator.",
        headers,
      );
      return { status: action.status, delivered: true };
    }
    case "reset":
      exchange.request.socket.destroy();
      return { status: 0, delivered: false };
    case "hang":
      // Nothing is written; the socket stays open until the client aborts or the emulator closes.
      return { status: 0, delivered: false };
    case "malformedJson":
      exchange.response.writeHead(200, { "content-type": "application/json; charset=utf-8" });
      exchange.response.end('{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata","value":[{"id":');
      return { status: 200, delivered: true };
    case "htmlError":
      exchange.response.writeHead(502, { "content-type": "text/html; charset=utf-8" });
      exchange.response.end(HTML_ERROR_PAGE);
      return { status: 502, delivered: true };
    case "ambiguous": {
      const prepared = await surface.process();
      exchange.request.socket.destroy();
      return { status: prepared.status, delivered: false };
    }
    case "lostAnswer": {
      // Processed, and the answer is never written; the socket stays open until the client goes away.
      const prepared = await surface.process();
      return { status: prepared.status, delivered: false };
    }
    case "appliedStatus": {
      await surface.process();
      const known = STATUS_CODES[action.status];
      surface.sendError(
        action.status,
        known?.code ?? "UnknownError",
        known?.message ?? "Fault injected by the emulator.",
        {},
      );
      return { status: action.status, delivered: true };
    }
    case "latency":
    case undefined: {
      const prepared = await surface.process();
      prepared.send();
      return { status: prepared.status, delivered: true };
    }
  }
}
