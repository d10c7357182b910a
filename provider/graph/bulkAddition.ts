/**
 * Bulk addition requests: resolve up to 10,000 sites or users into a session's artifacts. Create the
 * session empty, POST one bulk request, then activate the session.
 */
import type { GraphClient, GraphRequestOptions } from "./client";
import { pathSegment } from "./pathId";
import {
  KIND_SCHEMAS,
  parseBulkRequestStatus,
  type BulkAdditionRequest,
  type BulkAdditionRequestBody,
  type RestoreSessionKind,
} from "../model";

/** `/{sessions}/{id}/{bulkAdditionRequests}` of the kind, the session id checked for the URL. */
function requestsPath(kind: RestoreSessionKind, sessionId: string, options?: GraphRequestOptions): string {
  const schema = KIND_SCHEMAS[kind];
  const session = pathSegment(sessionId, "restore session id", options?.idSource);
  return `/${schema.entitySet}/${session}/${schema.bulkAdditionRequests}`;
}

/** Starts a bulk addition on an empty session (POST, not replayable by default). */
export async function createBulkAdditionRequest(
  client: GraphClient,
  kind: RestoreSessionKind,
  sessionId: string,
  body: BulkAdditionRequestBody,
  options?: GraphRequestOptions,
): Promise<BulkAdditionRequest> {
  return toBulk(await client.post<unknown>(requestsPath(kind, sessionId, options), body, options));
}

/** A session's bulk addition requests (Graph omits the mailbox and site lists here). */
export async function* listBulkAdditionRequests(
  client: GraphClient,
  kind: RestoreSessionKind,
  sessionId: string,
  options?: GraphRequestOptions,
): AsyncIterableIterator<BulkAdditionRequest> {
  for await (const item of client.paginate<unknown>(requestsPath(kind, sessionId, options), options)) {
    yield toBulk(item);
  }
}

/** One bulk addition request, with its status parsed. */
export async function getBulkAdditionRequest(
  client: GraphClient,
  kind: RestoreSessionKind,
  sessionId: string,
  requestId: string,
  options?: GraphRequestOptions,
): Promise<BulkAdditionRequest> {
  const requests = requestsPath(kind, sessionId, options);
  const request = pathSegment(requestId, "bulk addition request id", options?.idSource);
  return toBulk(await client.get<unknown>(`${requests}/${request}`, options));
}

function toBulk(value: unknown): BulkAdditionRequest {
  const record = (value ?? {}) as Record<string, unknown>;
  return { ...record, status: parseBulkRequestStatus(record.status) } as BulkAdditionRequest;
}
