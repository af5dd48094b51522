import Core
import Reconcile
import Testing

@Suite struct RefundAndDisputeTests {
    @Test func refundsMatchByIdBySumAndByAmount() {
        var s = Scenario()
        s.charge("ch_1", order: "o1", amount: 10_000)
        s.book("p1", order: "o1", "100.00")
        s.refund("re_a", charge: "ch_1", amount: 3_000, at: 86_400)
        s.refund("re_b", charge: "ch_1", amount: 2_000, at: 90_000)
        // Two partial refunds booked as one row.
        s.book("r1", order: "o1", "50.00", kind: .refund, at: 100_000)
        s.charge("ch_2", order: "o2", amount: 10_000)
        s.book("p2", order: "o2", "100.00")
        s.refund("re_c", charge: "ch_2", amount: 4_000)
        s.book("r2", order: "o2", "40.00", kind: .refund, stripeId: "re_c")
        let result = s.run()
        #expect(result.discrepancies.isEmpty)
        let refundMatches = result.matches.filter { $0.rule == .refundSum || $0.stripeIds.contains("re_c") }
        #expect(Set(refundMatches.map(\.stripeIds)) == [["re_c"], ["re_a", "re_b"]])
    }

    /// A charge made outside the checkout names no order; its refund does, in its own metadata. The ledger
    /// books the payment by the charge's id and the refund without one: the refund's order ties them.
    @Test func aRefundWhoseChargeNamesNoOrderMatchesByItsOwnOrder() {
        var s = Scenario()
        s.charge("ch_1", order: nil, amount: 10_000)
        s.book("p1", order: "o1", "100.00", stripeId: "ch_1")
        s.refund("re_a", charge: "ch_1", amount: 2_500, order: "o1")
        s.book("r1", order: "o1", "25.00", kind: .refund, at: 90_000)
        let result = s.run()
        #expect(result.discrepancies.map(\.id) == [])
        let refund = result.matches.first { $0.stripeIds == ["re_a"] }
        #expect(refund?.ledgerEntryIds == ["r1"])
        #expect(refund?.orderId == "o1")
        // Without the refund's order nothing ties the two: both sides are flagged.
        var orderless = s
        orderless.stripe.refunds = orderless.stripe.refunds.map {
            Refund(
                id: $0.id, amount: $0.amount, currency: $0.currency, charge: $0.charge?.id, paymentIntent: nil, status: .succeeded,
                created: $0.created, balanceTransaction: nil)
        }
        #expect(orderless.findings() == ["refund_missing_in_ledger/re_a", "refund_missing_in_stripe/r1"])
    }

    @Test func refundDiscrepancies() throws {
        var s = Scenario()
        s.charge("ch_1", order: "o1", amount: 10_000)
        s.book("p1", order: "o1", "100.00")
        s.refund("re_unbooked", charge: "ch_1", amount: 1_000)
        s.book("r_phantom", order: "o1", "7.00", kind: .refund, at: 200_000)
        s.charge("ch_2", order: "o2", amount: 10_000)
        s.book("p2", order: "o2", "100.00")
        s.refund("re_x", charge: "ch_2", amount: 4_000)
        s.book("r_wrong", order: "o2", "40.10", kind: .refund, stripeId: "re_x")
        let found = s.run().discrepancies
        #expect(found.map(\.id) == ["refund_missing_in_ledger/re_unbooked", "refund_missing_in_stripe/r_phantom", "refund_amount_mismatch/r_wrong"])
        let wrong = try #require(found.last)
        #expect(wrong.expected == 4_010 && wrong.actual == 4_000)
    }

    @Test(arguments: [true, false])
    func aRefundBookedTwiceIsOneOverRefundAndNoMissingRefund(withIds: Bool) throws {
        var s = Scenario()
        s.charge("ch_1", order: "o1", amount: 10_000)
        s.book("p1", order: "o1", "100.00")
        s.refund("re_full", charge: "ch_1", amount: 10_000)
        s.book("r1", order: "o1", "100.00", kind: .refund, stripeId: withIds ? "re_full" : nil, at: 100_000)
        s.book("r2", order: "o1", "100.00", kind: .refund, stripeId: withIds ? "re_full" : nil, at: 100_001)
        let found = s.run().discrepancies
        #expect(found.map(\.id) == ["over_refund/o1"])
        #expect(found[0].expected == 10_000 && found[0].actual == 20_000 && found[0].ledgerEntryId == "r2")
    }

    @Test func disputesNeedALedgerEntryByIdOrByOrder() {
        var s = Scenario()
        s.charge("ch_1", order: "o1", amount: 5_000)
        s.charge("ch_2", order: "o2", amount: 5_000)
        s.charge("ch_3", order: "o3", amount: 5_000)
        for n in 1...3 { s.book("p\(n)", order: "o\(n)", "50.00") }
        for n in 1...3 {
            s.stripe.disputes.append(
                Dispute(
                    id: DisputeID("dp_\(n)"), amount: 5_000, currency: .usd, charge: "ch_\(n)", paymentIntent: nil,
                    status: .needsResponse, reason: "fraudulent", created: Scenario.day0 + 200_000,
                    balanceTransactions: []))
        }
        s.book("d1", order: "o1", "50.00", kind: .dispute, stripeId: "dp_1", at: 200_100)
        s.book("d2", order: "o2", "50.00", kind: .dispute, at: 200_100)
        let result = s.run()
        #expect(result.discrepancies.map(\.id) == ["dispute_unrecorded/dp_3"])
        let disputeMatches = result.matches.filter { $0.stripeIds.first?.hasPrefix("dp_") == true }
        #expect(
            Set(disputeMatches.map { "\($0.rule.rawValue) \($0.ledgerEntryIds) \($0.stripeIds)" })
                == ["stripe_id [\"d1\"] [\"dp_1\"]", "dispute_order [\"d2\"] [\"dp_2\"]"])
    }
}
