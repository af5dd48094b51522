import ArgumentParser
import Foundation
import Logging
import Payments
import PaymentsPostgres
import PaymentsStore
import ServiceLifecycle
import Stages
import Store

/// `payrecon serve --config FILE`: the payments companion over HTTPS. Secrets come from the
/// environment (see PaymentsSecrets), never from argv.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the payments companion: payment intents for approved quotes, refunds, Stripe webhooks.",
        discussion: """
            Secrets from the environment (or NAME_FILE naming a file): STRIPE_API_KEY, STRIPE_WEBHOOK_SECRET \
            (several comma-separated during a rotation), PAYRECON_API_TOKEN, SMTP_PASSWORD (optional); \
            with postgres_url_env in the config, the variable it names (the payments database's postgres:// URL).
            """)

    @Option(name: .long, help: "The JSON configuration file (fixtures/payments-config.example.json), or the YAML config's serve section.")
    var config: String

    func run() async throws {
        try await failingWithExitCode2 {
            let configuration = try ServeSection.isYAML(config) ? ServeSection.load(path: config) : PaymentsConfiguration.load(path: config)
            let secrets = try PaymentsSecrets.fromEnvironment(namedTokens: !configuration.apiTokens.isEmpty)
            var logger = Logger(label: "payrecon.serve")
            // The access log is at info: shown unless PAYRECON_LOG_LEVEL says otherwise.
            if ProcessInfo.processInfo.environment["PAYRECON_LOG_LEVEL"] == nil { logger.logLevel = .info }
            let store: any PaymentsStore
            if let variable = configuration.postgresURLEnv {
                store = try PostgresPaymentsStore.fromEnvironment(variable: variable, logger: logger)
                try SequenceContinuity.check(postgres: store, sqlitePath: configuration.database)
            } else {
                store = try PayreconStore(path: configuration.database, durability: .full)
            }
            let service = try PaymentsService(configuration: configuration, secrets: secrets, store: store, logger: logger)
            let app = try PaymentsApplication.buildApplication(service: service, secrets: secrets, logger: logger) { port in
                let scheme = configuration.https.mode == .tls ? "https" : "http (behind an HTTPS proxy)"
                FileHandle.standardOutput.write(Data("serve: listening on \(configuration.listen.host):\(port), \(scheme)\n".utf8))
            }
            let group = ServiceGroup(
                configuration: .init(
                    services: [app, PaymentsWorkers(service: service)],
                    gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
            try await group.run()
            (store as? PostgresPaymentsStore)?.shutdown()
        }
    }
}
