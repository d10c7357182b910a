/**
 * Redaction. What is printed is chosen by allowlist where it is built (errors and log lines name only
 * method, path, status, request ids, attempt and duration); the scrubber here is the second line of
 * defence for free text that comes from elsewhere (Graph's error messages, identity errors, HTML pages):
 * it removes anything shaped like a token, a key or a configured secret.
 */

/** Replaces what a scrubbed value becomes. */
export const REDACTED = "[REDACTED]";

/** Removes secrets from text. Built once per client from the configured secrets. */
export type Scrubber = (text: string) => string;

const PATTERNS: readonly RegExp[] = [
  // PEM blocks: private keys and certificates.
  /-----BEGIN [A-Z0-9 ]+-----[\s\S]*?(-----END [A-Z0-9 ]+-----|$)/g,
  // JWTs (access tokens, client assertions, id tokens): base64url header starting `{"`.
  /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*\.?[A-Za-z0-9_-]*/g,
  // Authorization header values of any scheme that carry a credential.
  /\b(Bearer|Basic|PoP)\s+[A-Za-z0-9._~+/=-]+/gi,
  // Form or query parameters that carry credentials in token requests.
  /\b(client_secret|client_assertion|assertion|access_token|refresh_token|id_token|password|code)=[^&\s"']+/gi,
  // JSON properties that carry credentials.
  /"(client_secret|client_assertion|access_token|refresh_token|id_token|password|clientSecret)"\s*:\s*"[^"]*"/gi,
];

/** Secrets shorter than this are not scrubbed literally: they would erase ordinary words. */
const MIN_SECRET_LENGTH = 6;

/**
 * Builds a scrubber for the given configured secrets (client secret, certificate password). Each secret
 * is removed literally and in its URL-encoded form; token-shaped strings are removed whatever they are.
 */
export function createScrubber(secrets: readonly string[] = []): Scrubber {
  const literals = secrets
    .filter((secret) => secret.length >= MIN_SECRET_LENGTH)
    .flatMap((secret) => [secret, encodeURIComponent(secret)])
    .sort((a, b) => b.length - a.length);
  return (text: string): string => {
    let result = text;
    for (const literal of literals) {
      result = result.split(literal).join(REDACTED);
    }
    for (const pattern of PATTERNS) {
      result = result.replace(pattern, REDACTED);
    }
    return result;
  };
}

/**
 * A short, safe, single-line excerpt of an untrusted body (an HTML error page, malformed JSON) for an
 * error message: tags and control characters removed, whitespace collapsed, scrubbed and truncated.
 */
export function safeExcerpt(text: string, scrub: Scrubber, maxLength = 160): string {
  const plain = text
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, " ")
    .replace(/<[^>]*>/g, " ")
    // Control characters (including newlines) become spaces so an excerpt cannot forge log lines.
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  const scrubbed = scrub(plain);
  return scrubbed.length > maxLength ? `${scrubbed.slice(0, maxLength)}…` : scrubbed;
}
