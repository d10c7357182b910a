/**
 * The three restore-session kinds as the emulator serves them: entity sets, `@odata.type` names and
 * the navigation collections of each (Graph docs: resources/restoresessionbase). Written from the docs, not
 * shared with the provider, so that a mistake in one does not hide the same mistake in the other.
 */
import type { Workload } from "../tenant/types";

/** A restore-session kind is named after the workload it restores. */
export type SessionKind = Workload;

/** The wire names of one session kind. */
export interface KindSpec {
  readonly kind: SessionKind;
  /** Typed collection under `/solutions/backupRestore`. */
  readonly entitySet: string;
  /** `@odata.type` of the session, without `#microsoft.graph.`. */
  readonly typeName: string;
  readonly standard: { readonly collection: string; readonly typeName: string };
  readonly granular: {
    readonly collection: string;
    readonly typeName: string;
    /** Whether `...@delta` PATCH is documented for this granular collection (not for mailboxes). */
    readonly patchable: boolean;
    /** Granular site and drive artifacts are browse items; granular mailbox artifacts are search hits. */
    readonly style: "browseItem" | "mailboxSearch";
  };
  readonly bulk: {
    readonly collection: string;
    readonly typeName: string;
    /** Target lists the request body may carry. */
    readonly emailFields: readonly string[];
    readonly urlFields: readonly string[];
    readonly idFields: readonly string[];
    /** Target lists left out of the list response (Graph docs: restoreartifactsbulkrequestbase). */
    readonly omittedInList: readonly string[];
  };
}

/** The three kinds by name. */
export const KINDS: Readonly<Record<SessionKind, KindSpec>> = {
  sharePoint: {
    kind: "sharePoint",
    entitySet: "sharePointRestoreSessions",
    typeName: "sharePointRestoreSession",
    standard: { collection: "siteRestoreArtifacts", typeName: "siteRestoreArtifact" },
    granular: {
      collection: "granularSiteRestoreArtifacts",
      typeName: "granularSiteRestoreArtifact",
      patchable: true,
      style: "browseItem",
    },
    bulk: {
      collection: "siteRestoreArtifactsBulkAdditionRequests",
      typeName: "siteRestoreArtifactsBulkAdditionRequest",
      emailFields: [],
      urlFields: ["siteWebUrls"],
      idFields: ["siteIds"],
      omittedInList: ["siteWebUrls"],
    },
  },
  exchange: {
    kind: "exchange",
    entitySet: "exchangeRestoreSessions",
    typeName: "exchangeRestoreSession",
    standard: { collection: "mailboxRestoreArtifacts", typeName: "mailboxRestoreArtifact" },
    granular: {
      collection: "granularMailboxRestoreArtifacts",
      typeName: "granularMailboxRestoreArtifact",
      patchable: false,
      style: "mailboxSearch",
    },
    bulk: {
      collection: "mailboxRestoreArtifactsBulkAdditionRequests",
      typeName: "mailboxRestoreArtifactsBulkAdditionRequest",
      emailFields: ["mailboxes"],
      urlFields: [],
      idFields: ["directoryObjectIds"],
      omittedInList: ["mailboxes"],
    },
  },
  oneDriveForBusiness: {
    kind: "oneDriveForBusiness",
    entitySet: "oneDriveForBusinessRestoreSessions",
    typeName: "oneDriveForBusinessRestoreSession",
    standard: { collection: "driveRestoreArtifacts", typeName: "driveRestoreArtifact" },
    granular: {
      collection: "granularDriveRestoreArtifacts",
      typeName: "granularDriveRestoreArtifact",
      patchable: true,
      style: "browseItem",
    },
    bulk: {
      collection: "driveRestoreArtifactsBulkAdditionRequests",
      typeName: "driveRestoreArtifactsBulkAdditionRequest",
      emailFields: ["drives"],
      urlFields: [],
      idFields: ["directoryObjectIds"],
      omittedInList: ["drives"],
    },
  },
};

/** The three kinds, in a fixed order. */
export const KIND_LIST: readonly KindSpec[] = Object.values(KINDS);

/** `#microsoft.graph.<name>`. */
export function odataType(typeName: string): string {
  return `#microsoft.graph.${typeName}`;
}
