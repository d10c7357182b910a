// The runner's checkpoint: a JSON file holding the stack's resources between operations, rewritten
// (atomically) after every step so that an interrupted operation leaves a file that describes what
// exists. Secrets are kept the way a Pulumi checkpoint keeps them: the signature object stays, the
// value is replaced by ciphertext (AES-256-GCM under a key derived from a passphrase, like the
// passphrase secrets provider). Stack configuration is never written here.
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import {
  isSecret,
  type PropertyMap,
  type PropertyValue,
  SECRET_SIGNATURE,
  SIGNATURE_KEY,
} from "./properties";

/** One resource in the checkpoint. Inputs and outputs are in wire form, secrets as signature objects. */
export interface ResourceState {
  /** The resource's URN, as the engine would build it. */
  urn: string;
  /** Type token, e.g. `pulumi-nodejs:dynamic:Resource`. */
  type: string;
  /** The logical name given in the program. */
  name: string;
  /** `true` for custom (provider-backed) resources, `false` for components and the stack. */
  custom: boolean;
  /** The provider-assigned id (custom resources only). */
  id?: string;
  /** The checked inputs last sent to the provider (they carry `__provider`). */
  inputs: PropertyMap;
  /** The outputs the provider last returned (they carry `__provider`). */
  outputs: PropertyMap;
  /** The parent's URN, if any. */
  parent?: string;
  /** URNs this resource depends on. */
  dependencies: string[];
  /** `true` for the old copy of a resource replaced create-before-delete, still to be deleted. */
  delete?: boolean;
  /** Reasons from a partial creation (`ErrorResourceInitFailed`); the next `up` updates the resource. */
  initErrors?: string[];
  /** The resource option `deleteBeforeReplace`, as last registered. */
  deleteBeforeReplace?: boolean;
  /** The resource option `retainOnDelete`: deleting it only forgets it. */
  retainOnDelete?: boolean;
  /** `true` for a resource read with `Resource.get`: the stack does not own it and never deletes it. */
  external?: boolean;
}

/** A provider call that had started when the checkpoint was last written (like Pulumi's pending operations). */
export interface PendingOperation {
  urn: string;
  type: string;
  operation: "creating" | "updating" | "deleting";
  id?: string;
}

/** The whole checkpoint as held in memory (secrets in plaintext wire form). */
export interface CheckpointData {
  /** The stack's resources, dependencies before dependents. */
  resources: ResourceState[];
  /** The program's stack outputs from the last successful `up`. */
  outputs: PropertyMap;
  /** Provider calls in flight: left here only when an operation was interrupted. */
  pendingOperations?: PendingOperation[];
}

interface CheckpointFile {
  version: 1;
  project: string;
  stack: string;
  secretsProvider: { type: "passphrase"; salt: string };
  resources: ResourceState[];
  outputs: PropertyMap;
  pendingOperations?: PendingOperation[];
}

const CIPHER = "aes-256-gcm";

/** Reads and writes one checkpoint file. */
export class CheckpointStore {
  private key: Buffer | undefined;
  private salt: string | undefined;

  /**
   * @param filePath - where the checkpoint lives (created on first write).
   * @param identity - project and stack names recorded in the file.
   * @param passphrase - derives the key that encrypts secret values.
   */
  constructor(
    readonly filePath: string,
    private readonly identity: { project: string; stack: string },
    private readonly passphrase: string,
  ) {}

  /** Loads the checkpoint, or an empty one when the file does not exist. */
  load(): CheckpointData {
    if (!fs.existsSync(this.filePath)) {
      return { resources: [], outputs: {} };
    }
    const file = JSON.parse(fs.readFileSync(this.filePath, "utf8")) as CheckpointFile;
    if (file.version !== 1) {
      throw new Error(`checkpoint ${this.filePath} has unsupported version ${String(file.version)}`);
    }
    this.useSalt(file.secretsProvider.salt);
    const decrypt = (value: PropertyValue): PropertyValue =>
      this.transform(value, (secret) => this.open(secret));
    return {
      resources: file.resources.map((resource) => ({
        ...resource,
        inputs: decrypt(resource.inputs) as PropertyMap,
        outputs: decrypt(resource.outputs) as PropertyMap,
      })),
      outputs: decrypt(file.outputs ?? {}) as PropertyMap,
      ...(file.pendingOperations?.length ? { pendingOperations: file.pendingOperations } : {}),
    };
  }

  /** Writes the checkpoint atomically (a temporary file renamed over the old one). */
  save(data: CheckpointData): void {
    if (this.salt === undefined) {
      this.useSalt(crypto.randomBytes(16).toString("base64"));
    }
    const encrypt = (value: PropertyValue): PropertyValue =>
      this.transform(value, (secret) => this.seal(secret));
    const file: CheckpointFile = {
      version: 1,
      project: this.identity.project,
      stack: this.identity.stack,
      secretsProvider: { type: "passphrase", salt: this.salt as string },
      resources: data.resources.map((resource) => ({
        ...resource,
        inputs: encrypt(resource.inputs) as PropertyMap,
        outputs: encrypt(resource.outputs) as PropertyMap,
      })),
      outputs: encrypt(data.outputs) as PropertyMap,
      ...(data.pendingOperations?.length ? { pendingOperations: data.pendingOperations } : {}),
    };
    fs.mkdirSync(path.dirname(this.filePath), { recursive: true });
    const temporary = `${this.filePath}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, JSON.stringify(file, null, 2));
    fs.renameSync(temporary, this.filePath);
  }

  private useSalt(salt: string): void {
    this.salt = salt;
    this.key = crypto.scryptSync(this.passphrase, Buffer.from(salt, "base64"), 32);
  }

  private transform(value: PropertyValue, onSecret: (secret: PropertyMap) => PropertyValue): PropertyValue {
    if (isSecret(value)) {
      return onSecret(value);
    }
    if (Array.isArray(value)) {
      return value.map((item) => this.transform(item, onSecret));
    }
    if (isPlainObject(value)) {
      const result: PropertyMap = {};
      for (const [key, item] of Object.entries(value)) {
        result[key] = this.transform(item, onSecret);
      }
      return result;
    }
    return value;
  }

  private seal(secret: PropertyMap): PropertyValue {
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv(CIPHER, this.key as Buffer, iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(secret.value), "utf8"), cipher.final()]);
    const ciphertext = ["v1", iv, cipher.getAuthTag(), body]
      .map((part) => (typeof part === "string" ? part : part.toString("base64")))
      .join(":");
    return { [SIGNATURE_KEY]: SECRET_SIGNATURE, ciphertext };
  }

  private open(secret: PropertyMap): PropertyValue {
    const ciphertext = secret.ciphertext;
    if (typeof ciphertext !== "string") {
      throw new Error(`checkpoint ${this.filePath} holds a secret without ciphertext`);
    }
    const [version, iv, tag, body] = ciphertext.split(":");
    if (version !== "v1" || iv === undefined || tag === undefined || body === undefined) {
      throw new Error(`checkpoint ${this.filePath} holds a secret in an unknown format`);
    }
    const decipher = crypto.createDecipheriv(CIPHER, this.key as Buffer, Buffer.from(iv, "base64"));
    decipher.setAuthTag(Buffer.from(tag, "base64"));
    let plaintext: string;
    try {
      plaintext = Buffer.concat([decipher.update(Buffer.from(body, "base64")), decipher.final()]).toString(
        "utf8",
      );
    } catch {
      throw new Error(`checkpoint ${this.filePath}: cannot decrypt secrets (wrong passphrase?)`);
    }
    return { [SIGNATURE_KEY]: SECRET_SIGNATURE, value: JSON.parse(plaintext) as PropertyValue };
  }
}

function isPlainObject(value: unknown): value is PropertyMap {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
