/**
 * The seeded tenant as the rest of the emulator sees it: protection units, restore points, browse
 * sessions, search responses and the service status, all derived from a seed and the emulator clock.
 * Restore sessions (`tools/emulator/service/`) validate what a caller sends against this interface and
 * the tenant serves the discovery routes itself through {@link Tenant.routes}.
 */
import type { EmulatorClock } from "../../clock";
import type { Route } from "../../contract";

/** The three Microsoft 365 Backup workloads, named like the restore-session kinds. */
export type Workload = "exchange" | "sharePoint" | "oneDriveForBusiness";

export const WORKLOADS: readonly Workload[] = ["exchange", "sharePoint", "oneDriveForBusiness"];

/** A protection unit: a mailbox (exchange), a site (sharePoint) or a OneDrive (oneDriveForBusiness). */
export interface SeededProtectionUnit {
  readonly id: string;
  readonly workload: Workload;
  readonly policyId: string;
  /** A preservation hold: restores of this unit fail with `ArtifactCannotBeRestored`. */
  readonly onHold: boolean;
  /** When the unit was first protected; it has no restore point before this. */
  readonly protectedSince: Date;
  /** Mailbox and drive units. */
  readonly email?: string;
  readonly directoryObjectId?: string;
  readonly displayName?: string;
  /** Site units: `siteId` is `host,siteGuid,webGuid`. */
  readonly siteId?: string;
  readonly siteName?: string;
  readonly siteWebUrl?: string;
}

/** Restore point tags as the emulator stores them (the wire value is a flags enum string). */
export type SeededRestorePointTag = "none" | "fastRestore";

export interface SeededRestorePoint {
  readonly id: string;
  readonly unitId: string;
  readonly workload: Workload;
  readonly protectionDateTime: Date;
  /** Past this instant the point is expired: restores from it fail with `InvalidRestoreTime`. */
  readonly expirationDateTime: Date;
  readonly tags: SeededRestorePointTag;
}

/** Bulk addition request fields the tenant resolves into restore points (Graph's names). */
export interface BulkTargetRequest {
  readonly mailboxes?: readonly string[];
  readonly directoryObjectIds?: readonly string[];
  readonly siteWebUrls?: readonly string[];
  readonly siteIds?: readonly string[];
  readonly drives?: readonly string[];
  readonly protectionTimePeriod?: { readonly startDateTime?: string; readonly endDateTime?: string };
  /** `latest` (default) or `oldest`. */
  readonly restorePointPreference?: string;
  /** `fastRestore` keeps only fast restore points; absent or `none` keeps all. */
  readonly tags?: string;
}

export interface BulkTargetResolution {
  /** One restore point per resolved protection unit, in input order, without duplicates. */
  readonly points: SeededRestorePoint[];
  /** Inputs that named no unit of this workload, or a unit with no restore point in the period. */
  readonly unresolved: { readonly input: string; readonly reason: string }[];
}

/** One item of a granular (SharePoint or OneDrive) browse session, as a granular artifact needs it. */
export interface BrowsedItem {
  readonly webUrl: string;
  /** Server-relative path, e.g. `/sites/finance/Shared Documents/Reports/q1.xlsx`. */
  readonly path: string;
  readonly restorePointDateTime: Date;
  /** The point the browse session was opened on. */
  readonly restorePointId: string;
  readonly unitId: string;
  /** SharePoint items. */
  readonly siteId?: string;
  /** OneDrive items. */
  readonly directoryObjectId?: string;
}

/** What a granular mailbox artifact's `searchResponseId` refers to. */
export interface SearchResponseRecord {
  /** Restore points returned by the search; a granular artifact must use one of them. */
  readonly restorePointIds: readonly string[];
  readonly hitCount: number;
}

export type ServiceState = "disabled" | "enabled" | "protectionChangeLocked" | "restoreLocked";

export interface ServiceStatusRecord {
  readonly status: ServiceState;
  readonly lastModifiedDateTime: string;
}

export interface Tenant {
  /** Tenant domain used in emails and site URLs, e.g. `contoso.com` (sites on `contoso.sharepoint.com`). */
  readonly domain: string;
  /** Policy id of each workload (one protection policy per workload). */
  policyId(workload: Workload): string;
  unitCount(workload: Workload): number;
  /** The unit at a position in the workload's list (0-based); undefined past the end. Computed on demand. */
  unitAt(workload: Workload, index: number): SeededProtectionUnit | undefined;
  /** undefined when the id is malformed or names no unit. */
  unit(id: string): SeededProtectionUnit | undefined;
  /**
   * undefined when the id is malformed or names no restore point (expired ones still resolve; callers
   * compare `expirationDateTime` with the clock). Points in the future (after the clock) do not resolve.
   */
  restorePoint(id: string): SeededRestorePoint | undefined;
  isOnHold(unitId: string): boolean;
  /** Resolves a bulk addition request's inputs to one restore point per unit, as Graph's bulk job does. */
  resolveBulkTargets(workload: Workload, request: BulkTargetRequest): BulkTargetResolution;
  /**
   * The item `itemKey` of browse session `browseSessionId` of that kind; undefined when the session is
   * unknown, expired, still `creating`, or has no such item.
   */
  browseItem(
    workload: "sharePoint" | "oneDriveForBusiness",
    browseSessionId: string,
    itemKey: string,
  ): BrowsedItem | undefined;
  /** A search registered by `restorePoints/search` with an `artifactQuery`; undefined otherwise. */
  searchResponse(searchResponseId: string): SearchResponseRecord | undefined;
  serviceStatus(): ServiceStatusRecord;
  /** For tests and the admin route: `restoreLocked` or `disabled` switch restores off. */
  setServiceStatus(status: ServiceState): void;
  /** For tests and the admin route: the billing profile `enable` checks (`valid` by default). */
  setBillingProfile(state: BillingProfileState): void;
  billingProfile(): BillingProfileState;
  /** For tests and the admin route: app ids answered 403 `Forbidden` on the root GET and `enable`. */
  setInternalAppIds(appIds: readonly string[]): void;
  internalAppIds(): readonly string[];
  /** The discovery routes (restore points, search, protection units, browse sessions, the root). */
  routes(): Route[];
}

/** The tenant's billing profile as `enable` sees it. */
export type BillingProfileState = "valid" | "unreadable" | "invalid";

export interface TenantOptions {
  readonly seed: string;
  /** Protection units per workload; at least 1, at most 100,000. */
  readonly unitsPerWorkload: number;
  readonly clock: EmulatorClock;
  /** Page size of the paged lists (protection units, browse, browse sessions). */
  readonly pageSize: number;
  /** Domain of the tenant; default `contoso.com`. */
  readonly domain?: string;
  /** The tenant id, returned as the backupRestore root's `id`; default a GUID from the seed. */
  readonly tenantId?: string;
  /** How long a new browse session stays `creating` on the emulator clock; default 1000 ms. */
  readonly browseSessionReadyInMs?: number;
}
