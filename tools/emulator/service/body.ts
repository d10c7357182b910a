/**
 * Strict reading of JSON request bodies: every property must be one the type accepts, and the error for
 * one that is not names it.
 */
import { malformedBody, show, unknownProperty } from "./errors";

/** A parsed JSON object body. */
export type JsonObject = Readonly<Record<string, unknown>>;

/** A JSON object (not an array, not null). */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Absent, `null` and `{}` all mean "no body". */
export function isEmptyBody(body: unknown): boolean {
  return body === undefined || body === null || (isObject(body) && Object.keys(body).length === 0);
}

/** The body as an object, or a 400 saying what was expected. */
export function objectBody(body: unknown, what: string): JsonObject {
  if (!isObject(body)) {
    throw malformedBody(`The request body must be a JSON object (${what}).`);
  }
  return body;
}

/** Which properties a body object may carry, for {@link checkProperties}. */
export interface PropertyRules {
  /** Properties a caller may send. */
  readonly allowed: readonly string[];
  /** Properties of the type that the server sets; sending one is an error that says so. */
  readonly readOnly?: readonly string[];
  /** The OData type name used in the error, e.g. `microsoft.graph.siteRestoreArtifact`. */
  readonly typeName: string;
  /** Prefix for property paths in errors, e.g. `siteRestoreArtifacts[2].`. */
  readonly path?: string;
}

/** Throws a 400 naming the first property outside `rules.allowed`. */
export function checkProperties(object: JsonObject, rules: PropertyRules): void {
  for (const key of Object.keys(object)) {
    if (!rules.allowed.includes(key)) {
      throw unknownProperty(
        `${rules.path ?? ""}${key}`,
        rules.typeName,
        rules.readOnly?.includes(key) ?? false,
      );
    }
  }
}

/** The route accepts no body: anything but nothing (or `{}`) is a 400 naming the first property. */
export function checkNoBody(body: unknown, operation: string): void {
  if (isEmptyBody(body)) {
    return;
  }
  if (!isObject(body)) {
    throw malformedBody(`${operation} takes no request body.`);
  }
  const [first] = Object.keys(body);
  throw malformedBody(`${operation} takes no request body; the property '${first ?? ""}' is not accepted.`);
}

/** The value of an `@odata.type` annotation must name `typeName` (case-insensitively). */
export function checkODataType(object: JsonObject, typeName: string, path = ""): void {
  const value = object["@odata.type"];
  if (value === undefined) {
    return;
  }
  const expected = `#microsoft.graph.${typeName}`;
  if (typeof value !== "string" || value.replace(/^#?/, "#").toLowerCase() !== expected.toLowerCase()) {
    throw malformedBody(`${path}@odata.type ${show(value)} does not match the expected type '${expected}'.`);
  }
}
