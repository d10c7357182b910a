// The three resource files are alike on purpose: each is its resource's public page, with the docs and
// the example of its kind. Their property names and types are held to the kind table
// (provider/model/kinds.ts) by tests/unit/sdkModel.test.ts, so only the words are repeated.
import * as pulumi from "@pulumi/pulumi";
import { RestoreSessionResource } from "./restoreSession";
import type {
  GranularMailboxArtifactArgs,
  GranularQuerySelectorArgs,
  MailboxBulkAdditionRequestArgs,
  MailboxSelectorArgs,
  RestorePointArtifactArgs,
  RestoreSessionCommonArgs,
} from "./types";

/** Inputs of {@link ExchangeRestoreSession}: one of the three artifact styles, plus the common options. */
export interface ExchangeRestoreSessionArgs extends RestoreSessionCommonArgs {
  /** Mailboxes to restore, by restore point id or by selector (`mailbox` + `restorePointTime`). */
  mailboxRestoreArtifacts?: pulumi.Input<pulumi.Input<RestorePointArtifactArgs | MailboxSelectorArgs>[]>;
  /**
   * Mail items (at most 50 per session): a search artifact, or a granular selector by query
   * (`{ mailbox, restorePointTime, query: { queryExpression: "(Subject -like 'Invoice*')" } }`).
   */
  granularMailboxRestoreArtifacts?: pulumi.Input<
    pulumi.Input<GranularMailboxArtifactArgs | GranularQuerySelectorArgs>[]
  >;
  /** Mailboxes by address or object id, resolved by Graph (one bulk request per session). */
  mailboxRestoreArtifactsBulkAdditionRequest?: pulumi.Input<MailboxBulkAdditionRequestArgs>;
}

/**
 * A Microsoft 365 Backup restore session for Exchange mailboxes
 * (`pulumi-nodejs:dynamic/m365-backup:ExchangeRestoreSession`). The resource id is the Graph session id.
 *
 * To bring an existing session under the stack, name it with `importSessionId` (see
 * {@link RestoreSessionCommonArgs.importSessionId}); `pulumi import` does not work for dynamic resources.
 *
 * @example
 * ```ts
 * import { ExchangeRestoreSession } from "pulumi-m365-backup";
 *
 * const mailboxes = new ExchangeRestoreSession("incident-42", {
 *   mailboxRestoreArtifacts: ["ann@contoso.com", "bob@contoso.com"].map((mailbox) => ({
 *     mailbox,
 *     restorePointTime: "2026-11-20T09:00:00Z",
 *   })),
 *   activate: true,
 * });
 * export const status = mailboxes.status;
 * ```
 */
export class ExchangeRestoreSession extends RestoreSessionResource {
  declare readonly mailboxRestoreArtifacts: pulumi.Output<unknown[] | undefined>;
  declare readonly granularMailboxRestoreArtifacts: pulumi.Output<unknown[] | undefined>;
  declare readonly mailboxRestoreArtifactsBulkAdditionRequest: pulumi.Output<unknown>;

  constructor(name: string, args: ExchangeRestoreSessionArgs = {}, opts?: pulumi.CustomResourceOptions) {
    super("exchange", name, args, opts);
  }
}
