/**
 * Every restore-session route (Graph docs: resources/restoresessionbase and the pages it links): thin
 * handlers that validate, call the {@link SessionStore} and render.
 */
import type { Route } from "../../contract";
import { artifactRoutes } from "./artifactRoutes";
import { bulkRoutes } from "./bulkRoutes";
import { KIND_LIST } from "./kinds";
import { RouteContext, type SessionRouteOptions } from "./routeContext";
import { polymorphicRoutes, typedSessionRoutes } from "./sessionRoutes";

export type { SessionRouteOptions } from "./routeContext";

/** Every restore-session route, for the service's router. */
export function sessionRoutes(options: SessionRouteOptions): Route[] {
  const context = new RouteContext(options);
  return [
    ...polymorphicRoutes(context),
    ...KIND_LIST.flatMap((spec) => [
      ...typedSessionRoutes(context, spec),
      ...artifactRoutes(context, spec),
      ...bulkRoutes(context, spec),
    ]),
  ];
}
