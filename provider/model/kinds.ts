/**
 * The three restore-session kinds and everything that differs between them, as one table of data:
 * Graph's names (collections, navigation properties, `@odata.type`, protection unit type) and the
 * provider's rules. Every name is written out; none is derived from another.
 */

/** The three restore-session kinds, named after their Graph entity sets without the suffix. */
export type RestoreSessionKind = "sharePoint" | "exchange" | "oneDriveForBusiness";

export const RESTORE_SESSION_KINDS: readonly RestoreSessionKind[] = [
  "sharePoint",
  "exchange",
  "oneDriveForBusiness",
];

/** Which selector field names a protection unit of this kind (besides `protectionUnitId`). */
export type SelectorField = "mailbox" | "siteWebUrl" | "oneDriveOwner";

/** How granular artifacts of this kind are addressed. */
export type GranularShape = "browseItem" | "mailboxSearch";

/** A resource list of a bulk addition request (Graph's names). */
export type BulkListField = "siteWebUrls" | "siteIds" | "mailboxes" | "drives" | "directoryObjectIds";

/** One kind: its Graph names and the provider's rules for it. */
export interface KindSchema {
  readonly kind: RestoreSessionKind;
  /** Resource type name passed to `dynamic.Resource` (the end of the type token), e.g. `SharePointRestoreSession`. */
  readonly typeName: string;
  /** Typed collection under `/solutions/backupRestore`, e.g. `sharePointRestoreSessions`. */
  readonly entitySet: string;
  /** `@odata.type` of the session entity. */
  readonly odataType: string;
  /** Protection unit type segment, e.g. `microsoft.graph.siteProtectionUnit`. */
  readonly protectionUnitType: string;
  /**
   * Standard artifact navigation property, e.g. `siteRestoreArtifacts`: the collection in Graph's
   * paths and bodies, and the resource's input property of the same name.
   */
  readonly standardProperty: string;
  /** Granular artifact navigation property and input property, e.g. `granularSiteRestoreArtifacts`. */
  readonly granularProperty: string;
  /** Bulk addition request collection, e.g. `siteRestoreArtifactsBulkAdditionRequests`. */
  readonly bulkAdditionRequests: string;
  /**
   * The input property holding the session's one bulk addition request (so singular), e.g.
   * `siteRestoreArtifactsBulkAdditionRequest`.
   */
  readonly bulkProperty: string;
  readonly selectorField: SelectorField;
  readonly granularShape: GranularShape;
  /** `@microsoft.graph.conflictBehavior` is documented (beta) for this kind's granular sessions. */
  readonly supportsConflictBehavior: boolean;
  /** Resource lists a bulk request of this kind accepts. */
  readonly bulkLists: readonly BulkListField[];
}

/**
 * The one kind table: the provider, its Graph client and the SDK read kinds from it. Its names keep
 * their literal types, so the SDK's types are checked against them (`tests/unit/sdkModel.test.ts`).
 */
export const KIND_SCHEMAS = {
  sharePoint: {
    kind: "sharePoint",
    typeName: "SharePointRestoreSession",
    entitySet: "sharePointRestoreSessions",
    odataType: "#microsoft.graph.sharePointRestoreSession",
    protectionUnitType: "microsoft.graph.siteProtectionUnit",
    standardProperty: "siteRestoreArtifacts",
    granularProperty: "granularSiteRestoreArtifacts",
    bulkAdditionRequests: "siteRestoreArtifactsBulkAdditionRequests",
    bulkProperty: "siteRestoreArtifactsBulkAdditionRequest",
    selectorField: "siteWebUrl",
    granularShape: "browseItem",
    supportsConflictBehavior: true,
    bulkLists: ["siteWebUrls", "siteIds"],
  },
  exchange: {
    kind: "exchange",
    typeName: "ExchangeRestoreSession",
    entitySet: "exchangeRestoreSessions",
    odataType: "#microsoft.graph.exchangeRestoreSession",
    protectionUnitType: "microsoft.graph.mailboxProtectionUnit",
    standardProperty: "mailboxRestoreArtifacts",
    granularProperty: "granularMailboxRestoreArtifacts",
    bulkAdditionRequests: "mailboxRestoreArtifactsBulkAdditionRequests",
    bulkProperty: "mailboxRestoreArtifactsBulkAdditionRequest",
    selectorField: "mailbox",
    granularShape: "mailboxSearch",
    supportsConflictBehavior: false,
    bulkLists: ["mailboxes", "directoryObjectIds"],
  },
  oneDriveForBusiness: {
    kind: "oneDriveForBusiness",
    typeName: "OneDriveForBusinessRestoreSession",
    entitySet: "oneDriveForBusinessRestoreSessions",
    odataType: "#microsoft.graph.oneDriveForBusinessRestoreSession",
    protectionUnitType: "microsoft.graph.driveProtectionUnit",
    standardProperty: "driveRestoreArtifacts",
    granularProperty: "granularDriveRestoreArtifacts",
    bulkAdditionRequests: "driveRestoreArtifactsBulkAdditionRequests",
    bulkProperty: "driveRestoreArtifactsBulkAdditionRequest",
    selectorField: "oneDriveOwner",
    granularShape: "browseItem",
    supportsConflictBehavior: true,
    bulkLists: ["drives", "directoryObjectIds"],
  },
} as const satisfies Readonly<Record<RestoreSessionKind, KindSchema>>;
