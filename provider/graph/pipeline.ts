/**
 * The request pipeline: small named policies around one transport call, in the manner of
 * `@azure/core-rest-pipeline`. Each policy sees the request, may change it (requests are immutable:
 * policies pass on a copy) and calls `next`. The order is fixed in {@link createGraphPipeline}.
 */
import { randomUUID } from "node:crypto";

/** The methods the backup-restore API uses. */
export type HttpMethod = "GET" | "POST" | "PATCH" | "DELETE";

/** One HTTP request as the policies see it. Immutable: use {@link withHeader} to change headers. */
export interface PipelineRequest {
  readonly method: HttpMethod;
  /** Absolute URL, query included. */
  readonly url: string;
  /** Path relative to the service root, without the query: the only part of the URL that is logged. */
  readonly logPath: string;
  /** Header names are lower case. */
  readonly headers: Readonly<Record<string, string>>;
  /** Serialized JSON body, if any. */
  readonly body: string | undefined;
  /** Whether sending the request twice is harmless (see `retry.ts` for what that decides). */
  readonly replayable: boolean;
  /** Limit for one attempt. */
  readonly timeoutInMs: number;
  readonly abortSignal: AbortSignal | undefined;
}

/** One HTTP response. The body is kept as text; JSON is parsed by the caller so a malformed body is an error, not a crash. */
export interface PipelineResponse {
  readonly request: PipelineRequest;
  readonly status: number;
  /** Header names are lower case. */
  readonly headers: Readonly<Record<string, string>>;
  readonly bodyText: string;
}

/** Sends a request through the rest of the pipeline. */
export type SendRequest = (request: PipelineRequest) => Promise<PipelineResponse>;

/** A named step of the pipeline. */
export interface PipelinePolicy {
  readonly name: string;
  sendRequest(request: PipelineRequest, next: SendRequest): Promise<PipelineResponse>;
}

/** Chains the policies (first = outermost) around the transport. */
export function composePipeline(policies: readonly PipelinePolicy[], transport: SendRequest): SendRequest {
  return policies.reduceRight<SendRequest>(
    (next, policy) => (request) => policy.sendRequest(request, next),
    transport,
  );
}

/** A copy of the request with one header set (name lower-cased). */
export function withHeader(request: PipelineRequest, name: string, value: string): PipelineRequest {
  return { ...request, headers: { ...request.headers, [name.toLowerCase()]: value } };
}

/** Sets `User-Agent`. */
export function userAgentPolicy(userAgent: string): PipelinePolicy {
  return {
    name: "userAgent",
    sendRequest: (request, next) => next(withHeader(request, "user-agent", userAgent)),
  };
}

/** Asks Graph for evolvable enum members (session `failed`, job type `granular`) on every request. */
export function preferUnknownEnumMembersPolicy(): PipelinePolicy {
  return {
    name: "preferUnknownEnumMembers",
    sendRequest: (request, next) => next(withHeader(request, "prefer", "include-unknown-enum-members")),
  };
}

/**
 * Gives each logical request a new `client-request-id` GUID. It sits outside the retry policy so every
 * attempt of one request carries the same id, which is what Graph support asks for.
 */
export function clientRequestIdPolicy(newId: () => string = randomUUID): PipelinePolicy {
  return {
    name: "clientRequestId",
    sendRequest: (request, next) =>
      next(
        request.headers["client-request-id"] ? request : withHeader(request, "client-request-id", newId()),
      ),
  };
}

/** A body parsed as JSON: `undefined` for an empty body; `ok: false` when it is not JSON. */
export type ParsedBody = { readonly ok: true; readonly value: unknown } | { readonly ok: false };

/** Parses a response body as JSON without throwing. */
export function parseJsonBody(response: PipelineResponse): ParsedBody {
  if (response.bodyText.trim() === "") {
    return { ok: true, value: undefined };
  }
  try {
    return { ok: true, value: JSON.parse(response.bodyText) as unknown };
  } catch {
    return { ok: false };
  }
}
