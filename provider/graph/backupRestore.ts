/**
 * Typed backup-restore operations over {@link GraphClient}. Thin: each builds the path from
 * {@link KIND_SCHEMAS}, calls one verb, and passes statuses through the closed-union parsers.
 * No retries here (the pipeline owns them) and no business rules beyond the documented request limits.
 */
import type { GraphClient, GraphRequestOptions } from "./client";
import { pathSegment } from "./pathId";
import {
  ARTIFACTS_PER_REQUEST,
  KIND_SCHEMAS,
  parseArtifactStatus,
  parseRestoreJobType,
  parseSessionStatus,
  type ArtifactBody,
  type ArtifactDelta,
  type ConflictBehavior,
  type GranularRestoreArtifact,
  type RestoreArtifact,
  type RestoreSession,
  type RestoreSessionKind,
} from "../model";

/** Which artifact collection of a session. */
export type ArtifactCollection = "standard" | "granular";

/**
 * The body of a session create: at most one artifact collection (Graph refuses standard and granular
 * together), or nothing for an empty `standard` session (the bulk flow starts that way).
 */
export interface CreateRestoreSessionBody {
  /** Standard or granular; omitted for an empty session. */
  collection?: ArtifactCollection;
  artifacts?: readonly ArtifactBody[];
  /** Beta, SharePoint and OneDrive granular sessions only (sent as `@microsoft.graph.conflictBehavior`). */
  conflictBehavior?: ConflictBehavior;
}

/** One element of a PATCH delta echo. */
export interface ArtifactDeltaResult {
  /** The artifact id (server-assigned for an added standard artifact). */
  id: string | undefined;
  /** True for an echo of a removal. */
  removed: boolean;
  /** Status of an added artifact (`added`). */
  status?: ReturnType<typeof parseArtifactStatus>;
  /** Set when Graph reported this element failed (inline, with HTTP 200). */
  failure?: { code: string; message: string; responseCode?: number };
}

const id = (value: string, options?: GraphRequestOptions): string =>
  pathSegment(value, "restore session id", options?.idSource);

/** Creates a session in `draft` (POST, not replayable: an ambiguous failure throws `AmbiguousRequestError`). */
export async function createRestoreSession(
  client: GraphClient,
  kind: RestoreSessionKind,
  body: CreateRestoreSessionBody = {},
  options?: GraphRequestOptions,
): Promise<RestoreSession> {
  const wire = KIND_SCHEMAS[kind];
  const payload: Record<string, unknown> = {};
  if (body.conflictBehavior !== undefined) {
    payload["@microsoft.graph.conflictBehavior"] = body.conflictBehavior;
  }
  if (body.artifacts !== undefined && body.artifacts.length > 0) {
    const granular = body.collection === "granular";
    payload[granular ? wire.granularProperty : wire.standardProperty] = granular
      ? body.artifacts.map((artifact) => forVersion(client, kind, artifact))
      : body.artifacts;
  }
  return toSession(await client.post<unknown>(`/${wire.entitySet}`, payload, options));
}

/** Reads one session of any kind (`GET /restoreSessions/{id}`). */
export async function getRestoreSession(
  client: GraphClient,
  sessionId: string,
  options?: GraphRequestOptions,
): Promise<RestoreSession> {
  return toSession(await client.get<unknown>(`/restoreSessions/${id(sessionId, options)}`, options));
}

/** Every session of every kind, across pages. */
export async function* listRestoreSessions(
  client: GraphClient,
  options?: GraphRequestOptions,
): AsyncIterableIterator<RestoreSession> {
  for await (const item of client.paginate<unknown>("/restoreSessions", options)) {
    yield toSession(item);
  }
}

/**
 * Adds and removes artifacts of a draft session with one `...Artifacts@delta` PATCH. Per-item failures
 * come back inline (HTTP 200) and are reported in the result, not thrown. Not replayable by default:
 * re-sending an add would add the artifact twice.
 */
export async function patchArtifacts(
  client: GraphClient,
  kind: RestoreSessionKind,
  sessionId: string,
  collection: ArtifactCollection,
  delta: readonly ArtifactDelta[],
  options?: GraphRequestOptions,
): Promise<ArtifactDeltaResult[]> {
  if (delta.length > ARTIFACTS_PER_REQUEST) {
    throw new RangeError(
      `Graph accepts at most ${ARTIFACTS_PER_REQUEST} artifacts per PATCH; got ${delta.length}. Split the change.`,
    );
  }
  const wire = KIND_SCHEMAS[kind];
  const property = `${collection === "granular" ? wire.granularProperty : wire.standardProperty}@delta`;
  const response = await client.patch<Record<string, unknown> | undefined>(
    `/${wire.entitySet}/${id(sessionId, options)}`,
    {
      [property]:
        collection === "granular" ? delta.map((element) => forVersion(client, kind, element)) : delta,
    },
    options,
  );
  const echo = response?.[property];
  return Array.isArray(echo) ? echo.map(toDeltaResult) : [];
}

/** Activates a draft session (POST, not replayable by default). */
export async function activateRestoreSession(
  client: GraphClient,
  sessionId: string,
  options?: GraphRequestOptions,
): Promise<RestoreSession> {
  return toSession(
    await client.post<unknown>(`/restoreSessions/${id(sessionId, options)}/activate`, undefined, options),
  );
}

/** Deletes a draft session (Graph refuses others with 403 `RestoreSessionActionNotAllowed`). */
export async function deleteRestoreSession(
  client: GraphClient,
  sessionId: string,
  options?: GraphRequestOptions,
): Promise<void> {
  await client.delete(`/restoreSessions/${id(sessionId, options)}`, options);
}

/** A session's artifacts, across pages. */
export function listArtifacts(
  client: GraphClient,
  kind: RestoreSessionKind,
  sessionId: string,
  which: "standard",
  options?: GraphRequestOptions,
): AsyncIterableIterator<RestoreArtifact>;
export function listArtifacts(
  client: GraphClient,
  kind: RestoreSessionKind,
  sessionId: string,
  which: "granular",
  options?: GraphRequestOptions,
): AsyncIterableIterator<GranularRestoreArtifact>;
export function listArtifacts(
  client: GraphClient,
  kind: RestoreSessionKind,
  sessionId: string,
  which: ArtifactCollection,
  options?: GraphRequestOptions,
): AsyncIterableIterator<RestoreArtifact | GranularRestoreArtifact>;
export async function* listArtifacts(
  client: GraphClient,
  kind: RestoreSessionKind,
  sessionId: string,
  which: ArtifactCollection,
  options?: GraphRequestOptions,
): AsyncIterableIterator<RestoreArtifact | GranularRestoreArtifact> {
  const wire = KIND_SCHEMAS[kind];
  const collection = which === "granular" ? wire.granularProperty : wire.standardProperty;
  for await (const item of client.paginate<Record<string, unknown>>(
    `/${wire.entitySet}/${id(sessionId, options)}/${collection}`,
    options,
  )) {
    yield { ...item, status: parseArtifactStatus(item.status) } as unknown as
      RestoreArtifact | GranularRestoreArtifact;
  }
}

/**
 * A granular site or drive item as the client's Graph version takes it: v1.0 has no `destinationType`
 * there (the provider's check requires the program to accept v1.0's new-folder restore, and records it),
 * so it is left out; beta sends it.
 */
function forVersion<T extends object>(client: GraphClient, kind: RestoreSessionKind, artifact: T): T {
  if (client.apiVersion !== "v1.0" || kind === "exchange" || !("destinationType" in artifact)) {
    return artifact;
  }
  const copy = { ...artifact } as T & { destinationType?: unknown };
  delete copy.destinationType;
  return copy;
}

// ---- Wire to model -------------------------------------------------------------------------------------

function toSession(value: unknown): RestoreSession {
  const record = (value ?? {}) as Record<string, unknown>;
  return {
    ...record,
    status: parseSessionStatus(record.status),
    ...(record.restoreJobType === undefined
      ? {}
      : { restoreJobType: parseRestoreJobType(record.restoreJobType) }),
  } as RestoreSession;
}

function toDeltaResult(value: unknown): ArtifactDeltaResult {
  const record = (value ?? {}) as Record<string, unknown>;
  const exception = record["@Core.DataModificationException"] as
    | { info?: { code?: unknown; message?: unknown }; responseCode?: unknown; failedOperation?: unknown }
    | undefined;
  // A failed removal may come back without `@removed`; its exception names the operation instead.
  const removed = record["@removed"] !== undefined || exception?.failedOperation === "remove";
  return {
    id: typeof record.id === "string" ? record.id : undefined,
    removed,
    ...(record.status === undefined ? {} : { status: parseArtifactStatus(record.status) }),
    ...(exception === undefined
      ? {}
      : {
          failure: {
            code: typeof exception.info?.code === "string" ? exception.info.code : "Unknown",
            message: typeof exception.info?.message === "string" ? exception.info.message : "",
            ...(typeof exception.responseCode === "number" ? { responseCode: exception.responseCode } : {}),
          },
        }),
  };
}

export * from "./bulkAddition";
export * from "./discovery";

/** Collects an async iterator into an array (for small collections). */
export async function toArray<T>(items: AsyncIterable<T>): Promise<T[]> {
  const result: T[] = [];
  for await (const item of items) {
    result.push(item);
  }
  return result;
}
