// Property values as the engine sees them: plain JSON (what a gRPC Struct can carry) where a secret is
// an object tagged with Pulumi's signature key and a value not yet known during a preview is a sentinel
// string. These helpers are the runner's one place for those wire conventions.

/** A JSON value as carried by a `google.protobuf.Struct` (no `undefined`, no functions). */
export type PropertyValue =
  null | boolean | number | string | PropertyValue[] | { [key: string]: PropertyValue };

/** A resource's property bag (inputs or outputs) in wire form. */
export type PropertyMap = Record<string, PropertyValue>;

/** The key that marks a special object in Pulumi's property wire format. */
export const SIGNATURE_KEY = "4dabf18193072939515e22adb298388d";
/** The signature value of a secret. */
export const SECRET_SIGNATURE = "1b47061264138c4ac30d75fd1eb44270";
/** The sentinel the SDK and the engine use for a value that is unknown during a preview. */
export const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** The property in which a dynamic resource carries its serialized provider. */
export const PROVIDER_KEY = "__provider";

function isObject(value: unknown): value is { [key: string]: PropertyValue } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Whether `value` is a wire-form secret (`{ [SIGNATURE_KEY]: SECRET_SIGNATURE, value }`). */
export function isSecret(value: unknown): value is { [SIGNATURE_KEY]: string; value: PropertyValue } {
  return isObject(value) && value[SIGNATURE_KEY] === SECRET_SIGNATURE;
}

/** Wraps a value as a wire-form secret. */
export function makeSecret(value: PropertyValue): PropertyValue {
  return { [SIGNATURE_KEY]: SECRET_SIGNATURE, value };
}

/**
 * Removes every secret wrapper, keeping the values: what the engine sends to a provider that answered
 * `acceptSecrets: false` to Configure, as the dynamic-provider host does.
 */
export function stripSecrets(value: PropertyValue): PropertyValue {
  if (isSecret(value)) {
    return stripSecrets(value.value);
  }
  if (Array.isArray(value)) {
    return value.map(stripSecrets);
  }
  if (isObject(value)) {
    const result: PropertyMap = {};
    for (const [key, item] of Object.entries(value)) {
      result[key] = stripSecrets(item);
    }
    return result;
  }
  return value;
}

/** {@link stripSecrets} for a property bag. */
export function stripSecretsFromMap(map: PropertyMap): PropertyMap {
  return stripSecrets(map) as PropertyMap;
}

/** The top-level keys of `map` whose values are secret (anywhere inside). */
export function secretKeys(map: PropertyMap): Set<string> {
  const keys = new Set<string>();
  for (const [key, value] of Object.entries(map)) {
    if (containsSecret(value)) {
      keys.add(key);
    }
  }
  return keys;
}

function containsSecret(value: PropertyValue): boolean {
  if (isSecret(value)) {
    return true;
  }
  if (Array.isArray(value)) {
    return value.some(containsSecret);
  }
  if (isObject(value)) {
    return Object.values(value).some(containsSecret);
  }
  return false;
}

/**
 * Marks as secret each top-level property of `map` named in `keys`: the engine does this to a
 * provider's results when the provider does not accept secrets, so that a secret input stays secret
 * in the resource's outputs and in state.
 */
export function annotateSecrets(map: PropertyMap, keys: ReadonlySet<string>): PropertyMap {
  const result: PropertyMap = {};
  for (const [key, value] of Object.entries(map)) {
    result[key] = keys.has(key) && !isSecret(value) ? makeSecret(value) : value;
  }
  return result;
}

/** Structural equality of two wire values (object key order does not matter). */
export function deepEqual(left: PropertyValue | undefined, right: PropertyValue | undefined): boolean {
  if (left === right) {
    return true;
  }
  if (Array.isArray(left) && Array.isArray(right)) {
    return left.length === right.length && left.every((item, index) => deepEqual(item, right[index]));
  }
  if (isObject(left) && isObject(right)) {
    const leftKeys = Object.keys(left);
    if (leftKeys.length !== Object.keys(right).length) {
      return false;
    }
    return leftKeys.every((key) => key in right && deepEqual(left[key], right[key]));
  }
  return false;
}

/** The top-level keys whose values differ between two property bags (secrets compared by value). */
export function changedKeys(olds: PropertyMap, news: PropertyMap): string[] {
  const plainOlds = stripSecretsFromMap(olds);
  const plainNews = stripSecretsFromMap(news);
  const keys = new Set([...Object.keys(plainOlds), ...Object.keys(plainNews)]);
  return [...keys].filter((key) => !deepEqual(plainOlds[key], plainNews[key])).sort();
}

/** Whether a value contains the preview's unknown sentinel anywhere. */
export function containsUnknown(value: PropertyValue): boolean {
  if (value === UNKNOWN_VALUE) {
    return true;
  }
  if (Array.isArray(value)) {
    return value.some(containsUnknown);
  }
  if (isObject(value)) {
    return Object.values(value).some(containsUnknown);
  }
  return false;
}
