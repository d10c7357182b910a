/**
 * Input and output types of the restore-session resources. Names and shapes are Graph's own, so the
 * Graph documentation reads straight into code.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { ArtifactRestoreStatus, RestoreJobType, RestoreSessionStatus } from "../provider/model";

export type { ArtifactRestoreStatus, RestoreJobType, RestoreSessionStatus };

/** Where a restore goes: `new` (the default) restores to a new location; `inPlace` overwrites the original. */
export type DestinationType = "new" | "inPlace";

/** Graph's reference to a restore point. */
export interface RestorePointReferenceArgs {
  id: pulumi.Input<string>;
}

/** A standard artifact by restore point id: `{ restorePoint: { id }, destinationType? }`. */
export interface RestorePointArtifactArgs {
  restorePoint: pulumi.Input<RestorePointReferenceArgs>;
  /** Default `"new"`; in-place restore happens only when written. */
  destinationType?: pulumi.Input<DestinationType>;
}

/**
 * Fields every selector has: instead of a restore point id, name the unit and a time; the provider
 * resolves it when the session is created and records the restore point in `artifacts`.
 */
export interface SelectorFieldsArgs {
  /** A protection unit id (any kind); alternative to the kind's own unit field. */
  protectionUnitId?: pulumi.Input<string>;
  /** ISO 8601 instant: the latest restore point at or before it (or, with `"oldest"`, at or after it). */
  restorePointTime: pulumi.Input<string>;
  restorePointPreference?: pulumi.Input<"latest" | "oldest">;
  /** Only fast restore points. */
  tags?: pulumi.Input<"fastRestore">;
  destinationType?: pulumi.Input<DestinationType>;
}

export interface SiteSelectorArgs extends SelectorFieldsArgs {
  siteWebUrl?: pulumi.Input<string>;
}
export interface MailboxSelectorArgs extends SelectorFieldsArgs {
  mailbox?: pulumi.Input<string>;
}
export interface OneDriveSelectorArgs extends SelectorFieldsArgs {
  /** The owner's email address or Entra user id. */
  oneDriveOwner?: pulumi.Input<string>;
}

/** Granular SharePoint or OneDrive artifact: an item of a browse session. */
export interface GranularBrowseArtifactArgs {
  browseSessionId: pulumi.Input<string>;
  /** The browse item's `itemKey`. */
  id: pulumi.Input<string>;
  /**
   * Default `"new"` under beta, where it is sent. Required under v1.0, as `"new"` only: v1.0 has no such
   * field and restores granular items into one new folder per session (`restoredItemPath`).
   */
  destinationType?: pulumi.Input<DestinationType>;
}

/**
 * Granular SharePoint or OneDrive selector: files and folders by path in the fast restore point a time
 * means, resolved when the session is created and pinned in state.
 */
export interface GranularPathSelectorArgs {
  /** SharePoint. */
  siteWebUrl?: pulumi.Input<string>;
  /** OneDrive: the owner's email address or Entra user id. */
  oneDriveOwner?: pulumi.Input<string>;
  protectionUnitId?: pulumi.Input<string>;
  /** ISO 8601 instant with a zone. */
  restorePointTime: pulumi.Input<string>;
  restorePointPreference?: pulumi.Input<"latest" | "oldest">;
  /** Below the site or OneDrive, library first: `["/Shared Documents/Finance"]`. */
  paths: pulumi.Input<pulumi.Input<string>[]>;
  /** As for {@link GranularBrowseArtifactArgs.destinationType}. */
  destinationType?: pulumi.Input<DestinationType>;
}

/** Granular Exchange selector: the mail items a query matches in the restore point a time means. */
export interface GranularQuerySelectorArgs {
  mailbox?: pulumi.Input<string>;
  protectionUnitId?: pulumi.Input<string>;
  restorePointTime: pulumi.Input<string>;
  restorePointPreference?: pulumi.Input<"latest" | "oldest">;
  /** Exactly one: `queryExpression`, or (beta) `structuredQueryExpression`. */
  query: pulumi.Input<{
    queryExpression?: pulumi.Input<string>;
    structuredQueryExpression?: pulumi.Input<{
      senders?: pulumi.Input<pulumi.Input<string>[]>;
      recipients?: pulumi.Input<pulumi.Input<string>[]>;
      subjects?: pulumi.Input<pulumi.Input<string>[]>;
      hasAttachment?: pulumi.Input<boolean>;
      items?: pulumi.Input<pulumi.Input<"email" | "calendar" | "contact" | "note" | "task">[]>;
    }>;
  }>;
  /** Default `"new"`. */
  destinationType?: pulumi.Input<DestinationType>;
}

/** Granular Exchange artifact: a restore point and a `restorePoints/search` response. */
export interface GranularMailboxArtifactArgs {
  restorePoint: pulumi.Input<RestorePointReferenceArgs>;
  searchResponseId: pulumi.Input<string>;
  destinationType?: pulumi.Input<DestinationType>;
}

/** Fields of every bulk addition request. */
export interface BulkRequestFieldsArgs {
  displayName?: pulumi.Input<string>;
  protectionTimePeriod: pulumi.Input<{
    startDateTime: pulumi.Input<string>;
    endDateTime?: pulumi.Input<string>;
  }>;
  restorePointPreference?: pulumi.Input<"latest" | "oldest">;
  /** Restore point tags, e.g. `"fastRestore"`. */
  tags?: pulumi.Input<string>;
  destinationType?: pulumi.Input<DestinationType>;
}

export interface SiteBulkAdditionRequestArgs extends BulkRequestFieldsArgs {
  siteWebUrls?: pulumi.Input<pulumi.Input<string>[]>;
  siteIds?: pulumi.Input<pulumi.Input<string>[]>;
}
export interface MailboxBulkAdditionRequestArgs extends BulkRequestFieldsArgs {
  mailboxes?: pulumi.Input<pulumi.Input<string>[]>;
  directoryObjectIds?: pulumi.Input<pulumi.Input<string>[]>;
}
export interface DriveBulkAdditionRequestArgs extends BulkRequestFieldsArgs {
  /** OneDrive owners' email addresses. */
  drives?: pulumi.Input<pulumi.Input<string>[]>;
  directoryObjectIds?: pulumi.Input<pulumi.Input<string>[]>;
}

/** Inputs every kind shares. */
export interface RestoreSessionCommonArgs {
  /** Activate the session (exactly once). Default false. Cannot go back to false: a restore cannot be undone. */
  activate?: pulumi.Input<boolean>;
  /** With `activate`, `up` waits for a terminal status. Default false. */
  waitForCompletion?: pulumi.Input<boolean>;
  /** How long `up` waits. Default 60. */
  completionTimeoutMinutes?: pulumi.Input<number>;
  /** Any values; changing them starts a new session (a new drill run). */
  triggers?: pulumi.Input<unknown>;
  /**
   * Which artifacts the `artifacts` output lists: `"all"` (default) or `"failedOnly"`. The counts in
   * `restoreSessionArtifactCount` are always complete. Use `"failedOnly"` for large (bulk) restores:
   * 10,000 artifacts in full are about 6.5 MB of state. Changing it reads the session again and
   * writes nothing to Graph.
   */
  artifactOutputs?: pulumi.Input<"all" | "failedOnly">;
  /**
   * Takes an existing session over instead of creating one: the way to import a session, since
   * `pulumi import` does not work for dynamic resources under today's Pulumi CLI. On create, the
   * session must be of this kind and hold exactly the declared artifacts and destinations (or bulk
   * request), else create fails naming every difference. Nothing is written to Graph, except
   * `activate` on a draft when `activate` is true; a session that already left draft is never
   * activated again, and must be declared with `activate: true` (a restore cannot be undone).
   *
   * Used by create only: once the session is in state, removing or changing this input changes
   * nothing. Remove it before changing `triggers` (which starts a new session).
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
  importSessionId?: pulumi.Input<string>;
}

/** Per-artifact outputs. */
export interface RestoreArtifactOutput {
  id: string;
  restorePointId: string | null;
  destinationType: string | null;
  status: ArtifactRestoreStatus;
  startDateTime: string | null;
  completionDateTime: string | null;
  error: { code: string | null; message: string | null } | null;
  restoredSiteId?: string | null;
  restoredSiteName?: string | null;
  restoredSiteWebUrl?: string | null;
  restoredFolderId?: string | null;
  restoredFolderName?: string | null;
  restoredItemCount?: number | null;
  browseSessionId?: string | null;
  searchResponseId?: string | null;
  restoredItemWebUrl?: string | null;
}

export interface IdentitySetOutput {
  application: { id: string | null; displayName: string | null } | null;
  user: { id: string | null; displayName: string | null } | null;
}

export interface ArtifactCountOutput {
  total: number;
  completed: number;
  inProgress: number;
  failed: number;
}
