/**
 * The drill report: what a restore drill did, from which restore points, how long each restore took
 * and whether the recovery time objective (RTO) was met.
 *
 * Two layers. {@link DrillFacts} is what the drill observed (sessions and artifacts as Graph reports
 * them, plus how the run was made); {@link DrillReport} is the evidence derived from it by
 * `buildDrillReport`, the single object every renderer (JSON, Markdown, HTML) reads. Times are ISO
 * 8601 strings as Graph sends them; durations carry their unit in the name.
 */
import type { DestinationType, RestoreSessionKind } from "../../../provider/model";

/** How the drill program was run. */
export type DrillMode = "automationApi" | "lifecycleRunner";

/** Where the drill ran: the local emulator (the default) or a real Microsoft 365 tenant. */
export interface DrillTarget {
  readonly kind: "emulator" | "realTenant";
  readonly tenantId: string;
  /** Graph base URL without the version, e.g. `https://graph.microsoft.com`. */
  readonly graphEndpoint: string;
  readonly apiVersion: string;
}

/** One artifact as observed in Graph at the end of the drill. */
export interface ObservedArtifact {
  readonly id: string;
  /** What was restored, in words (a mailbox address, a site URL, a OneDrive owner); optional. */
  readonly label?: string;
  readonly restorePointId: string;
  readonly restorePointProtectionDateTime?: string | null;
  readonly restorePointExpirationDateTime?: string | null;
  readonly destinationType?: DestinationType | null;
  /** Graph's `artifactRestoreStatus`. */
  readonly status: string;
  readonly startDateTime?: string | null;
  readonly completionDateTime?: string | null;
  readonly errorCode?: string | null;
  readonly errorMessage?: string | null;
  /** Where the content was restored to (site URL, folder name), when Graph reports it. */
  readonly restoredLocation?: string | null;
}

/** One restore session as observed in Graph at the end of the drill. */
export interface ObservedSession {
  readonly id: string;
  readonly kind: RestoreSessionKind;
  /** The Pulumi resource name that declared it, when known. */
  readonly resourceName?: string;
  /** Graph's `restoreSessionStatus`. */
  readonly status: string;
  readonly createdDateTime: string;
  readonly completedDateTime?: string | null;
  readonly errorCode?: string | null;
  readonly errorMessage?: string | null;
  readonly artifacts: readonly ObservedArtifact[];
}

/**
 * Graph requests the drill program made (the drill's own progress reads are not counted), from the
 * emulator's request log; absent against a real tenant.
 */
export interface RequestCounts {
  readonly total: number;
  /** Requests that change something: POST, PATCH, DELETE, except POSTs that only read (search, browse). */
  readonly writes: number;
  /** Keyed by `METHOD` (e.g. `GET`). */
  readonly byMethod: Readonly<Record<string, number>>;
}

/** Everything the drill observed; the only input of `buildDrillReport`. */
export interface DrillFacts {
  readonly title?: string;
  readonly mode: DrillMode;
  readonly target: DrillTarget;
  /** Local wall-clock start and end of the whole drill run. */
  readonly startedDateTime: string;
  readonly endedDateTime: string;
  /** When the report was produced (defaults to `endedDateTime`). */
  readonly generatedDateTime?: string;
  readonly targetRtoInMinutes: number;
  /** The point in time the drill restores to (the selectors' `restorePointTime`), when one was used. */
  readonly restorePointTime?: string;
  readonly sessions: readonly ObservedSession[];
  readonly requests?: RequestCounts;
  /** Set when the run itself failed (e.g. `pulumi up` reported an error); the text is kept verbatim. */
  readonly runError?: string;
  /** Name and version of the tool that ran the drill. */
  readonly generator: { readonly name: string; readonly version: string };
}

/** How one artifact ended, for the chart's colours and the tables. */
export type ArtifactOutcome = "succeeded" | "failed" | "notFinished";

/**
 * `passed`: every artifact restored and every workload within the target RTO. `failed`: an artifact
 * failed or a workload missed the target. `incomplete`: the run failed or a session never finished.
 */
export type DrillOutcome = "passed" | "failed" | "incomplete";

export interface ReportRestorePoint {
  readonly id: string;
  readonly protectionDateTime: string | null;
  readonly expirationDateTime: string | null;
  /** Age of the point when its session was created (how much data the restore can lose). */
  readonly ageAtRestoreInMinutes: number | null;
}

export interface ReportArtifact {
  readonly id: string;
  readonly label: string;
  readonly restorePoint: ReportRestorePoint;
  readonly destinationType: string | null;
  readonly status: string;
  readonly outcome: ArtifactOutcome;
  readonly startDateTime: string | null;
  readonly completionDateTime: string | null;
  /** From the artifact's start to its completion. */
  readonly durationInSeconds: number | null;
  /** From the session's creation to the artifact's completion: the recovery time of this item. */
  readonly recoveryTimeInSeconds: number | null;
  readonly errorCode: string | null;
  readonly errorMessage: string | null;
  readonly restoredLocation: string | null;
}

export interface OutcomeCounts {
  readonly total: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly notFinished: number;
}

export interface ReportSession {
  readonly id: string;
  readonly kind: RestoreSessionKind;
  readonly workloadName: string;
  readonly resourceName: string | null;
  readonly status: string;
  readonly createdDateTime: string;
  readonly completedDateTime: string | null;
  readonly durationInSeconds: number | null;
  readonly errorCode: string | null;
  readonly errorMessage: string | null;
  readonly counts: OutcomeCounts;
  readonly artifacts: readonly ReportArtifact[];
}

/** Recovery-time statistics over the restored artifacts of one workload. */
export interface RecoveryTimeFigures {
  readonly medianInSeconds: number;
  readonly p95InSeconds: number;
  readonly maxInSeconds: number;
}

/** `met`: all restored within the target. `missed`: restored, but slower. `notRecovered`: an item failed or never finished. */
export type RtoVerdict = "met" | "missed" | "notRecovered";

export interface WorkloadRecovery {
  readonly kind: RestoreSessionKind;
  readonly workloadName: string;
  readonly counts: OutcomeCounts;
  /** Null when nothing of this workload was restored. */
  readonly recoveryTime: RecoveryTimeFigures | null;
  readonly verdict: RtoVerdict;
}

export interface ErrorCodeCount {
  readonly code: string;
  readonly count: number;
}

/** The drill report: what `report.json` holds and what the Markdown and HTML show. */
export interface DrillReport {
  readonly schemaVersion: 1;
  readonly title: string;
  readonly generatedDateTime: string;
  readonly generator: { readonly name: string; readonly version: string };
  readonly mode: DrillMode;
  readonly target: DrillTarget;
  readonly run: {
    readonly startedDateTime: string;
    readonly endedDateTime: string;
    readonly durationInSeconds: number;
    readonly error: string | null;
  };
  readonly restorePointTime: string | null;
  readonly targetRtoInMinutes: number;
  readonly outcome: DrillOutcome;
  /** Why the outcome is what it is, one sentence each; empty when passed. */
  readonly outcomeReasons: readonly string[];
  readonly counts: OutcomeCounts & { readonly sessions: number };
  readonly workloads: readonly WorkloadRecovery[];
  readonly sessions: readonly ReportSession[];
  readonly errorCodes: readonly ErrorCodeCount[];
  readonly requests: RequestCounts | null;
}

/** Human names of the workloads, in the order reports list them. */
export const WORKLOAD_NAMES: Readonly<Record<RestoreSessionKind, string>> = {
  exchange: "Exchange Online (mailboxes)",
  sharePoint: "SharePoint Online (sites)",
  oneDriveForBusiness: "OneDrive for Business",
};

export const WORKLOAD_ORDER: readonly RestoreSessionKind[] = [
  "exchange",
  "sharePoint",
  "oneDriveForBusiness",
];

/** Human names of the run modes. */
export const MODE_NAMES: Readonly<Record<DrillMode, string>> = {
  automationApi: "Pulumi Automation API (pulumi CLI, temporary local backend)",
  lifecycleRunner: "lifecycle runner (Pulumi SDK dynamic-provider host over gRPC, no CLI)",
};
