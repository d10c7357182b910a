/**
 * Where errors are built. {@link createGraphError} is THE place a {@link GraphError} is made from a
 * response; the other two cover a request that got no response and a credential that got no token.
 * Every message is composed from allowlisted facts and then scrubbed.
 */
import type { Scrubber } from "../redact";
import { safeExcerpt } from "../redact";
import { adviceFor, namedPermissions, NOT_PERMISSION_CODES, safeId, statusCode } from "./advice";
import { GraphError } from "./errors";
import type { PipelineResponse } from "./pipeline";
import { parseJsonBody } from "./pipeline";
import { parseRetryAfterInMs } from "./retryAfter";
import { describeFailure, type TransportError } from "./transport";

/** Facts the builders need besides the response. */
export interface ErrorContext {
  readonly scrub: Scrubber;
  readonly nowInMs: number;
  /** Appended to the message, e.g. why the retry policy gave up. Must itself be safe. */
  readonly note?: string;
  /** Set when a 2xx body did not have the expected shape: what was expected. */
  readonly unexpectedBody?: string;
}

interface Envelope {
  code?: string;
  message?: string;
  requestId?: string;
  clientRequestId?: string;
  date?: string;
}

/**
 * THE place a {@link GraphError} is built from a response: any status, with Graph's envelope or with
 * a body that is not JSON at all (an HTML page from a proxy), or a success body that did not parse.
 */
export function createGraphError(response: PipelineResponse, context: ErrorContext): GraphError {
  const { request } = response;
  const parsed = parseJsonBody(response);
  const envelope = parsed.ok ? readEnvelope(parsed.value) : undefined;
  const isSuccess = response.status >= 200 && response.status < 300;
  const code = envelope?.code ?? (isSuccess ? "MalformedResponse" : statusCode(response.status));
  const path = request.logPath;
  const graphMessage = envelope?.message ? context.scrub(envelope.message).slice(0, 400) : undefined;
  const permissions =
    response.status === 403 && !NOT_PERMISSION_CODES.has(code)
      ? namedPermissions(graphMessage, request)
      : undefined;
  const summary = describeResponse(response, envelope, graphMessage, context);
  const advice = adviceFor(response.status, code, permissions);
  const message = context.scrub(
    [`${request.method} ${path} failed: ${summary}`, advice, context.note].filter(Boolean).join(" "),
  );
  return new GraphError({
    status: response.status,
    code,
    message,
    method: request.method,
    path,
    requestId: safeId(envelope?.requestId ?? response.headers["request-id"]),
    clientRequestId: safeId(
      envelope?.clientRequestId ??
        response.headers["client-request-id"] ??
        request.headers["client-request-id"],
    ),
    date: safeId(envelope?.date ?? response.headers["date"]),
    retryAfterInMs: parseRetryAfterInMs(response.headers["retry-after"], context.nowInMs),
    permissions,
  });
}

/** A request that got no HTTP response, after any retries. */
export function createNetworkError(
  failure: TransportError,
  request: { method: string; logPath: string; headers: Readonly<Record<string, string>> },
  context: Pick<ErrorContext, "scrub" | "note">,
): GraphError {
  const advice = networkAdvice(failure.kind);
  const message = [
    `${request.method} ${request.logPath} failed: ${describeFailure(failure.kind)} (${failure.code}).`,
    advice,
    context.note,
  ]
    .filter(Boolean)
    .join(" ");
  return new GraphError({
    status: 0,
    code: failure.kind === "timeout" || failure.kind === "tokenTimeout" ? "Timeout" : "NetworkError",
    message: context.scrub(message),
    method: request.method,
    path: request.logPath,
    clientRequestId: safeId(request.headers["client-request-id"]),
  });
}

/** What to do about a network failure, where there is something to do. */
function networkAdvice(kind: TransportError["kind"]): string | undefined {
  switch (kind) {
    case "tls":
      return "Trust the server's certificate authority (for the emulator, set NODE_EXTRA_CA_CERTS to its CA file).";
    case "dns":
    case "refused":
    case "unreachable":
      return "Check m365-backup:graphEndpoint and the network.";
    case "timeout":
      return "If Graph is only slow, raise m365-backup:requestTimeoutSeconds.";
    case "tokenTimeout":
      return "Check m365-backup:authorityHost and the network; if the authority is only slow, raise m365-backup:requestTimeoutSeconds.";
    default:
      return undefined;
  }
}

/**
 * The credential could not get a token. Only a scrubbed excerpt of the identity library's message is
 * kept (it names the AADSTS code, which is what one needs); the error object is dropped.
 */
export function createAuthenticationError(
  error: unknown,
  credentialKind: string,
  scrub: Scrubber,
): GraphError {
  const raw = error instanceof Error ? error.message : String(error);
  const name = error instanceof Error && /^[A-Za-z]{1,40}$/.test(error.name) ? error.name : "Error";
  // MSAL says network_error both when the authority cannot be reached and when its answer cannot be
  // read (a proxy's page, a truncated body): then the identity settings are not what to check.
  const advice = /network_error|ECONN|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|socket hang up/i.test(raw)
    ? `The authority could not be reached or its answer could not be read: check m365-backup:authorityHost, ` +
      `the network and any proxy in between, then run again.`
    : `Check m365-backup:tenantId, m365-backup:clientId and the credential settings; against a private ` +
      `authority (such as the emulator) also m365-backup:authorityHost.`;
  return new GraphError({
    status: 0,
    code: "AuthenticationFailed",
    message: scrub(
      `Could not get an access token for Microsoft Graph with the ${credentialKind} credential ` +
        `(${name}: ${safeExcerpt(raw, scrub, 300)}). ${advice}`,
    ),
  });
}

// ---- Envelope -----------------------------------------------------------------------------

function readEnvelope(value: unknown): Envelope | undefined {
  const error = (value as { error?: unknown } | null)?.error;
  if (typeof error !== "object" || error === null) {
    return undefined;
  }
  const record = error as Record<string, unknown>;
  const inner = (record.innerError ?? record.innererror) as Record<string, unknown> | undefined;
  const text = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
  return {
    code: text(record.code)?.slice(0, 100),
    message: text(record.message),
    requestId: text(inner?.["request-id"]),
    clientRequestId: text(inner?.["client-request-id"]),
    date: text(inner?.date),
  };
}

function describeResponse(
  response: PipelineResponse,
  envelope: Envelope | undefined,
  graphMessage: string | undefined,
  context: ErrorContext,
): string {
  if (context.unexpectedBody) {
    return `Graph answered ${response.status}, but the response body was not ${context.unexpectedBody}.`;
  }
  const head = `${response.status} ${envelope?.code ?? statusCode(response.status)}`;
  if (envelope) {
    return graphMessage ? `${head}: ${graphMessage.replace(/\.?$/, ".")}` : `${head}.`;
  }
  if (response.bodyText.trim() === "") {
    return `${head} with an empty body.`;
  }
  const contentType = safeId(response.headers["content-type"]?.split(";")[0]) ?? "no content type";
  return `${head} with a ${contentType} body that is not Graph's JSON error: "${safeExcerpt(response.bodyText, context.scrub)}".`;
}
