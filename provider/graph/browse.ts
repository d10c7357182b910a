/**
 * Browse sessions (granular SharePoint and OneDrive restore): create, read, list and `browse`, every
 * page. Ids that go into a URL path are checked by `pathSegment` (`pathId.ts`) first and then percent-encoded,
 * so an id from a response or a program can never change which resource a request names.
 */
import type { GraphClient, GraphRequestOptions } from "./client";
import { pathSegment } from "./pathId";

/** The two kinds Graph can browse. */
export type BrowseKind = "sharePoint" | "oneDriveForBusiness";

/** `browseSessionStatus`; anything else Graph adds later is `unknownFutureValue`. */
export type BrowseSessionStatus = "creating" | "created" | "failed" | "unknownFutureValue";

/** `browseQueryResponseItemType`. */
export type BrowseItemType = "none" | "site" | "documentLibrary" | "folder" | "file" | "unknownFutureValue";

/** The named fields of a browse session (`browseSessionBase` and its kinds). */
export interface BrowseSession {
  id: string;
  restorePointId: string | null;
  restorePointDateTime: string | null;
  status: BrowseSessionStatus;
  createdDateTime: string | null;
  expirationDateTime: string | null;
  /** SharePoint: the site id. */
  siteId?: string | null;
  /** OneDrive: the owner's Entra id. */
  directoryObjectId?: string | null;
}

/** One `browseQueryResponseItem`. */
export interface BrowseItem {
  itemKey: string;
  name: string;
  webUrl: string | null;
  type: BrowseItemType;
  itemsCount: number | null;
  sizeInBytes: string | null;
}

/** Where to browse: nothing for the top level, else an item and its type (`site`, `documentLibrary`, `folder`). */
export interface BrowseLocation {
  itemKey: string;
  type: "site" | "documentLibrary" | "folder";
}

const COLLECTION: Readonly<Record<BrowseKind, string>> = {
  sharePoint: "sharePointBrowseSessions",
  oneDriveForBusiness: "oneDriveForBusinessBrowseSessions",
};

const SESSION_STATUSES: readonly BrowseSessionStatus[] = ["creating", "created", "failed"];
const ITEM_TYPES: readonly BrowseItemType[] = ["none", "site", "documentLibrary", "folder", "file"];

/** `POST /{kind}BrowseSessions` `{ restorePointId }`: Graph answers 201 with the session `creating`. */
export async function createBrowseSession(
  client: GraphClient,
  kind: BrowseKind,
  restorePointId: string,
  options?: GraphRequestOptions,
): Promise<BrowseSession> {
  return toBrowseSession(await client.post<unknown>(`/${COLLECTION[kind]}`, { restorePointId }, options));
}

/** `GET /{kind}BrowseSessions/{id}`. */
export async function getBrowseSession(
  client: GraphClient,
  kind: BrowseKind,
  sessionId: string,
  options?: GraphRequestOptions,
): Promise<BrowseSession> {
  const path = `/${COLLECTION[kind]}/${pathSegment(sessionId, "browse session id", "a browse session answer or the program")}`;
  return toBrowseSession(await client.get<unknown>(path, options));
}

/** Every browse session of the kind, across pages. */
export async function* listBrowseSessions(
  client: GraphClient,
  kind: BrowseKind,
  options?: GraphRequestOptions,
): AsyncIterableIterator<BrowseSession> {
  for await (const item of client.paginate<unknown>(`/${COLLECTION[kind]}`, options)) {
    yield toBrowseSession(item);
  }
}

/** `POST /{kind}BrowseSessions/{id}/browse`: the items at a location, every page (later pages by GET). */
export async function* browseItems(
  client: GraphClient,
  kind: BrowseKind,
  sessionId: string,
  location: BrowseLocation | undefined,
  options?: GraphRequestOptions,
): AsyncIterableIterator<BrowseItem> {
  const path = `/${COLLECTION[kind]}/${pathSegment(sessionId, "browse session id", "a browse session answer or the program")}/browse`;
  const body =
    location === undefined
      ? {}
      : { browseLocationItemKey: location.itemKey, browseResourceType: location.type };
  for await (const item of client.paginatePost<unknown>(path, body, options)) {
    yield toBrowseItem(item);
  }
}

function text(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}

function toBrowseSession(value: unknown): BrowseSession {
  const record = (value ?? {}) as Record<string, unknown>;
  const status = SESSION_STATUSES.find((candidate) => candidate === record.status) ?? "unknownFutureValue";
  return {
    id: text(record.id) ?? "",
    restorePointId: text(record.restorePointId),
    restorePointDateTime: text(record.restorePointDateTime),
    status,
    createdDateTime: text(record.createdDateTime),
    expirationDateTime: text(record.expirationDateTime),
    ...(record.siteId === undefined ? {} : { siteId: text(record.siteId) }),
    ...(record.directoryObjectId === undefined ? {} : { directoryObjectId: text(record.directoryObjectId) }),
  };
}

function toBrowseItem(value: unknown): BrowseItem {
  const record = (value ?? {}) as Record<string, unknown>;
  return {
    itemKey: text(record.itemKey) ?? "",
    name: text(record.name) ?? "",
    webUrl: text(record.webUrl),
    type: ITEM_TYPES.find((candidate) => candidate === record.type) ?? "unknownFutureValue",
    itemsCount: typeof record.itemsCount === "number" ? record.itemsCount : null,
    // A String in the docs (Int64 as text); a number is taken too.
    sizeInBytes:
      typeof record.sizeInBytes === "string" || typeof record.sizeInBytes === "number"
        ? String(record.sizeInBytes)
        : null,
  };
}
