/**
 * `check` for granular selectors: each validated and normalized, failures naming the property path and
 * the fix. Called by `check.ts` for an item of a granular list that is a selector.
 */
import { describe, type Failures } from "../../checkFailure";
import { normalizePath, pathSegments } from "../../functions/browse";
import { normalizeSelector, validateSelector, type RestorePointSelector } from "../../functions/selectors";
import {
  MAILBOX_ITEM_TYPES,
  type GranularPathSelector,
  type GranularSelector,
  type KindSchema,
  type MailboxQuery,
  type StructuredQueryExpression,
} from "../../model";
import type { GraphApiVersion } from "../../settings";
import { checkDestination, checkGranularItemDestination, checkKnownProperties } from "./artifacts";
import { isPlainObject } from "../session/validators";

const UNIT_AND_TIME = ["protectionUnitId", "restorePointTime", "restorePointPreference"];
const MAX_QUERY_LENGTH = 1024;

/** Validates and normalizes a granular selector of the schema's kind; failures name the property. */
export function checkGranularSelector(
  failures: Failures,
  path: string,
  schema: KindSchema,
  apiVersion: GraphApiVersion,
  given: object,
): GranularSelector {
  const value = given as Record<string, unknown>;
  const unitField = schema.selectorField;
  const own = schema.granularShape === "browseItem" ? "paths" : "query";
  const other = own === "paths" ? "query" : "paths";
  if (value[other] !== undefined) {
    failures.add(
      `${path}.${other}`,
      own === "paths"
        ? `query selects mail items and is for granularMailboxRestoreArtifacts; name files and folders with paths: ["/Shared Documents/Finance"].`
        : `paths select files and folders of sites and OneDrives; select mail items with query: { queryExpression: "(Subject -like 'Invoice*')" }.`,
    );
  }
  checkKnownProperties(failures, path, value, [unitField, ...UNIT_AND_TIME, own, "destinationType", other]);
  const unitAndTime = Object.fromEntries(
    [unitField, ...UNIT_AND_TIME].filter((key) => value[key] !== undefined).map((key) => [key, value[key]]),
  );
  const problems = validateSelector(path, unitAndTime, schema.kind);
  failures.addAll(problems);
  const normalized: RestorePointSelector =
    problems.length === 0
      ? normalizeSelector(unitAndTime as unknown as RestorePointSelector)
      : { restorePointTime: "" };
  const base = {
    ...(normalized.mailbox === undefined ? {} : { mailbox: normalized.mailbox }),
    ...(normalized.siteWebUrl === undefined ? {} : { siteWebUrl: normalized.siteWebUrl }),
    ...(normalized.oneDriveOwner === undefined ? {} : { oneDriveOwner: normalized.oneDriveOwner }),
    ...(normalized.protectionUnitId === undefined ? {} : { protectionUnitId: normalized.protectionUnitId }),
    restorePointTime: normalized.restorePointTime,
    restorePointPreference: normalized.restorePointPreference ?? "latest",
  };
  if (own === "paths") {
    return {
      ...base,
      paths: checkPaths(failures, `${path}.paths`, value.paths),
      ...checkGranularItemDestination(failures, path, apiVersion, value),
    } satisfies GranularPathSelector;
  }
  return {
    ...base,
    query: checkQuery(failures, `${path}.query`, apiVersion, value.query),
    destinationType: checkDestination(failures, `${path}.destinationType`, value.destinationType),
  };
}

function checkPaths(failures: Failures, path: string, value: unknown): string[] {
  const example = `paths: ["/Shared Documents/Finance"]`;
  if (!Array.isArray(value) || value.length === 0) {
    failures.add(
      path,
      `paths must be a non-empty list of paths below the site or OneDrive, such as ${example}; got ${describe(value)}.`,
    );
    return [];
  }
  const seen = new Map<string, number>();
  const paths: string[] = [];
  value.forEach((item: unknown, index) => {
    const at = `${path}[${index}]`;
    if (typeof item !== "string" || item.trim() === "") {
      failures.add(at, `Each path is a string such as "/Shared Documents/Finance"; got ${describe(item)}.`);
      return;
    }
    let segments: string[];
    try {
      segments = pathSegments(item.trim());
    } catch (error) {
      failures.add(at, (error as Error).message);
      return;
    }
    if (segments.length === 0) {
      failures.add(
        at,
        `"${item}" names the whole site or OneDrive; a granular restore names a library, folder or file below it ` +
          `("/Shared Documents/Finance"). To restore everything, use the standard artifacts instead.`,
      );
      return;
    }
    const normalized = normalizePath(item.trim());
    const first = seen.get(normalized.toLowerCase());
    if (first !== undefined) {
      failures.add(at, `Duplicate of ${path}[${first}] (paths compare without case); remove one of them.`);
      return;
    }
    seen.set(normalized.toLowerCase(), index);
    paths.push(normalized);
  });
  return paths.sort();
}

function checkQuery(
  failures: Failures,
  path: string,
  apiVersion: GraphApiVersion,
  value: unknown,
): MailboxQuery {
  const example = `query: { queryExpression: "(Sender -eq 'mallory@contoso.com')" }`;
  if (!isPlainObject(value)) {
    failures.add(path, `query must be an object such as ${example}; got ${describe(value)}.`);
    return {};
  }
  checkKnownProperties(failures, path, value, ["queryExpression", "structuredQueryExpression"]);
  const { queryExpression, structuredQueryExpression } = value;
  if ((queryExpression === undefined) === (structuredQueryExpression === undefined)) {
    failures.add(
      path,
      `query takes exactly one of queryExpression and structuredQueryExpression, such as ${example}.`,
    );
    return {};
  }
  if (queryExpression !== undefined) {
    if (
      typeof queryExpression !== "string" ||
      queryExpression.trim() === "" ||
      queryExpression.length > MAX_QUERY_LENGTH
    ) {
      failures.add(
        `${path}.queryExpression`,
        `queryExpression must be a non-empty string of at most ${MAX_QUERY_LENGTH} characters, such as "(Subject -like 'Invoice*') -and (HasAttachment -eq 'true')"; got ${describe(queryExpression)}.`,
      );
      return {};
    }
    return { queryExpression: queryExpression.trim() };
  }
  if (apiVersion !== "beta") {
    failures.add(
      `${path}.structuredQueryExpression`,
      `structuredQueryExpression exists only in Graph beta; use queryExpression, or set m365-backup:apiVersion to "beta".`,
    );
  }
  return {
    structuredQueryExpression: checkStructured(
      failures,
      `${path}.structuredQueryExpression`,
      structuredQueryExpression,
    ),
  };
}

function checkStructured(failures: Failures, path: string, value: unknown): StructuredQueryExpression {
  if (!isPlainObject(value)) {
    failures.add(
      path,
      `structuredQueryExpression must be an object such as { senders: ["mallory@contoso.com"] }; got ${describe(value)}.`,
    );
    return {};
  }
  checkKnownProperties(failures, path, value, [
    "senders",
    "recipients",
    "subjects",
    "hasAttachment",
    "items",
  ]);
  const result: StructuredQueryExpression = {};
  for (const key of ["senders", "recipients", "subjects"] as const) {
    const list = value[key];
    if (list === undefined) continue;
    if (!Array.isArray(list) || list.some((entry) => typeof entry !== "string" || entry.trim() === "")) {
      failures.add(`${path}.${key}`, `${key} must be a list of non-empty strings; got ${describe(list)}.`);
      continue;
    }
    result[key] = (list as string[]).map((entry) => entry.trim());
  }
  if (value.hasAttachment !== undefined) {
    if (typeof value.hasAttachment !== "boolean") {
      failures.add(
        `${path}.hasAttachment`,
        `hasAttachment must be true or false; got ${describe(value.hasAttachment)}.`,
      );
    } else {
      result.hasAttachment = value.hasAttachment;
    }
  }
  if (value.items !== undefined) {
    if (
      !Array.isArray(value.items) ||
      value.items.some((item) => !(MAILBOX_ITEM_TYPES as readonly unknown[]).includes(item))
    ) {
      failures.add(
        `${path}.items`,
        `items must be a list of ${MAILBOX_ITEM_TYPES.join(", ")}; got ${describe(value.items)}.`,
      );
    } else {
      result.items = value.items as StructuredQueryExpression["items"];
    }
  }
  if (Object.keys(result).length === 0) {
    failures.add(
      path,
      "structuredQueryExpression matches nothing as written; set senders, recipients, subjects, hasAttachment or items.",
    );
  }
  return result;
}

/** What two selectors are compared by: everything written, never the resolution. */
