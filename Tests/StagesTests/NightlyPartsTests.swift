import Core
import Foundation
import Logging
import Payments
import Store
import TestSupport
import Testing

@testable import Stages

/// The nightly run's parts, one at a time: the config (environment over the file, serve's section),
/// the lock, which days a run covers, and retention.
@Suite struct NightlyPartsTests {
    static let example = packageRoot.appendingPathComponent("fixtures/payrecon.example.yaml").path

    static func folder() throws -> URL {
        let url = TestScratch.directory.appendingPathComponent("nightly-parts-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func theExampleLoadsAndTheEnvironmentOverridesIt() async throws {
        let plain = try await NightlyConfiguration.load(path: Self.example, environment: [:])
        #expect(plain.store == "/var/lib/payrecon/payrecon.sqlite" && plain.stripe.concurrency == 4)
        #expect(plain.stripe.requestsPerSecond == 25 && plain.reconcile.failOn == .high && plain.reportFormats == [.xlsx, .csv])
        #expect(plain.notifications.email?.to == ["finance@example.com"] && plain.notifications.webhook?.urlEnv == "PAYRECON_CHAT_WEBHOOK_URL")
        let overridden = try await NightlyConfiguration.load(
            path: Self.example,
            environment: ["PAYRECON_STRIPE_CONCURRENCY": "9", "PAYRECON_STORE": "/srv/other.sqlite", "PAYRECON_REPORT_FORMATS": "csv"])
        #expect(overridden.stripe.concurrency == 9 && overridden.store == "/srv/other.sqlite" && overridden.reportFormats == [.csv])
    }

    /// The YAML's serve section is the JSON config, key for key (database from the top-level store).
    @Test func serveReadsTheSameSettingsFromTheYAMLAsFromTheJSON() throws {
        let yaml = try ServeSection.load(path: Self.example)
        let json = try PaymentsConfiguration.load(path: packageRoot.appendingPathComponent("fixtures/payments-config.example.json").path)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        #expect(try encoder.encode(yaml) == encoder.encode(json))
        let folder = try Self.folder()
        let bad = folder.appendingPathComponent("serve.yaml").path
        try "store: x.sqlite\nserve:\n  listen: {port: 1}\n".write(toFile: bad, atomically: true, encoding: .utf8)
        #expect(throws: PaymentsConfigurationError.self) { try ServeSection.load(path: bad) }
        // serve.postgres_url_env is read; a misspelt key is refused by name, not taken for "no PostgreSQL".
        let example = try String(contentsOfFile: Self.example, encoding: .utf8)
        let postgres = folder.appendingPathComponent("postgres.yaml").path
        try example.replacingOccurrences(of: "  # postgres_url_env: PAYMENTS_DATABASE_URL", with: "  postgres_url_env: PAYMENTS_DATABASE_URL")
            .write(toFile: postgres, atomically: true, encoding: .utf8)
        #expect(try ServeSection.load(path: postgres).postgresURLEnv == "PAYMENTS_DATABASE_URL")
        let misspelt = folder.appendingPathComponent("misspelt.yaml").path
        try example.replacingOccurrences(of: "  # postgres_url_env: PAYMENTS_DATABASE_URL", with: "  postgres_url_envv: PAYMENTS_DATABASE_URL")
            .write(toFile: misspelt, atomically: true, encoding: .utf8)
        #expect {
            try ServeSection.load(path: misspelt)
        } throws: { error in
            "\(error)".contains("misspelt.yaml (serve): postgres_url_envv: unknown key (known here: api_tokens, checkout,")
        }
    }

    @Test func aHeldLockNamesItsHolderAndAReleasedOneLeavesNoRecord() throws {
        let store = try Self.folder().appendingPathComponent("s.sqlite").path
        let first = try RunLock(store: store, now: Timestamp(seconds: 1_800_000_000))
        #expect(first.previousHolder == nil)
        // flock is per open file: a second open in this process is refused like another process would be.
        #expect {
            _ = try RunLock(store: store, now: Timestamp(seconds: 1_800_000_100))
        } throws: { error in
            guard let held = error as? RunLock.Held else { return false }
            return held.holder?.pid == getpid() && held.description.contains("started 2027-01-15T08:00:00Z")
        }
        first.release()
        let second = try RunLock(store: store, now: Timestamp(seconds: 1_800_000_200))
        #expect(second.previousHolder == nil)
        second.release()
        // A killed holder's record stays in the file (the kernel dropped its flock): the next one reads it.
        try #"{"pid": 4242, "host": "night-1", "started_at": "2027-01-15T02:30:00Z"}"#.write(
            toFile: store + ".run-lock", atomically: false, encoding: .utf8)
        let third = try RunLock(store: store, now: Timestamp(seconds: 1_800_000_300))
        #expect(third.previousHolder == RunLock.Holder(pid: 4242, host: "night-1", startedAt: "2027-01-15T02:30:00Z"))
        third.release()
    }

    @Test func aRunCoversTheDaysSinceTheLastSuccessfulOneThroughYesterday() throws {
        let folder = try Self.folder()
        let path = folder.appendingPathComponent("plan.sqlite").path
        let store = try PayreconStore(path: path)
        var configuration = NightlyConfiguration(file: "x.yaml", store: path, reportOut: folder.path)
        configuration.reconcile.timeZone = "Europe/Berlin"
        configuration.reconcile.firstRunDays = 10
        // 2027-01-15 23:30 UTC is already the 16th in Berlin.
        var nightly = NightlyRun(configuration: configuration, environment: [:], logger: Logger(label: "t"), toolVersion: "t")
        nightly.clock = { Timestamp(seconds: 1_800_055_800) }
        guard case .run(let first) = try nightly.plan(store, from: nil, to: nil) else { Issue.record("no plan"); return }
        #expect(first.firstDay == "2027-01-06" && first.lastDay == "2027-01-15")
        // A failed run does not move the start; a successful one does.
        for (status, outcome) in [("failed", NightlyOutcome.Status.failed), ("succeeded", .discrepancies)] {
            let id = try store.startRun(stage: "nightly", parameters: "p", at: Timestamp(seconds: 1_800_000_000))
            let record = NightlyOutcome(
                runId: id, from: "2027-01-06", to: status == "failed" ? "2027-01-20" : "2027-01-12", timeZone: "Europe/Berlin", status: outcome)
            try store.finishRun(id, status: status, summary: record.encoded(), at: Timestamp(seconds: 1_800_000_100))
        }
        guard case .run(let next) = try nightly.plan(store, from: nil, to: nil) else { Issue.record("no plan"); return }
        #expect(next.firstDay == "2027-01-13" && next.lastDay == "2027-01-15")
        // 2027-01-13 00:46 in Berlin: yesterday is the 12th, which the last run covered.
        nightly.clock = { Timestamp(seconds: 1_799_800_000) }
        guard case .upToDate(let through) = try nightly.plan(store, from: nil, to: nil) else { Issue.record("should be up to date"); return }
        #expect(through == "2027-01-12")
        guard case .run(let given) = try nightly.plan(store, from: "2026-12-30", to: "2027-01-02") else { Issue.record("no plan"); return }
        #expect(given.firstDay == "2026-12-30" && given.lastDay == "2027-01-02")
        #expect(throws: NightlyRunError.self) { try nightly.plan(store, from: "2026-12-30", to: nil) }
    }

    @Test func retentionRemovesOnlyOldFoldersPayreconNamed() throws {
        let root = try Self.folder()
        var configuration = NightlyConfiguration(file: "x.yaml", store: root.path + "/s.sqlite", reportOut: root.path + "/reports")
        configuration.retention.reportsDays = 30
        let now = Timestamp(seconds: 1_800_000_000)
        let old = Date(timeIntervalSince1970: TimeInterval(now.seconds - 31 * 86_400))
        for name in ["2026-11-01_2026-11-30", "2026-12-01_2026-12-31", "keep-me", "2026-11-01"] {
            let path = root.path + "/reports/" + name
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            let written = name == "2026-12-01_2026-12-31" ? Date(timeIntervalSince1970: TimeInterval(now.seconds - 86_400)) : old
            try FileManager.default.setAttributes([.modificationDate: written], ofItemAtPath: path)
        }
        let removed = Retention(configuration: configuration, now: now).apply(logger: Logger(label: "t"))
        #expect(removed == [root.path + "/reports/2026-11-01_2026-11-30"])
        let left = try FileManager.default.contentsOfDirectory(atPath: root.path + "/reports").sorted()
        #expect(left == ["2026-11-01", "2026-12-01_2026-12-31", "keep-me"])
    }
}
