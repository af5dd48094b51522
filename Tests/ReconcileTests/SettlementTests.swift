import Core
import Reconcile
import Testing

/// Each match's fee, net and payouts (the Matched sheet's last columns), every number by hand.
@Suite struct SettlementTests {
    /// A payout of `amount` (its transactions' net: a negative one is a debit of the bank account).
    func payout(_ id: String, _ amount: Int64, own: String) -> Payout {
        Payout(
            id: PayoutID(id), amount: amount, currency: .usd, status: .paid, created: Scenario.day0 + 10 * 86_400, arrivalDate: nil,
            balanceTransaction: own)
    }

    func settlement(_ result: ReconcileResult, _ stripeIds: [String]) -> MatchSettlement? {
        result.matches.first { $0.stripeIds == stripeIds }?.settlement
    }

    @Test func aMatchCarriesTheFeeNetAndPayoutOfItsTransactions() throws {
        var s = Scenario()
        s.charge("ch_1", order: "o1", amount: 10_000)
        s.book("p1", order: "o1", "100.00")
        // 2.9 % + 30¢ of 100.00 is 3.20.
        s.transaction("txn_c1", amount: 10_000, fee: 320, type: .charge, source: "ch_1")
        // Two refunds booked as one row, paid out in two payouts.
        s.refund("re_a", charge: "ch_1", amount: 3_000, at: 86_400)
        s.refund("re_b", charge: "ch_1", amount: 2_000, at: 90_000)
        s.book("r1", order: "o1", "50.00", kind: .refund, at: 100_000)
        s.transaction("txn_ra", amount: -3_000, type: .refund, source: "re_a", at: 86_400)
        s.transaction("txn_rb", amount: -2_000, type: .refund, source: "re_b", at: 90_000)
        // A charge whose transaction has not arrived.
        s.charge("ch_2", order: "o2", amount: 5_000)
        s.book("p2", order: "o2", "50.00")
        s.stripe.payouts = [payout("po_1", 6_680, own: "txn_po1"), payout("po_2", -2_000, own: "txn_po2")]
        s.stripe.payoutLinks = ["po_1": ["txn_c1", "txn_ra", "txn_po1"], "po_2": ["txn_rb", "txn_po2"]]
        let result = s.run()
        #expect(result.discrepancies.isEmpty)
        #expect(
            settlement(result, ["ch_1"])
                == MatchSettlement(fee: Money(minorUnits: 320, currency: .usd), net: Money(minorUnits: 9_680, currency: .usd), payoutIds: ["po_1"]))
        #expect(
            settlement(result, ["re_a", "re_b"])
                == MatchSettlement(
                    fee: Money(minorUnits: 0, currency: .usd), net: Money(minorUnits: -5_000, currency: .usd), payoutIds: ["po_1", "po_2"]))
        #expect(result.matches.contains { $0.stripeIds == ["ch_2"] })
        #expect(settlement(result, ["ch_2"]) == nil)
        // Not paid out yet: fee and net, no payout.
        s.stripe.payoutLinks = [:]
        #expect(settlement(s.run(), ["ch_1"])?.payoutIds == [])
        #expect(settlement(s.run(), ["ch_1"])?.net.minorUnits == 9_680)
    }

    /// A won dispute: its match takes the withdrawal (amount and fee), the reinstatement match takes what
    /// came back, so the sheet's nets add up to the balance's (−50.00 − 15.00 + 50.00).
    @Test func aWonDisputesTransactionsAreEachCountedOnce() throws {
        var s = Scenario()
        s.charge("ch_1", order: "o1", amount: 5_000)
        s.book("p1", order: "o1", "50.00")
        s.stripe.disputes = [
            Dispute(
                id: DisputeID("dp_1"), amount: 5_000, currency: .usd, charge: "ch_1", paymentIntent: nil, status: .won, reason: "fraudulent",
                created: Scenario.day0 + 200_000, balanceTransactions: [])
        ]
        s.book("d1", order: "o1", "50.00", kind: .dispute, stripeId: "dp_1", at: 200_100)
        s.transaction("txn_w", amount: -5_000, fee: 1_500, type: .adjustment, source: "dp_1", at: 200_000)
        s.transaction("txn_r", amount: 5_000, type: .adjustment, source: "dp_1", at: 900_000)
        s.stripe.payouts = [payout("po_1", -6_500, own: "txn_po1"), payout("po_2", 5_000, own: "txn_po2")]
        s.stripe.payoutLinks = ["po_1": ["txn_w", "txn_po1"], "po_2": ["txn_r", "txn_po2"]]
        let result = s.run()
        #expect(result.discrepancies.isEmpty)
        let dispute = try #require(settlement(result, ["dp_1"]))
        #expect(dispute.fee.minorUnits == 1_500 && dispute.net.minorUnits == -6_500 && dispute.payoutIds == ["po_1"])
        let reinstated = try #require(settlement(result, ["txn_w", "txn_r"]))
        #expect(reinstated.fee.minorUnits == 0 && reinstated.net.minorUnits == 5_000 && reinstated.payoutIds == ["po_2"])
    }

    /// A charge settled in two currencies cannot be summed: no settlement rather than a wrong one.
    @Test func transactionsInTwoCurrenciesGiveNoSettlement() {
        var s = Scenario()
        s.charge("ch_1", order: "o1", amount: 10_000)
        s.book("p1", order: "o1", "100.00")
        s.transaction("txn_1", amount: 10_000, fee: 320, type: .charge, source: "ch_1")
        s.transaction("txn_2", amount: 1, currency: .eur, type: .adjustment, source: "ch_1")
        #expect(settlement(s.run(), ["ch_1"]) == nil)
    }
}
