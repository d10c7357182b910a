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

const id = (value: string, options?: GraphRequestOptions): string =>
  pathSegment(value, "restore session id", options?.idSource);

/** Starts a bulk addition on an empty session (POST, not replayable by default). */
export async function createBulkAdditionRequest(
  client: GraphClient,
  kind: RestoreSessionKind,
  sessionId: string,
  body: BulkAdditionRequestBody,
  options?: GraphRequestOptions,
): Promise<BulkAdditionRequest> {
  const wire = KIND_SCHEMAS[kind];
  return toBulk(
    await client.post<unknown>(
      `/${wire.entitySet}/${id(sessionId, options)}/${wire.bulkAdditionRequests}`,
      body,
      options,
    ),
  );
}

/** A session's bulk addition requests (Graph omits the mailbox and site lists here). */
export async function* listBulkAdditionRequests(
  client: GraphClient,
  kind: RestoreSessionKind,
  sessionId: string,
  options?: GraphRequestOptions,
): AsyncIterableIterator<BulkAdditionRequest> {
  const wire = KIND_SCHEMAS[kind];
  for await (const item of client.paginate<unknown>(
    `/${wire.entitySet}/${id(sessionId, options)}/${wire.bulkAdditionRequests}`,
    options,
  )) {
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
  const wire = KIND_SCHEMAS[kind];
  return toBulk(
    await client.get<unknown>(
      `/${wire.entitySet}/${id(sessionId, options)}/${wire.bulkAdditionRequests}/${pathSegment(requestId, "bulk addition request id", options?.idSource)}`,
      options,
    ),
  );
}

function toBulk(value: unknown): BulkAdditionRequest {
  const record = (value ?? {}) as Record<string, unknown>;
  return { ...record, status: parseBulkRequestStatus(record.status) } as BulkAdditionRequest;
}
