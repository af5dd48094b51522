import Configuration
import Core
import Foundation
import Reconcile
import Report
import SystemPackage
import Yams

extension NightlyConfiguration {
    /// The prefix of the environment variables that override the file: `PAYRECON_STRIPE_CONCURRENCY=8`
    /// overrides `stripe.concurrency` (swift-configuration's key encoding: dots become underscores).
    public static let environmentPrefix = "payrecon"

    /// Reads and checks the config file, environment variables over it. Every problem (unknown key,
    /// wrong type, missing or invalid value) is in the thrown `ConfigErrors`, each naming its key.
    public static func load(path: String, environment: [String: String] = ProcessInfo.processInfo.environment) async throws(ConfigErrors)
        -> NightlyConfiguration
    {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ConfigErrors(errors: [ConfigError(file: path, key: "", message: "cannot read the config file")])
        }
        let document: Node
        do {
            guard let parsed = try Yams.compose(yaml: text) else {
                throw ConfigErrors(errors: [
                    ConfigError(file: path, key: "", message: "the file is empty; it needs at least store, ledger and report.out")
                ])
            }
            document = parsed
        } catch let errors as ConfigErrors {
            throw errors
        } catch {
            throw ConfigErrors(errors: [ConfigError(file: path, key: "", message: "not valid YAML: \(error)")])
        }
        let shape = ConfigSchema.nightly.problems(in: document, file: path)
        guard shape.isEmpty else { throw ConfigErrors(errors: shape) }
        let reader: ConfigReader
        do {
            let environmentProvider = EnvironmentVariablesProvider(environmentVariables: environment)
                .prefixKeys(with: ConfigKey(environmentPrefix))
            let file = try await FileProvider<YAMLSnapshot>(filePath: FilePath(path))
            reader = ConfigReader(providers: [environmentProvider, file])
        } catch {
            throw ConfigErrors(errors: [ConfigError(file: path, key: "", message: "cannot read the config file: \(error)")])
        }
        var values = ConfigValues(reader: reader, file: path)
        let configuration = values.configuration()
        guard values.errors.isEmpty, let configuration else { throw ConfigErrors(errors: values.errors) }
        return configuration
    }
}

/// Reads typed values through a `ConfigReader`, collecting a `ConfigError` for each value of the wrong
/// type (an environment variable's: the file's types were checked against `ConfigSchema` already),
/// each missing required value and each invalid one.
struct ConfigValues {
    let reader: ConfigReader
    let file: String
    var errors: [ConfigError] = []

    mutating func fail(_ key: String, _ message: String) { errors.append(ConfigError(file: file, key: key, message: message)) }

    /// Where a value came from, for an error about it: the environment variable, if one is set.
    func origin(_ key: String) -> String {
        let variable = (NightlyConfiguration.environmentPrefix + "." + key).uppercased().replacingOccurrences(of: ".", with: "_")
        return "(\(variable) or the file)"
    }

    func string(_ key: String) -> String? { reader.string(forKey: ConfigKey(key)) }

    mutating func integer(_ key: String, atLeast minimum: Int = 0) -> Int? {
        guard let text = string(key) else { return nil }
        guard let value = Int(text) else { fail(key, "expected an integer, got '\(text)' \(origin(key))"); return nil }
        guard value >= minimum else { fail(key, "expected an integer of at least \(minimum), got \(value)"); return nil }
        return value
    }

    mutating func number(_ key: String) -> Double? {
        guard let text = string(key) else { return nil }
        guard let value = Double(text), value > 0 else { fail(key, "expected a number above 0, got '\(text)' \(origin(key))"); return nil }
        return value
    }

    mutating func boolean(_ key: String) -> Bool? {
        guard let text = string(key) else { return nil }
        switch text.lowercased() {
        case "true": return true
        case "false": return false
        default: fail(key, "expected true or false, got '\(text)' \(origin(key))"); return nil
        }
    }

    func strings(_ key: String) -> [String]? { reader.stringArray(forKey: ConfigKey(key)) ?? string(key).map { [$0] } }

    mutating func required(_ key: String, _ what: String) -> String? {
        guard let value = string(key), !value.isEmpty else { fail(key, "missing: \(what)"); return nil }
        return value
    }

    mutating func configuration() -> NightlyConfiguration? {
        let store = required("store", "the path of the payrecon store (SQLite)")
        let reportOut = required("report.out", "the folder each run's report is written in")
        var c = NightlyConfiguration(file: file, store: store ?? "", reportOut: reportOut ?? "")
        c.stripe.apiBase = string("stripe.api_base") ?? c.stripe.apiBase
        c.stripe.apiKeyEnv = string("stripe.api_key_env")
        c.stripe.apiKeyFile = string("stripe.api_key_file")
        switch (c.stripe.apiKeyEnv, c.stripe.apiKeyFile) {
        case (nil, nil): fail("stripe.api_key_env", "missing: the environment variable that holds the Stripe key (or stripe.api_key_file)")
        case (.some, .some): fail("stripe.api_key_file", "give stripe.api_key_env or stripe.api_key_file, not both")
        default: break
        }
        c.stripe.requestsPerSecond = number("stripe.requests_per_second")
        c.stripe.concurrency = integer("stripe.concurrency", atLeast: 1) ?? c.stripe.concurrency
        c.stripe.lookbackHours = integer("stripe.lookback_hours") ?? c.stripe.lookbackHours
        c.stripe.snapshotOut = string("stripe.snapshot_out")
        readLedger(into: &c)
        readReconcile(into: &c)
        if let formats = strings("report.formats") {
            let parsed = formats.compactMap(ReportWriter.Format.init(rawValue:))
            if parsed.count != formats.count || parsed.isEmpty {
                fail("report.formats", "expected a list of xlsx and csv, got \(formats)")
            } else {
                c.reportFormats = Set(parsed)
            }
        }
        c.exportOut = string("export.out")
        c.retention = .init(
            reportsDays: integer("retention.reports_days", atLeast: 1), exportsDays: integer("retention.exports_days", atLeast: 1),
            snapshotsDays: integer("retention.snapshots_days", atLeast: 1))
        readNotifications(into: &c)
        c.metricsTextfile = string("metrics.textfile")
        if let format = string("logging.format") {
            if let parsed = NightlyConfiguration.LogFormat(rawValue: format) {
                c.logFormat = parsed
            } else {
                fail("logging.format", "expected one of auto, json, text, got '\(format)'")
            }
        }
        return errors.isEmpty ? c : nil
    }

    private mutating func readLedger(into c: inout NightlyConfiguration) {
        c.ledger.csv = string("ledger.csv")
        c.ledger.refundsCSV = string("ledger.refunds_csv")
        c.ledger.mapping = string("ledger.mapping")
        c.ledger.maxFieldBytes = integer("ledger.max_field_bytes", atLeast: 64)
        c.ledger.allowEmpty = boolean("ledger.allow_empty") ?? false
        c.ledger.postgresURLEnv = string("ledger.postgres.url_env")
        c.ledger.postgresQuery = string("ledger.postgres.query")
        c.ledger.paymentsPostgresURLEnv = string("serve.postgres_url_env")
        let postgres = c.ledger.postgresURLEnv != nil || c.ledger.postgresQuery != nil
        if postgres {
            if c.ledger.postgresURLEnv == nil {
                fail("ledger.postgres.url_env", "missing: the environment variable that holds the ledger database's URL")
            }
            if c.ledger.postgresQuery == nil { fail("ledger.postgres.query", "missing: the SELECT that returns the ledger's columns") }
            if c.ledger.csv != nil { fail("ledger.csv", "give ledger.csv or ledger.postgres, not both") }
        } else if c.ledger.csv == nil {
            fail("ledger.csv", "missing: the ledger's CSV file (or ledger.postgres with url_env and query)")
        }
    }

    private mutating func readReconcile(into c: inout NightlyConfiguration) {
        if let zone = string("reconcile.time_zone") {
            if TimeZone(identifier: zone) == nil { fail("reconcile.time_zone", "expected an IANA time zone such as Europe/Berlin, got '\(zone)'") }
            c.reconcile.timeZone = zone
        }
        if let severity = string("reconcile.fail_on") {
            c.reconcile.failOn = Severity(rawValue: severity)
            if c.reconcile.failOn == nil {
                fail("reconcile.fail_on", "expected one of \(Severity.allCases.map(\.rawValue).joined(separator: ", ")), got '\(severity)'")
            }
        }
        c.reconcile.feeSchedule = string("reconcile.fee_schedule")
        if let pricing = string("reconcile.pricing") {
            do { _ = try PricingPreset(name: pricing) } catch { fail("reconcile.pricing", error.description) }
            c.reconcile.pricing = pricing
        }
        c.reconcile.marginHours = integer("reconcile.margin_hours") ?? c.reconcile.marginHours
        c.reconcile.settlementWindowHours = integer("reconcile.settlement_window_hours") ?? c.reconcile.settlementWindowHours
        c.reconcile.firstRunDays = integer("reconcile.first_run_days", atLeast: 1) ?? c.reconcile.firstRunDays
    }

    private mutating func readNotifications(into c: inout NightlyConfiguration) {
        c.notifications.attempts = integer("notifications.attempts", atLeast: 1) ?? c.notifications.attempts
        c.notifications.timeoutSeconds = integer("notifications.timeout_seconds", atLeast: 1) ?? c.notifications.timeoutSeconds
        let emailKeys = ["smtp_url", "from", "to"].map { "notifications.email." + $0 }
        if emailKeys.contains(where: { string($0) != nil || strings($0) != nil }) {
            let url = required("notifications.email.smtp_url", "the SMTP server's URL (smtp://host:port or smtps://)")
            let from = required("notifications.email.from", "the sender's address")
            let to = strings("notifications.email.to") ?? []
            if to.isEmpty { fail("notifications.email.to", "missing: at least one recipient") }
            var email = NightlyConfiguration.Email(smtpURL: url ?? "", from: from ?? "", to: to)
            email.usernameEnv = string("notifications.email.username_env")
            email.passwordEnv = string("notifications.email.password_env")
            email.requireTLS = boolean("notifications.email.require_tls") ?? false
            email.caFile = string("notifications.email.ca_file")
            email.attachWorkbook = boolean("notifications.email.attach_workbook") ?? true
            c.notifications.email = email
        }
        let url = string("notifications.webhook.url")
        let urlEnv = string("notifications.webhook.url_env")
        if url != nil || urlEnv != nil {
            if url != nil, urlEnv != nil { fail("notifications.webhook.url_env", "give notifications.webhook.url or url_env, not both") }
            c.notifications.webhook = .init(url: url, urlEnv: urlEnv)
        }
    }
}
