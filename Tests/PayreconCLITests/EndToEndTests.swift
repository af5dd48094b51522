import Core
import Extract
import Foundation
import Logging
import Reconcile
import Report
import Sandbox
import SandboxData
import Stages
import Store
import StripeAPI
import TestSupport
import Testing

@testable import PayreconCLI

/// sandbox → extract (over HTTP) → ledger import → reconcile → report, compared with the truth file.
@Suite(.serialized) struct EndToEndTests {
    static let account = SandboxGenerator.generate(SandboxConfiguration(orders: 2000, seed: 42))

    static func folder() throws -> URL {
        let url = TestScratch.directory.appendingPathComponent("payrecon-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Runs the chain into a fresh folder; returns the store, the period and the reconcile result.
    static func runChain(into folder: URL) async throws -> (PayreconStore, ReportingPeriod, [Discrepancy]) {
        let ledger = folder.appendingPathComponent("ledger.csv")
        try Data(account.ledgerCSV().utf8).write(to: ledger)
        let store = try PayreconStore(path: folder.appendingPathComponent("payrecon.sqlite").path)
        let sandbox = try await RunningSandbox.start(account: account, logger: Logger(label: "test"))
        do {
            _ = try await ExtractStage(runner: StageRunner(store: store)).run(
                apiBase: sandbox.baseURL, key: try APIKey("sk_test_e2e"),
                options: .init(full: true), requestsPerSecond: 1_000)
        } catch { await sandbox.stop(); throw error }
        await sandbox.stop()
        let imported = try await LedgerImportStage(runner: StageRunner(store: store)).run(path: ledger.path)
        #expect(
            imported
                == LedgerImportSummary(
                    importId: 1, added: account.ledger.count,
                    sources: [.init(label: ledger.path, counts: LedgerImportCounts(added: account.ledger.count))]))
        let period = try ReportingPeriod(from: account.firstDay, to: account.lastDay)
        let result = try reconcile(store, period)
        return (store, period, result.discrepancies)
    }

    static func reconcile(_ store: PayreconStore, _ period: ReportingPeriod) throws -> ReconcileResult {
        try ReconcileStage(store: store).run(period: period, options: .init(), now: StageClock.now()).result
    }

    @Test func findsEveryPlantedDiscrepancyAndNothingElse() async throws {
        let (store, period, found) = try await Self.runChain(into: try Self.folder())
        let expected = Set(Self.account.truth.map { "\($0.kind)/\($0.subjectId)" })
        let actual = Set(found.map(\.id))
        #expect(actual.subtracting(expected).sorted() == [], "flagged but not planted")
        #expect(expected.subtracting(actual).sorted() == [], "planted but not found")
        #expect(found.count == 260)
        // Everything in the store is open and belongs to the period.
        let tracked = try store.discrepancies(from: period.start, to: period.end)
        #expect(tracked.count == 260 && tracked.allSatisfy { $0.status == .open })
    }

    @Test func reconcilingTwiceGivesTheSameRowsInTheSameOrder() async throws {
        let (store, period, first) = try await Self.runChain(into: try Self.folder())
        let second = try Self.reconcile(store, period)
        #expect(second.discrepancies == first)
        // A single day inside the window: the 23:59:59 charge on the last day still matches its 00:00:01 ledger row.
        let lastDay = try ReportingPeriod(from: Self.account.lastDay, to: Self.account.lastDay)
        let day = try Self.reconcile(store, lastDay)
        #expect(day.discrepancies.allSatisfy { d in Self.account.truth.contains { "\($0.kind)/\($0.subjectId)" == d.id } })
        #expect(day.matches.contains { $0.occurredAt == lastDay.end.adding(seconds: -1) })
    }

    @Test func theReportHasItsSheetsHeadersAndCurrencyDecimals() async throws {
        let folder = try Self.folder()
        let (store, period, found) = try await Self.runChain(into: folder)
        let files = try ReportStage(runner: StageRunner(store: store)).run(period: period, out: folder.path, formats: [.xlsx, .csv])
        #expect(
            files.map(\.lastPathComponent) == [
                "report.xlsx", "summary.csv", "discrepancies.csv", "payouts.csv", "matched.csv", "stripe_only.csv", "ledger_only.csv", "fees.csv",
                "closed.csv",
            ])

        let workbook = try WorkbookInspection.inspect(folder.appendingPathComponent("report.xlsx").path)
        #expect(workbook.sheets == ["Summary", "Discrepancies", "Payouts", "Matched", "Stripe-only", "Ledger-only", "Fees", "Closed"])
        let discrepancies = try #require(workbook.detail["Discrepancies"])
        #expect(discrepancies.header == ReportBuilder.discrepancyColumns)
        #expect(discrepancies.rows == found.count)
        #expect(workbook.detail["Summary"]?.charts == 1)
        for name in workbook.sheets {
            #expect(workbook.detail[name]?.freeze == "A2", "\(name)")
            #expect(workbook.detail[name]?.autofilter?.hasPrefix("A1:") == true, "\(name)")
            // Printed legibly: landscape, one page wide, the header row on every page.
            #expect(workbook.detail[name]?.orientation == "landscape", "\(name)")
            #expect(workbook.detail[name]?.fitToWidth == 1, "\(name)")
            #expect(workbook.detail[name]?.printTitleRows == "$1:$1", "\(name)")
        }
        // The one-sided sheets hold what the planted truth says is one-sided.
        let truthKinds = Dictionary(grouping: Self.account.truth, by: \.kind).mapValues(\.count)
        #expect(
            workbook.detail["Stripe-only"]?.rows
                == ["missing_in_ledger", "refund_missing_in_ledger", "dispute_unrecorded", "duplicate_charge"].map { truthKinds[$0] ?? 0 }.reduce(
                    0, +))
        #expect(workbook.detail["Ledger-only"]?.rows == ["missing_in_stripe", "refund_missing_in_stripe"].map { truthKinds[$0] ?? 0 }.reduce(0, +))
        #expect(workbook.detail["Fees"]?.rows == truthKinds["fee_mismatch"] ?? 0)
        // Times are date cells in the report's zone; the CSV shows the same local time as text.
        let matched = try #require(workbook.detail["Matched"])
        let firstMatch = try #require(matched.cells.first)
        #expect(firstMatch[10][2] == .bool(true) && firstMatch[10][1] == .string("yyyy-mm-dd hh:mm:ss"))
        let matchedCSV = try String(contentsOf: folder.appendingPathComponent("matched.csv"), encoding: .utf8)
        let firstCSVTime = try #require(matchedCSV.components(separatedBy: "\r\n").dropFirst().first?.components(separatedBy: ",").last)
        #expect(firstMatch[10][0] == .string(firstCSVTime))
        // The money at stake per kind and currency adds up from the Discrepancies sheet's open rows.
        var expectedStake: [String: Double] = [:]
        for row in discrepancies.cells where row[12][0] == .string("open") {
            func number(_ cell: [JSONValue]) -> Double? {
                switch cell[0] {
                case .integer(let value): Double(value)
                case .number(let value): value
                default: nil
                }
            }
            let stake = number(row[9]).flatMap { $0 == 0 ? nil : abs($0) } ?? abs(number(row[8]) ?? number(row[7]) ?? 0)
            expectedStake["\(row[1][0].stringValue ?? "") \(row[6][0].stringValue ?? "")", default: 0] += stake
        }
        let stakeRows = try #require(workbook.detail["Summary"]?.cells.filter { $0[0][0] == .string("At stake") })
        var summed: [String: Double] = [:]
        for row in stakeRows {
            let gross: Double =
                if case .number(let value) = row[4][0] { value } else if case .integer(let value) = row[4][0] { Double(value) } else { -1 }
            summed["\(row[1][0].stringValue ?? "") \(row[2][0].stringValue ?? "")"] = gross
        }
        #expect(!summed.isEmpty)
        #expect(summed.keys.sorted() == expectedStake.keys.sorted())
        for (key, value) in expectedStake { #expect(abs((summed[key] ?? -1) - value) < 0.0005, "\(key)") }
        // The match rate is a percentage cell.
        let rate = try #require(workbook.detail["Summary"]?.cells.first { $0[1][0] == .string("match rate") })
        #expect(rate[8][1] == .string("0.00%"))
        let share: Double? = if case .number(let value) = rate[8][0] { value } else { nil }
        #expect(share.map { $0 > 0.9 && $0 <= 1 } == true)
        // Payouts: column 4 is the currency, column 5 the amount.
        let payouts = try #require(workbook.detail["Payouts"])
        let formats = Dictionary(grouping: payouts.cells, by: { $0[4][0].stringValue ?? "" }).mapValues { rows in
            Set(rows.map { $0[5][1].stringValue ?? "" })
        }
        #expect(formats["JPY"] == ["#,##0"])
        #expect(formats["KWD"] == ["#,##0.000"])
        #expect(formats["USD"] == ["#,##0.00"])

        let summary = try String(contentsOf: folder.appendingPathComponent("summary.csv"), encoding: .utf8)
        #expect(summary.contains("time zone UTC;"))
        let csv = try String(contentsOf: folder.appendingPathComponent("discrepancies.csv"), encoding: .utf8)
        let lines = csv.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(lines.first == ReportBuilder.discrepancyColumns.joined(separator: ","))
        #expect(lines.count == found.count + 1)
        // Amounts are exact decimals in major units: a KWD row has three decimals, a JPY row none.
        #expect(lines.contains { $0.contains(",KWD,") && $0.range(of: #",KWD,[0-9.-]*\.[0-9]{3},"#, options: .regularExpression) != nil })
        #expect(lines.contains { $0.range(of: #",JPY,(,)?[0-9-]+,"#, options: .regularExpression) != nil })
    }
}
