/**
 * The emulated Microsoft Graph backup-restore service: the seeded tenant's discovery routes and the
 * restore sessions, behind one {@link Router}. The HTTP server hands it verified requests
 * (`tools/emulator/contract.ts`); see `docs/emulator-sessions.md` for what is emulated and every choice made
 * where Graph's documentation is silent.
 */
import type { EmulatorClock } from "../clock";
import type { GraphRequest, GraphResponse, GraphService } from "../contract";
import { Router } from "./router";
import { sessionRoutes } from "./sessions/routes";
import { SessionStore, type ScriptedArtifactFailure } from "./sessions/store";
import { createTenant } from "./tenant";
import type { BillingProfileState, ServiceState, Tenant } from "./tenant/types";

/** Settings of {@link createGraphService}; `startEmulator` passes its own options through. */
export interface GraphServiceOptions {
  readonly seed: string;
  /** Protection units per workload in the seeded tenant. */
  readonly unitsPerWorkload: number;
  /** Typical time one artifact takes from scheduled to done, in emulator milliseconds. */
  readonly restoreMs: number;
  /** Page size of every paged list. */
  readonly pageSize: number;
  readonly clock: EmulatorClock;
  /** Sessions that may be `activating` or `active` at once; Graph's documented limit is 25. */
  readonly maxActiveSessions?: number;
}

/** The service plus the handles tests and the admin route use. */
export interface EmulatedGraphService extends GraphService {
  readonly tenant: Tenant;
  /** Switches the tenant's `serviceStatus` (`restoreLocked` or `disabled` block restore writes). */
  setServiceStatus(status: string): void;
  /** Ids of the restore sessions that exist, oldest first. */
  sessionIds(): string[];
  /**
   * The next `times` (default 1) DELETEs of draft session `sessionId` delete part of its artifacts and
   * answer 500 `IncompleteArtifactDeletion`; the one after completes. `times` 0 clears it.
   */
  scriptIncompleteDeletion(sessionId: string, times?: number): void;
  /**
   * Artifacts of protection unit `unitId` in sessions activated from now on fail with `code`
   * (`UnknownError` or `ArtifactNotFound`); `null` clears.
   */
  scriptArtifactFailure(unitId: string, code: string | null): void;
  /** The tenant billing profile `enable` checks: `valid` (default), `unreadable` (403) or `invalid` (402). */
  setBillingProfile(state: string): void;
  /** Replaces the app ids treated as internal Microsoft apps (default: Microsoft Graph PowerShell's). */
  setInternalAppIds(appIds: readonly string[]): void;
}

const BILLING_STATES: readonly BillingProfileState[] = ["valid", "unreadable", "invalid"];

const SERVICE_STATES: readonly ServiceState[] = [
  "disabled",
  "enabled",
  "protectionChangeLocked",
  "restoreLocked",
];

/** Default active-session cap (Graph docs: restoresessionbase-activate). */
export const MAX_ACTIVE_SESSIONS = 25;

/**
 * Builds the service: the seeded tenant, the restore-session store and one router over both.
 *
 * @example
 * const service = createGraphService({ seed: "demo", unitsPerWorkload: 20, restoreMs: 2000, pageSize: 10, clock: new EmulatorClock() });
 * const response = await service.handle(request);
 */
export function createGraphService(options: GraphServiceOptions): EmulatedGraphService {
  if (!Number.isFinite(options.restoreMs) || options.restoreMs < 0) {
    throw new RangeError(`restoreMs must be a non-negative number of milliseconds, got ${options.restoreMs}`);
  }
  if (!Number.isInteger(options.pageSize) || options.pageSize < 1) {
    throw new RangeError(`pageSize must be a positive integer, got ${options.pageSize}`);
  }
  const tenant = createTenant({
    seed: options.seed,
    unitsPerWorkload: options.unitsPerWorkload,
    clock: options.clock,
    pageSize: options.pageSize,
  });
  const store = new SessionStore({
    tenant,
    clock: options.clock,
    timing: { seed: options.seed, restoreMs: options.restoreMs },
    maxActiveSessions: options.maxActiveSessions ?? MAX_ACTIVE_SESSIONS,
  });
  const router = new Router([
    ...tenant.routes(),
    ...sessionRoutes({ store, tenant, clock: options.clock, pageSize: options.pageSize }),
  ]);
  return {
    clock: options.clock,
    tenant,
    handle: (request: GraphRequest): Promise<GraphResponse> => router.handle(request),
    setServiceStatus(status: string): void {
      const state = SERVICE_STATES.find((s) => s === status);
      if (state === undefined) {
        throw new RangeError(`serviceStatus must be one of ${SERVICE_STATES.join(", ")}, got '${status}'`);
      }
      tenant.setServiceStatus(state);
    },
    sessionIds: () => store.ids(),
    scriptIncompleteDeletion: (sessionId, times) => store.scriptIncompleteDeletion(sessionId, times),
    scriptArtifactFailure: (unitId, code) =>
      store.scriptArtifactFailure(unitId, code as ScriptedArtifactFailure | null),
    setBillingProfile(state: string): void {
      const known = BILLING_STATES.find((s) => s === state);
      if (known === undefined) {
        throw new RangeError(`billingProfile must be one of ${BILLING_STATES.join(", ")}, got '${state}'`);
      }
      tenant.setBillingProfile(known);
    },
    setInternalAppIds: (appIds) => tenant.setInternalAppIds(appIds),
  };
}
