/**
 * The model: the one definition of Graph's backup-restore wire shapes (`wire.ts`), the kind table
 * (`kinds.ts`), the inputs as `check` normalizes them (`inputs.ts`), the outputs stored in state
 * (`outputs.ts`) and Graph's request limits (`limits.ts`). The Graph client, the providers and the SDK
 * all take their types from here; this folder imports nothing outside itself.
 */
export * from "./wire";
export * from "./kinds";
export * from "./inputs";
export * from "./outputs";
export * from "./limits";
