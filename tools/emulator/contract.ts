/**
 * The seams inside the emulator. The HTTP server (transport, TLS, Entra ID, faults, request log)
 * turns each Graph request into a {@link GraphRequest} and hands it to a {@link GraphService}; the
 * service routes it, owns all state and answers with a {@link GraphResponse} or throws a
 * {@link GraphServiceError}, which the server renders as Graph's error envelope (with `request-id`,
 * `date` and the caller's `client-request-id`). Nothing else crosses between the two halves.
 */
import type { IncomingHttpHeaders } from "node:http";
import type { EmulatorClock } from "./clock";

export type ApiVersion = "v1.0" | "beta";
export type HttpMethod = "GET" | "POST" | "PATCH" | "DELETE";

/** Who is calling, from a verified bearer token. */
export interface Caller {
  readonly appId: string;
  readonly roles: readonly string[];
}

export interface GraphRequest {
  readonly method: HttpMethod;
  readonly apiVersion: ApiVersion;
  /** Path after the version segment, without the query: `/solutions/backupRestore/restoreSessions/abc`. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  /** Parsed JSON body; `undefined` when the request had none. (Bad JSON and content types never get here.) */
  readonly body: unknown;
  readonly caller: Caller;
  /** `https://127.0.0.1:PORT`, for absolute `@odata.nextLink` URLs. */
  readonly baseUrl: string;
  /** The request sent `Prefer: include-unknown-enum-members`. */
  readonly includeUnknownEnumMembers: boolean;
}

export interface GraphResponse {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** Thrown by handlers; rendered by the server as `{ error: { code, message, innerError: {...} } }`. */
export class GraphServiceError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers?: Readonly<Record<string, string>>,
  ) {
    super(message);
    this.name = "GraphServiceError";
  }
}

/** One Graph operation. Path patterns use `{name}` segments: `/solutions/backupRestore/restoreSessions/{id}`. */
export interface Route {
  readonly method: HttpMethod;
  readonly pattern: string;
  /** Any one of these application roles allows the call; Graph answers 403 naming them otherwise. */
  readonly permissions: readonly string[];
  /** Query options this operation accepts; any other is a 400 that names it. Default: none. */
  readonly queryOptions?: readonly string[];
  handle(
    request: GraphRequest,
    params: Readonly<Record<string, string>>,
  ): Promise<GraphResponse> | GraphResponse;
}

export interface GraphService {
  handle(request: GraphRequest): Promise<GraphResponse>;
  readonly clock: EmulatorClock;
}
