/**
 * Picks what the benchmarks restore from the emulator's seeded tenant, in process (no Graph requests,
 * so the request log holds only what the code under test sent): units not on hold, each with its latest
 * restore point, and the Graph property names of each session kind.
 */
import type { Emulator } from "../emulator";
import type { RestoreSessionKind } from "../../provider/model";

/** Per kind: the SDK class, the standard artifact property and the bulk request's list of names. */
export const KIND_NAMES: Record<
  RestoreSessionKind,
  { readonly className: string; readonly standard: string; readonly typedSet: string; readonly label: string }
> = {
  exchange: {
    className: "ExchangeRestoreSession",
    standard: "mailboxRestoreArtifacts",
    typedSet: "exchangeRestoreSessions",
    label: "Exchange",
  },
  sharePoint: {
    className: "SharePointRestoreSession",
    standard: "siteRestoreArtifacts",
    typedSet: "sharePointRestoreSessions",
    label: "SharePoint",
  },
  oneDriveForBusiness: {
    className: "OneDriveForBusinessRestoreSession",
    standard: "driveRestoreArtifacts",
    typedSet: "oneDriveForBusinessRestoreSessions",
    label: "OneDrive",
  },
};

/** The three session kinds, in the order the tables list them. */
export const KINDS: readonly RestoreSessionKind[] = ["exchange", "sharePoint", "oneDriveForBusiness"];

/** A unit to restore: its name (mailbox, site URL or OneDrive owner) and latest restore point. */
export interface UnitPoint {
  readonly name: string;
  readonly restorePointId: string;
}

/** Units of one workload handed out in order, so no two sessions of a run name the same unit. */
export class UnitPicker {
  private next = 0;

  constructor(
    private readonly emulator: Emulator,
    readonly kind: RestoreSessionKind,
  ) {}

  /** The next `count` units not on hold that have a restore point in the last 30 days. */
  take(count: number): UnitPoint[] {
    const tenant = this.emulator.service.tenant;
    const picked: UnitPoint[] = [];
    const since = new Date(this.emulator.clock.nowInMs() - 30 * 86_400_000).toISOString();
    while (picked.length < count) {
      const unit = tenant.unitAt(this.kind, this.next++);
      if (unit === undefined) {
        throw new Error(
          `The emulator has too few ${this.kind} units for the benchmark (needed ${count} more); raise unitsPerWorkload.`,
        );
      }
      if (unit.onHold) {
        continue;
      }
      const name = (this.kind === "sharePoint" ? unit.siteWebUrl : unit.email) ?? "";
      const request =
        this.kind === "sharePoint"
          ? { siteWebUrls: [name] }
          : this.kind === "exchange"
            ? { mailboxes: [name] }
            : { drives: [name] };
      const [point] = tenant.resolveBulkTargets(this.kind, {
        ...request,
        protectionTimePeriod: { startDateTime: since },
        restorePointPreference: "latest",
      }).points;
      if (point !== undefined) {
        picked.push({ name, restorePointId: point.id });
      }
    }
    return picked;
  }
}

/** Standard artifact inputs (restore point ids, restored to a new location). */
export function standardArtifacts(points: readonly UnitPoint[]): { restorePoint: { id: string }; destinationType: "new" }[] {
  return points.map((point) => ({ restorePoint: { id: point.restorePointId }, destinationType: "new" }));
}

/** Units per workload an emulator needs to hand out `count` units not on hold (one in 50 is on hold). */
export function unitsFor(count: number): number {
  return Math.ceil((count * 50) / 49) + 20;
}
