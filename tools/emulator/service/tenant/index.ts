/**
 * The seeded tenant: see `docs/emulator-tenant.md` for sizes, names, the restore point schedule and
 * every choice made where Graph's documentation is silent.
 */
export * from "./types";
export { createTenant } from "./tenant";
