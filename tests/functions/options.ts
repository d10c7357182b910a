import type { Emulator } from "../../tools/emulator";
import type { FunctionOptions } from "../../sdk/functions";

/** Explicit settings for the emulator's read-write client; an empty environment so nothing leaks in. */
export function emulatorFunctionOptions(emulator: Emulator): FunctionOptions {
  return {
    config: {
      tenantId: emulator.tenantId,
      clientId: emulator.clientId,
      "m365-backup:clientSecret": emulator.clientSecret,
      authorityHost: emulator.authorityHost,
      graphEndpoint: emulator.graphEndpoint,
    },
    env: {},
  };
}
