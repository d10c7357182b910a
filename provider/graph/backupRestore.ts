/**
 * Typed backup-restore operations over {@link GraphClient}. Thin: each builds the path from
 * {@link SESSION_KIND_WIRE}, calls one verb, and passes statuses through the closed-union parsers.
 * No retries here (the pipeline owns them) and no business rules beyond the documented request limits.
 */
import type { GraphClient, GraphRequestOptions } from "./client";
import { pathSegment } from "./pathId";
import {
  parseArtifactStatus,
  parseRestoreJobType,
  parseSessionStatus,
  SESSION_KIND_WIRE,
  type ArtifactDelta,
  type ConflictBehavior,
  type DestinationType,
  type GranularRestoreArtifact,
  type RestoreArtifact,
  type RestoreSession,
  type RestoreSessionKind,
} from "./models";

/** Graph accepts at most this many artifacts in one PATCH (400 `RestoreArtifactsLimitBreached`). */
export const MAX_ARTIFACTS_PER_PATCH = 50;

/** Which artifact collection of a session. */
export type ArtifactCollection = "standard" | "granular";

/** A standard artifact to put in a create body. */
export interface StandardArtifactInput {
  restorePoint: { id: string };
  destinationType?: DestinationType;
}

/** A granular SharePoint/OneDrive artifact (a browse item key) to put in a create body. */
export interface GranularItemArtifactInput {
  browseSessionId: string;
  id: string;
  destinationType?: DestinationType;
}

/** A granular Exchange artifact (from a restore-point search) to put in a create body. */
export interface GranularMailboxArtifactInput {
  restorePoint: { id: string };
  destinationType?: DestinationType;
  searchResponseId: string;
}

/**
 * The body of a session create: at most one artifact collection (Graph refuses standard and granular
 * together), or nothing for an empty `standard` session (the bulk flow starts that way).
 */
export interface CreateRestoreSessionBody {
  /** Standard or granular; omitted for an empty session. */
  collection?: ArtifactCollection;
  artifacts?: readonly (StandardArtifactInput | GranularItemArtifactInput | GranularMailboxArtifactInput)[];
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
  const wire = SESSION_KIND_WIRE[kind];
  const payload: Record<string, unknown> = {};
  if (body.conflictBehavior !== undefined) {
    payload["@microsoft.graph.conflictBehavior"] = body.conflictBehavior;
  }
  if (body.artifacts !== undefined && body.artifacts.length > 0) {
    payload[body.collection === "granular" ? wire.granularArtifacts : wire.artifacts] = body.artifacts;
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
  if (delta.length > MAX_ARTIFACTS_PER_PATCH) {
    throw new RangeError(
      `Graph accepts at most ${MAX_ARTIFACTS_PER_PATCH} artifacts per PATCH; got ${delta.length}. Split the change.`,
    );
  }
  const wire = SESSION_KIND_WIRE[kind];
  const property = `${collection === "granular" ? wire.granularArtifacts : wire.artifacts}@delta`;
  const response = await client.patch<Record<string, unknown> | undefined>(
    `/${wire.entitySet}/${id(sessionId, options)}`,
    { [property]: delta },
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
  const wire = SESSION_KIND_WIRE[kind];
  const collection = which === "granular" ? wire.granularArtifacts : wire.artifacts;
  for await (const item of client.paginate<Record<string, unknown>>(
    `/${wire.entitySet}/${id(sessionId, options)}/${collection}`,
    options,
  )) {
    yield { ...item, status: parseArtifactStatus(item.status) } as unknown as
      RestoreArtifact | GranularRestoreArtifact;
  }
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
