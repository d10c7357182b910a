/**
 * Input and output types of the restore-session resources, derived from the provider's model
 * (`provider/model/`): each `...Args` is a model input as a program writes it (every property a
 * `pulumi.Input`, the fields `check` defaults optional), and the outputs are the model's own. Names and
 * shapes are Graph's, so the Graph documentation reads straight into code.
 */
import type * as pulumi from "@pulumi/pulumi";
import type {
  ArtifactById,
  ArtifactOutput,
  ArtifactSelector,
  BulkRequestInput,
  CommonInputs,
  GranularBrowseArtifact,
  GranularMailboxArtifact,
  GranularPathSelector,
  GranularQuerySelector,
  KIND_SCHEMAS,
  RestoreSessionArtifactCount,
  SelectorField,
  WritableDestinationType,
} from "../provider/model";

export type {
  ArtifactRestoreStatus,
  ErrorOutput,
  IdentityOutput,
  IdentitySetOutput,
  RestoreJobType,
  RestoreSessionStatus,
} from "../provider/model";

/**
 * A model input as a program writes it: every property a `pulumi.Input` (a value, a promise or an
 * output), and lists and objects the same way all the way down.
 */
type Args<T> = { [K in keyof T]: pulumi.Input<ArgValue<Exclude<T[K], undefined>>> };
type ArgValue<V> = V extends readonly (infer E)[]
  ? pulumi.Input<ArgValue<E>>[]
  : V extends object
    ? Args<V>
    : V;

/** `T` with the fields `check` fills in when the program leaves them out made optional. */
type Defaulted<T, K extends keyof T> = Omit<T, K> & Partial<Pick<T, K>>;

/** Where a restore goes: `new` (the default) restores to a new location; `inPlace` overwrites the original. */
export type DestinationType = WritableDestinationType;

/** Graph's reference to a restore point. */
export type RestorePointReferenceArgs = Args<ArtifactById["restorePoint"]>;

/** A standard artifact by restore point id: `{ restorePoint: { id }, destinationType? }`. */
export type RestorePointArtifactArgs = Args<Defaulted<ArtifactById, "destinationType">>;

/** A selector as written: the state-only resolution left out, the defaulted fields optional. */
type WrittenSelector = Defaulted<
  Omit<ArtifactSelector, "resolvedRestorePointId">,
  "restorePointPreference" | "destinationType"
>;

/**
 * Fields every selector has: instead of a restore point id, name the unit and a time; the provider
 * resolves it when the session is created and records the restore point in `artifacts`.
 */
export type SelectorFieldsArgs = Args<Omit<WrittenSelector, SelectorField>>;

/** A selector of the kind whose unit field is `F` (or `protectionUnitId`). */
type SelectorArgsFor<F extends SelectorField> = Args<Omit<WrittenSelector, Exclude<SelectorField, F>>>;

export type SiteSelectorArgs = SelectorArgsFor<typeof KIND_SCHEMAS.sharePoint.selectorField>;
export type MailboxSelectorArgs = SelectorArgsFor<typeof KIND_SCHEMAS.exchange.selectorField>;
export type OneDriveSelectorArgs = SelectorArgsFor<typeof KIND_SCHEMAS.oneDriveForBusiness.selectorField>;

/** Granular SharePoint or OneDrive artifact: an item of a browse session. */
export type GranularBrowseArtifactArgs = Args<GranularBrowseArtifact>;

/**
 * Granular SharePoint or OneDrive selector: files and folders by path in the fast restore point a time
 * means, resolved when the session is created and pinned in state.
 */
export type GranularPathSelectorArgs = Args<
  Defaulted<Omit<GranularPathSelector, "resolved">, "restorePointPreference">
>;

/** Granular Exchange selector: the mail items a query matches in the restore point a time means. */
export type GranularQuerySelectorArgs = Args<
  Defaulted<Omit<GranularQuerySelector, "resolved">, "restorePointPreference" | "destinationType">
>;

/** Granular Exchange artifact: a restore point and a `restorePoints/search` response. */
export type GranularMailboxArtifactArgs = Args<Defaulted<GranularMailboxArtifact, "destinationType">>;

/** The resource lists of every kind's bulk request; each kind takes those of its `bulkLists`. */
type BulkLists = (typeof KIND_SCHEMAS)[keyof typeof KIND_SCHEMAS]["bulkLists"][number];

/** Fields of every bulk addition request. */
export type BulkRequestFieldsArgs = Args<Defaulted<Omit<BulkRequestInput, BulkLists>, "destinationType">>;

/** A bulk addition request of the kind whose lists are `L`. */
type BulkArgsFor<L extends BulkLists> = BulkRequestFieldsArgs & Args<Pick<BulkRequestInput, L>>;

export type SiteBulkAdditionRequestArgs = BulkArgsFor<(typeof KIND_SCHEMAS.sharePoint.bulkLists)[number]>;
export type MailboxBulkAdditionRequestArgs = BulkArgsFor<(typeof KIND_SCHEMAS.exchange.bulkLists)[number]>;
export type DriveBulkAdditionRequestArgs = BulkArgsFor<
  (typeof KIND_SCHEMAS.oneDriveForBusiness.bulkLists)[number]
>;

/**
 * Inputs every kind shares. `triggers` takes any value here (`check` refuses what is not JSON);
 * `conflictBehavior` is declared by the kinds that take it.
 */
export type RestoreSessionCommonArgs = Args<Partial<Omit<CommonInputs, "triggers" | "conflictBehavior">>> & {
  /** Any values; changing them starts a new session (a new drill run). */
  triggers?: pulumi.Input<unknown>;
};

/** Per-artifact outputs. */
export type RestoreArtifactOutput = ArtifactOutput;

/** The session's artifact counts, as Graph reports them. */
export type ArtifactCountOutput = RestoreSessionArtifactCount;
