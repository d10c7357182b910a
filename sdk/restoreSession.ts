/**
 * What the three restore-session resources share: the outputs and the constructor plumbing.
 */
import * as pulumi from "@pulumi/pulumi";
import { KIND_SCHEMAS, OBSERVATION_FIELDS, type RestoreSessionKind } from "../provider/model";
import { sessionProvider } from "./provider";
import type {
  ArtifactCountOutput,
  ErrorOutput,
  IdentitySetOutput,
  RestoreArtifactOutput,
  RestoreJobType,
  RestoreSessionStatus,
} from "./types";

/** The module part of the type token: `pulumi-nodejs:dynamic/m365-backup:<Kind>RestoreSession`. */
export const TYPE_MODULE = "m365-backup";

/** Base of the three resources. The resource id is the Graph session id. */
export abstract class RestoreSessionResource extends pulumi.dynamic.Resource {
  /** `draft`, `activating`, `active`, `completed`, `completedWithError`, `failed` or `unknownFutureValue`. */
  declare readonly status: pulumi.Output<RestoreSessionStatus>;
  /** `standard`, `bulk` or `granular`. */
  declare readonly restoreJobType: pulumi.Output<RestoreJobType | null>;
  declare readonly restoreSessionArtifactCount: pulumi.Output<ArtifactCountOutput>;
  declare readonly createdDateTime: pulumi.Output<string | null>;
  declare readonly completedDateTime: pulumi.Output<string | null>;
  declare readonly lastModifiedDateTime: pulumi.Output<string | null>;
  declare readonly createdBy: pulumi.Output<IdentitySetOutput | null>;
  declare readonly lastModifiedBy: pulumi.Output<IdentitySetOutput | null>;
  declare readonly error: pulumi.Output<ErrorOutput | null>;
  /**
   * One entry per artifact, with its restore point id (`restorePointId`) and status; only the failed
   * ones when `artifactOutputs` is `"failedOnly"`.
   */
  declare readonly artifacts: pulumi.Output<RestoreArtifactOutput[]>;
  /**
   * The tenant the session was made in (lower case); refresh, update and delete refuse to run under
   * another one. `null` when the provider had no tenant id configured, or for state written before it
   * was recorded.
   */
  declare readonly tenantId: pulumi.Output<string | null>;
  declare readonly activate: pulumi.Output<boolean>;
  declare readonly waitForCompletion: pulumi.Output<boolean>;
  declare readonly completionTimeoutMinutes: pulumi.Output<number>;
  declare readonly triggers: pulumi.Output<unknown>;
  /** The session create took over, when the program set `importSessionId`; never compared by diff. */
  declare readonly importSessionId: pulumi.Output<string | undefined>;

  protected constructor(
    kind: RestoreSessionKind,
    name: string,
    args: object,
    opts: pulumi.CustomResourceOptions | undefined,
  ) {
    const props: Record<string, unknown> = { ...args };
    // Outputs Graph reports, listed so the engine registers them on the resource.
    for (const output of OBSERVATION_FIELDS) {
      props[output] = undefined;
    }
    super(sessionProvider(kind), name, props, opts, TYPE_MODULE, KIND_SCHEMAS[kind].typeName);
  }
}
