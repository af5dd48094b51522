import Core
import Report

/// The nightly job's settings (`payrecon run --config FILE`): one YAML file for the job and for
/// `serve`, read through swift-configuration with environment variables over the file
/// (`NightlyConfiguration+Load`). Secrets are never in it, only where to find them.
public struct NightlyConfiguration: Sendable {
    public struct Stripe: Sendable {
        public var apiBase = "https://api.stripe.com"
        /// Where the key is: an environment variable's name, or a file.
        public var apiKeyEnv: String?
        public var apiKeyFile: String?
        /// nil: Stripe's own limit for the key's mode.
        public var requestsPerSecond: Double?
        public var concurrency = 4
        /// How far behind the newest object an incremental pull re-reads (objects change after creation).
        public var lookbackHours = Int(Defaults.extractLookbackSeconds / 3_600)
        /// Each run's snapshot (`extract --snapshot-out`) in `<snapshot_out>/<run id>/`.
        public var snapshotOut: String?
    }

    public struct Ledger: Sendable {
        public var csv: String?
        public var refundsCSV: String?
        public var mapping: String?
        public var maxFieldBytes: Int?
        public var allowEmpty = false
        public var postgresURLEnv: String?
        public var postgresQuery: String?
        /// `serve.postgres_url_env`: serve books its ledger entries in that PostgreSQL database, and each
        /// sync imports them beside the ledger's own (with SQLite, serve writes them into the store itself).
        public var paymentsPostgresURLEnv: String?
    }

    public struct Reconcile: Sendable {
        public var timeZone = "UTC"
        public var failOn: Severity?
        public var feeSchedule: String?
        public var pricing: String?
        public var marginHours = Int(Defaults.marginHours)
        public var settlementWindowHours = Int(Defaults.settlementWindowHours)
        /// How many days the first run covers, when no run has succeeded yet and no --from is given.
        public var firstRunDays = 30
    }

    public struct Retention: Sendable {
        public var reportsDays: Int?
        public var exportsDays: Int?
        public var snapshotsDays: Int?
    }

    public struct Email: Sendable {
        public var smtpURL: String
        public var from: String
        public var to: [String]
        public var usernameEnv: String?
        public var passwordEnv: String?
        public var requireTLS = false
        public var caFile: String?
        public var attachWorkbook = true
    }

    public struct Webhook: Sendable {
        /// The URL itself (a chat channel's), or the environment variable that holds it: chat webhook
        /// URLs are credentials.
        public var url: String?
        public var urlEnv: String?
    }

    public struct Notifications: Sendable {
        public var email: Email?
        public var webhook: Webhook?
        /// Tries per notification before giving up (a failed notification never fails the run).
        public var attempts = 3
        /// Each try's time limit (a server that accepts and never answers must not hold the run).
        public var timeoutSeconds = 15
    }

    public enum LogFormat: String, Sendable, CaseIterable { case auto, json, text }

    /// The file it was read from (errors name it).
    public var file: String
    public var store: String
    public var stripe = Stripe()
    public var ledger = Ledger()
    public var reconcile = Reconcile()
    public var reportOut: String
    public var reportFormats: Set<ReportWriter.Format> = [.xlsx, .csv]
    /// Each run's auditor export in `<out>/<FROM>_<TO>/`, when set.
    public var exportOut: String?
    public var retention = Retention()
    public var notifications = Notifications()
    /// node_exporter's textfile collector reads this file (`*.prom`).
    public var metricsTextfile: String?
    public var logFormat = LogFormat.auto

    public init(file: String, store: String, reportOut: String) { self.file = file; self.store = store; self.reportOut = reportOut }
}
