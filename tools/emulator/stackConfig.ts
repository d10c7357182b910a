/**
 * The Pulumi stack config that points the provider at an emulator with a client secret, the secret
 * marked as a Pulumi secret: what the drill, the benchmarks and the lifecycle tests configure.
 */
import type { Emulator } from "./index";

/** A config value as Pulumi stacks hold them: plain, or a secret. */
export type StackConfigValue = string | { value: string; secret: true };

/**
 * `m365-backup:*` config for the emulator's read-write client, or for another seeded secret client
 * given its id and secret.
 *
 * @example
 * ```ts
 * new LifecycleRunner({ projectDir, config: emulatorStackConfig(emulator) });
 * ```
 */
export function emulatorStackConfig(
  emulator: Pick<Emulator, "tenantId" | "clientId" | "clientSecret" | "authorityHost" | "graphEndpoint">,
  clientId = emulator.clientId,
  clientSecret = emulator.clientSecret,
): Record<string, StackConfigValue> {
  return {
    "m365-backup:tenantId": emulator.tenantId,
    "m365-backup:clientId": clientId,
    "m365-backup:clientSecret": { value: clientSecret, secret: true },
    "m365-backup:authorityHost": emulator.authorityHost,
    "m365-backup:graphEndpoint": emulator.graphEndpoint,
  };
}
