/**
 * pulumi-m365-backup: Microsoft 365 Backup restore sessions as Pulumi resources, and runbook functions.
 */
export { SharePointRestoreSession, type SharePointRestoreSessionArgs } from "./sharePointRestoreSession";
export { ExchangeRestoreSession, type ExchangeRestoreSessionArgs } from "./exchangeRestoreSession";
export {
  OneDriveForBusinessRestoreSession,
  type OneDriveForBusinessRestoreSessionArgs,
} from "./oneDriveForBusinessRestoreSession";
export { RestoreSessionResource } from "./restoreSession";
export * from "./types";
export * from "./functions";
