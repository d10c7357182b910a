/**
 * The SDK's public types follow the provider's model (`provider/model/`). Most are derived from it
 * (`sdk/types.ts`); the three resources' `...Args` and the base class's outputs are written out for
 * their documentation, so this file holds them to the model at compile time: `npm run typecheck`
 * (part of `npm test` and `npm run lint`) fails on the `Assert` line of whatever drifted. The runtime tests pin what
 * the engine sees from the same table: the type tokens and the registered outputs.
 */
import { expect } from "chai";
import type * as pulumi from "@pulumi/pulumi";
import {
  KIND_SCHEMAS,
  OBSERVATION_FIELDS,
  RESTORE_SESSION_KINDS,
  type ConflictBehavior,
  type RestoreSessionKind,
  type SessionObservation,
} from "../../provider/model";
import {
  ExchangeRestoreSession,
  OneDriveForBusinessRestoreSession,
  RestoreSessionResource,
  SharePointRestoreSession,
  type ExchangeRestoreSessionArgs,
  type GranularBrowseArtifactArgs,
  type GranularMailboxArtifactArgs,
  type GranularPathSelectorArgs,
  type GranularQuerySelectorArgs,
  type DriveBulkAdditionRequestArgs,
  type MailboxBulkAdditionRequestArgs,
  type MailboxSelectorArgs,
  type OneDriveForBusinessRestoreSessionArgs,
  type OneDriveSelectorArgs,
  type RestorePointArtifactArgs,
  type RestoreSessionCommonArgs,
  type SharePointRestoreSessionArgs,
  type SiteBulkAdditionRequestArgs,
  type SiteSelectorArgs,
} from "../../sdk";

/** True when `A` and `B` are the same type (not merely assignable one way). */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Assert<T extends true> = T;

type Schema<K extends RestoreSessionKind> = (typeof KIND_SCHEMAS)[K];
type InputList<T> = pulumi.Input<pulumi.Input<T>[]>;

/** What a kind's `...Args` must be: the common inputs, and the kind table's three properties. */
type ExpectedArgs<K extends RestoreSessionKind, Standard, Granular, Bulk> = RestoreSessionCommonArgs & {
  [P in Schema<K>["standardProperty"]]?: InputList<Standard>;
} & { [P in Schema<K>["granularProperty"]]?: InputList<Granular> } & {
  [P in Schema<K>["bulkProperty"]]?: pulumi.Input<Bulk>;
} & (Schema<K>["supportsConflictBehavior"] extends true
    ? { conflictBehavior?: pulumi.Input<ConflictBehavior> }
    : unknown);

/** Flattens intersections and interfaces into one object type, so that `Equal` compares members. */
type Members<T> = { [K in keyof T]: T[K] };

/** The outputs the base class declares, unwrapped. */
type DeclaredObservation = {
  [K in keyof SessionObservation]: RestoreSessionResource[K] extends pulumi.Output<infer U> ? U : never;
};

export type SdkFollowsModel = [
  Assert<
    Equal<
      Members<SharePointRestoreSessionArgs>,
      Members<
        ExpectedArgs<
          "sharePoint",
          RestorePointArtifactArgs | SiteSelectorArgs,
          GranularBrowseArtifactArgs | GranularPathSelectorArgs,
          SiteBulkAdditionRequestArgs
        >
      >
    >
  >,
  Assert<
    Equal<
      Members<ExchangeRestoreSessionArgs>,
      Members<
        ExpectedArgs<
          "exchange",
          RestorePointArtifactArgs | MailboxSelectorArgs,
          GranularMailboxArtifactArgs | GranularQuerySelectorArgs,
          MailboxBulkAdditionRequestArgs
        >
      >
    >
  >,
  Assert<
    Equal<
      Members<OneDriveForBusinessRestoreSessionArgs>,
      Members<
        ExpectedArgs<
          "oneDriveForBusiness",
          RestorePointArtifactArgs | OneDriveSelectorArgs,
          GranularBrowseArtifactArgs | GranularPathSelectorArgs,
          DriveBulkAdditionRequestArgs
        >
      >
    >
  >,
  Assert<Equal<DeclaredObservation, SessionObservation>>,
  // Every observed field is registered as an output, and nothing else.
  Assert<Equal<(typeof OBSERVATION_FIELDS)[number], keyof SessionObservation>>,
];

describe("SDK types and the model", () => {
  it("names each resource class after its kind's typeName, which ends the type token", () => {
    const classes: Record<RestoreSessionKind, { name: string }> = {
      sharePoint: SharePointRestoreSession,
      exchange: ExchangeRestoreSession,
      oneDriveForBusiness: OneDriveForBusinessRestoreSession,
    };
    for (const kind of RESTORE_SESSION_KINDS) {
      expect(classes[kind].name).to.equal(KIND_SCHEMAS[kind].typeName);
    }
  });

  it("lists each observed output once", () => {
    expect(new Set(OBSERVATION_FIELDS).size).to.equal(OBSERVATION_FIELDS.length);
  });
});
