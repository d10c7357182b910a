/**
 * The provider as the dynamic-provider host calls it, for any kind. This is where `any` stops: the
 * engine's loose property bags come in here and leave as plain, checked types. The serialized
 * provider (`sdk/provider.ts`) is a thin object that calls these functions by `require`, so nothing
 * here (settings, clients, credentials) is ever serialized into state.
 *
 * This file must never move: every stack's state requires it by path
 * (`pulumi-m365-backup/dist/provider/resources/host.js`), so `refresh` and `destroy` of existing stacks
 * need it there. If it ever moves, a shim stays at this path. `tests/unit/hostModulePath.test.ts` pins
 * the path and the functions the serialized provider calls.
 */
import * as pulumi from "@pulumi/pulumi";
import type { CheckFailure } from "../checkFailure";
import {
  KIND_SCHEMAS,
  type GranularArtifactInput,
  type RestoreSessionKind,
  type SessionInputs,
} from "../model";
import { createGraphClient } from "../graph/client";
import { assertPathId } from "../graph/pathId";
import {
  CONFIG_NAMESPACE,
  resolveSettings,
  SETTINGS_KEYS,
  validateConfigKeys,
  type ConfigKeyProblem,
  type ProviderSettings,
  type SettingsKey,
} from "../settings";
import { checkSession, containsUnknown } from "./check/check";
import { realTiming, type ProviderLog, type SessionContext } from "./session/context";
import { createSession } from "./create/create";
import { deleteSession } from "./delete/delete";
import { diffSession, diffWithUnknowns } from "./diff/diff";
import { isGranularSelector } from "./session/granularSelectors";
import { previewGranularSelectors } from "./session/resolveGranular";
import { PROVIDER_KEY, withoutProvider } from "./session/spec";
import { readSession } from "./read/read";
import { updateSession } from "./update/update";

/**
 * What `configure` read from the stack config. The provider object holds it in the host process only:
 * `configure` runs there, after the provider was deserialized, so it is never written to state.
 */
export interface ConfigSnapshot {
  /** The values of the package's own keys (`m365-backup:tenantId` as `tenantId`); unset keys are absent. */
  readonly values: Readonly<Partial<Record<SettingsKey, string>>>;
  /**
   * The `m365-backup:*` keys this provider does not know, each with the fix; `check` fails on every one.
   * Names only: the value of a misspelt key may be a misplaced secret.
   */
  readonly unknownKeys: readonly ConfigKeyProblem[];
}

/** A property bag as the engine passes it. */
export type PropertyBag = Record<string, unknown>;

/**
 * Reads the package's keys from the stack config (`configure`), and names the unknown `m365-backup:*`
 * keys so that `check` can refuse them: a misspelt key would otherwise be ignored silently and the
 * provider would fall back to a default, such as the public Graph endpoint.
 */
export function snapshotConfig(req: pulumi.dynamic.ConfigureRequest): ConfigSnapshot {
  const values: Partial<Record<SettingsKey, string>> = {};
  for (const key of SETTINGS_KEYS) {
    const value = req.config.get(`${CONFIG_NAMESPACE}:${key}`);
    if (value !== undefined) values[key] = value;
  }
  return { values, unknownKeys: validateConfigKeys(configKeysOf(req.config)) };
}

/**
 * The full keys of the stack config. The SDK's `Config` offers lookups only; the host's implementation
 * keeps the raw map, which is read defensively (an SDK without it simply skips the unknown-key check).
 */
function configKeysOf(config: pulumi.dynamic.ConfigureRequest["config"]): string[] {
  const raw = (config as unknown as { rawConfig?: unknown }).rawConfig;
  return raw !== null && typeof raw === "object" ? Object.keys(raw) : [];
}

/** Check failures for the unknown keys `snapshotConfig` named. */
function unknownConfigKeyFailures(config: ConfigSnapshot | undefined): CheckFailure[] {
  return (config?.unknownKeys ?? []).map((problem) => ({ property: problem.key, reason: problem.message }));
}

function settingsOf(config: ConfigSnapshot | undefined): ProviderSettings {
  return resolveSettings((key) => config?.values[key]);
}

/** `pulumi.log`, never the console: the engine shows these lines with the resource. */
const pulumiLog: ProviderLog = {
  info: (message) => pulumi.log.info(message),
  warn: (message) => pulumi.log.warn(message),
  debug: (message) => pulumi.log.debug(message),
};

/** Settings and a Graph client built for this one call. */
function contextFor(kind: RestoreSessionKind, config: ConfigSnapshot | undefined): SessionContext {
  const settings = settingsOf(config);
  return {
    schema: KIND_SCHEMAS[kind],
    settings,
    client: createGraphClient(settings, {
      logger: {
        info: (message) => void pulumiLog.info(message),
        warn: (message) => void pulumiLog.warn(message),
        debug: (message) => void pulumiLog.debug(message),
      },
    }),
    log: pulumiLog,
    timing: realTiming(),
  };
}

/**
 * The checks before any Graph call on a session in state: its id may go into a URL, and it was made in
 * the tenant the provider is configured for now (the outputs' `tenantId`; state written before that
 * was recorded, or a provider without a tenant id, cannot be checked).
 */
function guardStateSession(ctx: SessionContext, id: string, props: PropertyBag): void {
  // State this provider wrote always has `activate`; a read without it is an import of a given id.
  const source =
    typeof props.activate === "boolean" ? "the stack's state (the resource id)" : "the id given to import";
  assertPathId(id, "restore session id", source);
  const recorded = typeof props.tenantId === "string" ? props.tenantId.toLowerCase() : undefined;
  const configured = ctx.settings.tenantId?.toLowerCase();
  if (recorded !== undefined && configured !== undefined && recorded !== configured) {
    throw new Error(
      `${ctx.schema.typeName} ${id} was made in tenant ${recorded}, but the provider is configured for tenant ` +
        `${configured} (m365-backup:tenantId); refusing to read, change or delete it there. Nothing was sent to ` +
        `Graph. Run this stack with the tenant it was deployed to.`,
    );
  }
}

export async function check(
  kind: RestoreSessionKind,
  config: ConfigSnapshot | undefined,
  olds: PropertyBag,
  news: PropertyBag,
): Promise<pulumi.dynamic.CheckResult> {
  const outcome = checkSession(KIND_SCHEMAS[kind], settingsOf(config).apiVersion, olds ?? {}, news ?? {});
  const failures = [...unknownConfigKeyFailures(config), ...outcome.failures];
  if (failures.length === 0 && Object.keys(withoutProvider(olds ?? {})).length === 0) {
    // A new resource: say which restore point and how many items each granular selector means.
    failures.push(...(await previewGranular(kind, config, outcome.inputs)));
  }
  return failures.length > 0 ? { inputs: outcome.inputs, failures } : { inputs: outcome.inputs };
}

async function previewGranular(
  kind: RestoreSessionKind,
  config: ConfigSnapshot | undefined,
  inputs: PropertyBag,
): Promise<CheckFailure[]> {
  const granular = inputs[KIND_SCHEMAS[kind].granularProperty];
  if (!Array.isArray(granular) || !granular.some(isGranularSelector) || containsUnknown(granular)) {
    return [];
  }
  return previewGranularSelectors(contextFor(kind, config), granular as GranularArtifactInput[]);
}

export function diff(
  kind: RestoreSessionKind,
  olds: PropertyBag,
  news: PropertyBag,
): Promise<pulumi.dynamic.DiffResult> {
  const schema = KIND_SCHEMAS[kind];
  // importSessionId is used by create only: diff ignores it, known or not (its DIFF_TABLE row too).
  const { importSessionId: _createOnly, ...given } = withoutProvider(news);
  if (containsUnknown(given)) {
    // Preview with values not known yet: whatever they turn into may change what is restored.
    const unknown = Object.keys(given).filter((key) => containsUnknown(given[key]));
    const result = diffWithUnknowns(schema, olds, given, unknown);
    return Promise.resolve({ changes: true, replaces: result.replaces, deleteBeforeReplace: false });
  }
  const result = diffSession(schema, olds, given);
  return Promise.resolve({ changes: result.changes, replaces: result.replaces, deleteBeforeReplace: false });
}

export async function create(
  kind: RestoreSessionKind,
  config: ConfigSnapshot | undefined,
  inputs: PropertyBag,
): Promise<pulumi.dynamic.CreateResult> {
  const ctx = contextFor(kind, config);
  const created = await createSession(ctx, withoutProvider(inputs) as SessionInputs, inputs[PROVIDER_KEY]);
  return { id: created.id, outs: created.outs };
}

export async function read(
  kind: RestoreSessionKind,
  config: ConfigSnapshot | undefined,
  id: string,
  props: PropertyBag | undefined,
): Promise<pulumi.dynamic.ReadResult> {
  const ctx = contextFor(kind, config);
  const given = withoutProvider(props ?? {});
  guardStateSession(ctx, id, given);
  return readSession(ctx, id, given);
}

export async function update(
  kind: RestoreSessionKind,
  config: ConfigSnapshot | undefined,
  id: string,
  olds: PropertyBag,
  news: PropertyBag,
): Promise<pulumi.dynamic.UpdateResult> {
  const ctx = contextFor(kind, config);
  guardStateSession(ctx, id, olds);
  const outs = await updateSession(
    ctx,
    id,
    withoutProvider(olds),
    withoutProvider(news) as SessionInputs,
    news[PROVIDER_KEY],
  );
  return { outs };
}

export async function remove(
  kind: RestoreSessionKind,
  config: ConfigSnapshot | undefined,
  id: string,
  props: PropertyBag,
): Promise<void> {
  const ctx = contextFor(kind, config);
  guardStateSession(ctx, id, props);
  await deleteSession(ctx, id, withoutProvider(props));
}
