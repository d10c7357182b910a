/**
 * How each artifact of an activated session ends, decided once at activation from the tenant: the
 * documented per-artifact failures (Graph docs: backup-storage-error-codes) and, on success, where the data
 * was restored.
 */
import { SeededRandom, seededGuid } from "../../random";
import type { SeededProtectionUnit, SeededRestorePoint, Tenant } from "../tenant/types";
import { artifactStatusAt, isBusy } from "./lifecycle";
import type {
  ArtifactFailure,
  ArtifactInput,
  ArtifactRecord,
  RestoredLocation,
  SessionRecord,
} from "./model";

/** What deciding an artifact's outcome needs. */
export interface OutcomeContext {
  readonly tenant: Tenant;
  readonly seed: string;
  /** Whether another activated, unfinished session is restoring what this artifact restores. */
  readonly restoredElsewhere: (artifact: ArtifactRecord) => boolean;
  /** The tenant's restore point, looked up once per activation (bulk sessions have thousands). */
  readonly pointOf: (restorePointId: string) => SeededRestorePoint | undefined;
  /** The failure a test scripted for this protection unit, if any (see `SessionStore.scriptArtifactFailure`). */
  readonly scripted: (unitId: string) => "UnknownError" | "ArtifactNotFound" | undefined;
}

/**
 * The context for deciding outcomes at `nowMs`: what the other activated, unfinished sessions are
 * restoring right now.
 */
export function outcomeContext(options: {
  readonly tenant: Tenant;
  readonly seed: string;
  readonly others: readonly SessionRecord[];
  readonly nowMs: number;
  readonly scripted?: OutcomeContext["scripted"];
}): OutcomeContext {
  const busyByUnit = new Map<string, ArtifactInput[]>();
  for (const other of options.others) {
    if (!isBusy(other, options.nowMs)) {
      continue;
    }
    for (const artifact of other.artifacts) {
      const status = artifactStatusAt(artifact, options.nowMs);
      if (status !== "succeeded" && status !== "failed") {
        busyByUnit.set(artifact.input.unitId, [
          ...(busyByUnit.get(artifact.input.unitId) ?? []),
          artifact.input,
        ]);
      }
    }
  }
  const points = new Map<string, SeededRestorePoint | undefined>();
  return {
    tenant: options.tenant,
    seed: options.seed,
    scripted: options.scripted ?? (() => undefined),
    pointOf: (id) => {
      if (!points.has(id)) {
        points.set(id, options.tenant.restorePoint(id));
      }
      return points.get(id);
    },
    restoredElsewhere: (artifact) =>
      (busyByUnit.get(artifact.input.unitId) ?? []).some((other) => conflicts(artifact.input, other)),
  };
}

/** Two restores collide on the same unit, unless both are granular items with different keys. */
function conflicts(a: ArtifactInput, b: ArtifactInput): boolean {
  if (a.unitId !== b.unitId) {
    return false;
  }
  return !(
    a.style === "browseItem" &&
    b.style === "browseItem" &&
    a.itemKey.toLowerCase() !== b.itemKey.toLowerCase()
  );
}

/** The failure of an artifact that starts at `startAtMs`, or undefined when it will succeed. */
export function decideFailure(
  context: OutcomeContext,
  session: SessionRecord,
  artifact: ArtifactRecord,
  startAtMs: number,
): ArtifactFailure | undefined {
  const { tenant } = context;
  const input = artifact.input;
  const scripted = context.scripted(input.unitId);
  if (scripted === "UnknownError") {
    return {
      code: "UnknownError",
      message: `Restoring protection unit '${input.unitId}' failed in the backup service; retry the restore in a new session.`,
    };
  }
  if (scripted === "ArtifactNotFound" || tenant.unit(input.unitId) === undefined) {
    return {
      code: "ArtifactNotFound",
      message: `The data of protection unit '${input.unitId}' at restore point '${input.restorePointId}' no longer exists in the backup.`,
    };
  }
  // SharePoint documents a way round a hold: restore the site to a new URL. Everything else on hold fails.
  const holdBlocks = !(session.kind === "sharePoint" && input.destinationType === "new");
  if (holdBlocks && tenant.isOnHold(input.unitId)) {
    return {
      code: "ArtifactCannotBeRestored",
      message: `Protection unit '${input.unitId}' is under a preservation hold and cannot be restored${
        session.kind === "sharePoint" ? " in place; restore the site to a new URL instead" : ""
      }.`,
    };
  }
  if (context.restoredElsewhere(artifact)) {
    return {
      code: "DuplicateArtifactRestoreRequest",
      message: `Protection unit '${input.unitId}' is already being restored by another active restore session.`,
    };
  }
  const point = context.pointOf(input.restorePointId);
  if (point === undefined || point.expirationDateTime.getTime() <= startAtMs) {
    return {
      code: "InvalidRestoreTime",
      message: `Restore point '${input.restorePointId}' expired${
        point === undefined ? "" : ` at ${point.expirationDateTime.toISOString()}`
      }, before the restore ran; it is beyond the retention period.`,
    };
  }
  return undefined;
}

/** Where a successful restore of this artifact lands: the original location for `inPlace`. */
export function restoredLocation(
  context: OutcomeContext,
  session: SessionRecord,
  artifact: ArtifactRecord,
): RestoredLocation | undefined {
  const input = artifact.input;
  const unit = context.tenant.unit(input.unitId);
  if (unit === undefined) {
    return undefined;
  }
  const isNew = input.destinationType === "new";
  const newId = seededGuid(context.seed, `restored/${session.ordinal}/${artifact.ordinal}`);
  const point = context.pointOf(input.restorePointId);
  const day = (point?.protectionDateTime ?? new Date(artifact.createdAtMs)).toISOString().slice(0, 10);
  switch (input.style) {
    case "standard":
      if (session.kind === "exchange") {
        return mailboxFolder(context, unit, isNew, newId, day, itemCount(context, session, artifact));
      }
      return site(context, unit, isNew, newId, session.ordinal);
    case "mailboxSearch":
      return mailboxFolder(context, unit, isNew, newId, day, input.hitCount);
    case "browseItem": {
      if (!isNew) {
        return {
          shape: "item",
          itemKey: input.itemKey,
          itemPath: input.item.path,
          itemWebUrl: input.item.webUrl,
        };
      }
      // One folder per session (restoredItemPath), in the site's default library; each item keeps its
      // path below its own library inside that folder.
      const [, root = "", site = "", library = "", ...below] = input.item.path.split("/");
      const folder = `/${root}/${site}/${session.kind === "sharePoint" ? "Shared Documents" : "Documents"}/Restored-${day}-${session.ordinal}`;
      const restoredPath = `${folder}/${library}/${below.join("/")}`.replace(/\/+$/, "");
      const parts = input.itemKey.split(",").length;
      const itemKey = Array.from({ length: parts }, (_, i) => seededGuid(newId, `part/${i}`)).join(",");
      return {
        shape: "item",
        itemKey,
        itemPath: folder,
        itemWebUrl: new URL(encodeURI(restoredPath), input.item.webUrl).toString(),
      };
    }
  }
}

function site(
  context: OutcomeContext,
  unit: SeededProtectionUnit,
  isNew: boolean,
  newId: string,
  sessionOrdinal: number,
): RestoredLocation {
  const original = siteOf(context, unit);
  if (!isNew) {
    return { shape: "site", ...original };
  }
  return {
    shape: "site",
    siteId: newId,
    siteName: original.siteName,
    siteWebUrl: `${original.siteWebUrl}R${sessionOrdinal}`,
  };
}

/** A unit's site: the site itself, or the OneDrive's personal site. Ids are the site collection GUID. */
function siteOf(
  context: OutcomeContext,
  unit: SeededProtectionUnit,
): { siteId: string; siteName: string; siteWebUrl: string } {
  if (unit.workload === "sharePoint") {
    const parts = (unit.siteId ?? unit.id).split(",");
    return {
      siteId: parts.length === 3 ? (parts[1] ?? unit.id) : (parts[0] ?? unit.id),
      siteName: unit.siteName ?? unit.id,
      siteWebUrl: unit.siteWebUrl ?? `https://${tenantName(context)}.sharepoint.com/sites/${unit.id}`,
    };
  }
  const account = (unit.email ?? unit.id).replace(/[@.]/g, "_");
  return {
    siteId: seededGuid(context.seed, `onedrive-site/${unit.id}`),
    siteName: unit.displayName ?? unit.email ?? unit.id,
    siteWebUrl: `https://${tenantName(context)}-my.sharepoint.com/personal/${account}`,
  };
}

function tenantName(context: OutcomeContext): string {
  return context.tenant.domain.split(".")[0] ?? "contoso";
}

function mailboxFolder(
  context: OutcomeContext,
  unit: SeededProtectionUnit,
  isNew: boolean,
  newId: string,
  day: string,
  count: number,
): RestoredLocation {
  if (!isNew) {
    return {
      shape: "folder",
      folderId: seededGuid(context.seed, `mailbox-root/${unit.id}`),
      folderName: "Top of Information Store",
      itemCount: count,
    };
  }
  return { shape: "folder", folderId: newId, folderName: `Restored-${day}`, itemCount: count };
}

function itemCount(context: OutcomeContext, session: SessionRecord, artifact: ArtifactRecord): number {
  return new SeededRandom(`${context.seed}/items/${session.ordinal}/${artifact.ordinal}`).integer(20, 5000);
}
