/**
 * Application roles (Graph docs: the permission table of each page) and which routes accept which.
 * `ReadWrite.All` also satisfies every operation that `Read.All` allows.
 */

/** Read restore sessions, artifacts, restore points and bulk requests. */
export const RESTORE_READ = "BackupRestore-Restore.Read.All";
/** Everything Read.All allows, plus every restore write. */
export const RESTORE_READ_WRITE = "BackupRestore-Restore.ReadWrite.All";

/** GET sessions, standard artifact lists and bulk requests. */
export const READ_RESTORE_SESSIONS: readonly string[] = [RESTORE_READ, RESTORE_READ_WRITE];

/** Create, update, delete, activate, bulk create/delete and the granular artifact lists. */
export const WRITE_RESTORE_SESSIONS: readonly string[] = [RESTORE_READ_WRITE];
