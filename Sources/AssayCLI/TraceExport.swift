import Foundation
import Logging

#if OTel
    import OTel
    import ServiceLifecycle
#endif

/// Sends the spans of `assay run`, `assay worker` and `assay serve` to an OpenTelemetry collector
/// over OTLP/HTTP when `OTEL_EXPORTER_OTLP_ENDPOINT` is set — in an `assay` built with
/// `swift build --traits OTel`. Other builds record no spans and say so once.
///
/// The exporter runs beside the command for the life of the process and is stopped after it,
/// which exports the spans still waiting: a one-shot `assay run` loses none of its job's spans.
struct TraceExport {
    static let endpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT"
    /// The commands that call the model; the others have nothing to trace.
    static let tracedCommands: Set = ["run", "worker", "serve"]

    /// Whether this `assay` was built with the exporter.
    static var isBuiltIn: Bool {
        #if OTel
            true
        #else
            false
        #endif
    }

    /// The line to print when the environment asks for an exporter this build does not have.
    static func notice(_ env: [String: String], command: String?, builtIn: Bool = isBuiltIn) -> String? {
        guard !builtIn, let command, tracedCommands.contains(command), let endpoint = env[endpointVariable], !endpoint.isEmpty else {
            return nil
        }
        return "\(endpointVariable) is set, but this assay has no trace exporter: build it with swift build --traits OTel"
    }

    #if OTel
        private let group: ServiceGroup
        private let running: Task<Void, any Error>
    #endif

    /// Starts exporting when the environment says where to, for a command that calls the model;
    /// nil otherwise. An exporter that cannot start is a warning, not a failed command.
    static func start(_ env: [String: String], command: String?) -> TraceExport? {
        if let notice = notice(env, command: command) { printError(notice) }
        #if OTel
            guard let command, tracedCommands.contains(command), let endpoint = env[endpointVariable], !endpoint.isEmpty else {
                return nil
            }
            let logger = Logger(label: "assay.otel")
            var configuration = OTel.Configuration.default
            configuration.serviceName = "assay"
            configuration.diagnosticLogger = .custom(logger)
            // Traces only: logs stay on stderr and metrics on /metrics (Prometheus).
            configuration.logs.enabled = false
            configuration.metrics.enabled = false
            configuration.traces.otlpExporter.protocol = .httpProtobuf
            do {
                let exporter = try OTel.bootstrap(configuration: configuration, environment: env)
                // No signals of its own: the command handles Ctrl-C and SIGTERM, then `stop` ends this.
                let group = ServiceGroup(services: [exporter], gracefulShutdownSignals: [], logger: logger)
                return TraceExport(group: group, running: Task { try await group.run() })
            } catch {
                printError("Traces are not exported: \(error)")
                return nil
            }
        #else
            return nil
        #endif
    }

    /// Exports what is left and stops the exporter.
    func stop() async {
        #if OTel
            await group.triggerGracefulShutdown()
            _ = await running.result
        #endif
    }
}
