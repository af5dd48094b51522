import ArgumentParser
import Foundation
import Logging
import Sandbox
import SandboxData

struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Serve a deterministic synthetic Stripe account on 127.0.0.1 and write its ledger and truth files.")

    @Option(name: .long, help: "Port on 127.0.0.1 (0 picks a free one).")
    var port: Int
    @Option(name: .long, help: "Number of orders over the 90 days.")
    var orders: Int = 2000
    @Option(name: .long, help: "Seed: the same seed gives the same account.")
    var seed: UInt64 = 42
    @Option(name: .long, help: "Where to write the matching ledger CSV.")
    var ledgerOut: String
    @Option(name: .long, help: "Where to write the planted discrepancies (JSON).")
    var truthOut: String
    @Option(name: .long, help: "Last day of the 90-day window (UTC).")
    var lastDay: String = "2026-09-30"
    @Option(name: .long, help: "Latency added to every response, in milliseconds.")
    var latencyMs: Int = 0
    @Option(name: .long, help: "Requests per second before answering 429.")
    var rateLimit: Int?
    @Option(name: .long, help: "Share of requests answered with a 500 (0 to 1).")
    var failRate: Double = 0
    @OptionGroup var settlement: SandboxSettlementOption
    @Option(name: .long, help: "A folder for the ids the sandbox serves, one sorted file per list (for checking a pull).")
    var idsOut: String?

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be 0...65535") }
        guard orders >= 1 else { throw ValidationError("--orders must be at least 1") }
        guard (0...1).contains(failRate) else { throw ValidationError("--fail-rate must be between 0 and 1") }
        guard latencyMs >= 0 else { throw ValidationError("--latency-ms must not be negative") }
        if let rateLimit, rateLimit < 1 { throw ValidationError("--rate-limit must be at least 1") }
    }

    func run() async throws {
        try await failingWithExitCode2 {
            let account = SandboxGenerator.generate(
                SandboxConfiguration(
                    orders: orders, seed: seed, lastDay: lastDay, settlesLocally: settlement.settlesLocally))
            try Data(account.ledgerCSV().utf8).write(to: URL(fileURLWithPath: ledgerOut))
            try account.truthJSON().write(to: URL(fileURLWithPath: truthOut))
            if let idsOut { try Self.writeIds(of: account, to: idsOut) }
            let options = SandboxOptions(latencyMilliseconds: latencyMs, rateLimit: rateLimit, failRate: failRate)
            let app = try SandboxServer.buildApplication(
                account: account, port: port, options: options,
                logger: Logger(label: "payrecon.sandbox")
            ) { bound in
                // Written unbuffered: scripts wait for the "listening on" line before they call the sandbox.
                let banner =
                    "sandbox: \(account.stripe.charges.count) charges, \(account.ledger.count) ledger rows, "
                    + "\(account.truth.count) planted discrepancies, \(account.firstDay)..\(account.lastDay)\n"
                    + "listening on http://127.0.0.1:\(bound) (any sk_test_ key); Ctrl-C stops\n"
                FileHandle.standardOutput.write(Data(banner.utf8))
            }
            try await app.runService()
        }
    }

    /// Each list's ids, sorted, one a line: what a complete pull must hold.
    static func writeIds(of account: SandboxAccount, to folder: String) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let stripe = account.stripe
        let lists: [(String, [String])] = [
            ("balance_transactions", stripe.balanceTransactions.map(\.id.rawValue)), ("charges", stripe.charges.map(\.id.rawValue)),
            ("refunds", stripe.refunds.map(\.id.rawValue)), ("disputes", stripe.disputes.map(\.id.rawValue)),
            ("payouts", stripe.payouts.map(\.id.rawValue)),
        ]
        for (name, ids) in lists {
            try Data(ids.sorted().map { $0 + "\n" }.joined().utf8).write(to: URL(fileURLWithPath: folder + "/\(name).txt"))
        }
    }
}
