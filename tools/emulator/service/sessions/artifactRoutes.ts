/**
 * Artifact lists (Graph docs: {kind}restoresession-list-{…}restoreartifacts): the standard list of each kind
 * is paged; the granular lists take no query options and come whole. Artifacts have no routes of their own
 * (no get-by-id, POST or DELETE).
 */
import type { Route } from "../../contract";
import { pageOf } from "../../paging";
import { invalidRestoreSessionId } from "../errors";
import { READ_RESTORE_SESSIONS, WRITE_RESTORE_SESSIONS } from "../permissions";
import type { KindSpec } from "./kinds";
import { metadataUrl, renderArtifact } from "./render";
import { PAGED, ROOT, type RouteContext } from "./routeContext";

/** The standard and granular artifact lists of one kind. */
export function artifactRoutes(context: RouteContext, spec: KindSpec): Route[] {
  return [artifactList(context, spec, false), artifactList(context, spec, true)];
}

function artifactList(context: RouteContext, spec: KindSpec, granular: boolean): Route {
  const collection = granular ? spec.granular.collection : spec.standard.collection;
  return {
    method: "GET",
    pattern: `${ROOT}/${spec.entitySet}/{id}/${collection}`,
    // Reading granular artifacts needs ReadWrite.All (Graph docs: the granular list pages' permission
    // tables).
    permissions: granular ? WRITE_RESTORE_SESSIONS : READ_RESTORE_SESSIONS,
    ...(granular ? {} : { queryOptions: PAGED }),
    handle: (request, params) => {
      const session = context.find(params["id"], spec.kind, invalidRestoreSessionId);
      const render = context.render(request);
      const artifacts = session.artifacts.filter((a) => (a.input.style !== "standard") === granular);
      const contextUrl = `${metadataUrl(request)}#solutions/backupRestore/${spec.entitySet}('${session.id}')/${collection}`;
      const page = granular
        ? { "@odata.context": contextUrl, value: artifacts }
        : pageOf(request, artifacts, context.pageSize, contextUrl);
      return {
        status: 200,
        body: { ...page, value: page.value.map((a) => renderArtifact(session, a, render)) },
      };
    },
  };
}
