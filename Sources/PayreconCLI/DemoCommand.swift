import ArgumentParser
import Core
import Extract
import Foundation
import Logging
import Report
import Sandbox
import SandboxData
import Stages
import Store
import StripeAPI

/// The embedded default: a sandbox in-process and the whole pipeline against it.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo", abstract: "Run sandbox → extract → ledger import → reconcile → report into a folder.")

    @Option(name: .long, help: "Output folder.")
    var out: String = "payrecon-demo"
    @Option(name: .long, help: "Number of orders in the sandbox.")
    var orders: Int = 2000
    @Option(name: .long, help: "Sandbox seed.")
    var seed: UInt64 = 42
    @OptionGroup var settlement: SandboxSettlementOption

    func run() async throws {
        try await failingWithExitCode2 {
            let folder = URL(fileURLWithPath: out)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let dbPath = folder.appendingPathComponent("payrecon.sqlite").path
            // A demo starts from nothing: an old store would carry old open items.
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: dbPath + suffix) }

            let account = SandboxGenerator.generate(SandboxConfiguration(orders: orders, seed: seed, settlesLocally: settlement.settlesLocally))
            let ledgerPath = folder.appendingPathComponent("ledger.csv").path
            try Data(account.ledgerCSV().utf8).write(to: URL(fileURLWithPath: ledgerPath))
            try account.truthJSON().write(to: folder.appendingPathComponent("truth.json"))

            let sandbox = try await RunningSandbox.start(account: account, logger: Logger(label: "payrecon.sandbox"))
            let store = try PayreconStore(path: dbPath)
            let runner = StageRunner(store: store)
            let extracted: StripeExtractor.Summary
            do {
                extracted = try await ExtractStage(runner: runner).run(
                    apiBase: sandbox.baseURL, key: try APIKey("sk_test_payrecon_demo"),
                    options: .init(full: true), requestsPerSecond: 1_000)
            } catch {
                await sandbox.stop()
                throw error
            }
            await sandbox.stop()
            let imported = try await LedgerImportStage(runner: runner).run(path: ledgerPath)
            let period = try ReportingPeriod(from: account.firstDay, to: account.lastDay)
            let result = try ReconcileStage(runner: runner).run(
                period: period, options: .init(feeSchedule: settlement.feeSchedule), now: runner.clock()
            ).result
            let files = try ReportStage(runner: runner).run(period: period, out: out, formats: [.xlsx, .csv])
            DemoSummary(
                account: account, extracted: extracted, imported: imported.entries, result: result,
                totals: try store.categoryTotals(from: period.start, to: period.end),
                files: files + [
                    URL(fileURLWithPath: ledgerPath), folder.appendingPathComponent("truth.json"),
                    URL(fileURLWithPath: dbPath),
                ]
            ).print()
        }
    }
}
