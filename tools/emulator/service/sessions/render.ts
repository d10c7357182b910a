/**
 * Restore sessions and artifacts on the wire, at one instant of emulator time. Evolvable enum members
 * (session `failed`, job type `granular`) become `unknownFutureValue` unless the request sent
 * `Prefer: include-unknown-enum-members` (Graph docs: resources/restoresessionbase, status).
 */
import type { GraphRequest } from "../../contract";
import type { Tenant } from "../tenant/types";
import { KINDS, odataType } from "./kinds";
import {
  artifactCounts,
  artifactStatusAt,
  completedAtMs,
  sessionStatusAt,
  type ArtifactStatus,
  type SessionStatus,
} from "./lifecycle";
import type { ArtifactRecord, RestoredLocation, SessionRecord } from "./model";

/** Granular examples show this for dates that are not set yet. */
const UNSET_DATE = "0001-01-01T00:00:00Z";

/** The request (for version, address and the enum header), the tenant, and the instant to render. */
export interface RenderContext {
  readonly request: GraphRequest;
  readonly tenant: Tenant;
  readonly nowMs: number;
}

/** An instant as ISO 8601 UTC. */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** `https://127.0.0.1:PORT/{version}/$metadata`, the base of `@odata.context`. */
export function metadataUrl(request: GraphRequest): string {
  return `${request.baseUrl}/${request.apiVersion}/$metadata`;
}

/** An identitySet for an application caller. */
export function identity(appId: string): { application: { id: string; displayName: null } } {
  return { application: { id: appId, displayName: null } };
}

/** Session status on the wire: `failed` is evolvable. */
export function sessionStatusWire(status: SessionStatus, request: GraphRequest): string {
  return status === "failed" && !request.includeUnknownEnumMembers ? "unknownFutureValue" : status;
}

/** restoreJobType on the wire: `granular` is evolvable. */
export function jobTypeWire(jobType: SessionRecord["jobType"], request: GraphRequest): string {
  return jobType === "granular" && !request.includeUnknownEnumMembers ? "unknownFutureValue" : jobType;
}

/** A session as GET returns it (without `@odata.context`, which the caller adds for single entities). */
export function renderSession(session: SessionRecord, context: RenderContext): Record<string, unknown> {
  const status = sessionStatusAt(session, context.nowMs);
  const completed = completedAtMs(session, context.nowMs);
  return {
    "@odata.type": odataType(KINDS[session.kind].typeName),
    id: session.id,
    status: sessionStatusWire(status, context.request),
    restoreJobType: jobTypeWire(session.jobType, context.request),
    restoreSessionArtifactCount: artifactCounts(session, context.nowMs),
    createdBy: identity(session.createdBy),
    createdDateTime: iso(session.createdAtMs),
    lastModifiedBy: identity(session.lastModifiedBy),
    lastModifiedDateTime: iso(session.lastModifiedAtMs),
    completedDateTime: completed === undefined ? null : iso(completed),
    error: sessionError(session, status, context.nowMs),
  };
}

/**
 * The session's `error` once it ends `completedWithError` or `failed`: the first failed artifact's code,
 * a count in the message, and one detail per failed artifact (target = artifact id).
 */
function sessionError(
  session: SessionRecord,
  status: SessionStatus,
  nowMs: number,
): Record<string, unknown> | null {
  if (status !== "completedWithError" && status !== "failed") {
    return null;
  }
  const failed = session.artifacts.filter((a) => artifactStatusAt(a, nowMs) === "failed");
  if (failed.length === 0) {
    const bulkError = session.bulk?.error;
    return bulkError === undefined
      ? { code: "ArtifactNotFound", message: "The restore session had nothing to restore.", details: [] }
      : {
          code: bulkError.code,
          message: `The bulk addition request resolved no artifacts. ${bulkError.message}`,
          details: bulkError.details,
        };
  }
  return {
    code: failed[0]?.plan?.failure?.code ?? "UnknownError",
    message: `${failed.length} of ${session.artifacts.length} artifacts failed to restore; see each artifact's error.`,
    details: failed.map((a) => ({
      code: a.plan?.failure?.code,
      message: a.plan?.failure?.message,
      target: a.id,
    })),
  };
}

interface Progress {
  readonly status: ArtifactStatus;
  readonly start: string | null;
  readonly completion: string | null;
  readonly error: Record<string, unknown> | null;
  readonly restored: RestoredLocation | undefined;
}

function progressOf(artifact: ArtifactRecord, nowMs: number): Progress {
  const status = artifactStatusAt(artifact, nowMs);
  const plan = artifact.plan;
  const started = status === "inProgress" || status === "succeeded" || status === "failed";
  const done = status === "succeeded" || status === "failed";
  return {
    status,
    start: started && plan ? iso(plan.startAtMs) : null,
    completion: done && plan ? iso(plan.endAtMs) : null,
    error:
      status === "failed" && plan?.failure
        ? { code: plan.failure.code, message: plan.failure.message }
        : null,
    restored: status === "succeeded" ? plan?.restored : undefined,
  };
}

/** A standard (site, mailbox, drive) or granular mailbox artifact, as the artifact lists return it. */
export function renderStandardArtifact(
  session: SessionRecord,
  artifact: ArtifactRecord,
  context: RenderContext,
): Record<string, unknown> {
  const progress = progressOf(artifact, context.nowMs);
  const point = context.tenant.restorePoint(artifact.input.restorePointId);
  const body: Record<string, unknown> = {
    id: artifact.id,
    destinationType: artifact.input.destinationType,
    status: progress.status,
    startDateTime: progress.start,
    completionDateTime: progress.completion,
    restorePoint: {
      id: artifact.input.restorePointId,
      protectionDateTime: point ? point.protectionDateTime.toISOString() : null,
      expirationDateTime: point ? point.expirationDateTime.toISOString() : null,
    },
    error: progress.error,
  };
  const restored = progress.restored;
  if (session.kind === "exchange") {
    body["restoredFolderId"] = restored?.shape === "folder" ? restored.folderId : null;
    body["restoredFolderName"] = restored?.shape === "folder" ? restored.folderName : null;
    body["restoredItemCount"] = restored?.shape === "folder" ? restored.itemCount : null;
  } else {
    body["restoredSiteId"] = restored?.shape === "site" ? restored.siteId : null;
    body["restoredSiteName"] = restored?.shape === "site" ? restored.siteName : null;
    body["restoredSiteWebUrl"] = restored?.shape === "site" ? restored.siteWebUrl : null;
  }
  if (artifact.input.style === "mailboxSearch") {
    body["searchResponseId"] = artifact.input.searchResponseId;
  }
  return body;
}

/** A granular site or drive artifact; `destinationType` and `error` exist only in beta. */
export function renderBrowseItemArtifact(
  session: SessionRecord,
  artifact: ArtifactRecord,
  context: RenderContext,
): Record<string, unknown> {
  const input = artifact.input;
  if (input.style !== "browseItem") {
    throw new Error(`artifact ${artifact.id} is not a granular item`);
  }
  const progress = progressOf(artifact, context.nowMs);
  const restored = progress.restored?.shape === "item" ? progress.restored : undefined;
  const body: Record<string, unknown> = {
    id: input.itemKey,
    browseSessionId: input.browseSessionId,
    status: progress.status,
    webUrl: input.item.webUrl,
    restoredItemKey: restored?.itemKey ?? "",
    restoredItemPath: restored?.itemPath ?? null,
    restoredItemWebUrl: restored?.itemWebUrl ?? "",
    restorePointDateTime: input.item.restorePointDateTime.toISOString(),
    startDateTime: progress.start ?? UNSET_DATE,
    completionDateTime: progress.completion ?? UNSET_DATE,
  };
  if (session.kind === "sharePoint") {
    body["siteId"] = input.item.siteId ?? null;
  } else {
    body["directoryObjectId"] = input.item.directoryObjectId ?? null;
  }
  if (context.request.apiVersion === "beta") {
    body["destinationType"] = input.destinationType;
    body["error"] = progress.error;
  }
  return body;
}

/** Any artifact of a session in the shape of its own collection. */
export function renderArtifact(
  session: SessionRecord,
  artifact: ArtifactRecord,
  context: RenderContext,
): Record<string, unknown> {
  return artifact.input.style === "browseItem"
    ? renderBrowseItemArtifact(session, artifact, context)
    : renderStandardArtifact(session, artifact, context);
}
