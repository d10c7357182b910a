/**
 * What differs between the three restore-session kinds, as data. Everything else in
 * `provider/resources/` is written once against this table.
 */
import type { RestoreSessionKind } from "../graph/models";
import { EXCHANGE } from "./exchange";
import { ONEDRIVE } from "./oneDriveForBusiness";
import { SHAREPOINT } from "./sharePoint";

/** Which selector field names a protection unit of this kind (besides `protectionUnitId`). */
export type SelectorField = "mailbox" | "siteWebUrl" | "oneDriveOwner";

/** How granular artifacts of this kind are addressed. */
export type GranularShape = "browseItem" | "mailboxSearch";

/** The input property names and rules of one kind. Names are Graph's own. */
export interface KindSchema {
  readonly kind: RestoreSessionKind;
  /** Resource type name passed to `dynamic.Resource`, e.g. `SharePointRestoreSession`. */
  readonly typeName: string;
  /** Standard artifact list, e.g. `siteRestoreArtifacts`. */
  readonly standardProperty: string;
  /** Granular artifact list, e.g. `granularSiteRestoreArtifacts`. */
  readonly granularProperty: string;
  /** The single bulk addition request, e.g. `siteRestoreArtifactsBulkAdditionRequest`. */
  readonly bulkProperty: string;
  readonly selectorField: SelectorField;
  readonly granularShape: GranularShape;
  /** `@microsoft.graph.conflictBehavior` is documented (beta) for this kind's granular sessions. */
  readonly supportsConflictBehavior: boolean;
  /** Resource lists a bulk request of this kind accepts (Graph's names). */
  readonly bulkLists: readonly BulkListField[];
}

export type BulkListField = "siteWebUrls" | "siteIds" | "mailboxes" | "drives" | "directoryObjectIds";

export { SHAREPOINT, EXCHANGE, ONEDRIVE };

export const KIND_SCHEMAS: Readonly<Record<RestoreSessionKind, KindSchema>> = {
  sharePoint: SHAREPOINT,
  exchange: EXCHANGE,
  oneDriveForBusiness: ONEDRIVE,
};

/** Graph accepts at most this many artifacts in one PATCH (`RestoreArtifactsLimitBreached`). */
export const ARTIFACTS_PER_REQUEST = 50;
/** Graph accepts at most this many sites or users in one bulk addition request. */
export const BULK_RESOURCES_LIMIT = 10_000;
