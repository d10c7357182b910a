/**
 * Provider settings: which tenant, which app, which credential and which Graph endpoint.
 *
 * Resolved at call time from Pulumi stack config (namespace `m365-backup`) or, where a key is unset, from
 * the environment. The result never carries a secret in enumerable form: `clientSecret` and
 * `clientCertificatePassword` are non-enumerable getters over a closure, so `JSON.stringify`,
 * `util.inspect` and object spreads cannot show or copy them.
 */
import { inspect } from "node:util";
import { hasBrand } from "./brand";

/** The Pulumi config namespace of this package: keys are `m365-backup:<key>`. */
export const CONFIG_NAMESPACE = "m365-backup";

/** Graph's public endpoint, the default `graphEndpoint`. */
export const DEFAULT_GRAPH_ENDPOINT = "https://graph.microsoft.com";

/** Graph API versions this provider speaks. `v1.0` is the production-supported one. */
export type GraphApiVersion = "v1.0" | "beta";
/** Every accepted `apiVersion`. */
export const GRAPH_API_VERSIONS: readonly GraphApiVersion[] = ["v1.0", "beta"];

/** The default `requestTimeoutSeconds`: long enough for Graph's slowest documented calls. */
export const DEFAULT_REQUEST_TIMEOUT_SECONDS = 100;
/** The accepted `requestTimeoutSeconds`, inclusive. */
export const REQUEST_TIMEOUT_SECONDS_RANGE = { min: 1, max: 600 } as const;
/** The default `retryMaxAttempts`. */
export const DEFAULT_RETRY_MAX_ATTEMPTS = 6;
/** The accepted `retryMaxAttempts`, inclusive: 1 turns retries off. */
export const RETRY_MAX_ATTEMPTS_RANGE = { min: 1, max: 20 } as const;

/** Which credential {@link createCredential} builds, decided once here from the settings. */
export type CredentialKind =
  "clientSecret" | "clientCertificate" | "federatedToken" | "managedIdentity" | "default";

/** Every config key the provider reads, with its environment fallback (if any) and whether it is a secret. */
export const SETTINGS_TABLE = {
  tenantId: { env: "AZURE_TENANT_ID", secret: false },
  clientId: { env: "AZURE_CLIENT_ID", secret: false },
  clientSecret: { env: "AZURE_CLIENT_SECRET", secret: true },
  clientCertificatePath: { env: "AZURE_CLIENT_CERTIFICATE_PATH", secret: false },
  clientCertificatePassword: { env: "AZURE_CLIENT_CERTIFICATE_PASSWORD", secret: true },
  federatedTokenFile: { env: "AZURE_FEDERATED_TOKEN_FILE", secret: false },
  useManagedIdentity: { env: undefined, secret: false },
  authorityHost: { env: "AZURE_AUTHORITY_HOST", secret: false },
  graphEndpoint: { env: "M365_BACKUP_GRAPH_ENDPOINT", secret: false },
  apiVersion: { env: "M365_BACKUP_API_VERSION", secret: false },
  requestTimeoutSeconds: { env: "M365_BACKUP_REQUEST_TIMEOUT_SECONDS", secret: false },
  retryMaxAttempts: { env: "M365_BACKUP_RETRY_MAX_ATTEMPTS", secret: false },
} as const satisfies Record<string, { env: string | undefined; secret: boolean }>;

/** A config key under the `m365-backup` namespace, e.g. `tenantId`. */
export type SettingsKey = keyof typeof SETTINGS_TABLE;
/** Every key of {@link SETTINGS_TABLE}, in table order. */
export const SETTINGS_KEYS = Object.keys(SETTINGS_TABLE) as SettingsKey[];

/**
 * Fully resolved settings. Plain data apart from the two secret getters, which are non-enumerable.
 * Build one per provider call with {@link resolveSettings}; never keep one in module state.
 */
export interface ProviderSettings {
  readonly tenantId: string | undefined;
  readonly clientId: string | undefined;
  readonly clientCertificatePath: string | undefined;
  readonly federatedTokenFile: string | undefined;
  readonly useManagedIdentity: boolean;
  /** Normalized origin (and path, if any) without a trailing slash; `undefined` means the public cloud. */
  readonly authorityHost: string | undefined;
  /** Origin of Graph without a trailing slash or version, e.g. `https://graph.microsoft.com`. */
  readonly graphEndpoint: string;
  readonly apiVersion: GraphApiVersion;
  /**
   * The limit of one attempt of one request, Graph's or the token endpoint's, in milliseconds. Default
   * {@link DEFAULT_REQUEST_TIMEOUT_SECONDS}; a request that times out is retried if it is safe to send
   * again, and otherwise reported as one that may or may not have been applied.
   */
  readonly requestTimeoutInMs: number;
  /** Attempts in all for one request, the first included. Default {@link DEFAULT_RETRY_MAX_ATTEMPTS}. */
  readonly retryMaxAttempts: number;
  readonly credentialKind: CredentialKind;
  /** Secret; non-enumerable. */
  readonly clientSecret: string | undefined;
  /** Secret; non-enumerable. */
  readonly clientCertificatePassword: string | undefined;
}

/** A settings problem that names the key and says how to fix it. Never contains a secret value. */
export class SettingsError extends Error {
  /** Brand for {@link isInstance} across module copies. */
  readonly __settingsErrorBrand = true;

  constructor(
    /** The full config key, e.g. `m365-backup:graphEndpoint`. */
    readonly key: string,
    message: string,
  ) {
    super(message);
    this.name = "SettingsError";
  }

  /** True for a SettingsError, even one from another copy of this module. */
  static isInstance(value: unknown): value is SettingsError {
    return hasBrand<SettingsError>(value, "__settingsErrorBrand");
  }
}

/** `m365-backup:<key>`. */
export function configKey(key: SettingsKey): string {
  return `${CONFIG_NAMESPACE}:${key}`;
}

/** Looks up a bare key (`tenantId`); the function is responsible for the `m365-backup:` namespace. */
export type ConfigLookup = (key: SettingsKey) => string | undefined;

interface RawValue {
  readonly value: string;
  /** Where it came from, for messages: `m365-backup:clientSecret` or `AZURE_CLIENT_SECRET`. */
  readonly source: string;
}

type RawSettings = Partial<Record<SettingsKey, RawValue>>;

/**
 * Resolves the settings from config, falling back to the environment key by key.
 *
 * @param config - looks up `m365-backup:<key>` given the bare key; empty strings count as unset.
 * @param env - the environment (default `process.env`).
 * @throws {@link SettingsError} naming the key and the fix.
 * @example
 * ```ts
 * const settings = resolveSettings((key) => pulumiConfig.get(key));
 * ```
 */
export function resolveSettings(
  config: ConfigLookup,
  env: NodeJS.ProcessEnv = process.env,
): ProviderSettings {
  const raw = readRaw(config, env);
  const text = (key: SettingsKey): string | undefined => raw[key]?.value.trim() || undefined;
  const secret = (key: "clientSecret" | "clientCertificatePassword"): string | undefined => raw[key]?.value;

  const useManagedIdentity = parseBoolean(raw.useManagedIdentity);
  const credentialKind = chooseCredential(raw, useManagedIdentity);
  requireIdentity(credentialKind, raw);
  if (raw.clientCertificatePassword && !raw.clientCertificatePath) {
    throw new SettingsError(
      configKey("clientCertificatePassword"),
      `${raw.clientCertificatePassword.source} is set but ${configKey("clientCertificatePath")} is not: ` +
        `set the path of the PEM or PFX certificate, or remove the password.`,
    );
  }

  const values = {
    tenantId: text("tenantId"),
    clientId: text("clientId"),
    clientCertificatePath: text("clientCertificatePath"),
    federatedTokenFile: text("federatedTokenFile"),
    useManagedIdentity,
    authorityHost: raw.authorityHost ? normalizeAuthorityHost(raw.authorityHost) : undefined,
    graphEndpoint: raw.graphEndpoint ? normalizeGraphEndpoint(raw.graphEndpoint) : DEFAULT_GRAPH_ENDPOINT,
    apiVersion: raw.apiVersion ? parseApiVersion(raw.apiVersion) : "v1.0",
    requestTimeoutInMs:
      1000 *
      (raw.requestTimeoutSeconds
        ? parseNumber(
            raw.requestTimeoutSeconds,
            "requestTimeoutSeconds",
            REQUEST_TIMEOUT_SECONDS_RANGE,
            false,
          )
        : DEFAULT_REQUEST_TIMEOUT_SECONDS),
    retryMaxAttempts: raw.retryMaxAttempts
      ? parseNumber(raw.retryMaxAttempts, "retryMaxAttempts", RETRY_MAX_ATTEMPTS_RANGE, true)
      : DEFAULT_RETRY_MAX_ATTEMPTS,
    credentialKind,
  };
  const clientSecret = secret("clientSecret");
  const clientCertificatePassword = secret("clientCertificatePassword");
  const settings = { ...values } as ProviderSettings;
  // Non-enumerable getters over this closure: invisible to JSON.stringify, inspect and spreads.
  Object.defineProperty(settings, "clientSecret", { get: () => clientSecret, enumerable: false });
  Object.defineProperty(settings, "clientCertificatePassword", {
    get: () => clientCertificatePassword,
    enumerable: false,
  });
  // And an inspect view without them, so even `inspect(settings, { getters: true })` cannot show them.
  Object.defineProperty(settings, inspect.custom, {
    value: () => `ProviderSettings ${inspect(values)}`,
    enumerable: false,
  });
  return Object.freeze(settings);
}

/** The configured secret values, for scrubbing them out of anything printed. */
export function secretValues(settings: ProviderSettings): string[] {
  return [settings.clientSecret, settings.clientCertificatePassword].filter(
    (value): value is string => typeof value === "string" && value.length > 0,
  );
}

/** A problem with a config key, as `check` reports it. */
export interface ConfigKeyProblem {
  readonly key: string;
  readonly message: string;
}

/**
 * Reports `m365-backup:*` keys this provider does not know (typos would otherwise be silently ignored).
 * Keys of other namespaces are not ours and pass.
 *
 * @param keys - full config keys, e.g. `m365-backup:tenantId` (bare keys are read as ours too).
 */
export function validateConfigKeys(keys: Iterable<string>): ConfigKeyProblem[] {
  const problems: ConfigKeyProblem[] = [];
  for (const fullKey of keys) {
    const separator = fullKey.indexOf(":");
    const namespace = separator < 0 ? CONFIG_NAMESPACE : fullKey.slice(0, separator);
    const key = separator < 0 ? fullKey : fullKey.slice(separator + 1);
    if (namespace !== CONFIG_NAMESPACE || (SETTINGS_KEYS as string[]).includes(key)) {
      continue;
    }
    const nearMiss = SETTINGS_KEYS.find((known) => known.toLowerCase() === key.toLowerCase());
    const hint = nearMiss
      ? `did you mean ${configKey(nearMiss)}?`
      : `known keys are ${SETTINGS_KEYS.map((known) => configKey(known)).join(", ")}.`;
    problems.push({
      key: `${CONFIG_NAMESPACE}:${key}`,
      message: `Unknown config key ${CONFIG_NAMESPACE}:${key}: remove it or fix its name; ${hint}`,
    });
  }
  return problems;
}

// ---- Resolution steps ---------------------------------------------------------------------------------

function readRaw(config: ConfigLookup, env: NodeJS.ProcessEnv): RawSettings {
  const raw: RawSettings = {};
  for (const key of SETTINGS_KEYS) {
    const fromConfig = config(key);
    if (fromConfig !== undefined && fromConfig !== "") {
      raw[key] = { value: fromConfig, source: configKey(key) };
      continue;
    }
    const envName = SETTINGS_TABLE[key].env;
    const fromEnv = envName === undefined ? undefined : env[envName];
    if (envName !== undefined && fromEnv !== undefined && fromEnv !== "") {
      raw[key] = { value: fromEnv, source: envName };
    }
  }
  return raw;
}

const CREDENTIAL_KEYS = {
  clientSecret: "clientSecret",
  clientCertificate: "clientCertificatePath",
  federatedToken: "federatedTokenFile",
} as const satisfies Partial<Record<CredentialKind, SettingsKey>>;

/**
 * One explicit credential or none. Two at once is refused rather than silently preferring one: a stray
 * `AZURE_CLIENT_SECRET` in CI must not quietly win over the certificate the stack configures.
 */
function chooseCredential(raw: RawSettings, useManagedIdentity: boolean): CredentialKind {
  const chosen: { kind: CredentialKind; source: string }[] = [];
  for (const [kind, key] of Object.entries(CREDENTIAL_KEYS) as [CredentialKind, SettingsKey][]) {
    const value = raw[key];
    if (value) {
      chosen.push({ kind, source: value.source });
    }
  }
  if (useManagedIdentity) {
    chosen.push({ kind: "managedIdentity", source: configKey("useManagedIdentity") });
  }
  if (chosen.length > 1) {
    throw new SettingsError(
      configKey(keyOf(chosen[1].kind)),
      `More than one credential is configured (${chosen.map((c) => c.source).join(", ")}): ` +
        `set exactly one of ${configKey("clientSecret")}, ${configKey("clientCertificatePath")}, ` +
        `${configKey("federatedTokenFile")} or ${configKey("useManagedIdentity")}, and unset the others ` +
        `(including their environment variables).`,
    );
  }
  return chosen[0]?.kind ?? "default";
}

function keyOf(kind: CredentialKind): SettingsKey {
  return kind === "managedIdentity" || kind === "default" ? "useManagedIdentity" : CREDENTIAL_KEYS[kind];
}

function requireIdentity(kind: CredentialKind, raw: RawSettings): void {
  if (kind === "managedIdentity" || kind === "default") {
    return;
  }
  for (const key of ["tenantId", "clientId"] as const) {
    if (!raw[key]?.value.trim()) {
      const env = SETTINGS_TABLE[key].env;
      throw new SettingsError(
        configKey(key),
        `${configKey(key)} is required with ${configKey(keyOf(kind))}: ` +
          `run \`pulumi config set ${configKey(key)} <value>\` or set ${env}.`,
      );
    }
  }
}

function parseBoolean(value: RawValue | undefined): boolean {
  if (!value) {
    return false;
  }
  const text = value.value.trim().toLowerCase();
  if (text === "true") {
    return true;
  }
  if (text === "false") {
    return false;
  }
  throw new SettingsError(value.source, `${value.source} must be true or false.`);
}

function parseApiVersion(value: RawValue): GraphApiVersion {
  const text = value.value.trim();
  const match = GRAPH_API_VERSIONS.find((version) => version === text);
  if (!match) {
    throw new SettingsError(
      configKey("apiVersion"),
      `${value.source} must be "v1.0" (production-supported) or "beta"; got "${truncate(text)}".`,
    );
  }
  return match;
}

/** A number in `range`; `integer` refuses fractions. The message names the key, the range and the value. */
function parseNumber(
  value: RawValue,
  key: SettingsKey,
  range: { readonly min: number; readonly max: number },
  integer: boolean,
): number {
  const text = value.value.trim();
  const number = /^\d+(\.\d+)?$/.test(text) ? Number(text) : Number.NaN;
  if (
    !Number.isFinite(number) ||
    number < range.min ||
    number > range.max ||
    (integer && !Number.isInteger(number))
  ) {
    throw new SettingsError(
      configKey(key),
      `${value.source} must be ${integer ? "a whole number" : "a number"} from ${range.min} to ${range.max}; ` +
        `got "${truncate(text)}".`,
    );
  }
  return number;
}

/** Graph endpoint: an origin only (the version comes from apiVersion), HTTPS unless loopback. */
function normalizeGraphEndpoint(value: RawValue): string {
  const url = parseUrl(value, "graphEndpoint", "https://graph.microsoft.com");
  if (url.pathname !== "/" || url.search || url.hash) {
    throw new SettingsError(
      configKey("graphEndpoint"),
      `${value.source} must be just the scheme and host (for example https://graph.microsoft.com), ` +
        `without a path such as /v1.0: set the version with ${configKey("apiVersion")}.`,
    );
  }
  return url.origin;
}

/** Authority host: an origin, optionally with a path (some emulators and proxies use one). */
function normalizeAuthorityHost(value: RawValue): string {
  const url = parseUrl(value, "authorityHost", "https://login.microsoftonline.com");
  if (url.search || url.hash) {
    throw new SettingsError(configKey("authorityHost"), `${value.source} must not have a query or fragment.`);
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, "");
}

function parseUrl(value: RawValue, key: SettingsKey, example: string): URL {
  let url: URL;
  try {
    url = new URL(value.value.trim());
  } catch {
    throw new SettingsError(
      configKey(key),
      `${value.source} is not an absolute URL: use for example ${example}.`,
    );
  }
  if (url.username || url.password) {
    throw new SettingsError(
      configKey(key),
      `${value.source} must not contain a user name or password: credentials go in their own settings.`,
    );
  }
  if (url.protocol === "https:") {
    return url;
  }
  if (url.protocol === "http:" && isLoopbackHost(url.hostname)) {
    return url;
  }
  throw new SettingsError(
    configKey(key),
    `${value.source} must use https:// (plain http is allowed only for a loopback address such as ` +
      `127.0.0.1); got ${url.protocol}//${url.host}.`,
  );
}

/** `localhost`, `127.0.0.0/8` and `::1`. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  return host === "localhost" || host === "::1" || /^127(\.\d{1,3}){3}$/.test(host);
}

function truncate(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
