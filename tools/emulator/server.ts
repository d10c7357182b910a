/**
 * The emulator's HTTPS listener: binds 127.0.0.1, dispatches each request by path to Graph
 * (`/v1.0`, `/beta`), Entra ID (`/{tenant}/...`) or the admin routes (`/_emulator`), answers anything
 * else with a 404 in Graph's envelope, and on close drops every open connection (including hung ones).
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer, type Server } from "node:https";
import type { AddressInfo, Socket } from "node:net";
import { ADMIN_PREFIX, handleAdminRequest, type AdminContext } from "./admin";
import type { ApiVersion } from "./contract";
import { handleGraphRequest, type GraphTransportContext } from "./graphTransport";
import { GRAPH_JSON_CONTENT_TYPE, graphErrorBody, headerValue, sendJson } from "./http";
import { handleIdentityRequest, isIdentityPath, type IdentityTransportContext } from "./identityTransport";
import type { CertificateAndKey } from "./tls";

/** Everything the endpoints need, attached once the origin (and so every URL) is known. */
export interface EmulatorEndpoints {
  readonly graph: GraphTransportContext;
  readonly identity: IdentityTransportContext;
  readonly admin: AdminContext;
}

const GRAPH_PATH = /^\/(v1\.0|beta)(\/.*)?$/;

/** A listening HTTPS server whose endpoints are attached after it knows its port. */
export class EmulatorServer {
  private endpoints: EmulatorEndpoints | undefined;
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    /** `https://127.0.0.1:PORT` */
    readonly origin: string,
  ) {
    // Raw TCP sockets, so that close() also drops connections still in the TLS handshake.
    server.on("connection", (socket: Socket) => {
      this.sockets.add(socket);
      socket.on("close", () => this.sockets.delete(socket));
    });
  }

  /** Starts listening on 127.0.0.1 with the given certificate. */
  static listen(certificate: CertificateAndKey, port = 0): Promise<EmulatorServer> {
    return new Promise((resolve, reject) => {
      let emulatorServer: EmulatorServer | undefined;
      const server = createServer(
        { cert: certificate.certPem, key: certificate.keyPem },
        (request, response) => {
          emulatorServer?.dispatch(request, response);
        },
      );
      server.keepAliveTimeout = 5000;
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => {
        server.off("error", reject);
        const { port: boundPort } = server.address() as AddressInfo;
        emulatorServer = new EmulatorServer(server, `https://127.0.0.1:${boundPort}`);
        resolve(emulatorServer);
      });
    });
  }

  /** Connects the endpoints; until then every request gets 503. */
  attach(endpoints: EmulatorEndpoints): void {
    this.endpoints = endpoints;
  }

  /** Stops listening and destroys every open connection. */
  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      for (const socket of this.sockets) {
        socket.destroy();
      }
    });
  }

  private dispatch(request: IncomingMessage, response: ServerResponse): void {
    this.route(request, response).catch((error: unknown) => {
      this.endpoints?.graph.onInternalError(error);
      if (!response.headersSent) {
        sendJson(response, 500, { error: { code: "InternalServerError", message: "The emulator failed." } });
      }
    });
  }

  private async route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", this.origin);
    const exchange = { request, response, url };
    const endpoints = this.endpoints;
    if (endpoints === undefined) {
      sendJson(response, 503, {
        error: { code: "ServiceUnavailable", message: "The emulator is starting." },
      });
      return;
    }
    const graph = GRAPH_PATH.exec(url.pathname);
    if (graph !== null) {
      await handleGraphRequest(endpoints.graph, exchange, graph[1] as ApiVersion, graph[2] ?? "/");
    } else if (url.pathname === ADMIN_PREFIX || url.pathname.startsWith(`${ADMIN_PREFIX}/`)) {
      await handleAdminRequest(endpoints.admin, exchange);
    } else if (isIdentityPath(url.pathname)) {
      await handleIdentityRequest(endpoints.identity, exchange);
    } else {
      request.resume();
      const requestId = randomUUID();
      const clientRequestId = headerValue(request.headers["client-request-id"]) ?? requestId;
      const ids = { requestId, clientRequestId };
      sendJson(
        response,
        404,
        graphErrorBody(
          "ResourceNotFound",
          `Resource not found for the path '${url.pathname}': Graph paths start with /v1.0 or /beta.`,
          ids,
        ),
        { "request-id": requestId, "client-request-id": clientRequestId },
        GRAPH_JSON_CONTENT_TYPE,
      );
    }
  }
}
