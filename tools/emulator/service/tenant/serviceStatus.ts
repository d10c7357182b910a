/**
 * The backupRestore root: `serviceStatus`, `enable`, and the gate the discovery operations pass.
 *
 * Graph documents `disabled` as the default and does not document the error a restore API returns
 * while the service is disabled or restore-locked (Graph docs: resources/servicestatus; see
 * docs/emulator-sessions.md, gap 20). The emulator starts `enabled`, so everything works out of the box, and
 * gates strictly:
 * - `disabled`: the discovery operations (restore points, search, protection units, browse sessions)
 *   are 403 `BackupServiceNotEnabled` (the codes match the restore-session routes' gate);
 * - `restoreLocked`: creating a browse session (it stages a granular restore) is 403 `RestoreLocked`;
 * - `protectionChangeLocked`: restores and discovery work (it only blocks policy changes, which the
 *   emulator does not serve).
 *
 * The tenant also has a billing profile state and a list of internal Microsoft app ids (see
 * `docs/emulator-tenant.md`): `enable` answers 403 `UnableToReadBillingProfile` or 402
 * `InvalidBillingProfile` when billing is `unreadable` or `invalid`, and the root GET and `enable` answer
 * 403 `Forbidden` to a caller whose app id is on the internal list (Microsoft Graph PowerShell's by default).
 */
import type { EmulatorClock } from "../../clock";
import { GraphServiceError, type GraphRequest, type Route } from "../../contract";
import { checkProperties, objectBody } from "../body";
import { isGuid } from "./ids";
import type { BillingProfileState, ServiceState, ServiceStatusRecord } from "./types";
import { BASE_PATH, Permission, metadataContext, wireDate } from "./wire";

/**
 * Microsoft Graph PowerShell's public client id: an allow-listed internal app (Graph docs:
 * backup-storage-error-codes).
 */
export const GRAPH_POWERSHELL_APP_ID = "14d82eec-204b-4c2f-b7e8-296a70dab67e";

const BILLING_STATES: readonly BillingProfileState[] = ["valid", "unreadable", "invalid"];

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
  private billing: BillingProfileState = "valid";
  private internalApps: string[] = [GRAPH_POWERSHELL_APP_ID];

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

  /** The billing profile state `enable` checks. */
  get billingProfile(): BillingProfileState {
    return this.billing;
  }

  setBillingProfile(state: BillingProfileState): void {
    if (!BILLING_STATES.includes(state)) {
      throw new RangeError(
        `billingProfile must be one of ${BILLING_STATES.join(", ")}, got ${String(state)}`,
      );
    }
    this.billing = state;
  }

  /** App ids treated as allow-listed internal Microsoft apps, lower case. */
  get internalAppIds(): readonly string[] {
    return [...this.internalApps];
  }

  /** Replaces the internal app list (pass `[]` to allow every app). */
  setInternalAppIds(appIds: readonly string[]): void {
    const bad = appIds.find((id) => typeof id !== "string" || !isGuid(id));
    if (bad !== undefined) {
      throw new RangeError(`internalAppIds must be GUIDs, got ${String(bad)}`);
    }
    this.internalApps = appIds.map((id) => id.toLowerCase());
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
        handle: (request) => {
          this.assertNotInternalApp(request);
          return {
            status: 200,
            body: {
              "@odata.context": metadataContext(request, "solutions/backupRestore/$entity"),
              id: tenantId,
              serviceStatus: this.json(),
            },
          };
        },
      },
      {
        method: "POST",
        pattern: `${BASE_PATH}/enable`,
        permissions: [Permission.controlReadWrite],
        handle: (request) => this.enable(request),
      },
    ];
  }

  private assertNotInternalApp(request: GraphRequest): void {
    if (this.internalApps.includes(request.caller.appId.toLowerCase())) {
      throw new GraphServiceError(
        403,
        "Forbidden",
        `App '${request.caller.appId}' is an allow-listed internal Microsoft app and cannot call the backupRestore root or enable.`,
      );
    }
  }

  /**
   * Graph documents the codes only; the emulator checks the body first, then billing (Graph docs:
   * backup-storage-error-codes).
   */
  private assertBillingReadable(): void {
    if (this.billing === "unreadable") {
      throw new GraphServiceError(
        403,
        "UnableToReadBillingProfile",
        "The tenant's billing profile could not be read; check the Microsoft 365 Backup billing setup (Syntex pay-as-you-go) and retry.",
      );
    }
    if (this.billing === "invalid") {
      throw new GraphServiceError(
        402,
        "InvalidBillingProfile",
        "The tenant's billing profile is not valid for Microsoft 365 Backup; link a valid Azure subscription in the Microsoft 365 admin center.",
      );
    }
  }

  private enable(request: GraphRequest): { status: number; body: unknown } {
    this.assertNotInternalApp(request);
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
    this.assertBillingReadable();
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
