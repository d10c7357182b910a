// The three resource files are alike on purpose: each is its resource's public page, with the docs and
// the example of its kind. Their property names and types are held to the kind table
// (provider/model/kinds.ts) by tests/unit/sdkModel.test.ts, so only the words are repeated.
import * as pulumi from "@pulumi/pulumi";
import { RestoreSessionResource } from "./restoreSession";
import type {
  DriveBulkAdditionRequestArgs,
  GranularBrowseArtifactArgs,
  GranularPathSelectorArgs,
  OneDriveSelectorArgs,
  RestorePointArtifactArgs,
  RestoreSessionCommonArgs,
} from "./types";

/** Inputs of {@link OneDriveForBusinessRestoreSession}: one of the three artifact styles, plus the common options. */
export interface OneDriveForBusinessRestoreSessionArgs extends RestoreSessionCommonArgs {
  /** OneDrive accounts to restore, by restore point id or by selector (`oneDriveOwner` + `restorePointTime`). */
  driveRestoreArtifacts?: pulumi.Input<pulumi.Input<RestorePointArtifactArgs | OneDriveSelectorArgs>[]>;
  /**
   * Files and folders: browse items, or a granular selector by path
   * (`{ oneDriveOwner, restorePointTime, paths: ["/Documents/Projects"], destinationType: "new" }`).
   */
  granularDriveRestoreArtifacts?: pulumi.Input<
    pulumi.Input<GranularBrowseArtifactArgs | GranularPathSelectorArgs>[]
  >;
  /** OneDrive accounts by owner address or object id, resolved by Graph (one bulk request per session). */
  driveRestoreArtifactsBulkAdditionRequest?: pulumi.Input<DriveBulkAdditionRequestArgs>;
  /** Beta, granular sessions only: `fail` (default), `replace` or `rename`. */
  conflictBehavior?: pulumi.Input<"fail" | "replace" | "rename">;
}

/**
 * A Microsoft 365 Backup restore session for OneDrive for Business accounts
 * (`pulumi-nodejs:dynamic/m365-backup:OneDriveForBusinessRestoreSession`). The resource id is the Graph session id.
 *
 * To bring an existing session under the stack, name it with `importSessionId` (see
 * {@link RestoreSessionCommonArgs.importSessionId}); `pulumi import` does not work for dynamic resources.
 *
 * @example
 * ```ts
 * import { OneDriveForBusinessRestoreSession } from "pulumi-m365-backup";
 *
 * const drive = new OneDriveForBusinessRestoreSession("ann-drive", {
 *   driveRestoreArtifacts: [{ restorePoint: { id: "1f1fccc3-a642-4f61-bf49-f37b9a888279" } }],
 * }); // a draft: review it, then set activate: true
 * export const sessionId = drive.id;
 * ```
 */
export class OneDriveForBusinessRestoreSession extends RestoreSessionResource {
  declare readonly driveRestoreArtifacts: pulumi.Output<unknown[] | undefined>;
  declare readonly granularDriveRestoreArtifacts: pulumi.Output<unknown[] | undefined>;
  declare readonly driveRestoreArtifactsBulkAdditionRequest: pulumi.Output<unknown>;
  declare readonly conflictBehavior: pulumi.Output<string | undefined>;

  constructor(
    name: string,
    args: OneDriveForBusinessRestoreSessionArgs = {},
    opts?: pulumi.CustomResourceOptions,
  ) {
    super("oneDriveForBusiness", name, args, opts);
  }
}
