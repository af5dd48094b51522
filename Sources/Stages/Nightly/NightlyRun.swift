import Configuration
import Core
import Extract
import Foundation
import Logging
import PaymentsPostgres
import Reconcile
import Report
import Store
import StripeAPI

/// `payrecon run`: extract → ledger sync → reconcile → report (→ export) for one period, as one
/// recorded run (stage `nightly`, its outcome as JSON in the summary) holding the store's run lock.
/// Each stage commits its own work, so a failed or killed run leaves what the earlier stages did, and
/// the next run, which starts from the end of the last successful one, does the period again from
/// there (an extract resumes its checkpoints; the others are idempotent). After the run: the
/// notifications, the metrics file and retention; none of them changes the outcome.
public struct NightlyRun {
    public let configuration: NightlyConfiguration
    public let environment: [String: String]
    public let logger: Logger
    public let toolVersion: String
    public var clock: @Sendable () -> Timestamp = StageClock.now
    /// Before a notification's second try (tests shorten it).
    public var notificationBackoff: Duration = .seconds(1)

    public init(configuration: NightlyConfiguration, environment: [String: String], logger: Logger, toolVersion: String) {
        self.configuration = configuration; self.environment = environment; self.logger = logger; self.toolVersion = toolVersion
    }

    public enum Plan: Sendable {
        case run(ReportingPeriod)
        /// The last successful run reached yesterday already.
        case upToDate(through: String)
    }

    /// Runs the period (`from`/`to` when given, else from the day after the last successful run through
    /// yesterday in the configured zone). Throws only before a run is recorded: the lock is held
    /// (`RunLock.Held`), the store cannot be opened, or the dates are wrong.
    public func run(from: String?, to: String?) async throws -> (plan: Plan, outcome: NightlyOutcome?) {
        let store = try PayreconStore(path: configuration.store)
        let lock = try RunLock(store: configuration.store, now: clock())
        defer { lock.release() }
        let abandoned = try store.abandonDeadRuns(at: clock())
        if let previous = lock.previousHolder {
            logger.warning(
                "took over the run lock from a run that ended without releasing it",
                metadata: ["previous": "\(previous)", "abandoned_runs": "\(abandoned)"])
        }
        let plan = try plan(store, from: from, to: to)
        guard case .run(let period) = plan else { return (plan, nil) }
        let outcome = await execute(period, store: store)
        await after(outcome, store: store)
        return (plan, outcome)
    }

    func plan(_ store: PayreconStore, from: String?, to: String?) throws -> Plan {
        let zone = configuration.reconcile.timeZone
        if from != nil || to != nil {
            guard let from, let to else {
                throw NightlyRunError("give --from and --to together, or neither (the run then covers the days since the last successful run)")
            }
            return .run(try ReportingPeriod(from: from, to: to, timeZone: zone))
        }
        let today = try ReportingPeriod(from: "1970-01-01", to: "1970-01-01", timeZone: zone).localDay(of: clock())
        let yesterday = Self.day(today, plus: -1)
        let first: String
        if let last = try Self.lastSuccessful(store) {
            first = Self.day(last.to, plus: 1)
            if first > yesterday { return .upToDate(through: last.to) }
        } else {
            first = Self.day(today, plus: -Int64(configuration.reconcile.firstRunDays))
        }
        return .run(try ReportingPeriod(from: first, to: yesterday, timeZone: zone))
    }

    /// The newest nightly run whose stages all succeeded (clean or with discrepancies).
    static func lastSuccessful(_ store: PayreconStore) throws -> NightlyOutcome? {
        try store.runs().reversed().first { $0.stage == "nightly" && $0.status == "succeeded" }.flatMap { NightlyOutcome.decode($0.summary) }
    }

    static func day(_ day: String, plus days: Int64) -> String {
        String(ISO8601Time.formatWallClock(seconds: (ISO8601Time.parseDay(day)! + days) * 86_400).prefix(10))
    }

    /// The stages, one after another, recorded as the nightly run.
    func execute(_ period: ReportingPeriod, store: PayreconStore) async -> NightlyOutcome {
        let started = ContinuousClock.now
        let runner = StageRunner(store: store, clock: clock)
        let parameters = "period=\(period.firstDay)..\(period.lastDay) \(period.timeZoneName) config=\(configuration.file)"
        var outcome = NightlyOutcome(runId: 0, from: period.firstDay, to: period.lastDay, timeZone: period.timeZoneName, status: .failed)
        outcome.failOn = configuration.reconcile.failOn?.rawValue
        do {
            outcome.runId = try store.startRun(stage: "nightly", parameters: parameters, at: clock())
        } catch {
            outcome.error = "cannot record the run: \(error)"
            return outcome
        }
        RunLogContext.runId = outcome.runId
        logger.info("nightly run started", metadata: ["period": "\(period)"])
        var stages: [NightlyOutcome.StageResult] = []
        do {
            try await stage("extract", &stages) { try await extract(runner) }
            try await stage("ledger_sync", &stages) { try await syncLedger(runner) }
            try await stage("reconcile", &stages) { try reconcile(runner, period, &outcome) }
            try await stage("report", &stages) { try report(runner, period, &outcome) }
            if configuration.exportOut != nil { try await stage("export", &stages) { try export(runner, period, &outcome) } }
            let open = try store.discrepancies(from: period.start, to: period.end).filter { $0.status == .open }
            outcome.openByKind = Dictionary(grouping: open, by: \.discrepancy.kind.rawValue).mapValues(\.count)
            if let threshold = configuration.reconcile.failOn { outcome.openAtOrAboveFailOn = open.count { $0.discrepancy.severity >= threshold } }
            outcome.status = outcome.openAtOrAboveFailOn > 0 ? .discrepancies : .clean
        } catch {
            outcome.status = .failed
            outcome.error = CardNumberMask.mask(String(describing: error))
        }
        outcome.stages = stages
        outcome.seconds = (ContinuousClock.now - started).seconds
        do {
            try store.finishRun(outcome.runId, status: outcome.status == .failed ? "failed" : "succeeded", summary: outcome.encoded(), at: clock())
        } catch {
            logger.error("cannot record the run's end", metadata: ["error": "\(error)"])
        }
        let level: Logger.Level = outcome.status == .failed ? .error : outcome.status == .discrepancies ? .warning : .info
        logger.log(level: level, "nightly run finished: \(outcome.headline)", metadata: ["seconds": "\(outcome.seconds)"])
        return outcome
    }

    private func stage(_ name: String, _ stages: inout [NightlyOutcome.StageResult], _ work: () async throws -> String) async throws {
        let started = ContinuousClock.now
        do {
            let summary = try await work()
            stages.append(.init(name: name, seconds: (ContinuousClock.now - started).seconds, succeeded: true, summary: summary))
            logger.info("stage finished", metadata: ["stage": "\(name)", "summary": "\(summary)"])
        } catch {
            let reason = CardNumberMask.mask(String(describing: error))
            stages.append(.init(name: name, seconds: (ContinuousClock.now - started).seconds, succeeded: false, summary: reason))
            logger.error("stage failed", metadata: ["stage": "\(name)", "error": "\(reason)"])
            throw error
        }
    }

    private func extract(_ runner: StageRunner) async throws -> String {
        let stripe = configuration.stripe
        let key = try apiKey()
        let snapshot = stripe.snapshotOut.map { "\($0)/\(RunLogContext.runId ?? 0)" }
        let summary = try await ExtractStage(runner: runner, logger: logger)
            .run(
                apiBase: stripe.apiBase, key: key,
                options: .init(
                    full: false, concurrency: stripe.concurrency, lookbackSeconds: Int64(stripe.lookbackHours) * 3_600, snapshotOut: snapshot),
                requestsPerSecond: stripe.requestsPerSecond)
        let counts = summary.counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        return "\(counts); \(summary.requests) requests" + (summary.resumedPages > 0 ? "; resumed \(summary.resumedPages) pages" : "")
    }

    /// The key from the environment variable or the file the config names, read as a secret.
    func apiKey() throws -> APIKey {
        if let name = configuration.stripe.apiKeyEnv {
            let secrets = ConfigReader(provider: EnvironmentVariablesProvider(environmentVariables: environment, secretsSpecifier: .all))
            guard let value = secrets.string(forKey: ConfigKey([name]), isSecret: true) else {
                throw NightlyRunError("stripe.api_key_env names \(name), which is not set")
            }
            return try APIKey(value)
        }
        return try APIKey.fromFile(configuration.stripe.apiKeyFile ?? "", named: "stripe.api_key_file")
    }

    private func syncLedger(_ runner: StageRunner) async throws -> String {
        let ledger = configuration.ledger
        var sources = try LedgerSources.make(
            csv: ledger.csv, postgresQuery: ledger.postgresQuery, postgresURLEnv: ledger.postgresURLEnv ?? "", refunds: ledger.refundsCSV,
            mapping: ledger.mapping, maxFieldBytes: ledger.maxFieldBytes ?? CSVReader.defaultMaxFieldBytes, environment: environment,
            logger: logger)
        // serve's books in PostgreSQL: opened first, which creates its tables if serve has not run yet.
        let payments = try ledger.paymentsPostgresURLEnv.map {
            try PostgresPaymentsStore.fromEnvironment(variable: $0, environment: environment, logger: logger)
        }
        defer { payments?.shutdown() }
        if let variable = ledger.paymentsPostgresURLEnv {
            sources.append(
                try PostgresLedgerSource(
                    urlEnvironmentVariable: variable, query: PostgresPaymentsStore.ledgerQuery, environment: environment, logger: logger))
        }
        let summary = try await LedgerImportStage(runner: runner).run(sources, allowEmpty: ledger.allowEmpty)
        guard let payments, let variable = ledger.paymentsPostgresURLEnv else { return "\(summary.entries) entries: \(summary)" }
        let copied = try copyAuditLog(from: payments, source: "serve:\(variable)", into: runner.store)
        return "\(summary.entries) entries: \(summary); \(copied) audit entries from serve"
    }

    /// serve's audit log, copied into the store the auditor export reads: entries older than five
    /// minutes (a transaction still open then is copied by the next run) and not copied before.
    private func copyAuditLog(from payments: PostgresPaymentsStore, source: String, into store: PayreconStore) throws -> Int {
        let entries = try payments.auditEntries(after: try store.lastImportedAuditSeq(source: source), before: clock().adding(seconds: -300))
        return try store.importAudit(entries, source: source)
    }

    private func reconcile(_ runner: StageRunner, _ period: ReportingPeriod, _ outcome: inout NightlyOutcome) throws -> String {
        let settings = configuration.reconcile
        let options = ReconcileStage.Options(
            feeSchedule: try FeeScheduleFile.load(settings.feeSchedule, preset: settings.pricing), marginSeconds: Int64(settings.marginHours) * 3_600,
            settlementWindowSeconds: Int64(settings.settlementWindowHours) * 3_600)
        let result = try ReconcileStage(runner: runner).run(period: period, options: options, now: clock()).result
        outcome.matches = result.matches.count
        outcome.discrepancies = result.discrepancies.count
        outcome.pending = result.pending.count
        return "\(result.matches.count) matches, \(result.discrepancies.count) discrepancies, \(result.pending.count) pending"
    }

    /// `<report.out>/<FROM>_<TO>/`.
    private func report(_ runner: StageRunner, _ period: ReportingPeriod, _ outcome: inout NightlyOutcome) throws -> String {
        let folder = "\(configuration.reportOut)/\(period.firstDay)_\(period.lastDay)"
        let files = try ReportStage(runner: runner).run(period: period, out: folder, formats: configuration.reportFormats)
        outcome.reportFolder = folder
        return "\(files.count) files in \(folder)"
    }

    /// `<export.out>/<FROM>_<TO>/`; an export of the same period from an earlier run is replaced (the
    /// data may have changed since; an auditor's copy is theirs).
    private func export(_ runner: StageRunner, _ period: ReportingPeriod, _ outcome: inout NightlyOutcome) throws -> String {
        let folder = "\(configuration.exportOut ?? "")/\(period.firstDay)_\(period.lastDay)"
        if FileManager.default.fileExists(atPath: folder) { try FileManager.default.removeItem(atPath: folder) }
        let export = try ExportStage(runner: runner).run(period: period, out: folder, toolVersion: toolVersion)
        outcome.exportFolder = export.folder.path
        return "manifest.json sha256 \(export.manifestSHA256)"
    }

    /// Notifications, metrics and retention: reported in the log, never changing the outcome.
    func after(_ outcome: NightlyOutcome, store: PayreconStore) async {
        var notifier = RunNotifier(notifications: configuration.notifications, environment: environment, logger: logger)
        notifier.firstBackoff = notificationBackoff
        let workbook = outcome.reportFolder.map { $0 + "/report.xlsx" }
        for line in await notifier.notify(outcome, workbook: workbook) { logger.info("notification", metadata: ["result": "\(line)"]) }
        if let path = configuration.metricsTextfile {
            do { try RunMetricsFile(path: path).write(outcome, store: store, now: clock()) } catch {
                logger.error("cannot write the metrics file", metadata: ["path": "\(path)", "error": "\(error)"])
            }
        }
        let removed = Retention(configuration: configuration, now: clock()).apply(logger: logger)
        if !removed.isEmpty { logger.info("retention removed old folders", metadata: ["removed": "\(removed)"]) }
    }
}

public struct NightlyRunError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
