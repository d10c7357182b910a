/**
 * The single transport call: one axios request per attempt. axios never decides what an HTTP status
 * means (`validateStatus` accepts all) and never follows redirects (a redirect would carry the bearer
 * token to another host). Its errors never leave this file: they become a {@link TransportError} that
 * carries only a classification and a Node error code, never the request config or headers.
 */
import axios from "axios";
import type { PipelineRequest, PipelineResponse, SendRequest } from "./pipeline";
import { hasBrand } from "../brand";

/** What went wrong on the wire. */
export type NetworkFailureKind =
  "reset" | "timeout" | "tokenTimeout" | "dns" | "refused" | "unreachable" | "tls" | "aborted" | "other";

/** A request that got no HTTP response. Holds only allowlisted facts. */
export class TransportError extends Error {
  /** Brand for {@link isInstance} across module copies. */
  readonly __transportErrorBrand = true;

  constructor(
    readonly kind: NetworkFailureKind,
    /** Node or axios error code, e.g. `ECONNRESET`; never a message from the socket layer. */
    readonly code: string,
    /**
     * Whether the request may have reached the service. False only when no connection was made
     * (DNS failure, connection refused, TLS handshake rejected): then nothing was applied.
     */
    readonly requestMaybeSent: boolean,
  ) {
    super(`${describeFailure(kind)} (${code})`);
    this.name = "TransportError";
  }

  static isInstance(value: unknown): value is TransportError {
    return hasBrand<TransportError>(value, "__transportErrorBrand");
  }
}

/** A human description of a failure kind. */
export function describeFailure(kind: NetworkFailureKind): string {
  switch (kind) {
    case "reset":
      return "the connection was reset";
    case "timeout":
      return "the request timed out";
    case "tokenTimeout":
      return "the access token request to the authority timed out, so the request was not sent";
    case "dns":
      return "the host name could not be resolved";
    case "refused":
      return "the connection was refused";
    case "unreachable":
      return "the host or network was unreachable";
    case "tls":
      return "the TLS certificate was not trusted";
    case "aborted":
      return "the request was aborted";
    case "other":
      return "the request failed on the network";
  }
}

const CODES: Readonly<Record<string, NetworkFailureKind>> = {
  ECONNRESET: "reset",
  EPIPE: "reset",
  ECONNABORTED: "timeout",
  ETIMEDOUT: "timeout",
  ESOCKETTIMEDOUT: "timeout",
  ENOTFOUND: "dns",
  EAI_AGAIN: "dns",
  ECONNREFUSED: "refused",
  EHOSTUNREACH: "unreachable",
  ENETUNREACH: "unreachable",
  ERR_CANCELED: "aborted",
  DEPTH_ZERO_SELF_SIGNED_CERT: "tls",
  SELF_SIGNED_CERT_IN_CHAIN: "tls",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "tls",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "tls",
  CERT_HAS_EXPIRED: "tls",
  ERR_TLS_CERT_ALTNAME_INVALID: "tls",
};

/** Classifies anything axios threw. Reads only `code`; the error object itself is dropped. */
export function classifyTransportFailure(error: unknown): TransportError {
  const rawCode = (error as { code?: unknown } | null)?.code;
  const code = typeof rawCode === "string" && /^[A-Z0-9_]{2,40}$/.test(rawCode) ? rawCode : "UNKNOWN";
  const kind = CODES[code] ?? "other";
  const requestMaybeSent = kind !== "dns" && kind !== "refused" && kind !== "unreachable" && kind !== "tls";
  return new TransportError(kind, code, requestMaybeSent);
}

/** Sends one attempt with axios. Resolves for every HTTP status; rejects only with a {@link TransportError}. */
export const axiosTransport: SendRequest = async (request: PipelineRequest): Promise<PipelineResponse> => {
  try {
    const response = await axios.request<string>({
      method: request.method,
      url: request.url,
      headers: request.headers,
      data: request.body,
      timeout: request.timeoutInMs,
      signal: request.abortSignal,
      responseType: "text",
      transformResponse: [(data: unknown) => data],
      validateStatus: () => true,
      maxRedirects: 0,
    });
    return {
      request,
      status: response.status,
      headers: plainHeaders(response.headers),
      bodyText: typeof response.data === "string" ? response.data : "",
    };
  } catch (error) {
    throw classifyTransportFailure(error);
  }
};

function plainHeaders(headers: Record<string, unknown>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value === "string") {
      result[name.toLowerCase()] = value;
    } else if (Array.isArray(value)) {
      result[name.toLowerCase()] = value.join(", ");
    } else if (typeof value === "number") {
      result[name.toLowerCase()] = String(value);
    }
  }
  return result;
}
