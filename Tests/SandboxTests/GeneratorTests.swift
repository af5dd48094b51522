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
        // The money shapes that must be flagged are planted beside the kinds' own twenty.
        let shapeFlagged = Set(Self.account.shapes.filter { $0.flagged != nil && $0.shape != .canceledPayout }.map(\.subjectId))
        let byKind = Dictionary(grouping: Self.account.truth.filter { !shapeFlagged.contains($0.subjectId) }, by: \.kind)
        for kind in DiscrepancyKind.allCases {
            // A payout is planted on every seventh day's payout: one currency's 88 days give fewer than twenty.
            let payouts = kind == .payoutMismatch || kind == .payoutFailed
            let count = byKind[kind.rawValue]?.count ?? 0
            #expect(payouts ? (10...20).contains(count) : count == 20, "\(kind)")
        }
        // Five of each shape (one per 400 orders); the ordinary charges' surcharges and the balance types as they occur.
        let byShape = Dictionary(grouping: Self.account.shapes, by: \.shape).mapValues(\.count)
        for shape in PlantedShape.Shape.allCases where ![.balanceType, .canceledPayout].contains(shape) {
            #expect(byShape[shape] == 5, "\(shape)")
        }
        #expect(byShape[.balanceType] == 8)
        #expect(byShape[.canceledPayout] == (byKind["payout_failed"]?.count ?? 0) / 2)
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
        // A US account settles KWD (and JPY) in USD; a local account in KWD itself.
        let kwd = try #require(stripe.charges.first { $0.currency == .kwd && $0.isPayment })
        #expect(kwd.amount % 10 == 0)
        let kwdSettled = try #require(transactions[BalanceTransactionID(kwd.balanceTransaction!.id)])
        #expect(kwdSettled.currency == .usd && kwdSettled.amount > kwd.amount / 10)
        #expect(Set(stripe.balanceTransactions.map(\.currency)) == [.usd])
        let local = SandboxGenerator.generate(SandboxConfiguration(orders: 400, seed: 7, settlesLocally: true)).stripe
        let localKWD = try #require(local.charges.first { $0.currency == .kwd && $0.isPayment })
        #expect(local.balanceTransactions.first { $0.id.rawValue == localKWD.balanceTransaction?.id }?.currency == .kwd)
        #expect(stripe.charges.contains { $0.status == .failed })
        #expect(stripe.balanceTransactions.contains { $0.source == nil && $0.type == .stripeFee })
    }

    /// The shapes are what their names say, in Stripe's own fields.
    @Test func theShapesLookAsStripeShowsThem() throws {
        let stripe = Self.account.stripe
        let subjects = { (shape: PlantedShape.Shape) in Set(Self.account.shapes.filter { $0.shape == shape }.map(\.subjectId)) }
        for charge in stripe.charges where subjects(.partialCapture).contains(charge.id.rawValue) {
            #expect(charge.isPayment && charge.capturedAmount < charge.amount && charge.amountCaptured == charge.capturedAmount)
            let settled = try #require(stripe.balanceTransactions.first { $0.source?.id == charge.id.rawValue })
            #expect(settled.net == settled.amount - settled.fee)
        }
        let held = stripe.charges.filter { subjects(.uncapturedAuthorization).contains($0.id.rawValue) }
        #expect(held.count == 5 && held.allSatisfy { $0.captured == false && $0.amountCaptured == 0 && $0.balanceTransaction == nil })
        for refund in stripe.refunds where subjects(.failedRefund).contains(refund.id.rawValue) {
            #expect(refund.status == .failed)
            let moves = stripe.balanceTransactions.filter { $0.source?.id == refund.id.rawValue }
            #expect(moves.map(\.type).sorted { $0.rawValue < $1.rawValue } == [.refund, .refundFailure])
            #expect(moves.first { $0.type == .refundFailure }?.id.rawValue == refund.failureBalanceTransaction?.id)
        }
        let inquiries = stripe.disputes.filter { subjects(.inquiry).contains($0.id.rawValue) }
        #expect(inquiries.count == 5 && inquiries.allSatisfy { $0.status.isInquiry && $0.balanceTransactions == [] })
        for dispute in stripe.disputes where subjects(.wonDispute).contains(dispute.id.rawValue) {
            #expect(dispute.status == .won && dispute.balanceTransactions?.map { $0.amount > 0 } == [false, true])
        }
        let types = Set(stripe.balanceTransactions.map(\.type.rawValue))
        for type in [
            "adjustment", "stripe_fee", "tax_fee", "application_fee", "transfer", "reserve_transaction", "contribution", "payout_cancel",
            "payout_failure", "refund_failure", "payment_network_reserve_hold",
        ] {
            #expect(types.contains(type), "\(type)")
        }
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
