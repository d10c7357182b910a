/**
 * What the provider stores in state besides the inputs: only these named fields of Graph's answers,
 * absent values as `null` (`provider/resources/session/outputs.ts` maps them). `sdk/` declares its outputs
 * with these types.
 */
import type { SessionInputs } from "./inputs";
import type {
  ArtifactRestoreStatus,
  DestinationType,
  GranularRestoreArtifact,
  RestoreArtifact,
  RestoreJobType,
  RestoreSessionArtifactCount,
  RestoreSessionStatus,
} from "./wire";

/** An `identity` of Graph's `identitySet`, as stored. */
export interface IdentityOutput {
  id: string | null;
  displayName: string | null;
}

/** Who made or last changed a session: the application and the user of Graph's `identitySet`. */
export interface IdentitySetOutput {
  application: IdentityOutput | null;
  user: IdentityOutput | null;
}

/** Graph's `publicError`, reduced to its code and message. */
export interface ErrorOutput {
  code: string | null;
  message: string | null;
}

/** Where Graph restored an artifact, in Graph's own fields: each kind reports some of them. */
type RestoredLocation = Pick<
  RestoreArtifact,
  | "restoredSiteId"
  | "restoredSiteName"
  | "restoredSiteWebUrl"
  | "restoredFolderId"
  | "restoredFolderName"
  | "restoredItemCount"
> &
  Pick<GranularRestoreArtifact, "restoredItemWebUrl">;

/**
 * One artifact of the session, as stored in state. Absent values are `null`, never `undefined`. Site
 * and drive artifacts carry the `restoredSite...` fields, mailbox artifacts the `restoredFolder...` and
 * `restoredItemCount`, granular site and drive artifacts `browseSessionId` and `restoredItemWebUrl`.
 */
export interface ArtifactOutput extends RestoredLocation {
  id: string;
  restorePointId: string | null;
  destinationType: DestinationType | null;
  status: ArtifactRestoreStatus;
  startDateTime: string | null;
  completionDateTime: string | null;
  error: ErrorOutput | null;
  browseSessionId?: string | null;
  /** Granular mailbox artifacts. */
  searchResponseId?: string | null;
}

/** Computed outputs: only these named fields, never a whole response. */
export interface SessionObservation {
  status: RestoreSessionStatus;
  restoreJobType: RestoreJobType | null;
  /** Graph's own counts, always complete (also under `artifactOutputs: "failedOnly"`). */
  restoreSessionArtifactCount: RestoreSessionArtifactCount;
  createdDateTime: string | null;
  completedDateTime: string | null;
  lastModifiedDateTime: string | null;
  createdBy: IdentitySetOutput | null;
  lastModifiedBy: IdentitySetOutput | null;
  error: ErrorOutput | null;
  artifacts: ArtifactOutput[];
  /** The tenant the session was made in (lower case), from the settings; `null` when unknown. */
  tenantId: string | null;
}

/** The names of {@link SessionObservation}'s fields, which the SDK registers as outputs. */
export const OBSERVATION_FIELDS = [
  "status",
  "restoreJobType",
  "restoreSessionArtifactCount",
  "createdDateTime",
  "completedDateTime",
  "lastModifiedDateTime",
  "createdBy",
  "lastModifiedBy",
  "error",
  "artifacts",
  "tenantId",
] as const satisfies readonly (keyof SessionObservation)[];

/** What the provider stores in state: the normalized inputs (as applied) plus the observation. */
export type SessionOutputs = SessionInputs & SessionObservation;
