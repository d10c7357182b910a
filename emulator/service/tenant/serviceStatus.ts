/**
 * The backupRestore root: `serviceStatus`, `enable`, and the gate the discovery operations pass.
 *
 * Graph documents `disabled` as the default and does not document the error a restore API returns
 * while the service is disabled or restore-locked (spec §9 item 20). The emulator starts `enabled`, so
 * everything works out of the box, and gates strictly:
 * - `disabled`: the discovery operations (restore points, search, protection units, browse sessions)
 *   are 403 `BackupServiceNotEnabled` (the codes match the restore-session routes' gate);
 * - `restoreLocked`: creating a browse session (it stages a granular restore) is 403 `RestoreLocked`;
 * - `protectionChangeLocked`: restores and discovery work (it only blocks policy changes, which the
 *   emulator does not serve).
 */
import type { EmulatorClock } from "../../clock";
import { GraphServiceError, type GraphRequest, type Route } from "../../contract";
import { checkProperties, objectBody } from "../body";
import { isGuid } from "./ids";
import type { ServiceState, ServiceStatusRecord } from "./types";
import { BASE_PATH, Permission, metadataContext, wireDate } from "./wire";

/** What an operation needs from the service state. */
export type ServiceNeed = "read" | "restore";

const STATES: readonly ServiceState[] = ["disabled", "enabled", "protectionChangeLocked", "restoreLocked"];

/** Throws the 403 the emulator answers when the service state does not allow `need`. */
export function assertServiceAllows(status: ServiceState, need: ServiceNeed): void {
  if (status === "disabled") {
    throw new GraphServiceError(
      403,
      "BackupServiceNotEnabled",
      "Microsoft 365 Backup is not enabled for this tenant. Call POST /solutions/backupRestore/enable first.",
    );
  }
  if (status === "restoreLocked" && need === "restore") {
    throw new GraphServiceError(
      403,
      "RestoreLocked",
      "Restores are locked for this tenant (serviceStatus is restoreLocked).",
    );
  }
}

export class ServiceStatusController {
  private status: ServiceState = "enabled";
  private lastModifiedInMs: number;
  private lastModifiedBy: string | undefined;

  constructor(private readonly clock: EmulatorClock) {
    this.lastModifiedInMs = clock.nowInMs();
  }

  get state(): ServiceState {
    return this.status;
  }

  record(): ServiceStatusRecord {
    return { status: this.status, lastModifiedDateTime: wireDate(this.lastModifiedInMs) };
  }

  set(status: ServiceState, appId?: string): void {
    if (!STATES.includes(status)) {
      throw new RangeError(`serviceStatus must be one of ${STATES.join(", ")}, got ${String(status)}`);
    }
    this.status = status;
    this.lastModifiedInMs = this.clock.nowInMs();
    this.lastModifiedBy = appId;
  }

  json(): Record<string, unknown> {
    return {
      status: this.status,
      disableReason: this.status === "disabled" ? "userRequested" : "none",
      gracePeriodDateTime: null,
      restoreAllowedTillDateTime: null,
      backupServiceConsumer: "thirdparty",
      lastModifiedBy:
        this.lastModifiedBy === undefined
          ? null
          : { application: { id: this.lastModifiedBy }, user: null, device: null },
      lastModifiedDateTime: wireDate(this.lastModifiedInMs),
    };
  }

  routes(tenantId: string): Route[] {
    return [
      {
        method: "GET",
        pattern: BASE_PATH,
        permissions: [Permission.controlRead, Permission.controlReadWrite],
        handle: (request) => ({
          status: 200,
          body: {
            "@odata.context": metadataContext(request, "solutions/backupRestore/$entity"),
            id: tenantId,
            serviceStatus: this.json(),
          },
        }),
      },
      {
        method: "POST",
        pattern: `${BASE_PATH}/enable`,
        permissions: [Permission.controlReadWrite],
        handle: (request) => this.enable(request),
      },
    ];
  }

  private enable(request: GraphRequest): { status: number; body: unknown } {
    const body = objectBody(request.body, "enable takes { appOwnerTenantId }");
    checkProperties(body, {
      allowed: ["appOwnerTenantId"],
      typeName: "microsoft.graph.backupRestoreRoot.enable",
    });
    const owner = body.appOwnerTenantId;
    if (typeof owner !== "string" || !isGuid(owner)) {
      throw new GraphServiceError(
        400,
        "InvalidAppOwnerTenantId",
        "appOwnerTenantId is required and must be the GUID of the tenant that owns the app.",
      );
    }
    // enable turns a disabled service on; it does not lift a lock an administrator set.
    if (this.status === "disabled") {
      this.set("enabled", request.caller.appId);
    }
    return {
      status: 200,
      body: { "@odata.context": metadataContext(request, "microsoft.graph.serviceStatus"), ...this.json() },
    };
  }
}
