/**
 * `importSessionId` on a bulk session: its one bulk addition request compared with the declared one,
 * field by field, each side in the form `check` normalizes the declared one to.
 */
import { normalizeInstant } from "../../formats";
import { normalizeSiteWebUrl } from "../../functions/selectors";
import { getBulkAdditionRequest } from "../../graph/backupRestore";
import type { BulkAdditionRequest, BulkRequestInput } from "../../model";
import type { SessionContext } from "../session/context";
import { normalizeId } from "../session/validators";

const BULK_LISTS = ["siteWebUrls", "siteIds", "mailboxes", "drives", "directoryObjectIds"] as const;

/** A bulk entry in the form `check` normalizes the declared ones to. */
function normalizeBulkEntry(field: (typeof BULK_LISTS)[number], entry: string): string {
  const value = entry.trim();
  // Graph's own values: a site URL that does not parse is only trimmed, lower-cased and stripped of a
  // trailing slash, and so never equals a declared one (check accepts only https URLs).
  if (field === "siteWebUrls") return normalizeSiteWebUrl(value);
  return field === "siteIds" ? normalizeId(value) : value.toLowerCase();
}

function instantOrNull(value: string | null | undefined): string | null {
  if (!value) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? value : normalizeInstant(value);
}

/** Tags as `check` normalizes them; Graph's `none` (no tags) is no tags. */
function tagsOf(value: string | undefined): string | null {
  const members = (value ?? "")
    .split(",")
    .map((tag) => tag.trim())
    .filter((tag) => tag !== "" && tag !== "none");
  return members.length > 0 ? [...new Set(members)].sort().join(",") : null;
}

/** The session's one bulk request compared with the declared one, field by field. */
export async function bulkDifferences(
  ctx: SessionContext,
  id: string,
  declared: BulkRequestInput,
  listed: BulkAdditionRequest[],
): Promise<string[]> {
  if (listed.length !== 1) {
    return [`the session has ${listed.length} bulk addition requests; the program declares one`];
  }
  // The list omits the resource lists; the item GET has them.
  const actual = await getBulkAdditionRequest(ctx.client, ctx.schema.kind, id, listed[0].id);
  const pairs: [string, unknown, unknown][] = [
    ["destinationType", declared.destinationType, actual.destinationType ?? null],
    [
      "protectionTimePeriod.startDateTime",
      declared.protectionTimePeriod.startDateTime,
      instantOrNull(actual.protectionTimePeriod?.startDateTime),
    ],
    [
      "protectionTimePeriod.endDateTime",
      declared.protectionTimePeriod.endDateTime ?? null,
      instantOrNull(actual.protectionTimePeriod?.endDateTime),
    ],
    // Graph's default preference is `latest`.
    [
      "restorePointPreference",
      declared.restorePointPreference ?? "latest",
      actual.restorePointPreference ?? "latest",
    ],
    ["tags", declared.tags ?? null, tagsOf(actual.tags)],
    ...BULK_LISTS.map((field): [string, unknown, unknown] => [
      field,
      [...(declared[field] ?? [])].sort(),
      (actual[field] ?? []).map((entry) => normalizeBulkEntry(field, entry)).sort(),
    ]),
  ];
  if (declared.displayName !== undefined) {
    pairs.push(["displayName", declared.displayName, actual.displayName ?? null]);
  }
  return pairs
    .filter(([, want, have]) => JSON.stringify(want) !== JSON.stringify(have))
    .map(
      ([field, want, have]) =>
        `${ctx.schema.bulkProperty}.${field}: declared ${JSON.stringify(want)}, the session's bulk request has ${JSON.stringify(have)}`,
    );
}
