/**
 * Session routes (Graph docs: resources/restoresessionbase): list, create on the typed collections, get,
 * delete, PATCH with `@delta` and activate. Typed items (`/sharePointRestoreSessions/{id}`) also serve GET,
 * DELETE and activate as aliases of the polymorphic `/restoreSessions/{id}`.
 */
import { randomUUID } from "node:crypto";
import type { GraphRequest, GraphResponse, Route } from "../../contract";
import { pageOf } from "../../paging";
import { checkNoBody } from "../body";
import { invalidRestoreSessionId } from "../errors";
import { READ_RESTORE_SESSIONS, WRITE_RESTORE_SESSIONS } from "../permissions";
import type { KindSpec } from "./kinds";
import type { SessionRecord } from "./model";
import { iso, metadataUrl, renderArtifact, renderSession, type RenderContext } from "./render";
import { PAGED, ROOT, type RouteContext } from "./routeContext";
import { validateCreate, validatePatch } from "./sessionRequests";
import type { DeltaOutcome } from "./store";

/** `GET /restoreSessions` and the routes on `/restoreSessions/{id}`. */
export function polymorphicRoutes(context: RouteContext): Route[] {
  return [
    {
      method: "GET",
      pattern: `${ROOT}/restoreSessions`,
      permissions: READ_RESTORE_SESSIONS,
      queryOptions: PAGED,
      handle: (request) => listSessions(context, request, "restoreSessions"),
    },
    ...itemRoutes(context, `${ROOT}/restoreSessions/{id}`, "restoreSessions", undefined),
  ];
}

/** The typed collection of one kind: list, create, and the item routes including PATCH. */
export function typedSessionRoutes(context: RouteContext, spec: KindSpec): Route[] {
  const base = `${ROOT}/${spec.entitySet}`;
  return [
    {
      method: "GET",
      pattern: base,
      permissions: READ_RESTORE_SESSIONS,
      queryOptions: PAGED,
      handle: (request) => listSessions(context, request, spec.entitySet, spec),
    },
    {
      method: "POST",
      pattern: base,
      permissions: WRITE_RESTORE_SESSIONS,
      handle: (request) => {
        context.assertRestoresAllowed();
        const input = validateCreate(spec, request.apiVersion, context.tenant, request.body);
        const session = context.store.create(spec.kind, input, request.caller.appId);
        return { ...context.entity(request, spec.entitySet, session), status: 201 };
      },
    },
    ...itemRoutes(context, `${base}/{id}`, spec.entitySet, spec),
    {
      method: "PATCH",
      pattern: `${base}/{id}`,
      permissions: WRITE_RESTORE_SESSIONS,
      handle: (request, params) => patchSession(context, spec, request, params["id"]),
    },
  ];
}

function listSessions(
  context: RouteContext,
  request: GraphRequest,
  set: string,
  spec?: KindSpec,
): GraphResponse {
  const contextUrl = `${metadataUrl(request)}#solutions/backupRestore/${set}`;
  const page = pageOf(request, context.store.list(spec?.kind), context.pageSize, contextUrl);
  const render = context.render(request);
  return { status: 200, body: { ...page, value: page.value.map((s) => renderSession(s, render)) } };
}

function itemRoutes(
  context: RouteContext,
  pattern: string,
  set: string,
  spec: KindSpec | undefined,
): Route[] {
  const find = (id: string | undefined): SessionRecord =>
    context.find(id, spec?.kind, invalidRestoreSessionId);
  return [
    {
      method: "GET",
      pattern,
      permissions: READ_RESTORE_SESSIONS,
      handle: (request, params) => context.entity(request, set, find(params["id"])),
    },
    {
      method: "DELETE",
      pattern,
      permissions: WRITE_RESTORE_SESSIONS,
      handle: (request, params) => {
        checkNoBody(request.body, "DELETE of a restore session");
        context.store.delete(find(params["id"]));
        return { status: 204 };
      },
    },
    {
      method: "POST",
      pattern: `${pattern}/activate`,
      permissions: WRITE_RESTORE_SESSIONS,
      handle: (request, params) => {
        const session = find(params["id"]);
        checkNoBody(request.body, "activate");
        context.assertRestoresAllowed();
        context.store.activate(session, request.caller.appId);
        return context.entity(request, "restoreSessions", session, session.activatedAtMs);
      },
    },
  ];
}

/**
 * PATCH answers with the delta echo (Graph docs: {kind}restoresession-update examples), not the whole
 * session.
 */
function patchSession(
  context: RouteContext,
  spec: KindSpec,
  request: GraphRequest,
  id: string | undefined,
): GraphResponse {
  const session = context.find(id, spec.kind, invalidRestoreSessionId);
  context.assertRestoresAllowed();
  const input = validatePatch(spec, request.apiVersion, context.tenant, request.body);
  const outcomes = context.store.patch(session, input, request.caller.appId);
  const render = context.render(request);
  return {
    status: 200,
    body: {
      "@odata.context": `${metadataUrl(request)}#solutions/backupRestore/${spec.entitySet}/$entity`,
      id: session.id,
      [`${input.collection}@delta`]: outcomes.map((outcome) => deltaEcho(session, outcome, render)),
    },
  };
}

/** One element of the PATCH response: the added artifact, the removal echo, or an inline failure. */
function deltaEcho(
  session: SessionRecord,
  outcome: DeltaOutcome,
  render: RenderContext,
): Record<string, unknown> {
  switch (outcome.op) {
    case "add": {
      const artifact = outcome.artifact;
      if (artifact.input.style === "browseItem") {
        return renderArtifact(session, artifact, render);
      }
      return {
        id: artifact.id,
        restorePoint: { id: artifact.input.restorePointId },
        destinationType: artifact.input.destinationType,
        status: "added",
        createdDateTime: iso(artifact.createdAtMs),
        ...(artifact.input.style === "mailboxSearch"
          ? { searchResponseId: artifact.input.searchResponseId }
          : {}),
      };
    }
    case "remove":
      return { id: outcome.id, "@removed": { reason: outcome.reason } };
    case "missing":
      return {
        "@contentId": randomUUID(),
        "@Core.DataModificationException": {
          info: {
            code: "Invalid",
            message: "The identifier to be removed from the Restore Session does not exist",
          },
          failedOperation: "remove",
          responseCode: 409,
        },
        id: outcome.id,
      };
  }
}
