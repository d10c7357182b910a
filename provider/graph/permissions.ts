/**
 * Which Graph application permission each backup-restore operation needs (Graph docs: the permission table of
 * each page). Used only to name the permission in a 403's advice when Graph's own message does not.
 */
import type { HttpMethod } from "./pipeline";

/** Graph application permissions of the backup-restore API. */
export const RESTORE_READ = "BackupRestore-Restore.Read.All";
export const RESTORE_READ_WRITE = "BackupRestore-Restore.ReadWrite.All";
export const SEARCH_READ = "BackupRestore-Search.Read.All";
export const CONFIGURATION_READ = "BackupRestore-Configuration.Read.All";
export const CONTROL_READ = "BackupRestore-Control.Read.All";
export const CONTROL_READ_WRITE = "BackupRestore-Control.ReadWrite.All";

/** First match wins; `path` is relative to `/solutions/backupRestore`, without the query. */
const TABLE: readonly { method: HttpMethod | "*"; pattern: RegExp; permissions: readonly string[] }[] = [
  { method: "POST", pattern: /^\/restorePoints\/search$/, permissions: [SEARCH_READ] },
  { method: "GET", pattern: /^\/restorePoints/, permissions: [RESTORE_READ] },
  { method: "*", pattern: /ProtectionUnits?\b|^\/protectionUnits/, permissions: [CONFIGURATION_READ] },
  { method: "GET", pattern: /\/granular\w+RestoreArtifacts/, permissions: [RESTORE_READ_WRITE] },
  { method: "*", pattern: /BrowseSessions/, permissions: [RESTORE_READ_WRITE] },
  {
    method: "GET",
    pattern: /RestoreSessions|^\/restoreSessions/,
    permissions: [RESTORE_READ, RESTORE_READ_WRITE],
  },
  { method: "*", pattern: /RestoreSessions|^\/restoreSessions/, permissions: [RESTORE_READ_WRITE] },
  { method: "POST", pattern: /^\/enable$/, permissions: [CONTROL_READ_WRITE] },
  { method: "GET", pattern: /^\/?$/, permissions: [CONTROL_READ] },
];

/** The permissions any one of which allows the call, or `[]` when the operation is not in the table. */
export function requiredPermissions(method: HttpMethod, path: string): readonly string[] {
  const row = TABLE.find(
    (entry) => (entry.method === "*" || entry.method === method) && entry.pattern.test(path),
  );
  return row?.permissions ?? [];
}

/** Permission names mentioned in a Graph message, e.g. "API requires one of 'BackupRestore-Restore.Read.All'". */
export function permissionsInMessage(message: string): string[] {
  return [...new Set(message.match(/\bBackupRestore-[A-Za-z]+\.(?:Read|ReadWrite)\.All\b/g) ?? [])];
}
