/**
 * `browseRestorePoint`: what a site's or a OneDrive's fast restore point holds under a path, through a
 * browse session that is reused while it lives (so re-running names the same items) or opened once.
 *
 * Paths are read below the site (SharePoint) or the OneDrive: the first segment names a document
 * library by its name (`Documents`) or its URL name (`Shared Documents`), the next ones folders and
 * files by name; case does not matter. Every listing is read to its last page.
 */
import type { GraphClient } from "../graph";
import {
  browseItems,
  createBrowseSession,
  getBrowseSession,
  listBrowseSessions,
  type BrowseItem,
  type BrowseKind,
  type BrowseLocation,
  type BrowseSession,
} from "../graph/browse";
import { toArray } from "../graph/backupRestore";
import { resolveSelectors, type ChosenRestorePoint } from "./resolve";
import type { SelectorPreference } from "./selectors";

/** A browse session closer to its expiry than this is not reused: a restore may take a while to set up. */
export const BROWSE_REUSE_MARGIN_IN_MS = 60 * 60 * 1000;
/** How long to wait for a new browse session to become `created`. */
export const BROWSE_READY_TIMEOUT_IN_MS = 2 * 60 * 1000;
const FIRST_POLL_IN_MS = 100;
const MAX_POLL_IN_MS = 5_000;

/** Arguments of {@link browseRestorePointWith}: a unit and a time, or a restore point id and its kind. */
export interface BrowseRestorePointArgs {
  siteWebUrl?: string;
  oneDriveOwner?: string;
  /** With `kind`. */
  protectionUnitId?: string;
  /** Needed with `protectionUnitId` or `restorePointId`. */
  kind?: BrowseKind;
  /** ISO instant with a zone; the fast restore point it means is browsed. */
  restorePointTime?: string;
  /** Default `latest` (at or before the time). */
  restorePointPreference?: SelectorPreference;
  /** A fast restore point id, instead of a unit and a time. */
  restorePointId?: string;
  /** Below the site or OneDrive; default `/` (the top level). */
  path?: string;
}

/** What {@link browseRestorePointWith} found. */
export interface BrowseRestorePointResult {
  kind: BrowseKind;
  /** Absent when the caller gave `restorePointId`. */
  protectionUnitId: string | null;
  restorePoint: Pick<ChosenRestorePoint, "id"> & Partial<ChosenRestorePoint>;
  browseSession: { id: string; status: string; expirationDateTime: string | null; reused: boolean };
  path: string;
  /** The item at `path`; null for the top level. */
  location: BrowseItem | null;
  /** What is under `path` (empty for a file), every page. */
  items: BrowseItem[];
}

/** Options for tests and long waits. */
export interface BrowseOptions {
  abortSignal?: AbortSignal;
  nowInMs?: () => number;
  sleep?: (delayInMs: number) => Promise<void>;
}

/** The path split into segments; `/`, `` and `.` segments dropped, `..` refused. */
export function pathSegments(path: string): string[] {
  const segments = path.split("/").filter((segment) => segment !== "" && segment !== ".");
  if (segments.includes("..")) {
    throw new TypeError(`path ${JSON.stringify(path)} contains "..": write the path from the library down.`);
  }
  return segments;
}

/** Same path, written one way: `/Shared Documents/Finance` (what state records and diff compares). */
export function normalizePath(path: string): string {
  return `/${pathSegments(path).join("/")}`;
}

/**
 * Lists a fast restore point under a path.
 *
 * @example
 * const found = await browseRestorePointWith(client, {
 *   siteWebUrl: "https://contoso.sharepoint.com/sites/finance",
 *   restorePointTime: "2026-11-20T09:00:00Z",
 *   path: "/Shared Documents/Reports",
 * });
 */
export async function browseRestorePointWith(
  client: GraphClient,
  args: BrowseRestorePointArgs,
  options: BrowseOptions = {},
): Promise<BrowseRestorePointResult> {
  const { kind, protectionUnitId, restorePoint } = await restorePointToBrowse(client, args, options);
  const { session, reused } = await openBrowseSession(client, kind, restorePoint.id, options);
  const path = normalizePath(args.path ?? "/");
  const walker = new BrowseWalker(client, kind, session.id, options.abortSignal);
  const location = await walker.find(path);
  const items = location?.type === "file" ? [] : await walker.children(location);
  return {
    kind,
    protectionUnitId,
    restorePoint,
    browseSession: {
      id: session.id,
      status: session.status,
      expirationDateTime: session.expirationDateTime,
      reused,
    },
    path,
    location: location ?? null,
    items,
  };
}

async function restorePointToBrowse(
  client: GraphClient,
  args: BrowseRestorePointArgs,
  options: BrowseOptions,
): Promise<{
  kind: BrowseKind;
  protectionUnitId: string | null;
  restorePoint: BrowseRestorePointResult["restorePoint"];
}> {
  const kind: BrowseKind | undefined =
    args.siteWebUrl !== undefined
      ? "sharePoint"
      : args.oneDriveOwner !== undefined
        ? "oneDriveForBusiness"
        : args.kind;
  if (kind !== "sharePoint" && kind !== "oneDriveForBusiness") {
    throw new TypeError(
      'Name what to browse: siteWebUrl, oneDriveOwner, or protectionUnitId / restorePointId with kind "sharePoint" or "oneDriveForBusiness".',
    );
  }
  if (args.restorePointId !== undefined) {
    return { kind, protectionUnitId: null, restorePoint: { id: args.restorePointId } };
  }
  if (args.restorePointTime === undefined) {
    throw new TypeError("Give restorePointTime (an ISO instant with a zone) or restorePointId.");
  }
  const [resolved] = await resolveSelectors(
    client,
    kind,
    [
      {
        ...(args.siteWebUrl === undefined ? {} : { siteWebUrl: args.siteWebUrl }),
        ...(args.oneDriveOwner === undefined ? {} : { oneDriveOwner: args.oneDriveOwner }),
        ...(args.protectionUnitId === undefined ? {} : { protectionUnitId: args.protectionUnitId }),
        restorePointTime: args.restorePointTime,
        restorePointPreference: args.restorePointPreference ?? "latest",
        // Only fast restore points can be browsed.
        tags: "fastRestore",
      },
    ],
    { abortSignal: options.abortSignal },
  );
  return { kind, protectionUnitId: resolved.protectionUnitId, restorePoint: resolved.restorePoint };
}

/**
 * A `created` browse session on the restore point: a live one already open on it (not expiring within
 * {@link BROWSE_REUSE_MARGIN_IN_MS}), else a new one, polled until it is ready.
 */
export async function openBrowseSession(
  client: GraphClient,
  kind: BrowseKind,
  restorePointId: string,
  options: BrowseOptions = {},
): Promise<{ session: BrowseSession; reused: boolean }> {
  const now = options.nowInMs ?? (() => Date.now());
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const open = (await toArray(listBrowseSessions(client, kind, { abortSignal: options.abortSignal })))
    .filter(
      (session) =>
        session.restorePointId === restorePointId &&
        (session.status === "created" || session.status === "creating") &&
        Date.parse(session.expirationDateTime ?? "") - now() > BROWSE_REUSE_MARGIN_IN_MS,
    )
    // The newest first, so every run picks the same one.
    .sort((a, b) => ((a.createdDateTime ?? "") < (b.createdDateTime ?? "") ? 1 : -1));
  let session =
    open[0] ??
    (await createBrowseSession(client, kind, restorePointId, { abortSignal: options.abortSignal }));
  const deadline = now() + BROWSE_READY_TIMEOUT_IN_MS;
  for (
    let delay = FIRST_POLL_IN_MS;
    session.status !== "created";
    delay = Math.min(delay * 2, MAX_POLL_IN_MS)
  ) {
    if (session.status !== "creating" || now() > deadline) {
      throw new Error(
        `Browse session ${session.id} on restore point ${restorePointId} is ${session.status}, not created` +
          `${session.status === "creating" ? ` after ${BROWSE_READY_TIMEOUT_IN_MS / 1000} s` : ""}; try again later.`,
      );
    }
    await sleep(delay);
    session = await getBrowseSession(client, kind, session.id, { abortSignal: options.abortSignal });
  }
  return { session, reused: open[0] !== undefined };
}

/** A path that names nothing in the restore point. */
export class BrowsePathNotFoundError extends Error {
  constructor(
    readonly path: string,
    readonly missing: string,
    readonly available: readonly string[],
  ) {
    const shown = available.slice(0, 12).map((name) => JSON.stringify(name));
    super(
      `Nothing named ${JSON.stringify(missing)} in the restore point at ${JSON.stringify(path)}` +
        (shown.length === 0
          ? " (that location is empty)."
          : `; there is: ${shown.join(", ")}${available.length > shown.length ? ", ..." : ""}.`),
    );
    this.name = "BrowsePathNotFoundError";
  }
}

/** Walks one browse session by path, listing each location once (every page). */
export class BrowseWalker {
  private readonly listings = new Map<string, Promise<BrowseItem[]>>();

  constructor(
    private readonly client: GraphClient,
    private readonly kind: BrowseKind,
    private readonly sessionId: string,
    private readonly abortSignal?: AbortSignal,
  ) {}

  /** The items at a location (the top level for undefined). */
  children(location: BrowseItem | undefined): Promise<BrowseItem[]> {
    const key = location?.itemKey ?? "";
    let listing = this.listings.get(key);
    if (listing === undefined) {
      const where: BrowseLocation | undefined =
        location === undefined ? undefined : { itemKey: location.itemKey, type: browsableType(location) };
      listing = toArray(
        browseItems(this.client, this.kind, this.sessionId, where, { abortSignal: this.abortSignal }),
      );
      this.listings.set(key, listing);
    }
    return listing;
  }

  /** The item a path names; undefined for `/`. SharePoint paths start below the site. */
  async find(path: string): Promise<BrowseItem | undefined> {
    let location: BrowseItem | undefined;
    if (this.kind === "sharePoint") {
      const top = await this.children(undefined);
      location = top.find((item) => item.type === "site") ?? top[0];
      if (pathSegments(path).length === 0) return undefined;
    }
    const walked: string[] = [];
    for (const segment of pathSegments(path)) {
      if (location?.type === "file") {
        throw new BrowsePathNotFoundError(`/${walked.join("/")}`, segment, []);
      }
      const items = await this.children(location);
      const wanted = segment.toLowerCase();
      const found =
        items.find((item) => item.name.toLowerCase() === wanted) ??
        items.find((item) => urlName(item) === wanted);
      if (found === undefined) {
        throw new BrowsePathNotFoundError(
          `/${walked.join("/")}`,
          segment,
          items.map((item) => item.name),
        );
      }
      walked.push(segment);
      location = found;
    }
    return location;
  }
}

/** The last segment of an item's web URL, decoded and lower-cased: a library's URL name. */
function urlName(item: BrowseItem): string | undefined {
  if (item.webUrl === null) return undefined;
  try {
    const segments = new URL(item.webUrl).pathname.split("/").filter((segment) => segment !== "");
    const last = segments[segments.length - 1];
    return last === undefined ? undefined : decodeURIComponent(last).toLowerCase();
  } catch {
    return undefined;
  }
}

function browsableType(item: BrowseItem): BrowseLocation["type"] {
  if (item.type === "site" || item.type === "documentLibrary" || item.type === "folder") {
    return item.type;
  }
  throw new TypeError(`${item.name} is a ${item.type}; only a site, a library or a folder can be browsed.`);
}
