/**
 * What the emulator stores about restore sessions. Statuses are not stored: they are derived from the
 * activation instant and each artifact's plan at read time (see `lifecycle.ts`).
 */
import type { BrowsedItem } from "../tenant/types";
import type { SessionKind } from "./kinds";

/** `destinationType` without `unknownFutureValue`, which callers may not send. */
export type Destination = "new" | "inPlace";

/** What a caller asked to restore, after validation. */
export type ArtifactInput =
  | {
      readonly style: "standard";
      readonly unitId: string;
      readonly restorePointId: string;
      readonly destinationType: Destination;
    }
  | {
      /** Granular site or drive item from a browse session; the artifact id is the item key. */
      readonly style: "browseItem";
      readonly unitId: string;
      readonly restorePointId: string;
      readonly destinationType: Destination;
      readonly browseSessionId: string;
      readonly itemKey: string;
      readonly item: BrowsedItem;
    }
  | {
      /** Granular mailbox items found by a restore point search. */
      readonly style: "mailboxSearch";
      readonly unitId: string;
      readonly restorePointId: string;
      readonly destinationType: Destination;
      readonly searchResponseId: string;
      readonly hitCount: number;
    };

/** Where a successful restore put the data (the kind's restored* fields). */
export type RestoredLocation =
  | {
      readonly shape: "site";
      readonly siteId: string;
      readonly siteName: string;
      readonly siteWebUrl: string;
    }
  | {
      readonly shape: "folder";
      readonly folderId: string;
      readonly folderName: string;
      readonly itemCount: number;
    }
  | {
      readonly shape: "item";
      readonly itemKey: string;
      readonly itemPath: string;
      readonly itemWebUrl: string;
    };

/** A per-artifact error (Graph docs: backup-storage-error-codes). */
export interface ArtifactFailure {
  readonly code: string;
  readonly message: string;
}

/** Fixed at activation: when the artifact moves on, and how it ends. */
export interface ArtifactPlan {
  readonly scheduledAtMs: number;
  readonly startAtMs: number;
  readonly endAtMs: number;
  readonly failure?: ArtifactFailure;
  readonly restored?: RestoredLocation;
}

/** One artifact of a session. */
export interface ArtifactRecord {
  readonly id: string;
  /** 1-based order of addition within the session; keys the seeded jitter. */
  readonly ordinal: number;
  readonly input: ArtifactInput;
  readonly createdAtMs: number;
  plan?: ArtifactPlan;
}

/** The bulk request statuses the emulator produces. */
export type BulkStatus = "active" | "completed" | "completedWithErrors";

/** A bulk addition request (at most one per session). */
export interface BulkRecord {
  readonly id: string;
  /** The validated body, Graph's property names, as sent. */
  readonly fields: Readonly<Record<string, unknown>>;
  status: BulkStatus;
  error?: { code: string; message: string; details: { code: string; message: string; target: string }[] };
  readonly createdAtMs: number;
  readonly createdBy: string;
  lastModifiedAtMs: number;
  lastModifiedBy: string;
  deleted: boolean;
}

/** `restoreJobType` before the evolvable-enum mapping. */
export type JobType = "standard" | "granular" | "bulk";

/** One restore session of any kind. */
export interface SessionRecord {
  readonly id: string;
  readonly kind: SessionKind;
  /** 1-based order of creation; keys the seeded jitter. */
  readonly ordinal: number;
  jobType: JobType;
  artifacts: ArtifactRecord[];
  nextArtifactOrdinal: number;
  /** `@microsoft.graph.conflictBehavior` (beta granular SharePoint and OneDrive). */
  conflictBehavior?: string;
  bulk?: BulkRecord;
  readonly createdAtMs: number;
  readonly createdBy: string;
  lastModifiedAtMs: number;
  lastModifiedBy: string;
  /** Set by activate; everything after `draft` is derived from it. */
  activatedAtMs?: number;
  /** When activation finishes (`activating` → `active`): every artifact is `scheduled` then. */
  scheduledAtMs?: number;
}
