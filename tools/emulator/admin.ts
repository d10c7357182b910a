/**
 * The emulator's own HTTP routes under `/_emulator/...`, outside Graph's and Entra's namespaces: faults,
 * the request log, the clock, the service status, the seeded clients (without secrets) and the test
 * OIDC issuer. They need no token (the emulator listens on loopback only) and are not logged.
 *
 * | Method | Path | Body / query | Answer |
 * |---|---|---|---|
 * | GET | `/_emulator/faults` | | rules with match counts, latency, throttle |
 * | POST | `/_emulator/faults` | a FaultRule | 201 |
 * | DELETE | `/_emulator/faults` | | 204; clears rules, latency and throttle |
 * | PUT | `/_emulator/network` | `{ latencyInMs?, throttle? }` (throttle `null` clears) | 200 settings |
 * | GET | `/_emulator/requests` | `?kind=&method=&pathPrefix=` | `{ value: entries, count }` |
 * | DELETE | `/_emulator/requests` | | 204 |
 * | GET | `/_emulator/clock` | | `{ now }` |
 * | POST | `/_emulator/clock/advance` | `{ durationInMs }` | `{ now }` |
 * | POST | `/_emulator/service-status` | `{ status }` | 204 |
 * | POST | `/_emulator/sessions/incomplete-deletion` | `{ sessionId, times? }` | 204; next DELETE(s) answer 500 `IncompleteArtifactDeletion` |
 * | POST | `/_emulator/artifact-failures` | `{ protectionUnitId, code }` (`UnknownError`, `ArtifactNotFound`, `null` clears) | 204 |
 * | PUT | `/_emulator/tenant` | `{ billingProfile?, internalAppIds? }` | 200 `{ billingProfile, internalAppIds }` |
 * | GET | `/_emulator/clients` | | `{ tenantId, value: summaries }` |
 * | GET | `/_emulator/oidc/.well-known/openid-configuration`, `/_emulator/oidc/jwks` | | discovery |
 * | POST | `/_emulator/oidc/token` | `{ subject?, audience?, lifetimeInSeconds? }` | `{ token }` |
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { EmulatorClock } from "./clock";
import { Faults, type FaultRule, type ThrottleSettings } from "./faults";
import { readBody, sendJson } from "./http";
import type { ClientSummary } from "./identity/clients";
import type { OidcIssuer, WorkloadTokenOptions } from "./identity/oidcIssuer";
import type { RequestKind, RequestLog } from "./requestLog";

/** The admin prefix. */
export const ADMIN_PREFIX = "/_emulator";

/** What the admin routes act on. */
export interface AdminContext {
  readonly tenantId: string;
  readonly faults: Faults;
  readonly requestLog: RequestLog;
  readonly clock: EmulatorClock;
  readonly setServiceStatus: (status: string) => void;
  readonly clients: () => ClientSummary[];
  readonly oidcIssuer: OidcIssuer;
  /** The Graph service's test scenarios; absent when a transport test serves a fake service. */
  readonly service?: AdminServiceControls;
}

/** The scenario hooks of the emulated Graph service that admin routes reach. */
export interface AdminServiceControls {
  readonly tenant: {
    billingProfile(): string;
    internalAppIds(): readonly string[];
  };
  scriptIncompleteDeletion(sessionId: string, times?: number): void;
  scriptArtifactFailure(unitId: string, code: string | null): void;
  setBillingProfile(state: string): void;
  setInternalAppIds(appIds: readonly string[]): void;
}

function serviceControls(context: AdminContext): AdminServiceControls {
  if (context.service === undefined || typeof context.service.scriptIncompleteDeletion !== "function") {
    throw new AdminError(404, "This emulator serves no Graph service with test scenarios.");
  }
  return context.service;
}

class AdminError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

interface AdminAnswer {
  readonly status: number;
  readonly body?: unknown;
}

type AdminHandler = (context: AdminContext, body: unknown, url: URL) => AdminAnswer | Promise<AdminAnswer>;

function objectBody(body: unknown): Record<string, unknown> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new AdminError(400, "The body must be a JSON object.");
  }
  return body as Record<string, unknown>;
}

function guard<T>(action: () => T): T {
  try {
    return action();
  } catch (error) {
    throw new AdminError(400, error instanceof Error ? error.message : String(error));
  }
}

function networkSettings(faults: Faults): { latencyInMs: number; throttle: ThrottleSettings | null } {
  return { latencyInMs: faults.latencyInMs, throttle: faults.throttle ?? null };
}

const ROUTES: Readonly<Record<string, AdminHandler>> = {
  "GET /faults": (context) => ({
    status: 200,
    body: { value: context.faults.list(), ...networkSettings(context.faults) },
  }),
  "POST /faults": (context, body) => {
    guard(() => context.faults.add(objectBody(body) as unknown as FaultRule));
    return { status: 201, body: { value: context.faults.list() } };
  },
  "DELETE /faults": (context) => {
    context.faults.reset();
    return { status: 204 };
  },
  "PUT /network": (context, body) => {
    const settings = objectBody(body);
    if (settings.latencyInMs !== undefined) {
      const latency = Number(settings.latencyInMs);
      if (!Number.isFinite(latency) || latency < 0) {
        throw new AdminError(400, "latencyInMs must be a non-negative number.");
      }
      context.faults.latencyInMs = latency;
    }
    if (settings.throttle !== undefined) {
      guard(() =>
        context.faults.setThrottle((settings.throttle ?? undefined) as ThrottleSettings | undefined),
      );
    }
    return { status: 200, body: networkSettings(context.faults) };
  },
  "GET /requests": (context, _body, url) => {
    const filter = {
      kind: (url.searchParams.get("kind") ?? undefined) as RequestKind | undefined,
      method: url.searchParams.get("method") ?? undefined,
      pathPrefix: url.searchParams.get("pathPrefix") ?? undefined,
    };
    const value = context.requestLog.entries(filter);
    return { status: 200, body: { value, count: value.length } };
  },
  "DELETE /requests": (context) => {
    context.requestLog.clear();
    return { status: 204 };
  },
  "GET /clock": (context) => ({ status: 200, body: { now: context.clock.now().toISOString() } }),
  "POST /clock/advance": (context, body) => {
    const duration = Number(objectBody(body).durationInMs);
    guard(() => context.clock.advance(duration));
    return { status: 200, body: { now: context.clock.now().toISOString() } };
  },
  "POST /service-status": (context, body) => {
    const status = objectBody(body).status;
    if (typeof status !== "string") {
      throw new AdminError(400, "The body needs a string 'status'.");
    }
    guard(() => context.setServiceStatus(status));
    return { status: 204 };
  },
  "POST /sessions/incomplete-deletion": (context, body) => {
    const { sessionId, times } = objectBody(body);
    if (typeof sessionId !== "string" || (times !== undefined && typeof times !== "number")) {
      throw new AdminError(400, "The body needs a string 'sessionId' and an optional number 'times'.");
    }
    const service = serviceControls(context);
    guard(() => service.scriptIncompleteDeletion(sessionId, times));
    return { status: 204 };
  },
  "POST /artifact-failures": (context, body) => {
    const { protectionUnitId, code } = objectBody(body);
    if (typeof protectionUnitId !== "string" || (code !== null && typeof code !== "string")) {
      throw new AdminError(400, "The body needs a string 'protectionUnitId' and a string (or null) 'code'.");
    }
    const service = serviceControls(context);
    guard(() => service.scriptArtifactFailure(protectionUnitId, code));
    return { status: 204 };
  },
  "PUT /tenant": (context, body) => {
    const { billingProfile, internalAppIds } = objectBody(body);
    const service = serviceControls(context);
    if (billingProfile !== undefined) {
      if (typeof billingProfile !== "string") {
        throw new AdminError(400, "billingProfile must be a string.");
      }
      guard(() => service.setBillingProfile(billingProfile));
    }
    if (internalAppIds !== undefined) {
      if (!Array.isArray(internalAppIds) || internalAppIds.some((id) => typeof id !== "string")) {
        throw new AdminError(400, "internalAppIds must be an array of app id strings.");
      }
      guard(() => service.setInternalAppIds(internalAppIds as string[]));
    }
    return {
      status: 200,
      body: {
        billingProfile: service.tenant.billingProfile(),
        internalAppIds: service.tenant.internalAppIds(),
      },
    };
  },
  "GET /clients": (context) => ({
    status: 200,
    body: { tenantId: context.tenantId, value: context.clients() },
  }),
  "GET /oidc/.well-known/openid-configuration": (context) => ({
    status: 200,
    body: context.oidcIssuer.discoveryDocument(),
  }),
  "GET /oidc/jwks": async (context) => ({ status: 200, body: await context.oidcIssuer.jwks() }),
  "POST /oidc/token": async (context, body) => {
    const options = (body === undefined ? {} : objectBody(body)) as WorkloadTokenOptions;
    return { status: 200, body: { token: await context.oidcIssuer.issueToken(options) } };
  },
};

/** Serves one admin request. */
export async function handleAdminRequest(
  context: AdminContext,
  exchange: { readonly request: IncomingMessage; readonly response: ServerResponse; readonly url: URL },
): Promise<void> {
  const { request, response, url } = exchange;
  const route = `${request.method ?? ""} ${url.pathname.slice(ADMIN_PREFIX.length)}`;
  try {
    const raw = await readBody(request);
    const handler = ROUTES[route];
    if (handler === undefined) {
      throw new AdminError(
        404,
        `No emulator admin route '${route}'. Routes: ${Object.keys(ROUTES).join(", ")}.`,
      );
    }
    let body: unknown;
    try {
      body = raw.length === 0 ? undefined : (JSON.parse(raw.toString("utf8")) as unknown);
    } catch (error) {
      throw new AdminError(
        400,
        `The body is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    const answer = await handler(context, body, url);
    sendJson(response, answer.status, answer.body);
  } catch (error) {
    const status = error instanceof AdminError ? error.status : 500;
    sendJson(response, status, {
      error: { code: status === 404 ? "NotFound" : "BadRequest", message: String((error as Error).message) },
    });
  }
}
