/**
 * Plain, fully resolved types the provider works on (STYLE habit 2). `sdk/` wraps these in
 * `pulumi.Input<T>`; nothing here is `any`.
 */
import type {
  ArtifactRestoreStatus,
  ConflictBehavior,
  DestinationType,
  RestoreJobType,
  RestorePointPreference,
  RestoreSessionStatus,
} from "../graph/models";

/** A JSON value, as `triggers` may hold and as survives the gRPC Struct round trip. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Destination types a user may write. */
export type WritableDestinationType = Exclude<DestinationType, "unknownFutureValue">;
/** Preferences a user may write. */
export type WritablePreference = Exclude<RestorePointPreference, "unknownFutureValue">;

/** `{ restorePoint: { id }, destinationType }`: Graph's own standard artifact. */
export interface ArtifactById {
  restorePoint: { id: string };
  destinationType: WritableDestinationType;
}

/**
 * Names what to restore instead of a restore point id; resolved at create time. Exactly one of the
 * unit fields is set (`mailbox` on Exchange, `siteWebUrl` on SharePoint, `oneDriveOwner` on OneDrive,
 * `protectionUnitId` on any).
 */
export interface ArtifactSelector {
  mailbox?: string;
  siteWebUrl?: string;
  oneDriveOwner?: string;
  protectionUnitId?: string;
  /** Only fast restore points (`"fastRestore"`). */
  tags?: "fastRestore";
  /** ISO instant, normalized by `check` to `Date.toISOString()` form. */
  restorePointTime: string;
  restorePointPreference: WritablePreference;
  destinationType: WritableDestinationType;
  /**
   * Set only in the state's copy of the inputs: the restore point the selector resolved to when
   * the artifact was added, so that a later removal can find its artifact. Never compared.
   */
  resolvedRestorePointId?: string;
}

export type StandardArtifactInput = ArtifactById | ArtifactSelector;

/** Granular site or drive artifact: a browse item. */
export interface GranularBrowseArtifact {
  browseSessionId: string;
  /** The browse `itemKey`. */
  id: string;
  /** Beta only. Defaulted to `new` under beta; absent under v1.0, where Graph has no such field. */
  destinationType?: WritableDestinationType;
}

/** Granular mailbox artifact: a restore point plus a `restorePoints/search` response. */
export interface GranularMailboxArtifact {
  restorePoint: { id: string };
  searchResponseId: string;
  destinationType: WritableDestinationType;
}

export type GranularArtifactInput = GranularBrowseArtifact | GranularMailboxArtifact;

/** One bulk addition request, with the documented fields of `restoreArtifactsBulkRequestBase`. */
export interface BulkRequestInput {
  displayName?: string;
  siteWebUrls?: string[];
  siteIds?: string[];
  mailboxes?: string[];
  drives?: string[];
  directoryObjectIds?: string[];
  protectionTimePeriod: { startDateTime: string; endDateTime?: string };
  restorePointPreference?: WritablePreference;
  tags?: string;
  destinationType: WritableDestinationType;
}

/**
 * The normalized inputs of any kind. Artifact lists are stored under the kind's Graph property name
 * (`siteRestoreArtifacts`, ...); {@link SessionSpec} is the kind-independent view of them.
 */
export interface SessionInputs {
  [property: string]: unknown;
  activate: boolean;
  waitForCompletion: boolean;
  completionTimeoutMinutes: number;
  /** Absent means `"all"`. */
  artifactOutputs?: ArtifactOutputsMode;
  conflictBehavior?: ConflictBehavior;
  triggers?: JsonValue;
}

export type ArtifactStyle = "standard" | "granular" | "bulk" | "empty";

/**
 * Which artifacts the `artifacts` output lists: every one, or only those that failed (the counts in
 * `restoreSessionArtifactCount` are always complete). `failedOnly` keeps the state of a large restore
 * small: 10,000 artifacts in full are about 6.5 MB of outputs.
 */
export type ArtifactOutputsMode = "all" | "failedOnly";

/** Every {@link ArtifactOutputsMode}. */
export const ARTIFACT_OUTPUTS_MODES: readonly ArtifactOutputsMode[] = ["all", "failedOnly"];

/** Kind-independent view of {@link SessionInputs}. */
export interface SessionSpec {
  style: ArtifactStyle;
  standard: StandardArtifactInput[];
  granular: GranularArtifactInput[];
  bulk: BulkRequestInput | null;
  conflictBehavior: ConflictBehavior | null;
  activate: boolean;
  waitForCompletion: boolean;
  completionTimeoutMinutes: number;
  triggers: JsonValue | null;
  artifactOutputs: ArtifactOutputsMode;
}

export interface IdentityOutput {
  id: string | null;
  displayName: string | null;
}

export interface IdentitySetOutput {
  application: IdentityOutput | null;
  user: IdentityOutput | null;
}

export interface ErrorOutput {
  code: string | null;
  message: string | null;
}

/** One artifact of the session, as stored in state. Absent values are `null`, never `undefined`. */
export interface ArtifactOutput {
  id: string;
  restorePointId: string | null;
  destinationType: DestinationType | null;
  status: ArtifactRestoreStatus;
  startDateTime: string | null;
  completionDateTime: string | null;
  error: ErrorOutput | null;
  /** Site and drive artifacts. */
  restoredSiteId?: string | null;
  restoredSiteName?: string | null;
  restoredSiteWebUrl?: string | null;
  /** Mailbox artifacts. */
  restoredFolderId?: string | null;
  restoredFolderName?: string | null;
  restoredItemCount?: number | null;
  /** Granular site and drive artifacts. */
  browseSessionId?: string | null;
  searchResponseId?: string | null;
  restoredItemWebUrl?: string | null;
}

/** Computed outputs: only these named fields, never a whole response. */
export interface SessionObservation {
  status: RestoreSessionStatus;
  restoreJobType: RestoreJobType | null;
  restoreSessionArtifactCount: { total: number; completed: number; inProgress: number; failed: number };
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

/** What the provider stores in state: the normalized inputs (as applied) plus the observation. */
export type SessionOutputs = SessionInputs & SessionObservation;
