/**
 * Runbook functions and point-in-time restore point resolution, on plain resolved types.
 * `sdk/functions.ts` wraps these with settings resolution for programs and scripts; the resources call
 * {@link validateSelector} from `check` and {@link resolveSelectors} from `create`.
 */
export { NoMatchingRestorePointError, UnknownProtectionUnitError, type RestorePointMiss } from "./errors";
export {
  getProtectionUnitsWith,
  getRestoreSessionsWith,
  kindOfSession,
  type GetProtectionUnitsArgs,
  type GetRestoreSessionsArgs,
  type ProtectionUnitWithKind,
  type RestoreSessionWithKind,
} from "./listings";
export {
  chosenRestorePoint,
  resolveSelectors,
  type ChosenRestorePoint,
  type ResolvedSelector,
} from "./resolve";
export {
  getRestorePointsWith,
  type GetRestorePointsArgs,
  type GetRestorePointsResult,
  type NamedUnit,
  type UnitRestorePoint,
} from "./restorePoints";
export {
  MAX_UNITS_PER_SEARCH,
  SEARCH_CONCURRENCY,
  findRestorePoints,
  type RestorePointQuery,
  type SearchOptions,
} from "./search";
export {
  SELECTOR_PROPERTIES,
  SELECTOR_TARGETS,
  describeSelectorTarget,
  isSelector,
  normalizeEmail,
  normalizeSelector,
  normalizeSiteWebUrl,
  validateSelector,
  type RestorePointSelector,
  type SelectorPreference,
  type SelectorTags,
  type SelectorTarget,
} from "./selectors";
export { isIsoInstant } from "../formats";
export { SEARCH_WINDOW_IN_DAYS, SEARCH_WINDOW_IN_MS } from "./timeWindow";
export {
  BROWSE_READY_TIMEOUT_IN_MS,
  BROWSE_REUSE_MARGIN_IN_MS,
  BrowsePathNotFoundError,
  BrowseWalker,
  browseRestorePointWith,
  normalizePath,
  openBrowseSession,
  pathSegments,
  type BrowseOptions,
  type BrowseRestorePointArgs,
  type BrowseRestorePointResult,
} from "./browse";
export {
  searchMailboxItemsWith,
  toArtifactQuery,
  type SearchMailboxItemsArgs,
  type SearchMailboxItemsResult,
} from "./mailboxSearch";
export type { MailboxQuery } from "../model";
