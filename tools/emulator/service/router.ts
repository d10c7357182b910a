/**
 * Routing for the emulated Graph service: matches a request to one {@link Route}, then enforces what
 * Graph enforces before any handler runs: the route exists (404 naming the path), the method is
 * allowed on it (405 naming method and path), the caller holds one of the route's application roles
 * (403 naming them) and every query option is one the route accepts (400 naming it).
 *
 * Segment names match case-insensitively, as in Graph (`sharepointRestoreSessions` finds
 * `sharePointRestoreSessions`), and OData key syntax `restoreSessions('id')` is read as
 * `restoreSessions/id`. Parameter values keep the caller's spelling.
 */
import { GraphServiceError, type GraphRequest, type GraphResponse, type Route } from "../contract";

type Segment = { readonly literal: string } | { readonly param: string };

interface CompiledRoute {
  readonly route: Route;
  readonly segments: readonly Segment[];
  /** Literal segments rank a route above one that matches the same path through a parameter. */
  readonly literalCount: number;
}

interface Match {
  readonly compiled: CompiledRoute;
  readonly params: Record<string, string>;
}

/** Dispatches Graph requests to routes; see the module comment for the checks it makes. */
export class Router {
  private readonly compiled: readonly CompiledRoute[];

  constructor(routes: readonly Route[]) {
    this.compiled = routes.map(compile);
  }

  async handle(request: GraphRequest): Promise<GraphResponse> {
    const segments = splitPath(request.path);
    const matches = this.compiled
      .map((compiled) => matchSegments(compiled, segments))
      .filter((match): match is Match => match !== undefined);
    if (matches.length === 0) {
      throw new GraphServiceError(
        404,
        "ResourceNotFound",
        `Resource not found for the path '${request.path}': no such Graph operation is emulated.`,
      );
    }
    const forMethod = matches.filter((match) => match.compiled.route.method === request.method);
    if (forMethod.length === 0) {
      const allowed = [...new Set(matches.map((match) => match.compiled.route.method))].sort();
      throw new GraphServiceError(
        405,
        "MethodNotAllowed",
        `The HTTP method '${request.method}' is not allowed on '${request.path}'. Allowed: ${allowed.join(", ")}.`,
        { allow: allowed.join(", ") },
      );
    }
    const best = forMethod.reduce((a, b) => (b.compiled.literalCount > a.compiled.literalCount ? b : a));
    const route = best.compiled.route;
    checkPermissions(route, request);
    checkQueryOptions(route, request);
    return route.handle(request, best.params);
  }
}

function compile(route: Route): CompiledRoute {
  const segments = splitPath(route.pattern).map((segment): Segment => {
    const param = /^\{(\w+)\}$/.exec(segment);
    return param?.[1] !== undefined ? { param: param[1] } : { literal: segment.toLowerCase() };
  });
  return { route, segments, literalCount: segments.filter((s) => "literal" in s).length };
}

/** Splits a path into decoded segments, reading OData key syntax `name('key')` as `name/key`. */
function splitPath(path: string): string[] {
  const segments: string[] = [];
  for (const raw of path.split("/")) {
    if (raw === "") {
      continue;
    }
    const segment = safeDecode(raw);
    // A key, not a function call: `browse(nextFetchToken='x')` stays one segment.
    const key = /^([^()]+)\(([^=()]+)\)$/.exec(segment);
    if (key?.[1] !== undefined && key[2] !== undefined) {
      segments.push(key[1], key[2].replace(/^'(.*)'$/, "$1"));
    } else {
      segments.push(segment);
    }
  }
  return segments;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new GraphServiceError(
      400,
      "BadRequest",
      `The path segment '${segment}' is not valid percent-encoding.`,
    );
  }
}

function matchSegments(compiled: CompiledRoute, segments: readonly string[]): Match | undefined {
  if (compiled.segments.length !== segments.length) {
    return undefined;
  }
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const expected = compiled.segments[i];
    const actual = segments[i] ?? "";
    if (expected === undefined) {
      return undefined;
    }
    if ("literal" in expected) {
      if (expected.literal !== actual.toLowerCase()) {
        return undefined;
      }
    } else {
      params[expected.param] = actual;
    }
  }
  return { compiled, params };
}

function checkPermissions(route: Route, request: GraphRequest): void {
  if (
    route.permissions.length === 0 ||
    route.permissions.some((role) => request.caller.roles.includes(role))
  ) {
    return;
  }
  const held = request.caller.roles.length === 0 ? "none" : request.caller.roles.join(", ");
  throw new GraphServiceError(
    403,
    "Authorization_RequestDenied",
    `Missing role: ${route.permissions.join(" or ")}. ${request.method} ${route.pattern} requires ` +
      `${route.permissions.length === 1 ? "this application permission" : "one of these application permissions"}; ` +
      `the token's roles are: ${held}.`,
  );
}

function checkQueryOptions(route: Route, request: GraphRequest): void {
  const accepted = (route.queryOptions ?? []).map((option) => option.toLowerCase());
  for (const name of new Set(request.query.keys())) {
    if (!accepted.includes(name.toLowerCase())) {
      const supported = route.queryOptions?.length
        ? `Supported: ${route.queryOptions.join(", ")}.`
        : "It takes none.";
      throw new GraphServiceError(
        400,
        "BadRequest",
        `Query option '${name}' is not supported on ${request.method} ${route.pattern}. ${supported}`,
      );
    }
  }
}
