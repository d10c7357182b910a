/**
 * Protection unit lists (Graph docs: backuprestoreroot-list-{mailbox,drive,site}protectionunits): the
 * polymorphic `/protectionUnits`, its type casts
 * `/protectionUnits/microsoft.graph.{mailbox|site|drive}ProtectionUnit`, the typed sets
 * `/{mailbox|site|drive}ProtectionUnits`, and the same under each workload's protection policy.
 *
 * Paged by the emulator's page size with `$skiptoken`. `$filter` is accepted (the docs confirm one
 * exists but name no fields) as equality comparisons joined by `or`, on `id` and `policyId` everywhere,
 * `email` and `directoryObjectId` on mailbox and drive lists, `siteId` and `siteWebUrl` on site lists.
 * Any other field or operator is 400 `BadRequest` naming it; past 2,048 characters or 20 comparisons,
 * `FilterLengthExceeded`. The polymorphic list takes only `id` and `policyId`. Emails compare
 * case-insensitively. Graph fills `displayName` and `email` only for delegated callers; the emulator
 * has no directory (`/users`) to resolve people with, so it fills them for every caller.
 */
import { GraphServiceError, type GraphRequest, type GraphResponse, type Route } from "../../contract";
import type { TenantContext } from "./context";
import { parseFilter, type FilterClause, type FilterGrammar } from "./filters";
import { assertServiceAllows } from "./serviceStatus";
import { WORKLOADS, type SeededProtectionUnit, type Workload } from "./types";
import { BASE_PATH, Permission, UNIT_WIRE, lazyPage, metadataContext, protectionUnitJson } from "./wire";

/** A run of units in list order: a whole workload, or one unit. */
type Segment = { readonly workload: Workload; readonly all: true } | { readonly unit: SeededProtectionUnit };

const PERMISSIONS = [Permission.configurationRead, Permission.configurationReadWrite];
const QUERY_OPTIONS = ["$filter", "$skiptoken"];

function grammar(workloads: readonly Workload[]): FilterGrammar {
  const eq = { operators: ["eq"], value: "string" } as const;
  const fields: Record<string, typeof eq> = { id: eq, policyId: eq };
  if (workloads.length === 1 && workloads[0] === "sharePoint") {
    Object.assign(fields, { siteId: eq, siteWebUrl: eq });
  } else if (workloads.length === 1) {
    Object.assign(fields, { email: eq, directoryObjectId: eq });
  }
  return { fields, connective: "or", errorCode: "BadRequest" };
}

function unitsFor(context: TenantContext, workload: Workload, clause: FilterClause): Segment[] {
  const text = String(clause.value);
  const { directory } = context;
  const one = (index: number | undefined): Segment[] => {
    const unit = index === undefined ? undefined : directory.unitAt(workload, index);
    return unit === undefined ? [] : [{ unit }];
  };
  switch (clause.field) {
    case "id": {
      const unit = directory.unitById(text);
      return unit?.workload === workload ? [{ unit }] : [];
    }
    case "policyId":
      return directory.policyId(workload) === text.toLowerCase() ? [{ workload, all: true }] : [];
    case "email":
      return one(directory.personIndexByEmail(text));
    case "directoryObjectId":
      return one(directory.personIndexByObjectId(text));
    case "siteWebUrl":
      return one(directory.siteIndexByUrl(text));
    case "siteId":
      return one(directory.siteIndexBySiteId(text));
    default:
      return [];
  }
}

/** The segments a filter selects, in list order (workload order, then index), without duplicates. */
function filteredSegments(
  context: TenantContext,
  workloads: readonly Workload[],
  filter: string | null,
): Segment[] {
  if (filter === null) {
    return workloads.map((workload) => ({ workload, all: true }));
  }
  const clauses = parseFilter(filter, grammar(workloads));
  const segments: Segment[] = [];
  for (const workload of workloads) {
    const matches = clauses.flatMap((clause) => unitsFor(context, workload, clause));
    if (matches.some((segment) => "all" in segment)) {
      segments.push({ workload, all: true });
      continue;
    }
    const units = new Map<string, SeededProtectionUnit>();
    for (const segment of matches) {
      if ("unit" in segment) {
        units.set(segment.unit.id, segment.unit);
      }
    }
    const ordered = [...units.values()].sort((a, b) => indexOf(a) - indexOf(b));
    segments.push(...ordered.map((unit) => ({ unit })));
  }
  return segments;
}

/** The index is the GUID's last group (see ids.ts). */
function indexOf(unit: SeededProtectionUnit): number {
  return parseInt(unit.id.slice(-12), 16);
}

function listUnits(
  context: TenantContext,
  request: GraphRequest,
  workloads: readonly Workload[],
  contextFragment: string,
): GraphResponse {
  assertServiceAllows(context.service.state, "read");
  const filter = request.query.get("$filter");
  const segments = filteredSegments(context, workloads, filter);
  const sizes = segments.map((segment) => ("all" in segment ? context.directory.size : 1));
  const total = sizes.reduce((sum, size) => sum + size, 0);
  const itemAt = (position: number): unknown => {
    let offset = position;
    for (const [i, segment] of segments.entries()) {
      const size = sizes[i] ?? 0;
      if (offset < size) {
        const unit = "all" in segment ? context.directory.unitAt(segment.workload, offset) : segment.unit;
        return unit === undefined ? undefined : protectionUnitJson(unit);
      }
      offset -= size;
    }
    return undefined;
  };
  const extra: Record<string, string> = filter === null ? {} : { $filter: filter };
  return {
    status: 200,
    body: lazyPage(
      request,
      total,
      context.pageSize,
      metadataContext(request, contextFragment),
      itemAt,
      extra,
    ),
  };
}

function policyUnits(
  context: TenantContext,
  request: GraphRequest,
  workload: Workload,
  policyId: string,
): GraphResponse {
  if (policyId.toLowerCase() !== context.directory.policyId(workload)) {
    throw new GraphServiceError(
      404,
      "ResourceNotFound",
      `No ${UNIT_WIRE[workload].policies.replace(/ies$/, "y")} has the id '${policyId}'.`,
    );
  }
  return listUnits(
    context,
    request,
    [workload],
    `solutions/backupRestore/${UNIT_WIRE[workload].policies}('${policyId}')/${UNIT_WIRE[workload].collection}`,
  );
}

function route(pattern: string, handle: Route["handle"]): Route {
  return {
    method: "GET",
    pattern: `${BASE_PATH}${pattern}`,
    permissions: PERMISSIONS,
    queryOptions: QUERY_OPTIONS,
    handle,
  };
}

export function protectionUnitRoutes(context: TenantContext): Route[] {
  const routes = [
    route("/protectionUnits", (request) =>
      listUnits(context, request, WORKLOADS, "solutions/backupRestore/protectionUnits"),
    ),
  ];
  for (const workload of WORKLOADS) {
    const wire = UNIT_WIRE[workload];
    routes.push(
      route(`/protectionUnits/microsoft.graph.${wire.type}`, (request) =>
        listUnits(
          context,
          request,
          [workload],
          `solutions/backupRestore/protectionUnits/microsoft.graph.${wire.type}`,
        ),
      ),
      route(`/${wire.collection}`, (request) =>
        listUnits(context, request, [workload], `solutions/backupRestore/${wire.collection}`),
      ),
      route(`/${wire.policies}/{policyId}/${wire.collection}`, (request, params) =>
        policyUnits(context, request, workload, params.policyId ?? ""),
      ),
    );
  }
  return routes;
}
