/**
 * The browse request of a browse session: read from the body or from a `$skiptoken` (which carries the
 * whole query), validated strictly, and the ordering it asks for. See browseSessions.ts for the rules.
 */
import { GraphServiceError, type GraphRequest } from "../../contract";
import { checkProperties, isEmptyBody, objectBody } from "../body";
import type { BrowseNode } from "./browseTree";
import { show } from "./wire";

export const ORDERS = ["pathAsc", "pathDsc", "nameAsc", "nameDsc"] as const;
export type BrowseOrder = (typeof ORDERS)[number];
const RESOURCE_TYPES = ["site", "documentLibrary", "folder"];
const FILTER = /^\s*\(?\s*name\s+-contains\s+'([^']*)'\s*\)?\s*$/i;

export interface BrowseQuery {
  readonly key?: string;
  readonly type?: string;
  readonly filter?: string;
  readonly order: BrowseOrder;
}

export function invalidBrowse(message: string): GraphServiceError {
  return new GraphServiceError(400, "InvalidBrowseRequest", message);
}

export function sortNodes(nodes: BrowseNode[], order: BrowseOrder): BrowseNode[] {
  const field = order.startsWith("path") ? "path" : "name";
  const direction = order.endsWith("Asc") ? 1 : -1;
  return [...nodes].sort((a, b) => direction * (a[field] < b[field] ? -1 : a[field] > b[field] ? 1 : 0));
}

/** Reads the browse request: from the body, or from a `$skiptoken` (which must match any body sent). */
export function browseQuery(
  request: GraphRequest,
  sessionId: string,
): { query: BrowseQuery; offset: number } {
  const token = request.query.get("$skiptoken");
  const fromBody = request.method === "POST" ? queryFromBody(request.body) : undefined;
  if (token === null) {
    if (fromBody === undefined) {
      throw invalidBrowse(
        "GET …/browse needs the $skiptoken of an @odata.nextLink; start browsing with POST.",
      );
    }
    return { query: fromBody, offset: 0 };
  }
  const decoded = decodeToken(token);
  if (decoded.s !== sessionId || decoded.q === undefined) {
    throw new GraphServiceError(
      400,
      "BadRequest",
      "The $skiptoken is not valid for this browse session. Follow @odata.nextLink as given.",
    );
  }
  if (
    request.method === "POST" &&
    !isEmptyBody(request.body) &&
    JSON.stringify(fromBody) !== JSON.stringify(decoded.q)
  ) {
    throw invalidBrowse(
      "The body differs from the query the $skiptoken continues; send no body with a $skiptoken.",
    );
  }
  return { query: decoded.q, offset: decoded.n };
}

function queryFromBody(body: unknown): BrowseQuery {
  if (isEmptyBody(body)) {
    return { order: "pathAsc" };
  }
  const object = objectBody(
    body,
    "browse takes browseLocationItemKey, browseResourceType, filter and orderBy",
  );
  checkProperties(object, {
    allowed: ["browseLocationItemKey", "browseResourceType", "filter", "orderBy"],
    typeName: "microsoft.graph.browseSessionBase.browse",
  });
  const { browseLocationItemKey: key, browseResourceType: type, filter, orderBy } = object;
  if (key !== undefined && key !== null && (typeof key !== "string" || key === "")) {
    throw invalidBrowse("browseLocationItemKey must be an itemKey string from an earlier browse.");
  }
  const hasKey = typeof key === "string";
  if (hasKey && (typeof type !== "string" || !RESOURCE_TYPES.includes(type))) {
    throw invalidBrowse(
      `browseResourceType is required with browseLocationItemKey: one of ${RESOURCE_TYPES.join(", ")}.`,
    );
  }
  if (!hasKey && type !== undefined && type !== null && type !== "none") {
    throw invalidBrowse(
      "browseResourceType needs a browseLocationItemKey; send neither to list the top level.",
    );
  }
  let needle: string | undefined;
  if (filter !== undefined && filter !== null) {
    const match = typeof filter === "string" ? FILTER.exec(filter) : null;
    if (match === null) {
      throw invalidBrowse(`filter supports only (name -contains 'text'), got '${show(filter)}'.`);
    }
    needle = match[1];
  }
  if (orderBy !== undefined && orderBy !== null && !(ORDERS as readonly unknown[]).includes(orderBy)) {
    throw invalidBrowse(`orderBy must be one of ${ORDERS.join(", ")}, got '${show(orderBy)}'.`);
  }
  return {
    ...(hasKey ? { key: key.trim(), type: type as string } : {}),
    ...(needle === undefined ? {} : { filter: needle }),
    order: (orderBy as BrowseOrder | undefined) ?? "pathAsc",
  };
}

interface BrowseToken {
  readonly s?: string;
  readonly q?: BrowseQuery;
  readonly n: number;
}

export function encodeToken(token: BrowseToken): string {
  return Buffer.from(JSON.stringify(token)).toString("base64url");
}

function decodeToken(text: string): BrowseToken {
  try {
    const token = JSON.parse(Buffer.from(text, "base64url").toString("utf8")) as Partial<BrowseToken>;
    if (typeof token.n === "number" && Number.isInteger(token.n) && token.n >= 0) {
      return token as BrowseToken;
    }
  } catch {
    // fall through to the error below
  }
  throw new GraphServiceError(
    400,
    "BadRequest",
    "The $skiptoken is not valid. Follow @odata.nextLink as given.",
  );
}

export function decodeOffset(text: string): number {
  const token = decodeToken(text);
  if (token.s !== undefined) {
    throw new GraphServiceError(
      400,
      "BadRequest",
      "The $skiptoken is not valid. Follow @odata.nextLink as given.",
    );
  }
  return token.n;
}
