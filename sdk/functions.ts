/**
 * Runbook functions: plain async functions for Pulumi programs and scripts. They resolve settings the
 * same way the resources do, build a Graph client per call and hold nothing between calls.
 */
import * as pulumi from "@pulumi/pulumi";
import type { GraphClient } from "../provider/graph";
import {
  type GetProtectionUnitsArgs,
  type GetRestorePointsArgs,
  type GetRestorePointsResult,
  type GetRestoreSessionsArgs,
  type ProtectionUnitWithKind,
  type RestoreSessionWithKind,
  type BrowseRestorePointArgs,
  type BrowseRestorePointResult,
  type SearchMailboxItemsArgs,
  type SearchMailboxItemsResult,
  browseRestorePointWith,
  getProtectionUnitsWith,
  getRestorePointsWith,
  getRestoreSessionsWith,
  searchMailboxItemsWith,
} from "../provider/functions";
import { CONFIG_NAMESPACE, type ConfigLookup, resolveSettings } from "../provider/settings";

export {
  NoMatchingRestorePointError,
  UnknownProtectionUnitError,
  SEARCH_WINDOW_IN_DAYS,
  MAX_UNITS_PER_SEARCH,
  SEARCH_CONCURRENCY,
  type ChosenRestorePoint,
  type GetProtectionUnitsArgs,
  type GetRestorePointsArgs,
  type GetRestorePointsResult,
  type GetRestoreSessionsArgs,
  type NamedUnit,
  type ProtectionUnitWithKind,
  type RestorePointMiss,
  type RestorePointSelector,
  type RestoreSessionWithKind,
  type UnitRestorePoint,
  BrowsePathNotFoundError,
  type BrowseRestorePointArgs,
  type BrowseRestorePointResult,
  type MailboxQuery,
  type SearchMailboxItemsArgs,
  type SearchMailboxItemsResult,
} from "../provider/functions";
export type { BrowseItem } from "../provider/graph/browse";

/** Where the functions get their settings and how far they may go. */
export interface FunctionOptions {
  /**
   * Explicit settings: the package's config keys, bare (`tenantId`) or namespaced
   * (`m365-backup:tenantId`). When given, stack config is not read; unset keys still fall back to the
   * environment.
   */
  config?: Record<string, string>;
  /** The environment to fall back to; default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Search calls in flight at once (default 4). */
  searchConcurrency?: number;
  /** Cancels the calls. */
  abortSignal?: AbortSignal;
}

/**
 * For each named unit, the restore point the window and preference mean, plus the units with none.
 *
 * @example
 * ```ts
 * const found = await getRestorePoints({ mailboxes: ["ann@contoso.com"], before: "2026-11-20T09:00:00Z" });
 * found.restorePoints[0].restorePoint.id; // Ann's latest restore point at or before 09:00 UTC
 * ```
 */
export async function getRestorePoints(
  args: GetRestorePointsArgs,
  options: FunctionOptions = {},
): Promise<GetRestorePointsResult> {
  return getRestorePointsWith(clientFor(options), args, {
    concurrency: options.searchConcurrency,
    abortSignal: options.abortSignal,
  });
}

/**
 * Every restore session (all pages), filtered on our side by kind and status.
 *
 * @example
 * ```ts
 * const running = await getRestoreSessions({ kind: "exchange", status: ["activating", "active"] });
 * ```
 */
export async function getRestoreSessions(
  args: GetRestoreSessionsArgs = {},
  options: FunctionOptions = {},
): Promise<RestoreSessionWithKind[]> {
  return getRestoreSessionsWith(clientFor(options), args, options.abortSignal);
}

/**
 * Every protection unit of one kind, or of all three.
 *
 * @example
 * ```ts
 * const sites = await getProtectionUnits({ kind: "sharePoint" });
 * ```
 */
export async function getProtectionUnits(
  args: GetProtectionUnitsArgs = {},
  options: FunctionOptions = {},
): Promise<ProtectionUnitWithKind[]> {
  return getProtectionUnitsWith(clientFor(options), args, options.abortSignal);
}

/**
 * What a site's or a OneDrive's fast restore point holds under a path (every page), through a browse
 * session that is reused while it lives, or opened once. The token goes only to the configured Graph
 * endpoint: a next-page link to another origin is refused.
 *
 * @example
 * ```ts
 * const found = await browseRestorePoint({
 *   siteWebUrl: "https://contoso.sharepoint.com/sites/finance",
 *   restorePointTime: "2026-11-20T09:00:00Z",
 *   path: "/Shared Documents/Reports",
 * });
 * found.items.map((item) => item.name);
 * ```
 */
export async function browseRestorePoint(
  args: BrowseRestorePointArgs,
  options: FunctionOptions = {},
): Promise<BrowseRestorePointResult> {
  return browseRestorePointWith(clientFor(options), args, { abortSignal: options.abortSignal });
}

/**
 * `restorePoints/search` with an artifact query on one mailbox: the restore point the time means, the
 * `searchResponseId` a granular mailbox artifact names, and how many items match.
 *
 * @example
 * ```ts
 * const found = await searchMailboxItems({
 *   mailbox: "ann@contoso.com",
 *   restorePointTime: "2026-11-20T09:00:00Z",
 *   query: { queryExpression: "(Sender -eq 'mallory@contoso.com')" },
 * });
 * found.artifactHitCount;
 * ```
 */
export async function searchMailboxItems(
  args: SearchMailboxItemsArgs,
  options: FunctionOptions = {},
): Promise<SearchMailboxItemsResult> {
  return searchMailboxItemsWith(clientFor(options), args, { abortSignal: options.abortSignal });
}

function clientFor(options: FunctionOptions): GraphClient {
  const settings = resolveSettings(configLookup(options), options.env ?? process.env);
  // Loaded on first use: the client brings axios and @azure/identity (about 300 modules), which every
  // program importing the package would otherwise load at start, functions called or not.
  type ClientModule = typeof import("../provider/graph/client");
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deliberate lazy load, see above
  const client = require("../provider/graph/client") as ClientModule;
  return client.createGraphClient(settings, {});
}

/** Explicit settings if given, else the stack config when inside a Pulumi program (empty outside one). */
function configLookup(options: FunctionOptions): ConfigLookup {
  const explicit = options.config;
  if (explicit !== undefined) {
    return (key) => explicit[key] ?? explicit[`${CONFIG_NAMESPACE}:${key}`];
  }
  return (key) => {
    try {
      return new pulumi.Config(CONFIG_NAMESPACE).get(key);
    } catch {
      // Outside a Pulumi program there is no stack config to read: fall back to the environment.
      return undefined;
    }
  };
}
