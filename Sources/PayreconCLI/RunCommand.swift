import ArgumentParser
import Core
import Foundation
import Logging
import Stages
import Store

#if canImport(Glibc)
    import Glibc
#endif

/// `payrecon run --config FILE`: the nightly job (`NightlyRun`).
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "The nightly job: extract, ledger sync, reconcile, report (and export), then notify; one recorded run.",
        discussion: """
            Without --from/--to the run covers the days after the last successful run through yesterday, in \
            reconcile.time_zone (the first run: reconcile.first_run_days). Exit 0 clean, 1 discrepancies at or above \
            reconcile.fail_on, 2 the run failed (or another run holds the store), 64 a bad config file. \
            Environment variables override the file: PAYRECON_STRIPE_CONCURRENCY=8 sets stripe.concurrency. \
            See docs/configuration.md.
            """)

    @Option(name: .long, help: "The YAML config file (fixtures/payrecon.example.yaml).")
    var config: String
    @Option(name: .long, help: "First day, YYYY-MM-DD (with --to).")
    var from: String?
    @Option(name: .long, help: "Last day, YYYY-MM-DD (with --from).")
    var to: String?
    @Option(name: .long, help: "Overrides the file's store.")
    var db: String?
    @Option(name: .long, help: "Overrides reconcile.fail_on (low, medium, high, critical).")
    var failOn: String?

    func validate() throws {
        if (from == nil) != (to == nil) { throw ValidationError("give --from and --to together, or neither") }
        if let failOn, Severity(rawValue: failOn) == nil {
            throw ValidationError("--fail-on must be one of \(Severity.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func run() async throws {
        var configuration = try await ConfigFile.load(config)
        if let db { configuration.store = db }
        if let failOn { configuration.reconcile.failOn = Severity(rawValue: failOn) }
        let environment = ProcessInfo.processInfo.environment
        RunLogContext.json = configuration.logFormat == .json || (configuration.logFormat == .auto && isatty(2) == 0)
        var logger = Logger(label: "payrecon.run")
        if environment["PAYRECON_LOG_LEVEL"] == nil { logger.logLevel = .info }
        let nightly = NightlyRun(
            configuration: configuration, environment: environment, logger: logger, toolVersion: PayreconCommand.configuration.version)
        let outcome = try await failingWithExitCode2 { () async throws -> NightlyOutcome? in
            let (plan, outcome) = try await nightly.run(from: from, to: to)
            if case .upToDate(let through) = plan { print("up to date: the last successful run covered through \(through); nothing to do") }
            return outcome
        }
        guard let outcome else { return }
        print(outcome.text)
        if outcome.exitCode != 0 { throw ExitCode(outcome.exitCode) }
    }
}
