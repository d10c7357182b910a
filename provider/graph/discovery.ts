/**
 * Discovery: protection units, restore-point search and the tenant's backup service status.
 */
import type { GraphClient, GraphRequestOptions } from "./client";
import {
  KIND_SCHEMAS,
  parseBackupServiceStatus,
  type ProtectionUnit,
  type RestorePointSearchRequest,
  type RestorePointSearchResponse,
  type RestoreSessionKind,
  type ServiceStatus,
} from "../model";

/** `POST /restorePoints/search`: a read, so it is replayable unless the caller says otherwise. */
export async function searchRestorePoints(
  client: GraphClient,
  request: RestorePointSearchRequest,
  options?: GraphRequestOptions,
): Promise<RestorePointSearchResponse> {
  const response = await client.post<Partial<RestorePointSearchResponse> | undefined>(
    "/restorePoints/search",
    request,
    {
      replayable: true,
      ...options,
    },
  );
  return {
    ...(response?.searchResponseId === undefined ? {} : { searchResponseId: response.searchResponseId }),
    searchResults: response?.searchResults ?? [],
    noResultProtectionUnitIds: response?.noResultProtectionUnitIds ?? [],
  };
}

/** The protection units of one workload, across pages. */
export function listProtectionUnits(
  client: GraphClient,
  kind: RestoreSessionKind,
  options?: GraphRequestOptions,
): AsyncIterableIterator<ProtectionUnit> {
  return client.paginate<ProtectionUnit>(
    `/protectionUnits/${KIND_SCHEMAS[kind].protectionUnitType}`,
    options,
  );
}

/** The tenant's backup service status (`GET /solutions/backupRestore`). */
export async function getServiceStatus(
  client: GraphClient,
  options?: GraphRequestOptions,
): Promise<ServiceStatus> {
  const root = await client.get<{ serviceStatus?: Record<string, unknown> } & Record<string, unknown>>(
    "",
    options,
  );
  const status = root?.serviceStatus ?? root;
  return { ...(status as object), status: parseBackupServiceStatus(status?.status) };
}
