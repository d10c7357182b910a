/**
 * Entra ID's side of the transport: routes discovery, key and token requests to the {@link EntraTenant},
 * applies token-endpoint faults (rendered as OAuth errors) and logs each request without its body.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { respondWithFault } from "./faultResponder";
import type { Faults } from "./faults";
import { ClientAbortedError, headerValue, mediaType, readBody, sendJson } from "./http";
import { OAuthError } from "./identity/clientAuthentication";
import { oauthErrorResponse, type EntraTenant, type IdentityResponse } from "./identity/entra";
import type { RequestKind, RequestLog } from "./requestLog";

/** What the identity transport needs from the emulator. */
export interface IdentityTransportContext {
  readonly entra: EntraTenant;
  readonly faults: Faults;
  readonly requestLog: RequestLog;
  readonly onInternalError: (error: unknown) => void;
}

const OPENID_CONFIGURATION = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/;
const KEYS = /^\/([^/]+)\/discovery\/v2\.0\/keys$/;
const TOKEN = /^\/([^/]+)\/oauth2\/v2\.0\/token$/;

/** Whether the path is one of the identity endpoints (any tenant segment). */
export function isIdentityPath(path: string): boolean {
  return OPENID_CONFIGURATION.test(path) || KEYS.test(path) || TOKEN.test(path);
}

function send(response: ServerResponse, answer: IdentityResponse): void {
  sendJson(response, answer.status, answer.body, { ...(answer.headers ?? {}) });
}

function wrongMethod(method: string, expected: string): IdentityResponse {
  return oauthErrorResponse(
    new OAuthError(
      400,
      "invalid_request",
      900561,
      `The endpoint only accepts ${expected} requests. Received a ${method} request.`,
    ),
    undefined,
  );
}

/** Serves one identity request. */
export async function handleIdentityRequest(
  context: IdentityTransportContext,
  exchange: { readonly request: IncomingMessage; readonly response: ServerResponse; readonly url: URL },
): Promise<void> {
  const { request, response, url } = exchange;
  const started = Date.now();
  const method = request.method ?? "";
  const correlationId = headerValue(request.headers["client-request-id"]);
  let kind: RequestKind = "discovery";
  let outcome: { status: number; delivered: boolean; appId?: string; fault?: string };
  try {
    const raw = await readBody(request);
    const tokenMatch = TOKEN.exec(url.pathname);
    if (tokenMatch?.[1] !== undefined) {
      kind = "token";
      outcome = await serveToken(context, exchange, tokenMatch[1], raw, correlationId);
    } else {
      const answer = await serveDiscovery(context, url.pathname, method, correlationId);
      send(response, answer);
      outcome = { status: answer.status, delivered: true };
    }
  } catch (error) {
    if (error instanceof ClientAbortedError) {
      outcome = { status: 0, delivered: false };
    } else {
      context.onInternalError(error);
      const body = {
        error: "server_error",
        error_description: "The emulator failed while handling the request.",
      };
      sendJson(response, 500, body);
      outcome = { status: 500, delivered: true };
    }
  }
  context.requestLog.record({
    time: new Date(started).toISOString(),
    kind,
    method,
    path: url.pathname,
    query: url.search.replace(/^\?/, ""),
    status: outcome.status,
    delivered: outcome.delivered,
    appId: outcome.appId,
    clientRequestId: correlationId,
    fault: outcome.fault,
    durationInMs: Date.now() - started,
  });
}

async function serveDiscovery(
  context: IdentityTransportContext,
  path: string,
  method: string,
  correlationId: string | undefined,
): Promise<IdentityResponse> {
  if (method !== "GET") {
    return wrongMethod(method, "GET");
  }
  const configuration = OPENID_CONFIGURATION.exec(path);
  if (configuration?.[1] !== undefined) {
    return context.entra.openidConfiguration(configuration[1], correlationId);
  }
  const keys = KEYS.exec(path);
  return context.entra.keys(keys?.[1] ?? "", correlationId);
}

async function serveToken(
  context: IdentityTransportContext,
  exchange: { readonly request: IncomingMessage; readonly response: ServerResponse; readonly url: URL },
  tenant: string,
  raw: Buffer,
  correlationId: string | undefined,
): Promise<{ status: number; delivered: boolean; appId?: string; fault?: string }> {
  const { request, response, url } = exchange;
  const method = request.method ?? "";
  if (method !== "POST") {
    const answer = wrongMethod(method, "POST");
    send(response, answer);
    return { status: answer.status, delivered: true };
  }
  // Entra reads only form-encoded bodies; anything else reads as an empty form (so grant_type is missing).
  const isForm =
    mediaType(headerValue(request.headers["content-type"])) === "application/x-www-form-urlencoded";
  const form = new URLSearchParams(isForm ? raw.toString("utf8") : "");
  const decision = context.faults.decide({ target: "token", method, path: url.pathname });
  let appId: string | undefined = form.get("client_id") ?? undefined;
  const result = await respondWithFault(decision, 0, exchange, {
    sendError: (status, _code, message, headers) => {
      const error = new OAuthError(
        status,
        "temporarily_unavailable",
        status === 429 ? 90055 : 90033,
        message,
      );
      const answer = oauthErrorResponse(error, correlationId, appId);
      sendJson(response, status, answer.body, { ...headers });
    },
    process: async () => {
      const answer = await context.entra.token(tenant, form, correlationId);
      appId = answer.appId ?? appId;
      return { status: answer.status, send: () => send(response, answer) };
    },
  });
  return { ...result, appId, fault: decision?.label };
}
