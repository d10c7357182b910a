/**
 * What every restore-session route handler shares: the store, the tenant, the clock, and the few
 * steps they all take (find a session, render it at an instant, check the service status).
 */
import { GraphServiceError, type GraphRequest, type GraphResponse } from "../../contract";
import type { EmulatorClock } from "../../clock";
import type { Tenant } from "../tenant/types";
import type { SessionKind } from "./kinds";
import type { SessionRecord } from "./model";
import { metadataUrl, renderSession, type RenderContext } from "./render";
import type { SessionStore } from "./store";

/** Base path of every backup-restore route. */
export const ROOT = "/solutions/backupRestore";
/** The only query option of the paged lists. */
export const PAGED = ["$skiptoken"];

/** What the restore-session routes are built from. */
export interface SessionRouteOptions {
  readonly store: SessionStore;
  readonly tenant: Tenant;
  readonly clock: EmulatorClock;
  readonly pageSize: number;
}

/** Shared by every restore-session route handler. */
export class RouteContext {
  readonly store: SessionStore;
  readonly tenant: Tenant;
  readonly pageSize: number;
  private readonly clock: EmulatorClock;

  constructor(options: SessionRouteOptions) {
    this.store = options.store;
    this.tenant = options.tenant;
    this.clock = options.clock;
    this.pageSize = options.pageSize;
  }

  /** Rendering at `atMs` (default: now on the emulator clock). */
  render(request: GraphRequest, atMs = this.clock.nowInMs()): RenderContext {
    return { request, tenant: this.tenant, nowMs: atMs };
  }

  /** The session with a GUID id, of `kind` when reached through a typed collection. */
  find(
    id: string | undefined,
    kind: SessionKind | undefined,
    malformed: (id: string) => GraphServiceError,
  ): SessionRecord {
    return this.store.require(id ?? "", kind, malformed);
  }

  /** One session as a 200; `atMs` pins the instant (activate answers as of activation: `activating`). */
  entity(request: GraphRequest, set: string, session: SessionRecord, atMs?: number): GraphResponse {
    return {
      status: 200,
      body: {
        "@odata.context": `${metadataUrl(request)}#solutions/backupRestore/${set}/$entity`,
        ...renderSession(session, this.render(request, atMs)),
      },
    };
  }

  /**
   * Restore writes need the service `enabled` (or `protectionChangeLocked`, which blocks only policy
   * changes). The documentation does not say what Graph answers otherwise; these two 403s are ours.
   */
  assertRestoresAllowed(): void {
    const { status } = this.tenant.serviceStatus();
    if (status === "disabled") {
      throw new GraphServiceError(
        403,
        "BackupServiceNotEnabled",
        "Microsoft 365 Backup is not enabled for this tenant (serviceStatus 'disabled'): restore sessions cannot be " +
          "created, changed or activated until the service is enabled.",
      );
    }
    if (status === "restoreLocked") {
      throw new GraphServiceError(
        403,
        "RestoreLocked",
        "Restores are locked for this tenant (serviceStatus 'restoreLocked'): restore sessions cannot be created, " +
          "changed or activated until the lock is lifted.",
      );
    }
  }
}
