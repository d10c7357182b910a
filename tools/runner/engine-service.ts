// A minimal Pulumi Engine gRPC service. Plugins reach the engine at the address they are started with;
// the only call a dynamic provider makes is Log (through `pulumi.log.*`), which becomes a diagnostic.
import * as grpc from "@grpc/grpc-js";
import * as emptyproto from "google-protobuf/google/protobuf/empty_pb";
import * as enginerpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import * as engineproto from "@pulumi/pulumi/proto/engine_pb";
import type { Diagnostic, DiagnosticSeverity } from "./types";

const SEVERITIES: Record<number, DiagnosticSeverity> = {
  [engineproto.LogSeverity.DEBUG]: "debug",
  [engineproto.LogSeverity.INFO]: "info",
  [engineproto.LogSeverity.WARNING]: "warning",
  [engineproto.LogSeverity.ERROR]: "error",
};

/** A running Engine service bound to `127.0.0.1` on a free port. */
export interface EngineService {
  /** `127.0.0.1:<port>`, the address handed to plugins. */
  readonly address: string;
  /** Stops the server. */
  close(): Promise<void>;
}

/**
 * Starts the Engine service; every Log request is passed to `onDiagnostic`.
 */
export async function startEngineService(
  onDiagnostic: (diagnostic: Diagnostic) => void,
): Promise<EngineService> {
  let rootUrn = "";
  const server = new grpc.Server();
  const implementation: enginerpc.IEngineServer = {
    log(call, callback) {
      const request = call.request;
      const urn = request.getUrn();
      onDiagnostic({
        severity: SEVERITIES[request.getSeverity()] ?? "info",
        message: request.getMessage(),
        source: "provider-log",
        ...(urn ? { urn } : {}),
      });
      callback(null, new emptyproto.Empty());
    },
    getRootResource(_call, callback) {
      const response = new engineproto.GetRootResourceResponse();
      response.setUrn(rootUrn);
      callback(null, response);
    },
    setRootResource(call, callback) {
      rootUrn = call.request.getUrn();
      callback(null, new engineproto.SetRootResourceResponse());
    },
    startDebugging(_call, callback) {
      callback(
        { code: grpc.status.UNIMPLEMENTED, details: "the lifecycle runner does not support debugging" },
        null,
      );
    },
    requirePulumiVersion(_call, callback) {
      callback(null, new engineproto.RequirePulumiVersionResponse());
    },
  };
  server.addService(enginerpc.EngineService, implementation);
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, boundPort) =>
      error ? reject(error) : resolve(boundPort),
    );
  });
  return {
    address: `127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.tryShutdown(() => resolve());
      }),
  };
}
