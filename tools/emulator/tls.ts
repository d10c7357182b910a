/**
 * Certificates for the emulator's HTTPS listener and its certificate client. A certificate authority is
 * made per test run (or per emulator start) and every server certificate is signed by it, so clients
 * trust the emulator through `NODE_EXTRA_CA_CERTS` and nothing is ever committed.
 *
 * Keys come from Node's crypto and signatures too; node-forge only lays out the X.509 structures. The
 * CA and server keys are ECDSA P-256: generating one takes well under a millisecond, where an RSA-2048
 * key costs about a quarter of a second of CPU, and startup must stay under a second. forge can only
 * describe RSA keys, so the certificate is built with a placeholder key and the real public key and
 * signature algorithm are put into the ASN.1 before signing. RSA stays where callers need it (the
 * certificate client signs RS256/PS256 assertions) and works with the same builder.
 */
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPair,
  randomBytes,
  sign,
  type KeyObject,
} from "node:crypto";
import { promises as fs } from "node:fs";
import path from "node:path";
import forge from "node-forge";

const { asn1 } = forge;
/** In node-forge but missing from its type declarations. */
const getTBSCertificate = (cert: forge.pki.Certificate): forge.asn1.Asn1 =>
  (
    forge.pki as unknown as { getTBSCertificate(c: forge.pki.Certificate): forge.asn1.Asn1 }
  ).getTBSCertificate(cert);

/** Where a certificate authority's PEM files are. */
export interface CertificateAuthorityFiles {
  readonly certPath: string;
  readonly keyPath: string;
}

/** A certificate and its private key, both PEM. */
export interface CertificateAndKey {
  readonly certPem: string;
  readonly keyPem: string;
}

/** A key pair as PEM (SPKI public key, PKCS#8 private key). */
export interface KeyPairPem {
  readonly privateKeyPem: string;
  readonly publicKeyPem: string;
}

/** File names inside a CA directory (also what `M365_BACKUP_EMULATOR_CA_DIR` must contain). */
export const CA_CERT_FILE = "ca.pem";
/** The CA's private key file inside a CA directory. */
export const CA_KEY_FILE = "ca-key.pem";

const CA_COMMON_NAME = "m365-backup emulator test CA";
const DAY_IN_MS = 24 * 60 * 60 * 1000;
const OID_SHA256_WITH_RSA = "1.2.840.113549.1.1.11";
const OID_ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";

const PEM_ENCODING = {
  publicKeyEncoding: { type: "spki", format: "pem" },
  privateKeyEncoding: { type: "pkcs8", format: "pem" },
} as const;

function keyPairDone(resolve: (pair: KeyPairPem) => void, reject: (error: Error) => void) {
  return (error: Error | null, publicKeyPem: string, privateKeyPem: string): void =>
    error === null ? resolve({ privateKeyPem, publicKeyPem }) : reject(error);
}

/** A fresh RSA key pair (PKCS#8 private key), generated off the main thread. */
export function generateRsaKeyPem(modulusLength = 2048): Promise<KeyPairPem> {
  return new Promise((resolve, reject) =>
    generateKeyPair("rsa", { modulusLength, ...PEM_ENCODING }, keyPairDone(resolve, reject)),
  );
}

/** A fresh ECDSA P-256 key pair (PKCS#8 private key). */
export function generateEcKeyPem(): Promise<KeyPairPem> {
  return new Promise((resolve, reject) =>
    generateKeyPair("ec", { namedCurve: "P-256", ...PEM_ENCODING }, keyPairDone(resolve, reject)),
  );
}

/** What goes into one certificate. */
interface CertificateSpec {
  readonly subjectCommonName: string;
  readonly subjectPublicKeyPem: string;
  /** The issuer's Name as DER; the subject's own Name when self-signed. */
  readonly issuerNameDer?: string;
  readonly issuerPrivateKey: KeyObject;
  readonly lifetimeInDays: number;
  readonly extensions: object[];
}

/** A positive serial number (leading byte kept below 0x80 so DER does not read it as negative). */
function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return bytes.toString("hex");
}

function algorithmIdentifier(signingKey: KeyObject): forge.asn1.Asn1 {
  const oid = (id: string): forge.asn1.Asn1 =>
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(id).getBytes());
  if (signingKey.asymmetricKeyType === "ec") {
    // RFC 5758: ECDSA algorithm identifiers carry no parameters.
    return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [oid(OID_ECDSA_WITH_SHA256)]);
  }
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
    oid(OID_SHA256_WITH_RSA),
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, ""),
  ]);
}

/** forge needs an RSA public key to lay out a TBSCertificate; this one is replaced before signing. */
function placeholderPublicKey(): forge.pki.rsa.PublicKey {
  const { BigInteger } = forge.jsbn;
  return forge.pki.setRsaPublicKey(new BigInteger("3"), new BigInteger("65537"));
}

function derOfPem(pem: string, type: "spki"): string {
  return createPublicKey(pem).export({ type, format: "der" }).toString("binary");
}

function toPem(der: string): string {
  const base64 = Buffer.from(der, "binary").toString("base64");
  const lines = base64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join("\n")}\n-----END CERTIFICATE-----\n`;
}

/** Builds and signs one X.509 v3 certificate. */
function buildCertificate(spec: CertificateSpec): string {
  const now = Date.now();
  const cert = forge.pki.createCertificate();
  cert.publicKey = placeholderPublicKey();
  cert.serialNumber = serialNumber();
  // Backdated a little so a client whose clock is slightly behind still accepts it.
  cert.validity.notBefore = new Date(now - DAY_IN_MS);
  cert.validity.notAfter = new Date(now + spec.lifetimeInDays * DAY_IN_MS);
  const subject = [{ name: "commonName", value: spec.subjectCommonName }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions(spec.extensions);
  cert.siginfo.algorithmOid = OID_SHA256_WITH_RSA;

  // TBSCertificate: [0] version, serial, signature, issuer, validity, subject, subjectPublicKeyInfo, [3] extensions
  const tbs = getTBSCertificate(cert);
  const fields = tbs.value as forge.asn1.Asn1[];
  fields[2] = algorithmIdentifier(spec.issuerPrivateKey);
  if (spec.issuerNameDer !== undefined) {
    fields[3] = asn1.fromDer(spec.issuerNameDer);
  }
  fields[6] = asn1.fromDer(derOfPem(spec.subjectPublicKeyPem, "spki"));
  const tbsDer = asn1.toDer(tbs).getBytes();
  const signature = sign("sha256", Buffer.from(tbsDer, "binary"), spec.issuerPrivateKey).toString("binary");
  const certificate = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
    tbs,
    algorithmIdentifier(spec.issuerPrivateKey),
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BITSTRING, false, `\u0000${signature}`),
  ]);
  return toPem(asn1.toDer(certificate).getBytes());
}

/** The subject Name of a PEM certificate, as DER (works for RSA and EC certificates alike). */
function subjectNameDer(certPem: string): string {
  const der = forge.pem.decode(certPem)[0]?.body;
  if (der === undefined) {
    throw new Error("The CA certificate file holds no PEM certificate.");
  }
  const tbs = (asn1.fromDer(der).value as forge.asn1.Asn1[])[0];
  const fields = (tbs?.value ?? []) as forge.asn1.Asn1[];
  // A v1 certificate has no explicit [0] version field, which shifts the others by one.
  const offset = fields[0]?.tagClass === asn1.Class.CONTEXT_SPECIFIC ? 1 : 0;
  const subject = fields[4 + offset];
  if (subject === undefined) {
    throw new Error("The CA certificate could not be read.");
  }
  return asn1.toDer(subject).getBytes();
}

/** Creates a self-signed CA, writes `ca.pem` and `ca-key.pem` into `dir` and returns their paths. */
export async function createCertificateAuthority(dir: string): Promise<CertificateAuthorityFiles> {
  const { privateKeyPem, publicKeyPem } = await generateEcKeyPem();
  const certPem = buildCertificate({
    subjectCommonName: CA_COMMON_NAME,
    subjectPublicKeyPem: publicKeyPem,
    issuerPrivateKey: createPrivateKey(privateKeyPem),
    lifetimeInDays: 30,
    extensions: [
      { name: "basicConstraints", cA: true, critical: true },
      { name: "keyUsage", keyCertSign: true, cRLSign: true, critical: true },
    ],
  });
  await fs.mkdir(dir, { recursive: true });
  const certPath = path.join(dir, CA_CERT_FILE);
  const keyPath = path.join(dir, CA_KEY_FILE);
  await fs.writeFile(certPath, certPem);
  await fs.writeFile(keyPath, privateKeyPem, { mode: 0o600 });
  return { certPath, keyPath };
}

/** Reads a CA's PEM files. */
export async function readCertificateAuthority(files: CertificateAuthorityFiles): Promise<CertificateAndKey> {
  const [certPem, keyPem] = await Promise.all([
    fs.readFile(files.certPath, "utf8"),
    fs.readFile(files.keyPath, "utf8"),
  ]);
  return { certPem, keyPem };
}

/**
 * Issues a TLS server certificate for `127.0.0.1`, `::1` and `localhost`, signed by the given CA (RSA or
 * EC). The key is a fresh P-256 key unless one is given.
 */
export async function issueServerCertificate(
  ca: CertificateAndKey,
  key?: KeyPairPem,
): Promise<CertificateAndKey> {
  const { privateKeyPem, publicKeyPem } = key ?? (await generateEcKeyPem());
  const certPem = buildCertificate({
    subjectCommonName: "127.0.0.1",
    subjectPublicKeyPem: publicKeyPem,
    issuerNameDer: subjectNameDer(ca.certPem),
    issuerPrivateKey: createPrivateKey(ca.keyPem),
    lifetimeInDays: 7,
    extensions: [
      { name: "basicConstraints", cA: false },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
      { name: "extKeyUsage", serverAuth: true },
      {
        name: "subjectAltName",
        altNames: [
          { type: 7, ip: "127.0.0.1" },
          { type: 7, ip: "::1" },
          { type: 2, value: "localhost" },
        ],
      },
    ],
  });
  return { certPem, keyPem: privateKeyPem };
}

/**
 * A self-signed certificate for a client application (an Entra ID certificate credential). The key is
 * RSA because client assertions are RS256 or PS256; it is fresh unless one is given.
 */
export async function createSelfSignedCertificate(
  commonName: string,
  key?: KeyPairPem,
): Promise<CertificateAndKey> {
  const { privateKeyPem, publicKeyPem } = key ?? (await generateRsaKeyPem());
  const certPem = buildCertificate({
    subjectCommonName: commonName,
    subjectPublicKeyPem: publicKeyPem,
    issuerPrivateKey: createPrivateKey(privateKeyPem),
    lifetimeInDays: 7,
    extensions: [
      { name: "basicConstraints", cA: false },
      { name: "keyUsage", digitalSignature: true, critical: true },
    ],
  });
  return { certPem, keyPem: privateKeyPem };
}
