import Core
import Extract
import Facts
import Foundation
import Reconcile
import SandboxData
import Store
import TestSupport
import Testing

/// The reconciler is fed two ways: facts loaded straight from SQLite (`loadFacts`, production) and facts
/// built from records (`ReconcileFacts(stripe:ledger:)`, tests and callers with records). Both go
/// through one builder, so they must agree on every fact, and the reconciler on every match and finding.
@Suite struct LoadersAgreeTests {
    static let account = SandboxGenerator.generate(SandboxConfiguration(orders: 1_200, seed: 5))
    static let (start, end) = (Timestamp(seconds: 0), Timestamp(seconds: 4_000_000_000))

    /// Refunds whose charge names no order, tied to their order only by their own metadata.
    static var orderlessRefunds: [Refund] {
        let chargeOrders = Dictionary(account.stripe.charges.map { ($0.id.rawValue, $0.orderId) }, uniquingKeysWith: { a, _ in a })
        return account.stripe.refunds.filter { refund in
            refund.metadata?["order_id"] != nil && chargeOrders[refund.charge?.id ?? ""] == .some(nil)
        }
    }

    /// Every fact with its ids as text, per kind in text order (the two paths read rows in different orders).
    static func rendered(_ facts: ReconcileFacts) -> [String] { FactsRendering.lines(facts, numbered: false, sorted: true) }

    @Test func theSandboxPlantsRefundsWhoseChargeNamesNoOrder() {
        #expect(Self.orderlessRefunds.count >= 3)
    }

    @Test func bothLoadersGiveTheSameFactsMatchesAndDiscrepancies() throws {
        let store = try FactsRendering.filledStore(Self.account)
        let fromSQLite = try store.loadFacts(from: Self.start, to: Self.end)
        let fromRecords = ReconcileFacts(
            stripe: try store.loadStripe(from: Self.start, to: Self.end),
            ledger: try store.loadLedger(from: Self.start, to: Self.end))
        let rendered = Self.rendered(fromSQLite)
        #expect(rendered.count > 3_000)
        let other = Self.rendered(fromRecords)
        // The first line that differs, not two arrays of thousands of lines.
        #expect(rendered.count == other.count)
        #expect(zip(rendered, other).first { $0 != $1 }.map { "SQLite: \($0)\nrecords: \($1)" } == nil)
        // The refunds' own order reached the facts on both paths.
        for refund in Self.orderlessRefunds {
            #expect(rendered.contains { $0.hasPrefix("R \(refund.id) \(refund.charge!.id) \(refund.metadata!["order_id"]!) ") })
        }

        let period = try ReportingPeriod(from: Self.account.firstDay, to: Self.account.lastDay)
        let parameters = ReconcileParameters(periodStart: period.start, periodEnd: period.end)
        let a = Reconciler.reconcile(fromSQLite, parameters)
        let b = Reconciler.reconcile(fromRecords, parameters)
        #expect(a.matches == b.matches)
        #expect(a.discrepancies == b.discrepancies)
        #expect(a.matches.count > 1_000)
        // Each such refund matched its ledger refund through the order in its metadata, and nothing was flagged
        // about it or its order; everything flagged was planted.
        for refund in Self.orderlessRefunds {
            let order = refund.metadata!["order_id"]!
            #expect(a.matches.contains { $0.stripeIds.contains(refund.id.rawValue) && $0.orderId == order && $0.rule != .stripeId })
            #expect(!a.discrepancies.contains { $0.orderId == order || $0.subjectId == refund.id.rawValue })
        }
        let planted = Set(Self.account.truth.map { "\($0.kind)/\($0.subjectId)" })
        #expect(Set(a.discrepancies.map(\.id)).subtracting(planted).isEmpty)
    }
}
