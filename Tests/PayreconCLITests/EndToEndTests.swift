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
    /// A US account: every currency settles in USD.
    static let account = SandboxGenerator.generate(SandboxConfiguration(orders: 2000, seed: 42))
    /// An account that settles JPY and KWD in themselves, priced by fixtures/fee-schedule.json.
    static let localAccount = SandboxGenerator.generate(SandboxConfiguration(orders: 2000, seed: 42, settlesLocally: true))
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("fixtures")

    static func folder() throws -> URL {
        let url = TestScratch.directory.appendingPathComponent("payrecon-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Runs the chain into a fresh folder; returns the store, the period and the reconcile result.
    static func runChain(
        into folder: URL, account: SandboxAccount = account, fees: FeeSchedule = .standard
    ) async throws -> (PayreconStore, ReportingPeriod, [Discrepancy]) {
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
        let result = try reconcile(store, period, fees: fees)
        return (store, period, result.discrepancies)
    }

    static func reconcile(_ store: PayreconStore, _ period: ReportingPeriod, fees: FeeSchedule = .standard) throws -> ReconcileResult {
        try ReconcileStage(store: store).run(period: period, options: .init(feeSchedule: fees), now: StageClock.now()).result
    }

    /// "kind/subject" of every planted discrepancy.
    static func planted(_ account: SandboxAccount) -> Set<String> { Set(account.truth.map { "\($0.kind)/\($0.subjectId)" }) }

    @Test func findsEveryPlantedDiscrepancyAndNothingElse() async throws {
        let (store, period, found) = try await Self.runChain(into: try Self.folder())
        let expected = Set(Self.account.truth.map { "\($0.kind)/\($0.subjectId)" })
        let actual = Set(found.map(\.id))
        #expect(actual.subtracting(expected).sorted() == [], "flagged but not planted")
        #expect(expected.subtracting(actual).sorted() == [], "planted but not found")
        // 20 of each kind but the payouts' (13 mismatched, 12 failed or canceled), and the flagged money
        // shapes: 5 partial captures booked as authorized (amount_mismatch), 5 authorizations booked
        // (missing_in_stripe), 5 pending refunds unbooked (refund_missing_in_ledger), 5 failed and 5
        // canceled refunds booked (refund_missing_in_stripe).
        let expectedCount = 11 * 20 + 13 + 12 + 5 * 5
        #expect(found.count == expectedCount)
        // Everything in the store is open and belongs to the period.
        let tracked = try store.discrepancies(from: period.start, to: period.end)
        #expect(tracked.count == found.count && tracked.allSatisfy { $0.status == .open })
    }

    /// Each money shape gives what the truth file says: its kind on its subject, or nothing at all.
    @Test func everyPlantedShapeGivesWhatTheTruthSays() async throws {
        let (store, period, found) = try await Self.runChain(into: try Self.folder())
        var named: [String: Set<String>] = [:]
        for d in found {
            named[d.subjectId, default: []].insert(d.kind.rawValue)
            if let stripeId = d.stripeId { named[stripeId, default: []].insert(d.kind.rawValue) }
        }
        #expect(Set(Self.account.shapes.map(\.shape)) == Set(PlantedShape.Shape.allCases))
        for shape in Self.account.shapes {
            let kinds: Set<String> = named[shape.subjectId] ?? []
            let wanted: Set<String> = shape.flagged.map { [$0] } ?? []
            #expect(kinds == wanted, "\(shape.shape) \(shape.subjectId)")
        }
        // A booked authorization says it was never captured.
        let booked = found.filter { d in Self.account.shapes.contains { $0.shape == .uncapturedAuthorizationBooked && $0.subjectId == d.subjectId } }
        #expect(booked.count == 5 && booked.allSatisfy { $0.detail.hasSuffix("was not captured: no money was taken") })
        // Each won dispute's reinstatement is matched to its withdrawal.
        let result = try Self.reconcile(store, period)
        #expect(result.matches.count { $0.rule == .disputeReinstatement } == Self.account.shapes.count { $0.shape == .wonDispute })

        // The report: a partial capture's match shows the amount authorized beside the amount captured.
        let folder = try Self.folder()
        _ = try ReportStage(runner: StageRunner(store: store)).run(period: period, out: folder.path, formats: [.csv])
        func rows(_ file: String) throws -> [[String: String]] {
            let lines = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8).components(separatedBy: "\r\n")
            let header = lines[0].components(separatedBy: ",")
            // The ids, codes and amounts read here hold no comma or quote.
            return lines.dropFirst().filter { !$0.isEmpty }.map { Dictionary(uniqueKeysWithValues: zip(header, $0.components(separatedBy: ","))) }
        }
        let charges = Dictionary(uniqueKeysWithValues: Self.account.stripe.charges.map { ($0.id.rawValue, $0) })
        // Both partial-capture shapes: booked as captured, and booked as authorized.
        let partial = Self.account.stripe.charges.filter { $0.isPayment && $0.capturedAmount < $0.amount }.map(\.id.rawValue)
        #expect(partial.count == 10)
        let matched = try rows("matched.csv")
        for id in partial {
            let charge = try #require(charges[id])
            let row = try #require(matched.first { $0["stripe_ids"] == id })
            #expect(row["stripe_amount"] == DecimalAmount.format(charge.capturedAmount, currency: charge.currency))
            #expect(row["stripe_authorized_amount"] == DecimalAmount.format(charge.amount, currency: charge.currency))
        }
        #expect(matched.count { $0["stripe_authorized_amount"] != "" } == partial.count)
        // Every charge's row carries the fee, net and payout of the sandbox's own transaction for it.
        var paidOutIn: [String: String] = [:]
        for (payout, links) in Self.account.stripe.payoutLinks { for link in links { paidOutIn[link.rawValue] = payout.rawValue } }
        var chargeTransaction: [String: BalanceTransaction] = [:]
        for t in Self.account.stripe.balanceTransactions where t.type == .charge || t.type == .payment {
            if let source = t.source?.id { chargeTransaction[source] = t }
        }
        var settledRows = 0
        for row in matched where row["stripe_ids"]?.hasPrefix("ch_") == true {
            let id = try #require(row["stripe_ids"])
            guard let t = chargeTransaction[id] else { continue }
            settledRows += 1
            #expect(row["settlement_currency"] == t.currency.code, "\(id)")
            #expect(row["fee"] == DecimalAmount.format(t.fee, currency: t.currency), "\(id)")
            #expect(row["net"] == DecimalAmount.format(t.net, currency: t.currency), "\(id)")
            #expect(row["payout_ids"] == (paidOutIn[t.id.rawValue] ?? ""), "\(id)")
        }
        #expect(settledRows > 1_000 && matched.contains { $0["payout_ids"] != "" })
        // Disputes: every one of the period, an inquiry as moving nothing, a won one netting to its fee.
        let disputes = try rows("disputes.csv")
        #expect(disputes.count == Self.account.stripe.disputes.count)
        for shape in Self.account.shapes where shape.shape == .inquiry {
            #expect(disputes.first { $0["dispute_id"] == shape.subjectId }?["moved_funds"] == "no (inquiry)")
        }
        for shape in Self.account.shapes where shape.shape == .wonDispute {
            let row = try #require(disputes.first { $0["dispute_id"] == shape.subjectId })
            let (withdrawn, reinstated, fee, net) = (
                Double(row["withdrawn"] ?? "") ?? 0, Double(row["reinstated"] ?? "") ?? 0, Double(row["fee"] ?? "") ?? 0,
                Double(row["net_effect"] ?? "") ?? 0
            )
            #expect(row["status"] == "won" && fee == 15 && abs(withdrawn + reinstated - fee - net) < 0.001)
        }
        let summary = try String(contentsOf: folder.appendingPathComponent("summary.csv"), encoding: .utf8)
        #expect(summary.contains("Disputes,won,USD,5,"))
        // The balance laid out as Stripe's summaries: categories (charges first), the activity's total, payouts, the net change.
        let balance = try rows("summary.csv").filter { $0["section"] == "Balance" && $0["currency"] == "USD" }
        let items = balance.map { $0["item"] ?? "" }
        #expect(items.first == "charge" && items.suffix(4) == ["total activity", "payout", "payout_reversal", "net change in balance"])
        func net(_ item: String) -> Double { Double(balance.first { $0["item"] == item }?["net"] ?? "") ?? .nan }
        let categories = items.filter { $0 != "total activity" && $0 != "net change in balance" }
        let activity = categories.filter { !$0.hasPrefix("payout") }.reduce(0.0) { $0 + net($1) }
        #expect(abs(net("total activity") - activity) < 0.005)
        #expect(abs(net("net change in balance") - categories.reduce(0.0) { $0 + net($1) }) < 0.005)
        #expect(summary.contains("inquiries: no funds moved, nothing to book"))
    }

    /// The old per-presentment schedule prices JPY and KWD as if they settled locally: on a US account
    /// every converted charge but the planted ones becomes a false fee_mismatch. Local settlement with
    /// that schedule (fixtures/fee-schedule.json, read as a user's file) finds exactly what was planted.
    @Test func pricingFollowsHowTheAccountSettles() async throws {
        let (_, _, wrong) = try await Self.runChain(into: try Self.folder(), fees: .localSettlement)
        let falseFees = Set(wrong.filter { $0.kind == .feeMismatch }.map(\.id)).subtracting(Self.planted(Self.account))
        #expect(falseFees.count > 100)
        let file = try FeeScheduleFile.load(Self.fixtures.appendingPathComponent("fee-schedule.json").path)
        let (_, _, local) = try await Self.runChain(into: try Self.folder(), account: Self.localAccount, fees: file)
        #expect(Set(local.map(\.id)) == Self.planted(Self.localAccount))
        #expect(local.count == Self.localAccount.truth.count)
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
        // The local account: its payouts are in USD, JPY and KWD.
        let (store, period, found) = try await Self.runChain(into: folder, account: Self.localAccount, fees: .localSettlement)
        let files = try ReportStage(runner: StageRunner(store: store)).run(period: period, out: folder.path, formats: [.xlsx, .csv])
        #expect(
            files.map(\.lastPathComponent) == [
                "report.xlsx", "summary.csv", "discrepancies.csv", "payouts.csv", "matched.csv", "stripe_only.csv", "ledger_only.csv", "fees.csv",
                "disputes.csv", "closed.csv",
            ])

        let workbook = try WorkbookInspection.inspect(folder.appendingPathComponent("report.xlsx").path)
        #expect(workbook.sheets == ["Summary", "Discrepancies", "Payouts", "Matched", "Stripe-only", "Ledger-only", "Fees", "Disputes", "Closed"])
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
        let truthKinds = Dictionary(grouping: Self.localAccount.truth, by: \.kind).mapValues(\.count)
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
        let firstCSVRow = try #require(matchedCSV.components(separatedBy: "\r\n").dropFirst().first?.components(separatedBy: ","))
        let firstCSVTime = firstCSVRow[10]
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
