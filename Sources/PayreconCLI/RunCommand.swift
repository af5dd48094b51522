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

/// The config file for `run`, `runs`, `status`: its problems go to stderr, one a line, and exit 64.
enum ConfigFile {
    static func load(_ path: String) async throws -> NightlyConfiguration {
        do { return try await NightlyConfiguration.load(path: path) } catch {
            FileHandle.standardError.write(Data("payrecon: error: bad config file:\n\(error.description)\n".utf8))
            throw ExitCode(64)
        }
    }

    /// `--config FILE` or `--db FILE`, one of the two.
    static func store(config: String?, db: String?) async throws -> String {
        switch (config, db) {
        case (let config?, nil): return try await load(config).store
        case (nil, let db?): return db
        default: throw ValidationError("give --config FILE or --db FILE")
        }
    }
}

/// `payrecon runs`: the nightly runs, newest last.
struct RunsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs", abstract: "List past nightly runs: when, period, outcome, counts, report folder.")

    @Option(name: .long, help: "The YAML config file (its store is read).")
    var config: String?
    @Option(name: .long, help: "The store, instead of --config.")
    var db: String?
    @Flag(name: .long, help: "Every recorded run, each stage's too.")
    var all = false
    @Flag(name: .long, help: "JSON instead of a table.")
    var json = false

    func run() async throws {
        let path = try await ConfigFile.store(config: config, db: db)
        try await failingWithExitCode2 {
            let entries = try RunHistory.entries(try PayreconStore(path: path, create: false), all: all)
            if json { print(try RunHistory.json(entries)); return }
            if entries.isEmpty { print("no runs recorded in \(path)") }
            for e in entries {
                let period = e.from.map { "\($0)..\(e.to ?? "?")" } ?? "-"
                let counts =
                    e.matches.map { "\($0) matches, \(e.discrepancies ?? 0) discrepancies, \(e.openAtOrAboveFailOn ?? 0) open at fail_on" } ?? ""
                let what = [e.outcome ?? e.status, counts, e.reportFolder ?? "", e.outcome == "failed" ? e.summary ?? "" : ""]
                    .filter { !$0.isEmpty }.joined(separator: "  ")
                print("\(e.id)  \(e.stage)  \(e.startedAt) → \(e.finishedAt ?? "running")  \(period)  \(what)")
            }
        }
    }
}

/// `payrecon status`: the last run and what is open.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "The last nightly run, how long ago it ended, and open discrepancies by kind and age.")

    @Option(name: .long, help: "The YAML config file (its store is read).")
    var config: String?
    @Option(name: .long, help: "The store, instead of --config.")
    var db: String?
    @Flag(name: .long, help: "JSON instead of text.")
    var json = false

    func run() async throws {
        let path = try await ConfigFile.store(config: config, db: db)
        try await failingWithExitCode2 {
            let status = try RunHistory.status(try PayreconStore(path: path, create: false), now: StageClock.now())
            if json { print(try RunHistory.json(status)); return }
            if let last = status.lastRun {
                let ago = status.lastRunEndedSecondsAgo.map { "ended \(Self.duration($0)) ago" } ?? "still running"
                print("last run: \(last.id), \(last.from ?? "?")..\(last.to ?? "?"), \(last.outcome ?? last.status), \(ago)")
            } else {
                print("last run: none recorded")
            }
            print(
                "last success: "
                    + (status.lastSuccess.map { "\($0.id), \($0.from ?? "?")..\($0.to ?? "?"), ended \($0.finishedAt ?? "?")" } ?? "none"))
            print("open discrepancies: \(status.open)")
            for (kind, ages) in status.openByKindAndAge.sorted(by: { $0.key < $1.key }) {
                let text = RunHistory.ageBuckets.compactMap { bucket in ages[bucket].map { "\($0) \(bucket)" } }.joined(separator: ", ")
                print("  \(kind): \(ages.values.reduce(0, +)) (\(text))")
            }
        }
    }

    static func duration(_ seconds: Int64) -> String {
        seconds < 120
            ? "\(seconds) s" : seconds < 7_200 ? "\(seconds / 60) min" : seconds < 172_800 ? "\(seconds / 3_600) h" : "\(seconds / 86_400) days"
    }
}
