import ArgumentParser
import AssayServer
import Foundation
import Hummingbird
import Logging

/// `assay ui`: the workbench for one person on their own machine, without an account. The service
/// of `assay serve`, on a loopback address only, where requests carrying this launch's key act as
/// the command line's user (the same projects as `assay status`).
struct UICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ui",
        abstract: "Open the workbench in your browser: your projects, for you alone, without an account.",
        discussion: """
            Serves the workbench and the JSON API over the same database as the other commands (--db, \
            $ASSAY_DB, default ./assay.sqlite) and prints the address to open. The pages act as you at \
            the command line: they see the projects that assay init and assay status see, not those of \
            the service's accounts.

            Local mode listens only on this machine (127.0.0.1 unless --host names another loopback \
            address, ::1 or localhost; any other address is refused). The printed address carries a key \
            made for this launch after #key= (the part of an address a browser never sends); the page \
            keeps it for the tab and sends it with every request. Other users' processes and web pages \
            do not have it, and requests that name another host (DNS rebinding) or come from another \
            site's page are refused. Whoever can read your terminal or the database file can act as \
            you anyway. Each launch makes a new key; Ctrl-C stops.

            The model is configured as for assay run (ASSAY_PROVIDER, ASSAY_BASE_URL, ASSAY_MODEL, ...); \
            the other options are assay serve's.
            """)

    @Option(help: "Loopback address to listen on: 127.0.0.1, ::1 or localhost.") var host = "127.0.0.1"
    @Option(help: "Port to listen on (0: a free one, shown in the address printed).") var port = 0
    @OptionGroup var service: ServiceOptions

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        guard LocalAccess.isLoopback(host) else { throw ValidationError(LocalAccessError(host: host).description) }
    }

    func run() async throws {
        let env = ProcessInfo.processInfo.environment
        let secret = try ServiceOptions.configuredSecret(env) ?? ServiceOptions.ephemeralSecret()
        let (configured, described) = try await service.configuration(host: host, port: port, secret: secret, env)
        var config = configured
        let access = LocalAccess()
        try config.allowLocalUser(access)
        let shownHost = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        config.onListening = { port in
            let address = "http://\(shownHost):\(port)/#key=\(access.key)"
            FileHandle.standardOutput.write(Data("Assay workbench, local mode (for you alone): \(address)\n".utf8))
            printError("Open that address in your browser; it works until this command stops (Ctrl-C). Using \(described).")
        }
        let (app, _) = await buildApplication(config: config, logger: Logger(label: "assay.server"))
        try await app.runService()
    }
}
