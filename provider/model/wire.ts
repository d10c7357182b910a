/**
 * Microsoft Graph's backup-restore wire shapes (`/solutions/backupRestore`): what Graph answers and
 * what the client sends.
 *
 * Names follow Graph's JSON exactly so the Graph documentation reads straight into code. Statuses are
 * closed unions: a value the service adds later arrives as `unknownFutureValue` (the client always sends
 * `Prefer: include-unknown-enum-members`, and the `parse...` functions map anything else to it).
 */

// ---- Enums -------------------------------------------------------------------------------------------
// Each closed union is the list of Graph's members as its documentation gives them, written out: the
// lists look alike because they are all enums, and each parser below is one line over its list.

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

export const BULK_REQUEST_STATUSES = [
  "unknown",
  "active",
  "completed",
  "completedWithErrors",
  "unknownFutureValue",
] as const;
export type BulkRequestStatus = (typeof BULK_REQUEST_STATUSES)[number];

export const RESTORE_JOB_TYPES = ["standard", "bulk", "granular", "unknownFutureValue"] as const;
export type RestoreJobType = (typeof RESTORE_JOB_TYPES)[number];

export const BACKUP_SERVICE_STATUSES = [
  "disabled",
  "enabled",
  "protectionChangeLocked",
  "restoreLocked",
  "unknownFutureValue",
] as const;
export type BackupServiceStatus = (typeof BACKUP_SERVICE_STATUSES)[number];

export type DestinationType = "new" | "inPlace" | "unknownFutureValue";
export type RestorePointPreference = "latest" | "oldest" | "unknownFutureValue";
/** A flags enum on the wire: comma-separated members, e.g. `"fastRestore"`. */
export type RestorePointTags = string;
export type ConflictBehavior = "fail" | "replace" | "rename";
/** The item types of a structured mailbox query (beta). */
export const MAILBOX_ITEM_TYPES = ["email", "calendar", "contact", "note", "task"] as const;
export type MailboxItemType = (typeof MAILBOX_ITEM_TYPES)[number];

/** Maps any wire value onto the closed union `members`; unknown values become `unknownFutureValue`. */
function parseClosed<T extends string>(members: readonly T[], value: unknown): T | "unknownFutureValue" {
  return (members as readonly unknown[]).includes(value) ? (value as T) : "unknownFutureValue";
}

export function parseSessionStatus(value: unknown): RestoreSessionStatus {
  return parseClosed(SESSION_STATUSES, value);
}

export function parseArtifactStatus(value: unknown): ArtifactRestoreStatus {
  return parseClosed(ARTIFACT_STATUSES, value);
}

export function parseBulkRequestStatus(value: unknown): BulkRequestStatus {
  return parseClosed(BULK_REQUEST_STATUSES, value);
}

export function parseRestoreJobType(value: unknown): RestoreJobType {
  return parseClosed(RESTORE_JOB_TYPES, value);
}

export function parseBackupServiceStatus(value: unknown): BackupServiceStatus {
  return parseClosed(BACKUP_SERVICE_STATUSES, value);
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

// ---- What Graph answers -------------------------------------------------------------------------------

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

/** Any artifact a session's lists return. */
export type SessionArtifact = RestoreArtifact | GranularRestoreArtifact;

export interface TimePeriod {
  startDateTime?: string;
  endDateTime?: string;
}

/**
 * The fields of `restoreArtifactsBulkRequestBase` and its three kinds: the lists a kind accepts are
 * in its {@link KindSchema.bulkLists}. Also the body the client POSTs (without `id` and `status`).
 */
export interface BulkAdditionRequestBody {
  displayName?: string;
  destinationType?: DestinationType;
  protectionTimePeriod?: TimePeriod;
  restorePointPreference?: RestorePointPreference;
  tags?: RestorePointTags;
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

export interface BulkAdditionRequest extends BulkAdditionRequestBody {
  id: string;
  status: BulkRequestStatus;
  error?: PublicError | null;
  createdDateTime?: string;
  lastModifiedDateTime?: string;
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
  items?: MailboxItemType[];
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

// ---- What the client sends ---------------------------------------------------------------------------

/** A standard artifact in a create body or an `@delta` add: `{ restorePoint: { id }, destinationType }`. */
export interface StandardArtifactBody {
  restorePoint: { id: string };
  destinationType?: DestinationType;
}

/** A granular SharePoint/OneDrive artifact (a browse item key) in a create body or an `@delta` add. */
export interface GranularItemArtifactBody {
  browseSessionId: string;
  id: string;
  destinationType?: DestinationType;
}

/** A granular Exchange artifact (from a restore-point search) in a create body or an `@delta` add. */
export interface GranularMailboxArtifactBody {
  restorePoint: { id: string };
  destinationType?: DestinationType;
  searchResponseId: string;
}

/** Any artifact the client sends. */
export type ArtifactBody = StandardArtifactBody | GranularItemArtifactBody | GranularMailboxArtifactBody;

/** An element of a `...Artifacts@delta` PATCH body: an artifact to add, or one to remove by id. */
export type ArtifactDelta = ArtifactBody | { "@removed": { reason: "changed" }; id: string };
