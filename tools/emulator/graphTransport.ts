/**
 * Graph's side of the transport: turns an HTTPS request under `/v1.0` or `/beta` into a
 * {@link GraphRequest}, after the checks Graph makes before any API runs (method, bearer token,
 * content type, JSON), applies scripted faults, calls the {@link GraphService} and writes its answer or
 * error in Graph's envelope with `request-id`, `client-request-id` and `Date`.
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  GraphServiceError,
  type ApiVersion,
  type Caller,
  type GraphRequest,
  type GraphService,
  type HttpMethod,
} from "./contract";
import { respondWithFault, type PreparedResponse } from "./faultResponder";
import type { Faults } from "./faults";
import {
  BodyTooLargeError,
  ClientAbortedError,
  GRAPH_JSON_CONTENT_TYPE,
  graphErrorBody,
  headerValue,
  mediaType,
  readBody,
  sendJson,
  type RequestIds,
} from "./http";
import { GRAPH_APP_ID, TokenRejectedError, type AccessTokenIssuer } from "./identity/accessTokens";
import type { RequestLog } from "./requestLog";

const GRAPH_METHODS: readonly string[] = ["GET", "POST", "PATCH", "DELETE"] satisfies HttpMethod[];
const INCLUDE_UNKNOWN_ENUM_MEMBERS = "include-unknown-enum-members";

/** What the Graph transport needs from the emulator. */
export interface GraphTransportContext {
  readonly service: GraphService;
  readonly tokens: AccessTokenIssuer;
  readonly faults: Faults;
  readonly requestLog: RequestLog;
  /** `https://127.0.0.1:PORT` */
  readonly baseUrl: string;
  /** Emulator time, which every Graph answer's `Date` header carries, as Graph's does its own clock. */
  readonly now: () => Date;
  /** Told about errors that are emulator bugs (not GraphServiceError). */
  readonly onInternalError: (error: unknown) => void;
}

/** A Graph answer that stops the request before the service runs. */
class TransportRejection extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** Parses `Prefer: a, b=c` into lower-cased preference names. */
function preferences(request: IncomingMessage): string[] {
  const values = request.headers.prefer;
  const all = Array.isArray(values) ? values.join(",") : (values ?? "");
  return all
    .split(",")
    .map((part) => part.split("=")[0]?.split(";")[0]?.trim().toLowerCase() ?? "")
    .filter((name) => name.length > 0);
}

async function authenticate(request: IncomingMessage, tokens: AccessTokenIssuer): Promise<Caller> {
  const header = headerValue(request.headers.authorization);
  const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
  const challenge = {
    "www-authenticate": `Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="${GRAPH_APP_ID}"`,
  };
  if (match?.[1] === undefined) {
    throw new TransportRejection(401, "InvalidAuthenticationToken", "Access token is empty.", challenge);
  }
  try {
    return await tokens.verify(match[1]);
  } catch (error) {
    const message = error instanceof TokenRejectedError ? error.message : "Access token validation failure.";
    throw new TransportRejection(401, "InvalidAuthenticationToken", message, challenge);
  }
}

function parseBody(request: IncomingMessage, raw: Buffer): unknown {
  if (raw.length === 0) {
    return undefined;
  }
  const type = mediaType(headerValue(request.headers["content-type"]));
  if (type !== "application/json") {
    throw new TransportRejection(
      415,
      "UnsupportedMediaType",
      `The request body has content type '${type ?? "(none)"}'; this API accepts only 'application/json'.`,
    );
  }
  try {
    return JSON.parse(raw.toString("utf8")) as unknown;
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    // The only PATCH of this API is the session update, whose error table names a malformed body
    // `InvalidPatchRequest`; elsewhere Graph answers its generic `BadRequest`.
    const code = request.method === "PATCH" ? "InvalidPatchRequest" : "BadRequest";
    throw new TransportRejection(400, code, `The request body is not valid JSON: ${detail}`);
  }
}

type Exchange = { readonly request: IncomingMessage; readonly response: ServerResponse; readonly url: URL };

/** The ids and common headers of one Graph exchange, and how it writes errors. */
class GraphReply {
  readonly ids: RequestIds;
  readonly headers: Record<string, string>;

  constructor(
    private readonly response: ServerResponse,
    readonly sentClientRequestId: string | undefined,
    now: Date,
  ) {
    const requestId = randomUUID();
    this.ids = { requestId, clientRequestId: sentClientRequestId ?? requestId };
    this.headers = {
      // The same clock as createdDateTime and friends (Node would write the wall clock): a client that
      // measures Graph's clock from this header then compares like with like, also after advance().
      date: now.toUTCString(),
      "request-id": requestId,
      "client-request-id": this.ids.clientRequestId,
      "cache-control": "no-cache",
    };
  }

  sendError(status: number, code: string, message: string, headers: Record<string, string> = {}): void {
    const body = graphErrorBody(code, message, this.ids);
    sendJson(this.response, status, body, { ...this.headers, ...headers }, GRAPH_JSON_CONTENT_TYPE);
  }
}

/** Runs the checks Graph makes before any API and builds the service's request; throws TransportRejection. */
async function toGraphRequest(
  context: GraphTransportContext,
  { request, url }: Exchange,
  apiVersion: ApiVersion,
  path: string,
): Promise<GraphRequest> {
  const raw = await readBody(request);
  if (!GRAPH_METHODS.includes(request.method ?? "")) {
    const message = `The HTTP method '${request.method ?? ""}' is not allowed on '${url.pathname}'.`;
    throw new TransportRejection(405, "MethodNotAllowed", message);
  }
  const caller = await authenticate(request, context.tokens);
  return {
    method: request.method as HttpMethod,
    apiVersion,
    path,
    query: url.searchParams,
    headers: request.headers,
    body: parseBody(request, raw),
    caller,
    baseUrl: context.baseUrl,
    includeUnknownEnumMembers: preferences(request).includes(INCLUDE_UNKNOWN_ENUM_MEMBERS),
  };
}

/** Serves one Graph request. `path` is the URL path after the version segment. */
export async function handleGraphRequest(
  context: GraphTransportContext,
  exchange: Exchange,
  apiVersion: ApiVersion,
  path: string,
): Promise<void> {
  const { request, response, url } = exchange;
  const started = Date.now();
  const reply = new GraphReply(response, headerValue(request.headers["client-request-id"]), context.now());
  let caller: Caller | undefined;
  let outcome: { status: number; delivered: boolean; fault?: string };
  try {
    const graphRequest = await toGraphRequest(context, exchange, apiVersion, path);
    caller = graphRequest.caller;
    const decision = context.faults.decide({
      target: "graph",
      method: graphRequest.method,
      path: url.pathname,
    });
    const result = await respondWithFault(decision, context.faults.latencyInMs, exchange, {
      sendError: (status, code, message, headers) => reply.sendError(status, code, message, headers),
      process: () => processRequest(context, graphRequest, response, reply),
    });
    outcome = { ...result, fault: decision?.label };
  } catch (error) {
    outcome = { status: rejectionStatus(error), delivered: true };
    if (error instanceof TransportRejection) {
      reply.sendError(error.status, error.code, error.message, error.headers);
    } else if (error instanceof BodyTooLargeError) {
      reply.sendError(413, "RequestEntityTooLarge", error.message);
    } else if (error instanceof ClientAbortedError) {
      outcome = { status: 0, delivered: false };
    } else {
      context.onInternalError(error);
      reply.sendError(500, "InternalServerError", "The emulator failed while handling the request.");
    }
  }
  context.requestLog.record({
    time: new Date(started).toISOString(),
    kind: "graph",
    method: request.method ?? "",
    path: url.pathname,
    query: url.search.replace(/^\?/, ""),
    status: outcome.status,
    delivered: outcome.delivered,
    appId: caller?.appId,
    clientRequestId: reply.sentClientRequestId,
    requestId: reply.ids.requestId,
    fault: outcome.fault,
    durationInMs: Date.now() - started,
  });
}

function rejectionStatus(error: unknown): number {
  if (error instanceof TransportRejection) {
    return error.status;
  }
  return error instanceof BodyTooLargeError ? 413 : 500;
}

async function processRequest(
  context: GraphTransportContext,
  graphRequest: GraphRequest,
  response: ServerResponse,
  reply: GraphReply,
): Promise<PreparedResponse> {
  const preferenceApplied: Record<string, string> = graphRequest.includeUnknownEnumMembers
    ? { "preference-applied": INCLUDE_UNKNOWN_ENUM_MEMBERS }
    : {};
  try {
    const answer = await context.service.handle(graphRequest);
    const headers = { ...reply.headers, ...preferenceApplied, ...(answer.headers ?? {}) };
    return {
      status: answer.status,
      send: () => sendJson(response, answer.status, answer.body, headers, GRAPH_JSON_CONTENT_TYPE),
    };
  } catch (error) {
    if (!(error instanceof GraphServiceError)) {
      context.onInternalError(error);
    }
    const known = error instanceof GraphServiceError;
    const status = known ? error.status : 500;
    const body = known
      ? graphErrorBody(error.code, error.message, reply.ids)
      : graphErrorBody("InternalServerError", "The emulator failed while handling the request.", reply.ids);
    const headers = { ...reply.headers, ...preferenceApplied, ...(known ? (error.headers ?? {}) : {}) };
    return { status, send: () => sendJson(response, status, body, headers, GRAPH_JSON_CONTENT_TYPE) };
  }
}
