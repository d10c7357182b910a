/**
 * The inputs as `check` normalizes them: plain, fully resolved values the provider works on
 * (the SDK's `pulumi.Input` wrappers stop at the boundary) and stores in state. `sdk/` derives its `...Args` from these, wrapped in `pulumi.Input<T>`
 * (`sdk/types.ts`, held to them by `tests/unit/sdkModel.test.ts`); nothing here is `any`.
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
  /** Defaulted to `"new"` by `check`: in-place restore happens only when written. */
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
  /** The owner's email address or Entra user id. */
  oneDriveOwner?: string;
  /** A protection unit id (any kind); alternative to the kind's own unit field. */
  protectionUnitId?: string;
  /** Only fast restore points. */
  tags?: "fastRestore";
  /**
   * ISO 8601 instant: the latest restore point at or before it (or, with `"oldest"`, at or after it).
   * `check` normalizes it to `Date.toISOString()` form.
   */
  restorePointTime: string;
  /** Defaulted to `"latest"` by `check`. */
  restorePointPreference: WritablePreference;
  /** Defaulted to `"new"` by `check`. */
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
  /** The browse item's `itemKey`. */
  id: string;
  /**
   * Default `"new"` under beta, where it is sent. Required under v1.0, as `"new"` only: v1.0 has no such
   * field and restores granular items into one new folder per session (`restoredItemPath`), so it is
   * recorded and not sent.
   */
  destinationType?: WritableDestinationType;
}

/** Granular mailbox artifact: a restore point plus a `restorePoints/search` response. */
export interface GranularMailboxArtifact {
  restorePoint: { id: string };
  searchResponseId: string;
  /** Defaulted to `"new"` by `check`. */
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
  /** SharePoint. */
  siteWebUrl?: string;
  /** OneDrive: the owner's email address or Entra user id. */
  oneDriveOwner?: string;
  protectionUnitId?: string;
  /** ISO 8601 instant with a zone. */
  restorePointTime: string;
  /** Defaulted to `"latest"` by `check`. */
  restorePointPreference: WritablePreference;
  /**
   * Below the site or OneDrive, library first: `["/Shared Documents/Finance"]`. `check` normalizes
   * them (`/Shared Documents/Finance`), removes repeats and sorts them.
   */
  paths: string[];
  /** As for {@link GranularBrowseArtifact.destinationType}. */
  destinationType?: WritableDestinationType;
  /** Set only in state: what the selector resolved to when its items were added. */
  resolved?: PathResolution;
}

/** `{ mailbox | protectionUnitId, restorePointTime, query }`: mail items a query matches. */
export interface GranularQuerySelector {
  mailbox?: string;
  protectionUnitId?: string;
  /** ISO 8601 instant with a zone. */
  restorePointTime: string;
  /** Defaulted to `"latest"` by `check`. */
  restorePointPreference: WritablePreference;
  /** Exactly one: `queryExpression`, or (beta) `structuredQueryExpression`. */
  query: MailboxQuery;
  /** Defaulted to `"new"` by `check`. */
  destinationType: WritableDestinationType;
  /** Set only in state: what the selector resolved to when its search was added. */
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
  /** OneDrive owners' email addresses. */
  drives?: string[];
  directoryObjectIds?: string[];
  protectionTimePeriod: { startDateTime: string; endDateTime?: string };
  restorePointPreference?: WritablePreference;
  /** Restore point tags, e.g. `"fastRestore"`. */
  tags?: string;
  /** Defaulted to `"new"` by `check`. */
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
  /** Activate the session (exactly once). Default false. Cannot go back to false: a restore cannot be undone. */
  activate: boolean;
  /** With `activate`, `up` waits for a terminal status. Default false. */
  waitForCompletion: boolean;
  /** How long `up` waits. Default 60. */
  completionTimeoutMinutes: number;
  /**
   * Which artifacts the `artifacts` output lists: `"all"` (default, and what absent means) or
   * `"failedOnly"`. The counts in `restoreSessionArtifactCount` are always complete. Use `"failedOnly"`
   * for large (bulk) restores: 10,000 artifacts in full are about 6.5 MB of state. Changing it reads the
   * session again and writes nothing to Graph.
   */
  artifactOutputs?: ArtifactOutputsMode;
  /** Beta, SharePoint and OneDrive granular sessions only: `fail` (default), `replace` or `rename`. */
  conflictBehavior?: ConflictBehavior;
  /** Any values; changing them starts a new session (a new drill run). */
  triggers?: JsonValue;
  /**
   * Takes an existing session over instead of creating one: the way to import a session, since
   * `pulumi import` does not work for dynamic resources under today's Pulumi CLI. On create, the
   * session must be of this kind and hold exactly the declared artifacts and destinations (or bulk
   * request), else create fails naming every difference. Nothing is written to Graph, except
   * `activate` on a draft when `activate` is true; a session that already left draft is never
   * activated again, and must be declared with `activate: true` (a restore cannot be undone).
   *
   * Used by create only (`create/importSession.ts`): once the session is in state, removing or changing
   * this input changes nothing. Remove it before changing `triggers` (which starts a new session).
   *
   * @example
   * ```ts
   * new ExchangeRestoreSession("taken-over", {
   *   importSessionId: "3d5c8f0e-6a2b-4f1e-9c7d-2b8e4a1f0c9d",
   *   mailboxRestoreArtifacts: [{ restorePoint: { id: "<its restore point id>" }, destinationType: "new" }],
   *   activate: true,
   * });
   * ```
   */
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
