import Core
import Sandbox
import SandboxData
import Testing

@Suite struct GeneratorTests {
    static let account = SandboxGenerator.generate(SandboxConfiguration(orders: 2000, seed: 7))

    @Test func theSameSeedGivesTheSameAccount() throws {
        let again = SandboxGenerator.generate(SandboxConfiguration(orders: 2000, seed: 7))
        #expect(again.ledgerCSV() == Self.account.ledgerCSV())
        #expect(again.truth == Self.account.truth)
        #expect(again.stripe == Self.account.stripe)
        let other = SandboxGenerator.generate(SandboxConfiguration(orders: 2000, seed: 8))
        #expect(other.ledgerCSV() != Self.account.ledgerCSV())
    }

    @Test func everyKindIsPlantedTwentyTimesInsideTheWindow() {
        let byKind = Dictionary(grouping: Self.account.truth, by: \.kind)
        for kind in DiscrepancyKind.allCases {
            #expect(byKind[kind.rawValue]?.count == 20, "\(kind)")
        }
        #expect(Self.account.firstDay == "2026-07-03" && Self.account.lastDay == "2026-09-30")
        #expect(Set(Self.account.truth.map(\.subjectId)).count == Self.account.truth.count)
    }

    @Test func balanceArithmeticHolds() throws {
        let stripe = Self.account.stripe
        for t in stripe.balanceTransactions { #expect(t.net == t.amount - t.fee, "\(t.id)") }
        let transactions = Dictionary(uniqueKeysWithValues: stripe.balanceTransactions.map { ($0.id, $0) })
        let mismatched = Set(Self.account.truth.filter { $0.kind == "payout_mismatch" }.map(\.subjectId))
        for payout in stripe.payouts {
            let links = try #require(stripe.payoutLinks[payout.id])
            let net = links.filter { $0.rawValue != payout.balanceTransaction?.id }.map { transactions[$0]!.net }.reduce(0, +)
            #expect((net == payout.amount) != mismatched.contains(payout.id.rawValue), "\(payout.id)")
            #expect(payout.amount > 0)
        }
        // No transaction is paid out twice.
        let linked = stripe.payoutLinks.values.flatMap { $0 }
        #expect(Set(linked).count == linked.count)
    }

    @Test func settlementAndPresentmentCurrencies() throws {
        let stripe = Self.account.stripe
        let transactions = Dictionary(uniqueKeysWithValues: stripe.balanceTransactions.map { ($0.id, $0) })
        let eur = try #require(stripe.charges.first { $0.currency == .eur && $0.isPayment })
        let settled = try #require(transactions[BalanceTransactionID(eur.balanceTransaction!.id)])
        #expect(settled.currency == .usd)
        #expect(settled.exchangeRate != nil)
        #expect(settled.amount > eur.amount)
        let kwd = try #require(stripe.charges.first { $0.currency == .kwd && $0.isPayment })
        #expect(kwd.amount % 10 == 0)
        #expect(transactions[BalanceTransactionID(kwd.balanceTransaction!.id)]?.currency == .kwd)
        #expect(stripe.charges.contains { $0.status == .failed })
        #expect(stripe.balanceTransactions.contains { $0.source == nil && $0.type == .stripeFee })
    }

    @Test func theLedgerHasItsTraps() {
        let rows = Self.account.ledger
        #expect(rows.contains { $0.createdAt.hasSuffix("+02:00") })
        #expect(rows.contains { $0.createdAt.contains(".250Z") })
        #expect(rows.contains { $0.currency == $0.currency.lowercased() })
        #expect(rows.contains { $0.memo.contains("\n") && $0.memo.contains("\"") })
        #expect(rows.contains { $0.type == "payment" && $0.stripeId.isEmpty })
        // The last charge is at 23:59:59 on the last day; its ledger row is booked the next day.
        #expect(rows.contains { $0.createdAt.hasPrefix("2026-10-01T00:00:01") || $0.createdAt.hasPrefix("2026-10-01T02:00:01") })
    }
}
