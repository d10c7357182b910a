/**
 * Shared steps for the restore-session suites: finding restore points, browse items and searches in
 * the seeded tenant through its own Graph routes, and small wrappers over {@link graphCall}.
 */
import { expect } from "chai";
import type { Emulator } from "../../tools/emulator";
import type { Workload } from "../../tools/emulator/service/tenant/types";
import { graphCall, type GraphCall, type GraphCallResult } from "../helpers/emulator";

export const ROOT = "/solutions/backupRestore";

/** Wire JSON as a test reads it: its shape is asserted with chai rather than typed. */
export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
export const PREFER_UNKNOWN = { prefer: "include-unknown-enum-members" };
export const DAY_IN_MS = 24 * 60 * 60 * 1000;

export const SET: Readonly<Record<Workload, string>> = {
  sharePoint: "sharePointRestoreSessions",
  exchange: "exchangeRestoreSessions",
  oneDriveForBusiness: "oneDriveForBusinessRestoreSessions",
};

export const ARTIFACTS: Readonly<Record<Workload, string>> = {
  sharePoint: "siteRestoreArtifacts",
  exchange: "mailboxRestoreArtifacts",
  oneDriveForBusiness: "driveRestoreArtifacts",
};

export const BULK: Readonly<Record<Workload, string>> = {
  sharePoint: "siteRestoreArtifactsBulkAdditionRequests",
  exchange: "mailboxRestoreArtifactsBulkAdditionRequests",
  oneDriveForBusiness: "driveRestoreArtifactsBulkAdditionRequests",
};

/** Graph call shorthand: `call(em, "POST", path, body, { version, client, headers })`. */
export function call(
  emulator: Emulator,
  method: string,
  path: string,
  body?: unknown,
  extra: Partial<GraphCall> = {},
): Promise<GraphCallResult> {
  return graphCall(emulator, {
    method,
    path: path.startsWith("http") ? path : `${ROOT}${path}`,
    body,
    ...extra,
  });
}

/** Asserts Graph's error envelope with this status and code, and returns the message. */
export function expectError(response: GraphCallResult, status: number, code: string): string {
  expect(response.status, response.text).to.equal(status);
  expect(response.body?.error?.code, response.text).to.equal(code);
  expect(response.headers["request-id"]).to.be.a("string");
  return response.body.error.message as string;
}

/** Ids of units of a workload, optionally only those on hold (or not). */
export function unitIds(emulator: Emulator, workload: Workload, onHold?: boolean): string[] {
  const tenant = emulator.service.tenant;
  const ids: string[] = [];
  for (let i = 0; i < tenant.unitCount(workload); i++) {
    const unit = tenant.unitAt(workload, i);
    if (unit !== undefined && (onHold === undefined || unit.onHold === onHold)) {
      ids.push(unit.id);
    }
  }
  return ids;
}

/** The latest restore points of a unit (newest first), through `GET /restorePoints`. */
export async function restorePointIds(emulator: Emulator, unitId: string): Promise<string[]> {
  const before = new Date(emulator.clock.nowInMs() + 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
  const response = await call(
    emulator,
    "GET",
    `/restorePoints?$expand=protectionUnit($filter=id eq '${unitId}')&$filter=protectionDateTime lt ${before}`,
  );
  expect(response.status, response.text).to.equal(200);
  return (response.body.value as { id: string }[]).map((point) => point.id);
}

/** The latest restore point of each unit. */
export async function latestPoints(emulator: Emulator, units: readonly string[]): Promise<string[]> {
  const points: string[] = [];
  for (const unit of units) {
    const [latest] = await restorePointIds(emulator, unit);
    if (latest === undefined) {
      throw new Error(`unit ${unit} has no restore point`);
    }
    points.push(latest);
  }
  return points;
}

/** Standard artifacts for these restore points. */
export function standard(points: readonly string[], destinationType = "new"): object[] {
  return points.map((id) => ({ restorePoint: { id }, destinationType }));
}

/** Creates a session and returns its id (asserting 201). */
export async function createSession(
  emulator: Emulator,
  kind: Workload,
  body?: unknown,
  extra: Partial<GraphCall> = {},
): Promise<string> {
  const response = await call(emulator, "POST", `/${SET[kind]}`, body, extra);
  expect(response.status, response.text).to.equal(201);
  return response.body.id as string;
}

export async function activate(emulator: Emulator, id: string): Promise<GraphCallResult> {
  const response = await call(emulator, "POST", `/restoreSessions/${id}/activate`);
  expect(response.status, response.text).to.equal(200);
  return response;
}

export async function getSession(
  emulator: Emulator,
  id: string,
  headers?: Record<string, string>,
): Promise<Json> {
  const response = await call(
    emulator,
    "GET",
    `/restoreSessions/${id}`,
    undefined,
    headers ? { headers } : {},
  );
  expect(response.status, response.text).to.equal(200);
  return response.body as Json;
}

/** Every item of a paged list, following `@odata.nextLink` verbatim; also returns the page sizes. */
export async function allPages(
  emulator: Emulator,
  path: string,
  extra: Partial<GraphCall> = {},
): Promise<{ items: Json[]; pages: number[]; links: string[] }> {
  const items: Json[] = [];
  const pages: number[] = [];
  const links: string[] = [];
  let next: string | undefined = path;
  while (next !== undefined) {
    const response = await call(emulator, "GET", next, undefined, extra);
    expect(response.status, response.text).to.equal(200);
    items.push(...response.body.value);
    pages.push(response.body.value.length);
    next = response.body["@odata.nextLink"];
    if (next !== undefined) {
      links.push(next);
    }
  }
  return { items, pages, links };
}

/** The artifacts of a session (all pages). */
export async function artifactsOf(emulator: Emulator, kind: Workload, id: string): Promise<Json[]> {
  return (await allPages(emulator, `/${SET[kind]}/${id}/${ARTIFACTS[kind]}`)).items;
}

/** A fast-restore point of a SharePoint or OneDrive unit, a ready browse session on it, and its top item. */
export async function browseItem(
  emulator: Emulator,
  kind: "sharePoint" | "oneDriveForBusiness",
  unitId: string,
): Promise<{ browseSessionId: string; itemKey: string; webUrl: string; restorePointId: string }> {
  const start = new Date(emulator.clock.nowInMs() - 3 * DAY_IN_MS).toISOString();
  const search = await call(emulator, "POST", "/restorePoints/search", {
    protectionUnitIds: [unitId],
    protectionTimePeriod: { startDateTime: start },
    tags: "fastRestore",
  });
  expect(search.status, search.text).to.equal(200);
  const restorePointId = search.body.searchResults[0].restorePoint.id as string;
  const set = kind === "sharePoint" ? "sharePointBrowseSessions" : "oneDriveForBusinessBrowseSessions";
  const session = await call(emulator, "POST", `/${set}`, { restorePointId });
  expect(session.status, session.text).to.equal(201);
  emulator.clock.advance(5000);
  const browse = await call(emulator, "POST", `/${set}/${session.body.id}/browse`, {});
  expect(browse.status, browse.text).to.equal(200);
  const item = browse.body.value[0];
  return { browseSessionId: session.body.id, itemKey: item.itemKey, webUrl: item.webUrl, restorePointId };
}

/** A restore point search with an artifact query on a mailbox: its id, the newest point and the total hits. */
export async function mailboxSearch(
  emulator: Emulator,
  unitId: string,
): Promise<{ searchResponseId: string; restorePointId: string; hits: number }> {
  const start = new Date(emulator.clock.nowInMs() - 3 * DAY_IN_MS).toISOString();
  const search = await call(emulator, "POST", "/restorePoints/search", {
    protectionUnitIds: [unitId],
    protectionTimePeriod: { startDateTime: start },
    artifactQuery: { artifactType: "message", queryExpression: "(Sender -like 'abc@contoso.com')" },
  });
  expect(search.status, search.text).to.equal(200);
  const result = search.body.searchResults[0];
  return {
    searchResponseId: search.body.searchResponseId,
    restorePointId: result.restorePoint.id,
    // The tenant records the search's total hits (all points), which is what a granular artifact restores.
    hits: (search.body.searchResults as { artifactHitCount: number }[]).reduce(
      (sum, r) => sum + r.artifactHitCount,
      0,
    ),
  };
}

export function isIsoTimestamp(value: unknown): boolean {
  return typeof value === "string" && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(value);
}
