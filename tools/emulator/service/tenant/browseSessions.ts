/**
 * Browse sessions for granular SharePoint and OneDrive restore (Graph docs: resources/browsesessionbase,
 * backuprestoreroot-post-sharepointbrowsesessions, sharepointbrowsesession-browse).
 *
 * - `POST /{sharePoint|oneDriveForBusiness}BrowseSessions` `{ restorePointId }` → 201, `creating`;
 *   `created` once the configured delay has passed on the emulator clock. The restore point must be a
 *   live `fastRestore` point of that workload; otherwise 400 `InvalidRestorePoint` saying why (expired
 *   points: 400 `InvalidRestoreTime`).
 * - Sessions expire three days after creation and are then gone (404 `BrowseSessionNotFound`), as
 *   Graph deletes them.
 * - `POST …/{id}/browse`: an empty body lists the top level; `browseLocationItemKey` with the matching
 *   `browseResourceType` (`site`, `documentLibrary`, `folder`) lists a location; `filter` is only
 *   `(name -contains 'text')`; `orderBy` is `pathAsc` (default), `pathDsc`, `nameAsc` or `nameDsc`.
 *   Any other body is 400 `InvalidBrowseRequest` naming the problem. Browsing a session still
 *   `creating` is 409 `BrowseSessionNotReady`.
 * - Pages hold the emulator's page size, with `@odata.count` and an `@odata.nextLink` to
 *   `GET …/browse?$skiptoken=…` (the token carries the whole query). A `POST …/browse?$skiptoken=…`
 *   is also accepted when its body is empty or asks for the same thing.
 */
import { GraphServiceError, type GraphRequest, type GraphResponse, type Route } from "../../contract";
import { checkProperties, objectBody } from "../body";
import {
  browseQuery,
  decodeOffset,
  encodeToken,
  invalidBrowse,
  sortNodes,
  type BrowseQuery,
} from "./browseQuery";
import { BrowseTree, type BrowseNode } from "./browseTree";
import type { TenantContext } from "./context";
import { opaqueToken } from "./ids";
import { assertServiceAllows } from "./serviceStatus";
import type { BrowsedItem, SeededProtectionUnit, SeededRestorePoint } from "./types";
import { BASE_PATH, Permission, metadataContext, nextLink, wireDate } from "./wire";

export type BrowseWorkload = "sharePoint" | "oneDriveForBusiness";

export const BROWSE_SESSION_LIFETIME_IN_MS = 3 * 24 * 60 * 60 * 1000;

interface BrowseSession {
  readonly id: string;
  readonly workload: BrowseWorkload;
  readonly unit: SeededProtectionUnit;
  readonly point: SeededRestorePoint;
  readonly tree: BrowseTree;
  readonly createdInMs: number;
  readonly readyInMs: number;
  readonly expiresInMs: number;
}

const WIRE: Readonly<Record<BrowseWorkload, { readonly collection: string; readonly type: string }>> = {
  sharePoint: { collection: "sharePointBrowseSessions", type: "#microsoft.graph.sharePointBrowseSession" },
  oneDriveForBusiness: {
    collection: "oneDriveForBusinessBrowseSessions",
    type: "#microsoft.graph.oneDriveForBusinessBrowseSession",
  },
};

/** The tenant's browse sessions: creation, lookup and the routes. */
export class BrowseSessionStore {
  private readonly sessions = new Map<string, BrowseSession>();

  constructor(
    private readonly context: TenantContext,
    private readonly readyDelayInMs: number,
    private readonly restorePoint: (id: string) => SeededRestorePoint | undefined,
  ) {}

  /** A live session of that kind, or undefined (unknown, other kind, or expired: then it is dropped). */
  find(workload: BrowseWorkload, id: string): BrowseSession | undefined {
    const session = this.sessions.get(id);
    if (session !== undefined && session.expiresInMs <= this.context.clock.nowInMs()) {
      this.sessions.delete(id);
      return undefined;
    }
    return session?.workload === workload ? session : undefined;
  }

  /** The item a granular artifact names, when the session is ready and the key is one of its items. */
  item(workload: BrowseWorkload, sessionId: string, itemKey: string): BrowsedItem | undefined {
    const session = this.find(workload, sessionId);
    if (session === undefined || session.readyInMs > this.context.clock.nowInMs()) {
      return undefined;
    }
    const node = session.tree.find(itemKey);
    if (node === undefined) {
      return undefined;
    }
    return {
      webUrl: node.webUrl,
      path: node.path,
      restorePointDateTime: session.point.protectionDateTime,
      restorePointId: session.point.id,
      unitId: session.unit.id,
      ...(workload === "sharePoint"
        ? { siteId: session.unit.siteId }
        : { directoryObjectId: session.unit.directoryObjectId }),
    };
  }

  routes(): Route[] {
    const write = [Permission.restoreReadWrite];
    const routes: Route[] = [
      {
        method: "GET",
        pattern: `${BASE_PATH}/browseSessions`,
        permissions: write,
        queryOptions: ["$skiptoken"],
        handle: (r) => this.list(r, undefined),
      },
      {
        method: "GET",
        pattern: `${BASE_PATH}/browseSessions/{id}`,
        permissions: write,
        handle: (r, p) => this.get(r, undefined, p.id ?? ""),
      },
    ];
    for (const workload of ["sharePoint", "oneDriveForBusiness"] as const) {
      const base = `${BASE_PATH}/${WIRE[workload].collection}`;
      routes.push(
        { method: "POST", pattern: base, permissions: write, handle: (r) => this.create(r, workload) },
        {
          method: "GET",
          pattern: base,
          permissions: write,
          queryOptions: ["$skiptoken"],
          handle: (r) => this.list(r, workload),
        },
        {
          method: "GET",
          pattern: `${base}/{id}`,
          permissions: write,
          handle: (r, p) => this.get(r, workload, p.id ?? ""),
        },
        {
          method: "POST",
          pattern: `${base}/{id}/browse`,
          permissions: write,
          queryOptions: ["$skiptoken"],
          handle: (r, p) => this.browse(r, workload, p.id ?? ""),
        },
        {
          method: "GET",
          pattern: `${base}/{id}/browse`,
          permissions: write,
          queryOptions: ["$skiptoken"],
          handle: (r, p) => this.browse(r, workload, p.id ?? ""),
        },
      );
    }
    return routes;
  }

  private create(request: GraphRequest, workload: BrowseWorkload): GraphResponse {
    assertServiceAllows(this.context.service.state, "restore");
    const body = objectBody(request.body, "a browse session takes { restorePointId }");
    checkProperties(body, { allowed: ["restorePointId"], typeName: WIRE[workload].type.slice(1) });
    const point = this.usablePoint(body.restorePointId, workload);
    const unit = this.context.directory.unitById(point.unitId) as SeededProtectionUnit;
    const now = this.context.clock.nowInMs();
    const session: BrowseSession = {
      id: opaqueToken(this.context.random, 34),
      workload,
      unit,
      point,
      tree: new BrowseTree(this.treeRoot(unit)),
      createdInMs: now,
      readyInMs: now + this.readyDelayInMs,
      expiresInMs: now + BROWSE_SESSION_LIFETIME_IN_MS,
    };
    this.sessions.set(session.id, session);
    return {
      status: 201,
      body: {
        "@odata.context": metadataContext(
          request,
          `solutions/backupRestore/${WIRE[workload].collection}/$entity`,
        ),
        ...this.json(session),
      },
    };
  }

  private usablePoint(value: unknown, workload: BrowseWorkload): SeededRestorePoint {
    if (typeof value !== "string" || value === "") {
      throw new GraphServiceError(400, "InvalidRestorePoint", "restorePointId is required.");
    }
    const point = this.restorePoint(value);
    if (point === undefined) {
      throw new GraphServiceError(
        400,
        "InvalidRestorePoint",
        `'${value}' is not the id of a restore point in this tenant.`,
      );
    }
    if (point.workload !== workload) {
      throw new GraphServiceError(
        400,
        "InvalidRestorePoint",
        `Restore point '${value}' belongs to a ${point.workload} protection unit, not ${workload}.`,
      );
    }
    if (point.expirationDateTime.getTime() <= this.context.clock.nowInMs()) {
      throw new GraphServiceError(
        400,
        "InvalidRestoreTime",
        `Restore point '${value}' expired at ${wireDate(point.expirationDateTime)}.`,
      );
    }
    if (point.tags !== "fastRestore") {
      throw new GraphServiceError(
        400,
        "InvalidRestorePoint",
        `Restore point '${value}' is not a fastRestore point; browse sessions need one.`,
      );
    }
    return point;
  }

  private treeRoot(unit: SeededProtectionUnit): ConstructorParameters<typeof BrowseTree>[0] {
    const { directory, seed } = this.context;
    const index = parseInt(unit.id.slice(-12), 16);
    if (unit.workload === "sharePoint") {
      const site = directory.site(index);
      const origin = `https://${directory.sharePointHost}`;
      return {
        scope: `${seed}/${unit.id}`,
        siteGuid: site.siteGuid,
        webGuid: site.webGuid,
        origin,
        sitePath: site.path,
        siteName: site.name,
        oneDrive: false,
      };
    }
    const personal = directory.personalSite(index);
    const origin = `https://${directory.oneDriveHost}`;
    return {
      scope: `${seed}/${unit.id}`,
      siteGuid: personal.siteGuid,
      webGuid: personal.webGuid,
      origin,
      sitePath: personal.path,
      siteName: unit.displayName ?? "",
      oneDrive: true,
    };
  }

  private json(session: BrowseSession): Record<string, unknown> {
    const ready = session.readyInMs <= this.context.clock.nowInMs();
    return {
      "@odata.type": WIRE[session.workload].type,
      id: session.id,
      restorePointId: session.point.id,
      restorePointDateTime: wireDate(session.point.protectionDateTime),
      status: ready ? "created" : "creating",
      createdDateTime: wireDate(session.createdInMs),
      expirationDateTime: wireDate(session.expiresInMs),
      backupSizeInBytes: String(session.tree.totalSize()),
      error: null,
      ...(session.workload === "sharePoint"
        ? { siteId: session.unit.siteId }
        : { directoryObjectId: session.unit.directoryObjectId }),
    };
  }

  private live(workload: BrowseWorkload | undefined): BrowseSession[] {
    const kinds: BrowseWorkload[] =
      workload === undefined ? ["sharePoint", "oneDriveForBusiness"] : [workload];
    return [...this.sessions.keys()]
      .map((id) => kinds.map((kind) => this.find(kind, id)).find((session) => session !== undefined))
      .filter((session): session is BrowseSession => session !== undefined);
  }

  private list(request: GraphRequest, workload: BrowseWorkload | undefined): GraphResponse {
    assertServiceAllows(this.context.service.state, "read");
    const sessions = this.live(workload);
    const collection = workload === undefined ? "browseSessions" : WIRE[workload].collection;
    const token = request.query.get("$skiptoken");
    const offset = token === null ? 0 : decodeOffset(token);
    const page = sessions.slice(offset, offset + this.context.pageSize);
    const body: Record<string, unknown> = {
      "@odata.context": metadataContext(request, `solutions/backupRestore/${collection}`),
      value: page.map((session) => this.json(session)),
    };
    if (offset + this.context.pageSize < sessions.length) {
      body["@odata.nextLink"] = nextLink(request, request.path, {
        $skiptoken: encodeToken({ n: offset + this.context.pageSize }),
      });
    }
    return { status: 200, body };
  }

  private get(request: GraphRequest, workload: BrowseWorkload | undefined, id: string): GraphResponse {
    assertServiceAllows(this.context.service.state, "read");
    const session = this.sessionOr404(workload, id);
    const collection = workload === undefined ? "browseSessions" : WIRE[workload].collection;
    return {
      status: 200,
      body: {
        "@odata.context": metadataContext(request, `solutions/backupRestore/${collection}/$entity`),
        ...this.json(session),
      },
    };
  }

  private sessionOr404(workload: BrowseWorkload | undefined, id: string): BrowseSession {
    const session =
      workload === undefined
        ? (this.find("sharePoint", id) ?? this.find("oneDriveForBusiness", id))
        : this.find(workload, id);
    if (session === undefined) {
      throw new GraphServiceError(
        404,
        "BrowseSessionNotFound",
        `Browse session '${id}' was not found (browse sessions expire after three days).`,
      );
    }
    return session;
  }

  private browse(request: GraphRequest, workload: BrowseWorkload, id: string): GraphResponse {
    assertServiceAllows(this.context.service.state, "read");
    const session = this.sessionOr404(workload, id);
    if (session.readyInMs > this.context.clock.nowInMs()) {
      throw new GraphServiceError(
        409,
        "BrowseSessionNotReady",
        `Browse session '${id}' is still creating; poll it until its status is 'created'.`,
      );
    }
    const { query, offset } = browseQuery(request, session.id);
    const items = this.locate(session, query);
    const page = items.slice(offset, offset + this.context.pageSize);
    const body: Record<string, unknown> = {
      "@odata.context": metadataContext(request, "Collection(microsoft.graph.browseQueryResponseItem)"),
      "@odata.count": items.length,
      value: page.map((node) => itemJson(node, session, request)),
    };
    if (offset + this.context.pageSize < items.length) {
      const path = `${BASE_PATH}/${WIRE[workload].collection}/${encodeURIComponent(session.id)}/browse`;
      body["@odata.nextLink"] = nextLink(request, path, {
        $skiptoken: encodeToken({ s: session.id, q: query, n: offset + this.context.pageSize }),
      });
    }
    return { status: 200, body };
  }

  private locate(session: BrowseSession, query: BrowseQuery): BrowseNode[] {
    let nodes: BrowseNode[];
    if (query.key === undefined) {
      nodes = session.tree.topLevel();
    } else {
      const node = session.tree.find(query.key);
      if (node === undefined) {
        throw invalidBrowse(`browseLocationItemKey '${query.key}' is not an item of this browse session.`);
      }
      if (node.type !== query.type) {
        throw invalidBrowse(
          `browseResourceType '${query.type ?? ""}' does not match the item, which is a ${node.type}.`,
        );
      }
      nodes = session.tree.children(node);
    }
    const needle = query.filter?.toLowerCase();
    const matching =
      needle === undefined ? nodes : nodes.filter((node) => node.name.toLowerCase().includes(needle));
    return sortNodes(matching, query.order);
  }
}

function itemJson(node: BrowseNode, session: BrowseSession, request: GraphRequest): Record<string, unknown> {
  const json: Record<string, unknown> = {
    itemKey: node.itemKey,
    name: node.name,
    webUrl: node.webUrl,
    type: node.type,
    itemsCount: node.itemsCount,
    sizeInBytes: String(node.sizeInBytes),
  };
  if (request.apiVersion === "beta") {
    json.createdDateTime = wireDate(session.unit.protectedSince);
    json.lastModifiedDateTime = wireDate(session.point.protectionDateTime);
  }
  return json;
}
