/**
 * From Graph's responses to state: only the named fields, absent values as `null`, nothing `undefined`
 * (the gRPC Struct the engine stores cannot carry it).
 */
import {
  parseArtifactStatus,
  parseRestoreJobType,
  parseSessionStatus,
  type ArtifactOutput,
  type ErrorOutput,
  type GranularRestoreArtifact,
  type IdentitySet,
  type IdentitySetOutput,
  type KindSchema,
  type PublicError,
  type RestoreArtifact,
  type RestoreJobType,
  type RestoreSession,
  type RestoreSessionStatus,
  type SessionInputs,
  type SessionObservation,
  type SessionOutputs,
} from "../../model";

function text(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}

function errorOutput(error: PublicError | null | undefined): ErrorOutput | null {
  if (!error) {
    return null;
  }
  return { code: text(error.code), message: text(error.message) };
}

function identitySetOutput(set: IdentitySet | null | undefined): IdentitySetOutput | null {
  if (!set || typeof set !== "object") {
    return null;
  }
  const identity = (value: unknown): IdentitySetOutput["user"] => {
    if (!value || typeof value !== "object") return null;
    const record = value as Record<string, unknown>;
    return { id: text(record.id), displayName: text(record.displayName) };
  };
  return { application: identity(set.application), user: identity(set.user) };
}

/** The session's own fields; `artifacts` is filled by {@link artifactOutput}. */
export function observeSession(
  session: RestoreSession,
  artifacts: ArtifactOutput[],
  tenantId: string | null = null,
): SessionObservation {
  const count = session.restoreSessionArtifactCount;
  return {
    status: parseSessionStatus(session.status),
    restoreJobType: session.restoreJobType === undefined ? null : parseRestoreJobType(session.restoreJobType),
    restoreSessionArtifactCount: {
      total: count?.total ?? artifacts.length,
      completed: count?.completed ?? 0,
      inProgress: count?.inProgress ?? 0,
      failed: count?.failed ?? 0,
    },
    createdDateTime: text(session.createdDateTime),
    completedDateTime: text(session.completedDateTime),
    lastModifiedDateTime: text(session.lastModifiedDateTime),
    createdBy: identitySetOutput(session.createdBy),
    lastModifiedBy: identitySetOutput(session.lastModifiedBy),
    error: errorOutput(session.error),
    artifacts,
    tenantId,
  };
}

/** One artifact of any kind, with the restored-location fields of its kind. */
export function artifactOutput(
  schema: KindSchema,
  artifact: RestoreArtifact | GranularRestoreArtifact,
): ArtifactOutput {
  const record = artifact as RestoreArtifact & GranularRestoreArtifact;
  const output: ArtifactOutput = {
    id: artifact.id,
    restorePointId: text(record.restorePoint?.id),
    destinationType: record.destinationType ?? null,
    status: parseArtifactStatus(artifact.status),
    startDateTime: text(artifact.startDateTime),
    completionDateTime: text(artifact.completionDateTime),
    error: errorOutput(artifact.error),
  };
  if ("browseSessionId" in record && typeof record.browseSessionId === "string") {
    output.browseSessionId = record.browseSessionId;
    output.restoredItemWebUrl = text(record.restoredItemWebUrl);
    return output;
  }
  if (schema.kind === "exchange") {
    output.restoredFolderId = text(record.restoredFolderId);
    output.restoredFolderName = text(record.restoredFolderName);
    output.restoredItemCount = typeof record.restoredItemCount === "number" ? record.restoredItemCount : null;
    if (typeof record.searchResponseId === "string") output.searchResponseId = record.searchResponseId;
    return output;
  }
  output.restoredSiteId = text(record.restoredSiteId);
  output.restoredSiteName = text(record.restoredSiteName);
  output.restoredSiteWebUrl = text(record.restoredSiteWebUrl);
  return output;
}

/**
 * State = the inputs as applied + the observation, with only the failed artifacts listed when the
 * inputs ask for `artifactOutputs: "failedOnly"` (the counts stay complete).
 */
export function sessionOutputs(inputs: SessionInputs, observation: SessionObservation): SessionOutputs {
  const artifacts =
    inputs.artifactOutputs === "failedOnly"
      ? observation.artifacts.filter((artifact) => artifact.status === "failed")
      : observation.artifacts;
  return { ...inputs, ...observation, artifacts };
}

/**
 * Makes a value safe for the engine's Struct: drops `undefined` object members and turns `undefined`
 * array elements into `null`.
 */
export function toStruct<T>(value: T): T {
  if (Array.isArray(value)) {
    return value.map((item: unknown) => (item === undefined ? null : toStruct(item))) as T;
  }
  if (typeof value === "object" && value !== null) {
    const result: Record<string, unknown> = {};
    for (const [key, entry] of Object.entries(value as Record<string, unknown>)) {
      if (entry !== undefined) result[key] = toStruct(entry);
    }
    return result as T;
  }
  return value;
}

/** Every failed artifact with its code, for the message of an `up` that sees a session fail. */
export function describeFailedArtifacts(observation: SessionObservation): string {
  const failed = observation.artifacts.filter((artifact) => artifact.status === "failed");
  if (failed.length === 0) {
    return observation.error?.code
      ? `  session error ${observation.error.code}: ${observation.error.message ?? ""}`
      : "  (no artifact reported an error)";
  }
  return failed
    .map(
      (artifact) =>
        `  artifact ${artifact.id} (restore point ${artifact.restorePointId ?? artifact.browseSessionId ?? "?"}): ` +
        `${artifact.error?.code ?? "UnknownError"}${artifact.error?.message ? ` - ${artifact.error.message}` : ""}`,
    )
    .join("\n");
}

/** The observation part of a state's outputs (what Graph last reported), with safe defaults. */
export function observationFrom(outputs: Record<string, unknown>): SessionObservation {
  const count = (outputs.restoreSessionArtifactCount ?? {}) as Partial<
    SessionObservation["restoreSessionArtifactCount"]
  >;
  return {
    status: outputs.status === undefined ? "draft" : parseSessionStatus(outputs.status),
    restoreJobType: (outputs.restoreJobType as RestoreJobType | null | undefined) ?? null,
    restoreSessionArtifactCount: {
      total: count.total ?? 0,
      completed: count.completed ?? 0,
      inProgress: count.inProgress ?? 0,
      failed: count.failed ?? 0,
    },
    createdDateTime: text(outputs.createdDateTime),
    completedDateTime: text(outputs.completedDateTime),
    lastModifiedDateTime: text(outputs.lastModifiedDateTime),
    createdBy: (outputs.createdBy as IdentitySetOutput | null | undefined) ?? null,
    lastModifiedBy: (outputs.lastModifiedBy as IdentitySetOutput | null | undefined) ?? null,
    error: (outputs.error as ErrorOutput | null | undefined) ?? null,
    artifacts: Array.isArray(outputs.artifacts) ? (outputs.artifacts as ArtifactOutput[]) : [],
    tenantId: text(outputs.tenantId),
  };
}

/** The status the state last saw; a state without one (never written by us) counts as a draft. */
export function observedStatus(state: Record<string, unknown>): RestoreSessionStatus {
  return state.status === undefined ? "draft" : parseSessionStatus(state.status);
}
