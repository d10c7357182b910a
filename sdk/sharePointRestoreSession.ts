// The three resource files are alike on purpose: each is its resource's public page, with the docs and
// the example of its kind. Their property names and types are held to the kind table
// (provider/model/kinds.ts) by tests/unit/sdkModel.test.ts, so only the words are repeated.
import * as pulumi from "@pulumi/pulumi";
import { RestoreSessionResource } from "./restoreSession";
import type {
  GranularBrowseArtifactArgs,
  GranularPathSelectorArgs,
  RestorePointArtifactArgs,
  RestoreSessionCommonArgs,
  SiteBulkAdditionRequestArgs,
  SiteSelectorArgs,
} from "./types";

/** Inputs of {@link SharePointRestoreSession}: one of the three artifact styles, plus the common options. */
export interface SharePointRestoreSessionArgs extends RestoreSessionCommonArgs {
  /** Sites to restore, by restore point id or by selector (`siteWebUrl` + `restorePointTime`). */
  siteRestoreArtifacts?: pulumi.Input<pulumi.Input<RestorePointArtifactArgs | SiteSelectorArgs>[]>;
  /**
   * Files and folders: browse items, or a granular selector by path
   * (`{ siteWebUrl, restorePointTime, paths: ["/Shared Documents/Finance"], destinationType: "new" }`).
   */
  granularSiteRestoreArtifacts?: pulumi.Input<
    pulumi.Input<GranularBrowseArtifactArgs | GranularPathSelectorArgs>[]
  >;
  /** Sites by URL or id, resolved by Graph (one bulk request per session). */
  siteRestoreArtifactsBulkAdditionRequest?: pulumi.Input<SiteBulkAdditionRequestArgs>;
  /** Beta, granular sessions only: `fail` (default), `replace` or `rename`. */
  conflictBehavior?: pulumi.Input<"fail" | "replace" | "rename">;
}

/**
 * A Microsoft 365 Backup restore session for SharePoint sites
 * (`pulumi-nodejs:dynamic/m365-backup:SharePointRestoreSession`). The resource id is the Graph session id.
 *
 * To bring an existing session under the stack, name it with `importSessionId` (see
 * {@link RestoreSessionCommonArgs.importSessionId}); `pulumi import` does not work for dynamic resources.
 *
 * @example
 * ```ts
 * import { SharePointRestoreSession } from "pulumi-m365-backup";
 *
 * const finance = new SharePointRestoreSession("finance", {
 *   siteRestoreArtifacts: [
 *     { siteWebUrl: "https://contoso.sharepoint.com/sites/finance", restorePointTime: "2026-11-20T09:00:00Z" },
 *   ],
 *   activate: true,
 *   waitForCompletion: true,
 * });
 * export const restoredTo = finance.artifacts.apply((a) => a.map((x) => x.restoredSiteWebUrl));
 * ```
 */
export class SharePointRestoreSession extends RestoreSessionResource {
  declare readonly siteRestoreArtifacts: pulumi.Output<unknown[] | undefined>;
  declare readonly granularSiteRestoreArtifacts: pulumi.Output<unknown[] | undefined>;
  declare readonly siteRestoreArtifactsBulkAdditionRequest: pulumi.Output<unknown>;
  declare readonly conflictBehavior: pulumi.Output<string | undefined>;

  constructor(name: string, args: SharePointRestoreSessionArgs = {}, opts?: pulumi.CustomResourceOptions) {
    super("sharePoint", name, args, opts);
  }
}
