/**
 * Keys made once per process and shared by every emulator the process starts. An RSA-2048 key costs
 * about a quarter of a second of CPU here, so a suite that starts many emulators would otherwise spend
 * its time in prime searches. Keys are never written to the repository; certificates, ids and secrets
 * are still made per start.
 */
import { generateEcKeyPem, generateRsaKeyPem, type KeyPairPem } from "./tls";

/** What a key is for; each purpose gets its own key. */
export type KeyPurpose = "tlsServer" | "accessTokens" | "oidcIssuer" | "certificateClient";

const keys = new Map<KeyPurpose, Promise<KeyPairPem>>();

/** The process's key for a purpose, generated on first use (P-256 for TLS, RSA-2048 for JWT signing). */
export function processKey(purpose: KeyPurpose): Promise<KeyPairPem> {
  let key = keys.get(purpose);
  if (key === undefined) {
    key = purpose === "tlsServer" ? generateEcKeyPem() : generateRsaKeyPem();
    keys.set(purpose, key);
    // A failed generation is not cached, so the next start tries again.
    key.catch(() => keys.delete(purpose));
  }
  return key;
}
