import Core
import Extract
import Foundation
import Logging
import Sandbox
import SandboxData
import Stages
import Store
import StripeAPI
import TestSupport
import Testing

/// A snapshot taken during a pull, loaded offline, gives the same store and byte for byte the same
/// discrepancies.csv; a snapshot that changed is refused.
@Suite(.serialized) struct SnapshotTests {
    static let account = SandboxGenerator.generate(SandboxConfiguration(orders: 600, seed: 31))
    static let clock: @Sendable () -> Timestamp = { Timestamp(seconds: 1_800_000_000) }

    /// Ledger import, reconcile and report on a fixed clock: the discrepancies.csv's bytes.
    static func discrepancies(_ store: PayreconStore, ledger: String, out: URL) async throws -> Data {
        let runner = StageRunner(store: store, clock: clock)
        _ = try await LedgerImportStage(runner: runner).run(path: ledger)
        let period = try ReportingPeriod(from: account.firstDay, to: account.lastDay)
        _ = try ReconcileStage(runner: runner).run(period: period, options: .init(), now: clock())
        _ = try ReportStage(runner: runner).run(period: period, out: out.path, formats: [.csv])
        return try Data(contentsOf: out.appendingPathComponent("discrepancies.csv"))
    }

    @Test func aSnapshotLoadedOfflineIsTheOnlinePull() async throws {
        let folder = TestScratch.directory.appendingPathComponent("payrecon-snapshot-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let ledger = folder.appendingPathComponent("ledger.csv").path
        try Data(Self.account.ledgerCSV().utf8).write(to: URL(fileURLWithPath: ledger))
        let snapshot = folder.appendingPathComponent("snapshot").path

        let online = try PayreconStore(path: folder.appendingPathComponent("online.sqlite").path)
        let sandbox = try await RunningSandbox.start(account: Self.account, options: SandboxOptions(failRate: 0.02), logger: Logger(label: "t"))
        do {
            _ = try await ExtractStage(runner: StageRunner(store: online, clock: Self.clock)).run(
                apiBase: sandbox.baseURL, key: try APIKey("sk_test_snapshot"), options: .init(full: true, concurrency: 4, snapshotOut: snapshot),
                requestsPerSecond: 1_000)
        } catch { await sandbox.stop(); throw error }
        await sandbox.stop()

        let offline = try PayreconStore(path: folder.appendingPathComponent("offline.sqlite").path)
        let loaded = try ExtractStage(runner: StageRunner(store: offline, clock: Self.clock)).load(snapshot: snapshot)
        #expect(loaded.counts["charges"] == Self.account.stripe.charges.count)
        #expect(loaded.links == Self.account.stripe.payoutLinks.values.map(\.count).reduce(0, +))
        let expected = try ResumableExtractTests.dump(online.path)
        let dump = try ResumableExtractTests.dump(offline.path)
        for (table, rows) in expected { #expect(dump[table] == rows, "\(table)") }

        let a = try await Self.discrepancies(online, ledger: ledger, out: folder.appendingPathComponent("online"))
        let b = try await Self.discrepancies(offline, ledger: ledger, out: folder.appendingPathComponent("offline"))
        #expect(a == b && a.count > 1_000)

        // The manifest says what each file was: one byte changed is refused, naming the file.
        let manifest = try JSONDecoder().decode(
            Extract.SnapshotManifest.self, from: Data(contentsOf: URL(fileURLWithPath: snapshot + "/manifest.json")))
        #expect(manifest.files.first { $0.name == "charges.jsonl" }?.lines == Self.account.stripe.charges.count)
        let charges = URL(fileURLWithPath: snapshot + "/charges.jsonl")
        var bytes = try Data(contentsOf: charges)
        bytes[10] = bytes[10] == UInt8(ascii: "a") ? UInt8(ascii: "b") : UInt8(ascii: "a")
        try bytes.write(to: charges)
        let tampered = try PayreconStore(path: folder.appendingPathComponent("tampered.sqlite").path)
        #expect {
            try ExtractStage(runner: StageRunner(store: tampered)).load(snapshot: snapshot)
        } throws: { error in
            "\(error)".contains("charges.jsonl: changed since the snapshot was taken")
        }
    }
}
