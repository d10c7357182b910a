/**
 * What the drill learns from Graph, through the package's own client: live progress while `up` runs,
 * and at the end the sessions and artifacts exactly as Graph reports them (the report's evidence).
 *
 * The drill reads with its own credential (against the emulator, the read-only "auditor" client), so
 * its requests are told apart from the program's in the emulator's request log.
 */
import { createGraphClient, type GraphClient } from "../../provider/graph";
import {
  listArtifacts,
  getRestoreSession,
  listRestoreSessions,
  toArray,
} from "../../provider/graph/backupRestore";
import type { RestoreArtifact, RestoreSessionKind } from "../../provider/model";
import { kindOfSession } from "../../provider/functions/listings";
import { getRestorePointsWith } from "../../provider/functions/restorePoints";
import { resolveSettings } from "../../provider/settings";
import type { ObservedArtifact, ObservedSession } from "./report";
import type { SessionProgress } from "./progress";

/** Settings for the drill's own Graph client: bare `m365-backup` keys, as the functions take them. */
export type ObserverSettings = Readonly<Record<string, string>>;

/** A Graph client for the drill's reads, from explicit settings with the environment as fallback. */
export function createObserverClient(settings: ObserverSettings): GraphClient {
  return createGraphClient(resolveSettings((key) => settings[key]));
}

/** Which sessions belong to this drill while it runs (before the program's outputs name them). */
export interface SessionFilter {
  /** Only sessions created at or after this instant (ms since the epoch). */
  readonly createdSinceInMs: number;
  /** Only sessions created by this application, when known. */
  readonly createdByAppId?: string;
}

function parseTime(value: string | null | undefined): number | undefined {
  const parsed = value ? Date.parse(value) : Number.NaN;
  return Number.isNaN(parsed) ? undefined : parsed;
}

/** One look at every session of this drill: status and counts, for the progress view. */
export async function observeProgress(
  client: GraphClient,
  filter: SessionFilter,
): Promise<SessionProgress[]> {
  const sessions = await toArray(listRestoreSessions(client));
  return sessions.flatMap((session) => {
    const kind = kindOfSession(session);
    const createdAtInMs = parseTime(session.createdDateTime);
    const appId = session.createdBy?.application?.id;
    if (
      kind === null ||
      createdAtInMs === undefined ||
      createdAtInMs < filter.createdSinceInMs ||
      (filter.createdByAppId !== undefined && appId !== undefined && appId !== filter.createdByAppId)
    ) {
      return [];
    }
    const counts = session.restoreSessionArtifactCount ?? {
      total: 0,
      completed: 0,
      failed: 0,
      inProgress: 0,
    };
    const completedAtInMs = parseTime(session.completedDateTime);
    return [
      {
        id: session.id,
        kind,
        status: session.status,
        total: counts.total,
        done: counts.completed + counts.failed,
        failed: counts.failed,
        createdAtInMs,
        ...(completedAtInMs === undefined ? {} : { completedAtInMs }),
      },
    ];
  });
}

/** The restored location of an artifact, in words, from the fields of its kind. */
function restoredLocation(artifact: RestoreArtifact): string | null {
  return artifact.restoredSiteWebUrl ?? artifact.restoredFolderName ?? artifact.restoredSiteName ?? null;
}

/** A session asked for by the program: its id, kind and the names of what it restores (by restore point id). */
export interface SessionToCollect {
  readonly id: string;
  readonly kind: RestoreSessionKind;
  readonly resourceName?: string;
  /** Restore point id → what it is a point of (a mailbox, a site URL, a OneDrive owner). */
  readonly labels?: ReadonlyMap<string, string>;
}

/** The session and every artifact (all pages), as Graph has them now. */
export async function collectSession(
  client: GraphClient,
  wanted: SessionToCollect,
): Promise<ObservedSession> {
  const session = await getRestoreSession(client, wanted.id);
  const artifacts = await toArray(listArtifacts(client, wanted.kind, wanted.id, "standard"));
  return {
    id: session.id,
    kind: wanted.kind,
    ...(wanted.resourceName ? { resourceName: wanted.resourceName } : {}),
    status: session.status,
    createdDateTime: session.createdDateTime ?? "",
    completedDateTime: session.completedDateTime ?? null,
    errorCode: session.error?.code ?? null,
    errorMessage: session.error?.message ?? null,
    artifacts: artifacts.map((artifact): ObservedArtifact => {
      const restorePointId = artifact.restorePoint?.id ?? "";
      const label = wanted.labels?.get(restorePointId);
      return {
        id: artifact.id,
        ...(label ? { label } : {}),
        restorePointId,
        restorePointProtectionDateTime: artifact.restorePoint?.protectionDateTime ?? null,
        restorePointExpirationDateTime: artifact.restorePoint?.expirationDateTime ?? null,
        destinationType: artifact.destinationType ?? null,
        status: artifact.status,
        startDateTime: artifact.startDateTime ?? null,
        completionDateTime: artifact.completionDateTime ?? null,
        errorCode: artifact.error?.code ?? null,
        errorMessage: artifact.error?.message ?? null,
        restoredLocation: restoredLocation(artifact),
      };
    }),
  };
}

/** What the drill program was asked to restore, per kind, at which time. */
export interface DrillTargets {
  readonly restorePointTime: string;
  readonly mailboxes: readonly string[];
  readonly sites: readonly string[];
  readonly oneDriveOwners: readonly string[];
}

/**
 * Restore point id → the name it was chosen for, by asking the same question the selectors asked
 * (latest point at or before the time). Only for the report's labels: a failure here leaves the
 * artifacts labelled by id, never fails the drill.
 */
export async function labelRestorePoints(
  client: GraphClient,
  targets: DrillTargets,
): Promise<Map<string, string>> {
  const labels = new Map<string, string>();
  const lists = [
    { names: targets.mailboxes, args: (names: string[]) => ({ mailboxes: names }) },
    { names: targets.sites, args: (names: string[]) => ({ siteWebUrls: names }) },
    { names: targets.oneDriveOwners, args: (names: string[]) => ({ oneDriveOwners: names }) },
  ];
  for (const list of lists.filter((candidate) => candidate.names.length > 0)) {
    const found = await getRestorePointsWith(client, {
      ...list.args([...list.names]),
      before: targets.restorePointTime,
      preference: "latest",
    });
    for (const unit of found.restorePoints) {
      labels.set(unit.restorePoint.id, unit.target.replace(/^\S+\s+/, ""));
    }
  }
  return labels;
}
