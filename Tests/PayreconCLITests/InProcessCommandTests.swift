import ArgumentParser
import Foundation
import Logging
import Sandbox
import SandboxData
import TestSupport
import Testing

@testable import PayreconCLI

/// The commands run in-process, in the order of a night, against an in-process sandbox.
@Suite(.serialized) struct InProcessCommandTests {
    func run(_ arguments: [String]) async throws {
        var command = try PayreconCommand.parseAsRoot(arguments)
        guard var asyncCommand = command as? AsyncParsableCommand else { return try command.run() }
        try await asyncCommand.run()
    }

    @Test func aNightCommandByCommand() async throws {
        let folder = TestScratch.directory.appendingPathComponent("payrecon-night-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let db = folder.appendingPathComponent("night.sqlite").path
        let account = SandboxGenerator.generate(SandboxConfiguration(orders: 200, seed: 9))
        let ledger = folder.appendingPathComponent("ledger.csv").path
        try Data(account.ledgerCSV().utf8).write(to: URL(fileURLWithPath: ledger))
        let sandbox = try await RunningSandbox.start(account: account, logger: Logger(label: "test"))
        setenv("STRIPE_API_KEY", "sk_test_in_process", 1)
        defer { unsetenv("STRIPE_API_KEY") }
        do {
            try await run(["extract", "--db", db, "--api-base", sandbox.baseURL, "--full", "--requests-per-second", "500"])
        } catch { await sandbox.stop(); throw error }
        await sandbox.stop()
        try await run(["ledger", "import", ledger, "--db", db])
        let fees = folder.appendingPathComponent("fees.json").path
        try FileManager.default.copyItem(atPath: packageFile("fixtures/fee-schedule.us.json"), toPath: fees)
        await #expect(throws: ExitCode(1)) {
            try await run([
                "reconcile", "--db", db, "--from", account.firstDay, "--to", account.lastDay, "--fail-on", "high",
                "--fee-schedule", fees,
            ])
        }
        try await run(["report", "--db", db, "--from", account.firstDay, "--to", account.lastDay, "--out", folder.path])
        let csv = try String(contentsOf: folder.appendingPathComponent("discrepancies.csv"), encoding: .utf8)
        #expect(csv.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count == account.truth.count + 1)
        let first = try #require(account.truth.first)
        try await run(["resolve", "\(first.kind)/\(first.subjectId)", "--note", "checked", "--by", "qa", "--db", db])
        await #expect(throws: ExitCode(2)) { try await run(["ledger", "import", folder.path + "/nope.csv", "--db", db]) }
        await #expect(throws: ExitCode(2)) {
            try await run(["reconcile", "--db", db, "--from", account.firstDay, "--to", account.lastDay, "--fee-schedule", ledger])
        }
        #expect(throws: (any Error).self) { try PayreconCommand.parseAsRoot(["extract", "--db", db, "--concurrency", "0"]) }
        #expect(throws: (any Error).self) {
            try PayreconCommand.parseAsRoot(["sandbox", "--port", "70000", "--ledger-out", "a", "--truth-out", "b"])
        }
        #expect(throws: (any Error).self) { try PayreconCommand.parseAsRoot(["resolve", "x", "--note", " ", "--by", "y", "--db", db]) }
    }

    func packageFile(_ path: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(path).path
    }
}
