/**
 * The inputs as `check` normalizes them: plain, fully resolved values the provider works on (STYLE
 * habit 2) and stores in state. `sdk/` derives its `...Args` from these, wrapped in `pulumi.Input<T>`
 * (`sdk/types.ts`, held to them by `sdk/modelCheck.ts`); nothing here is `any`.
 */
import type {
  ConflictBehavior,
  DestinationType,
  RestorePointPreference,
  StructuredQueryExpression,
} from "./wire";

/** A JSON value, as `triggers` may hold and as survives the gRPC Struct round trip. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Destination types a user may write: `new` restores to a new location; `inPlace` overwrites the original. */
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

/** A standard artifact as the program declares it (the request body is `StandardArtifactBody`). */
export type StandardArtifactInput = ArtifactById | ArtifactSelector;

/** Granular site or drive artifact: a browse item. */
export interface GranularBrowseArtifact {
  browseSessionId: string;
  /** The browse `itemKey`. */
  id: string;
  /**
   * Defaulted to `new` and sent under beta. Under v1.0 the program must write `new` (Graph restores v1.0
   * granular items into a new folder and has no such field, so it is recorded and not sent).
   */
  destinationType?: WritableDestinationType;
}

/** Granular mailbox artifact: a restore point plus a `restorePoints/search` response. */
export interface GranularMailboxArtifact {
  restorePoint: { id: string };
  searchResponseId: string;
  destinationType: WritableDestinationType;
}

/** What to look for in a mailbox: `queryExpression` (v1.0 and beta), or `structuredQueryExpression` (beta only). */
export interface MailboxQuery {
  queryExpression?: string;
  structuredQueryExpression?: StructuredQueryExpression;
}

/** What a path selector resolved to, pinned in state. */
export interface PathResolution {
  restorePointId: string;
  protectionDateTime: string;
  browseSessionId: string;
  /** One per path, in the selector's path order. */
  items: { path: string; id: string; type: string }[];
  /** Only in state after a create that stopped before every item was added; absent means complete. */
  complete?: false;
}

/** What a mailbox selector resolved to, pinned in state. */
export interface QueryResolution {
  restorePointId: string;
  protectionDateTime: string;
  searchResponseId: string;
  artifactHitCount: number | null;
}

/** `{ siteWebUrl | oneDriveOwner | protectionUnitId, restorePointTime, paths }`: items of a fast restore point. */
export interface GranularPathSelector {
  siteWebUrl?: string;
  oneDriveOwner?: string;
  protectionUnitId?: string;
  restorePointTime: string;
  restorePointPreference: WritablePreference;
  /** Normalized (`/Shared Documents/Finance`), unique, sorted. */
  paths: string[];
  /** As for browse items: written under v1.0 (`new` only), defaulted to `new` under beta. */
  destinationType?: WritableDestinationType;
  resolved?: PathResolution;
}

/** `{ mailbox | protectionUnitId, restorePointTime, query }`: mail items a query matches. */
export interface GranularQuerySelector {
  mailbox?: string;
  protectionUnitId?: string;
  restorePointTime: string;
  restorePointPreference: WritablePreference;
  query: MailboxQuery;
  destinationType: WritableDestinationType;
  resolved?: QueryResolution;
}

export type GranularSelector = GranularPathSelector | GranularQuerySelector;

export type GranularArtifactInput = GranularBrowseArtifact | GranularMailboxArtifact | GranularSelector;

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
 * Which artifacts the `artifacts` output lists: every one, or only those that failed (the counts in
 * `restoreSessionArtifactCount` are always complete). `failedOnly` keeps the state of a large restore
 * small: 10,000 artifacts in full are about 6.5 MB of outputs.
 */
export type ArtifactOutputsMode = "all" | "failedOnly";

/** Every {@link ArtifactOutputsMode}. */
export const ARTIFACT_OUTPUTS_MODES: readonly ArtifactOutputsMode[] = ["all", "failedOnly"];

/** The inputs every kind shares, as normalized. */
export interface CommonInputs {
  activate: boolean;
  waitForCompletion: boolean;
  completionTimeoutMinutes: number;
  /** Absent means `"all"`. */
  artifactOutputs?: ArtifactOutputsMode;
  conflictBehavior?: ConflictBehavior;
  triggers?: JsonValue;
  /** An existing session for create to take over instead of making one (`apply/importSession.ts`). */
  importSessionId?: string;
}

/**
 * The normalized inputs of any kind. Artifact lists are stored under the kind's Graph property name
 * (`siteRestoreArtifacts`, ...; see `KindSchema`); {@link SessionSpec} is the kind-independent view of them.
 */
export interface SessionInputs extends CommonInputs {
  [property: string]: unknown;
}

export type ArtifactStyle = "standard" | "granular" | "bulk" | "empty";

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
  /**
   * The session create takes over instead of making one. Used by create only: once the session is in
   * state, diff ignores this field, so removing or changing it changes nothing.
   */
  importSessionId?: string;
}
