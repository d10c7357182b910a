/**
 * Typed models of the Microsoft Graph backup-restore wire shapes (`/solutions/backupRestore`).
 *
 * Names follow Graph's JSON exactly so the Graph documentation reads straight into code. Statuses are
 * closed unions: a value the service adds later arrives as `unknownFutureValue` (the client always sends
 * `Prefer: include-unknown-enum-members`, and {@link parseSessionStatus} maps anything else to it).
 */

/** The three restore-session kinds, named after their Graph entity sets without the suffix. */
export type RestoreSessionKind = "sharePoint" | "exchange" | "oneDriveForBusiness";

export const RESTORE_SESSION_KINDS: readonly RestoreSessionKind[] = [
  "sharePoint",
  "exchange",
  "oneDriveForBusiness",
];

/** Where each kind lives on the wire. One table, used by the client, the providers and the functions. */
export interface SessionKindWire {
  /** Typed collection under `/solutions/backupRestore`, e.g. `sharePointRestoreSessions`. */
  readonly entitySet: string;
  /** `@odata.type` of the session entity. */
  readonly odataType: string;
  /** Standard artifact collection, e.g. `siteRestoreArtifacts`. */
  readonly artifacts: string;
  /** Granular artifact collection, e.g. `granularSiteRestoreArtifacts`. */
  readonly granularArtifacts: string;
  /** Bulk addition request collection, e.g. `siteRestoreArtifactsBulkAdditionRequests`. */
  readonly bulkAdditionRequests: string;
  /** Protection unit type segment, e.g. `microsoft.graph.siteProtectionUnit`. */
  readonly protectionUnitType: string;
}

export const SESSION_KIND_WIRE: Readonly<Record<RestoreSessionKind, SessionKindWire>> = {
  sharePoint: {
    entitySet: "sharePointRestoreSessions",
    odataType: "#microsoft.graph.sharePointRestoreSession",
    artifacts: "siteRestoreArtifacts",
    granularArtifacts: "granularSiteRestoreArtifacts",
    bulkAdditionRequests: "siteRestoreArtifactsBulkAdditionRequests",
    protectionUnitType: "microsoft.graph.siteProtectionUnit",
  },
  exchange: {
    entitySet: "exchangeRestoreSessions",
    odataType: "#microsoft.graph.exchangeRestoreSession",
    artifacts: "mailboxRestoreArtifacts",
    granularArtifacts: "granularMailboxRestoreArtifacts",
    bulkAdditionRequests: "mailboxRestoreArtifactsBulkAdditionRequests",
    protectionUnitType: "microsoft.graph.mailboxProtectionUnit",
  },
  oneDriveForBusiness: {
    entitySet: "oneDriveForBusinessRestoreSessions",
    odataType: "#microsoft.graph.oneDriveForBusinessRestoreSession",
    artifacts: "driveRestoreArtifacts",
    granularArtifacts: "granularDriveRestoreArtifacts",
    bulkAdditionRequests: "driveRestoreArtifactsBulkAdditionRequests",
    protectionUnitType: "microsoft.graph.driveProtectionUnit",
  },
};

// ---- Enums -------------------------------------------------------------------------------------------

export const SESSION_STATUSES = [
  "draft",
  "activating",
  "active",
  "completedWithError",
  "completed",
  "failed",
  "unknownFutureValue",
] as const;
export type RestoreSessionStatus = (typeof SESSION_STATUSES)[number];

export const ARTIFACT_STATUSES = [
  "added",
  "scheduling",
  "scheduled",
  "inProgress",
  "succeeded",
  "failed",
  "unknownFutureValue",
] as const;
export type ArtifactRestoreStatus = (typeof ARTIFACT_STATUSES)[number];

export type RestoreJobType = "standard" | "bulk" | "granular" | "unknownFutureValue";
export type DestinationType = "new" | "inPlace" | "unknownFutureValue";
export type RestorePointPreference = "latest" | "oldest" | "unknownFutureValue";
/** A flags enum on the wire: comma-separated members, e.g. `"fastRestore"`. */
export type RestorePointTags = string;
export type BulkRequestStatus =
  "unknown" | "active" | "completed" | "completedWithErrors" | "unknownFutureValue";
export type ConflictBehavior = "fail" | "replace" | "rename";
export type BackupServiceStatus =
  "disabled" | "enabled" | "protectionChangeLocked" | "restoreLocked" | "unknownFutureValue";

/** Maps any wire value onto the closed union; unknown values become `unknownFutureValue`. */
export function parseSessionStatus(value: unknown): RestoreSessionStatus {
  return (SESSION_STATUSES as readonly unknown[]).includes(value)
    ? (value as RestoreSessionStatus)
    : "unknownFutureValue";
}

export function parseArtifactStatus(value: unknown): ArtifactRestoreStatus {
  return (ARTIFACT_STATUSES as readonly unknown[]).includes(value)
    ? (value as ArtifactRestoreStatus)
    : "unknownFutureValue";
}

/** A session that has finished: Graph never changes it again (and purges it after a year). */
export function isTerminalSessionStatus(status: RestoreSessionStatus): boolean {
  switch (status) {
    case "completed":
    case "completedWithError":
    case "failed":
      return true;
    case "draft":
    case "activating":
    case "active":
    case "unknownFutureValue":
      return false;
    default:
      return assertNever(status);
  }
}

/** A session that finished with every artifact restored. */
export function isSuccessfulSessionStatus(status: RestoreSessionStatus): boolean {
  return status === "completed";
}

export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${String(value)}`);
}

// ---- Shapes ------------------------------------------------------------------------------------------

export interface PublicErrorDetail {
  code?: string;
  message?: string;
  target?: string;
}

export interface PublicError {
  code?: string;
  message?: string;
  target?: string;
  details?: PublicErrorDetail[];
  innerError?: Record<string, unknown>;
}

export interface Identity {
  id?: string;
  displayName?: string;
}

export interface IdentitySet {
  application?: Identity | null;
  user?: Identity | null;
  device?: Identity | null;
}

export interface RestoreSessionArtifactCount {
  total: number;
  completed: number;
  inProgress: number;
  failed: number;
}

export interface RestoreSession {
  "@odata.type"?: string;
  id: string;
  status: RestoreSessionStatus;
  restoreJobType?: RestoreJobType;
  restoreSessionArtifactCount?: RestoreSessionArtifactCount;
  createdBy?: IdentitySet;
  createdDateTime?: string;
  lastModifiedBy?: IdentitySet;
  lastModifiedDateTime?: string;
  completedDateTime?: string | null;
  error?: PublicError | null;
}

export interface RestorePointReference {
  id: string;
  protectionDateTime?: string;
  expirationDateTime?: string;
}

/** Standard artifact (site, mailbox or drive), as returned by the artifact lists. */
export interface RestoreArtifact {
  id: string;
  restorePoint?: RestorePointReference;
  destinationType?: DestinationType;
  status: ArtifactRestoreStatus;
  startDateTime?: string | null;
  completionDateTime?: string | null;
  error?: PublicError | null;
  /** Site and drive artifacts. */
  restoredSiteId?: string | null;
  restoredSiteName?: string | null;
  restoredSiteWebUrl?: string | null;
  /** Mailbox artifacts. */
  restoredFolderId?: string | null;
  restoredFolderName?: string | null;
  restoredItemCount?: number | null;
  /** Granular mailbox artifacts. */
  searchResponseId?: string;
}

/** Granular site or drive artifact (`granularRestoreArtifactBase`). */
export interface GranularRestoreArtifact {
  id: string;
  browseSessionId: string;
  destinationType?: DestinationType;
  status: ArtifactRestoreStatus;
  webUrl?: string | null;
  restoredItemKey?: string | null;
  restoredItemPath?: string | null;
  restoredItemWebUrl?: string | null;
  restorePointDateTime?: string | null;
  startDateTime?: string | null;
  completionDateTime?: string | null;
  error?: PublicError | null;
  siteId?: string | null;
  directoryObjectId?: string | null;
}

/** An element of a `...Artifacts@delta` PATCH body. */
export type ArtifactDelta =
  | { restorePoint: { id: string }; destinationType?: DestinationType }
  | { browseSessionId: string; id: string; destinationType?: DestinationType }
  | { "@removed": { reason: "changed" }; id: string };

export interface TimePeriod {
  startDateTime?: string;
  endDateTime?: string;
}

export interface BulkAdditionRequest {
  id: string;
  displayName?: string;
  destinationType?: DestinationType;
  protectionTimePeriod?: TimePeriod;
  restorePointPreference?: RestorePointPreference;
  tags?: RestorePointTags;
  status: BulkRequestStatus;
  error?: PublicError | null;
  createdDateTime?: string;
  lastModifiedDateTime?: string;
  /** Exchange. */
  mailboxes?: string[];
  /** Exchange and OneDrive. */
  directoryObjectIds?: string[];
  /** SharePoint. */
  siteWebUrls?: string[];
  siteIds?: string[];
  /** OneDrive. */
  drives?: string[];
}

export interface ProtectionUnit {
  "@odata.type"?: string;
  id: string;
  policyId?: string;
  status?: string;
  /** Mailbox and drive units. */
  directoryObjectId?: string;
  email?: string;
  displayName?: string;
  /** Site units. */
  siteId?: string;
  siteName?: string;
  siteWebUrl?: string;
}

export interface RestorePoint {
  "@odata.type"?: string;
  id: string;
  protectionDateTime: string;
  expirationDateTime?: string;
  tags?: RestorePointTags;
  protectionUnit?: ProtectionUnit;
}

/**
 * `artifactQuery` of a restore point search (Exchange granular): `queryExpression` in v1.0 and beta,
 * or (beta only) `structuredQueryExpression`.
 */
export interface ArtifactQuery {
  artifactType: "message";
  queryExpression?: string;
  structuredQueryExpression?: StructuredQueryExpression;
}

/** Beta's `restoreSearchArtifactQueryExpression`. */
export interface StructuredQueryExpression {
  senders?: string[];
  recipients?: string[];
  subjects?: string[];
  hasAttachment?: boolean;
  items?: ("email" | "calendar" | "contact" | "note" | "task")[];
}

export interface RestorePointSearchRequest {
  protectionUnitIds: string[];
  protectionTimePeriod: TimePeriod;
  restorePointPreference?: RestorePointPreference;
  tags?: RestorePointTags;
  artifactQuery?: ArtifactQuery;
}

export interface RestorePointSearchResponse {
  searchResponseId?: string;
  searchResults: { restorePoint: RestorePoint; artifactHitCount?: number }[];
  noResultProtectionUnitIds: string[];
}

export interface ServiceStatus {
  status: BackupServiceStatus;
  disableReason?: string;
  lastModifiedDateTime?: string;
}

// ---- Additions for the client (provider/graph/backupRestore.ts) ---------------------------------------

export const BULK_REQUEST_STATUSES = [
  "unknown",
  "active",
  "completed",
  "completedWithErrors",
  "unknownFutureValue",
] as const;
export const RESTORE_JOB_TYPES = ["standard", "bulk", "granular", "unknownFutureValue"] as const;
export const BACKUP_SERVICE_STATUSES = [
  "disabled",
  "enabled",
  "protectionChangeLocked",
  "restoreLocked",
  "unknownFutureValue",
] as const;

/** Maps any wire value onto {@link BulkRequestStatus}; unknown values become `unknownFutureValue`. */
export function parseBulkRequestStatus(value: unknown): BulkRequestStatus {
  return (BULK_REQUEST_STATUSES as readonly unknown[]).includes(value)
    ? (value as BulkRequestStatus)
    : "unknownFutureValue";
}

/** Maps any wire value onto {@link RestoreJobType}; unknown values become `unknownFutureValue`. */
export function parseRestoreJobType(value: unknown): RestoreJobType {
  return (RESTORE_JOB_TYPES as readonly unknown[]).includes(value)
    ? (value as RestoreJobType)
    : "unknownFutureValue";
}

/** Maps any wire value onto {@link BackupServiceStatus}; unknown values become `unknownFutureValue`. */
export function parseBackupServiceStatus(value: unknown): BackupServiceStatus {
  return (BACKUP_SERVICE_STATUSES as readonly unknown[]).includes(value)
    ? (value as BackupServiceStatus)
    : "unknownFutureValue";
}
