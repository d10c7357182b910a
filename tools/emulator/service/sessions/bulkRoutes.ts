/**
 * Bulk addition request routes (Graph docs: resources/restoreartifactsbulkrequestbase): list and create on
 * the session's collection, get and delete by id. None takes a query option. Any id in the URI that is not a
 * GUID is `InvalidBulkRestoreArtifactId`, as the create error table says.
 */
import { GraphServiceError, type GraphRequest, type Route } from "../../contract";
import { checkNoBody } from "../body";
import { isGuid } from "../errors";
import { READ_RESTORE_SESSIONS, WRITE_RESTORE_SESSIONS } from "../permissions";
import { renderBulk, validateBulkCreate } from "./bulk";
import type { KindSpec } from "./kinds";
import type { BulkRecord, SessionRecord } from "./model";
import { metadataUrl } from "./render";
import { ROOT, type RouteContext } from "./routeContext";

function invalidBulkId(id: string): GraphServiceError {
  return new GraphServiceError(
    400,
    "InvalidBulkRestoreArtifactId",
    `'${id}' in the request URI is not a valid id: ids are GUIDs.`,
  );
}

/** The bulk addition request routes of one kind. */
export function bulkRoutes(context: RouteContext, spec: KindSpec): Route[] {
  const collection = `${ROOT}/${spec.entitySet}/{id}/${spec.bulk.collection}`;
  const findSession = (id: string | undefined): SessionRecord => context.find(id, spec.kind, invalidBulkId);
  const findBulk = (
    params: Readonly<Record<string, string>>,
  ): { session: SessionRecord; bulk: BulkRecord } => {
    const bulkId = params["bulkId"] ?? "";
    if (!isGuid(bulkId)) {
      throw invalidBulkId(bulkId);
    }
    const session = findSession(params["id"]);
    return { session, bulk: context.store.requireBulk(session, bulkId) };
  };
  const contextUrl = (request: GraphRequest, session: SessionRecord): string =>
    `${metadataUrl(request)}#solutions/backupRestore/${spec.entitySet}('${session.id}')/${spec.bulk.collection}`;
  return [
    {
      method: "GET",
      pattern: collection,
      permissions: READ_RESTORE_SESSIONS,
      handle: (request, params) => {
        const session = findSession(params["id"]);
        const bulk = session.bulk;
        const value = bulk && !bulk.deleted ? [renderBulk(spec, bulk, request, true)] : [];
        return { status: 200, body: { "@odata.context": contextUrl(request, session), value } };
      },
    },
    {
      method: "POST",
      pattern: collection,
      permissions: WRITE_RESTORE_SESSIONS,
      handle: (request, params) => {
        const session = findSession(params["id"]);
        context.assertRestoresAllowed();
        const fields = validateBulkCreate(spec, request.apiVersion, request.body);
        const bulk = context.store.addBulk(session, fields, request.caller.appId);
        const body = {
          "@odata.context": `${contextUrl(request, session)}/$entity`,
          ...renderBulk(spec, bulk, request, false),
        };
        return { status: 201, body };
      },
    },
    {
      method: "GET",
      pattern: `${collection}/{bulkId}`,
      permissions: READ_RESTORE_SESSIONS,
      handle: (request, params) => {
        const { session, bulk } = findBulk(params);
        const body = {
          "@odata.context": `${contextUrl(request, session)}/$entity`,
          ...renderBulk(spec, bulk, request, false),
        };
        return { status: 200, body };
      },
    },
    {
      method: "DELETE",
      pattern: `${collection}/{bulkId}`,
      permissions: WRITE_RESTORE_SESSIONS,
      handle: (request, params) => {
        checkNoBody(request.body, "DELETE of a bulk addition request");
        context.store.deleteBulk(findBulk(params).bulk);
        return { status: 204 };
      },
    },
  ];
}
