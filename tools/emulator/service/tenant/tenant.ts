/**
 * `createTenant`: the seeded tenant behind the discovery routes, and what restore sessions check their
 * input against. See `docs/emulator-tenant.md`.
 */
import { SeededRandom, seededGuid } from "../../random";
import { BrowseSessionStore } from "./browseSessions";
import { SearchRegistry, type TenantContext } from "./context";
import { Directory } from "./directory";
import { decodeRestorePointId } from "./ids";
import { protectionUnitRoutes } from "./protectionUnits";
import { restorePointListRoute } from "./restorePointsList";
import { restorePointSearchRoute } from "./restorePointsSearch";
import { isScheduledTime, pointsInRange, restorePointAt, type Preference } from "./schedule";
import { ServiceStatusController } from "./serviceStatus";
import type {
  BulkTargetRequest,
  BulkTargetResolution,
  SeededProtectionUnit,
  SeededRestorePoint,
  Tenant,
  TenantOptions,
  Workload,
} from "./types";
import { parseDateTime } from "./filters";

const DAY_IN_MS = 24 * 60 * 60 * 1000;
export const MAX_UNITS_PER_WORKLOAD = 100_000;
export const DEFAULT_DOMAIN = "contoso.com";
export const DEFAULT_BROWSE_SESSION_READY_IN_MS = 1000;

function checkOptions(options: TenantOptions): void {
  const { unitsPerWorkload, pageSize } = options;
  if (
    !Number.isInteger(unitsPerWorkload) ||
    unitsPerWorkload < 1 ||
    unitsPerWorkload > MAX_UNITS_PER_WORKLOAD
  ) {
    throw new RangeError(
      `unitsPerWorkload must be an integer from 1 to ${MAX_UNITS_PER_WORKLOAD}, got ${unitsPerWorkload}`,
    );
  }
  if (!Number.isInteger(pageSize) || pageSize < 1) {
    throw new RangeError(`pageSize must be a positive integer, got ${pageSize}`);
  }
}

/** Builds the seeded tenant. Creation is O(1): units and restore points are computed on demand. */
export function createTenant(options: TenantOptions): Tenant {
  checkOptions(options);
  const { seed, clock } = options;
  const domain = options.domain ?? DEFAULT_DOMAIN;
  const anchorInMs = Math.floor(clock.nowInMs() / DAY_IN_MS) * DAY_IN_MS;
  const directory = new Directory({ seed, unitsPerWorkload: options.unitsPerWorkload, domain, anchorInMs });
  const context: TenantContext = {
    seed,
    directory,
    clock,
    pageSize: options.pageSize,
    random: new SeededRandom(`${seed}/tokens`),
    searches: new SearchRegistry(),
    service: new ServiceStatusController(clock),
  };

  const restorePoint = (id: string): SeededRestorePoint | undefined => {
    const decoded = decodeRestorePointId(id);
    const unit = decoded === undefined ? undefined : directory.unitById(decoded.unitId);
    if (decoded === undefined || unit === undefined || unit.id !== decoded.unitId) {
      return undefined;
    }
    return isScheduledTime(unit, decoded.protectionTimeInMs, clock)
      ? restorePointAt(unit, decoded.protectionTimeInMs)
      : undefined;
  };
  const browseSessions = new BrowseSessionStore(
    context,
    options.browseSessionReadyInMs ?? DEFAULT_BROWSE_SESSION_READY_IN_MS,
    restorePoint,
  );
  const tenantId = options.tenantId ?? seededGuid(seed, "tenant");

  return {
    domain,
    policyId: (workload) => directory.policyId(workload),
    unitCount: () => directory.size,
    unitAt: (workload, index) => directory.unitAt(workload, index),
    unit: (id) => directory.unitById(id),
    restorePoint,
    isOnHold: (unitId) => directory.unitById(unitId)?.onHold ?? false,
    resolveBulkTargets: (workload, request) => resolveBulkTargets(context, workload, request),
    browseItem: (workload, browseSessionId, itemKey) =>
      browseSessions.item(workload, browseSessionId, itemKey),
    searchResponse: (id) => context.searches.get(id),
    serviceStatus: () => context.service.record(),
    setServiceStatus: (status) => context.service.set(status),
    setBillingProfile: (state) => context.service.setBillingProfile(state),
    billingProfile: () => context.service.billingProfile,
    setInternalAppIds: (appIds) => context.service.setInternalAppIds(appIds),
    internalAppIds: () => context.service.internalAppIds,
    routes: () => [
      ...context.service.routes(tenantId),
      restorePointListRoute(context),
      restorePointSearchRoute(context),
      ...protectionUnitRoutes(context),
      ...browseSessions.routes(),
    ],
  };
}

/** The units a bulk request's inputs name, each input with the unit it resolved to (if any). */
function bulkInputs(
  context: TenantContext,
  workload: Workload,
  request: BulkTargetRequest,
): { input: string; unit?: SeededProtectionUnit; kind: string }[] {
  const { directory } = context;
  const person = (index: number | undefined): SeededProtectionUnit | undefined =>
    index === undefined ? undefined : directory.unitAt(workload, index);
  const lists: {
    kind: string;
    values: readonly string[] | undefined;
    resolve: (input: string) => SeededProtectionUnit | undefined;
  }[] =
    workload === "sharePoint"
      ? [
          {
            kind: "site URL",
            values: request.siteWebUrls,
            resolve: (url) => person(directory.siteIndexByUrl(url)),
          },
          {
            kind: "site id",
            values: request.siteIds,
            resolve: (id) => person(directory.siteIndexBySiteId(id)),
          },
        ]
      : [
          {
            kind: workload === "exchange" ? "mailbox" : "OneDrive owner",
            values: workload === "exchange" ? request.mailboxes : request.drives,
            resolve: (email) => person(directory.personIndexByEmail(email)),
          },
          {
            kind: "directory object id",
            values: request.directoryObjectIds,
            resolve: (id) => person(directory.personIndexByObjectId(id)),
          },
        ];
  return lists.flatMap(({ kind, values, resolve }) =>
    (values ?? []).map((input) => ({ input, kind, unit: resolve(input) })),
  );
}

/**
 * Resolves a bulk addition request the way the bulk job does: each input to its unit, each unit to its
 * preferred restore point in the period (default `latest`; `fastRestore` tags keep fast points only).
 * A unit named twice (by email and by object id) is restored once.
 */
function resolveBulkTargets(
  context: TenantContext,
  workload: Workload,
  request: BulkTargetRequest,
): BulkTargetResolution {
  const period = request.protectionTimePeriod ?? {};
  const fromInMs = parseDateTime(period.startDateTime) ?? Number.MIN_SAFE_INTEGER;
  const toInMs = parseDateTime(period.endDateTime) ?? Number.MAX_SAFE_INTEGER;
  const preference: Preference = request.restorePointPreference === "oldest" ? "oldest" : "latest";
  const fastRestoreOnly = (request.tags ?? "").split(",").some((tag) => tag.trim() === "fastRestore");
  const points: SeededRestorePoint[] = [];
  const unresolved: { input: string; reason: string }[] = [];
  const seen = new Set<string>();
  for (const { input, kind, unit } of bulkInputs(context, workload, request)) {
    if (unit === undefined) {
      unresolved.push({ input, reason: `No ${kind} '${input}' is protected in this tenant.` });
      continue;
    }
    if (seen.has(unit.id)) {
      continue;
    }
    seen.add(unit.id);
    const [point] = pointsInRange(unit, { fromInMs, toInMs }, context.clock, {
      preference,
      fastRestoreOnly,
      limit: 1,
    });
    if (point === undefined) {
      unresolved.push({
        input,
        reason: `The ${kind} '${input}' has no ${fastRestoreOnly ? "fastRestore " : ""}restore point in the requested period.`,
      });
      continue;
    }
    points.push(point);
  }
  return { points, unresolved };
}
