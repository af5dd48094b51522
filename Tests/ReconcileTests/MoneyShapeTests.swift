import Core
import Reconcile
import Testing

/// The shapes money takes beyond a plain payment, each in both directions: flagged when it must be,
/// silent when it must be. Every amount is chosen by hand.
@Suite struct MoneyShapeTests {
    @Test func aPartialCaptureIsComparedWithWhatWasCaptured() throws {
        var s = Scenario()
        // Authorized 27.26, captured 23.98.
        s.authorization("ch_1", order: "o1", amount: 2_726, captured: 2_398)
        s.book("p1", order: "o1", "23.98")
        let result = s.run()
        #expect(result.discrepancies.isEmpty)
        #expect(result.matches.first?.stripeAmount == Money(minorUnits: 2_398, currency: .usd))
        // Booked as authorized: a mismatch against the 23.98 taken, saying both figures.
        s.ledger = []
        s.book("p1", order: "o1", "27.26")
        let found = try #require(s.run().discrepancies.first)
        #expect(found.id == "amount_mismatch/p1" && found.expected == 2_726 && found.actual == 2_398)
        #expect(found.detail == "ledger books 27.26 USD, the charge captured 23.98 USD of 27.26 USD authorized")
    }

    @Test func anAuthorizationNeverCapturedIsNoPayment() throws {
        var s = Scenario()
        s.authorization("ch_1", order: "o1", amount: 5_000, captured: 0)
        // Canceling the PaymentIntent refunds the authorization: a release, not money back.
        s.refund("re_release", charge: "ch_1", amount: 5_000)
        #expect(s.findings() == [])
        // Booked as paid, by its PaymentIntent or by its order: missing in Stripe, saying why.
        for stripeId in ["pi_1", nil] {
            var booked = s
            booked.book("p1", order: "o1", "50.00", stripeId: stripeId)
            let found = booked.run().discrepancies
            #expect(found.map(\.id) == ["missing_in_stripe/p1"])
            #expect(found.first?.detail == "the authorization ch_1 of 50.00 USD was not captured: no money was taken")
        }
        // A captured charge's refund still counts.
        var captured = Scenario()
        captured.charge("ch_2", order: "o2", amount: 5_000)
        captured.book("p2", order: "o2", "50.00")
        captured.refund("re_2", charge: "ch_2", amount: 5_000)
        #expect(captured.findings() == ["refund_missing_in_ledger/re_2"])
    }

    @Test(arguments: [RefundStatus.pending, .requiresAction])
    func aRefundOnItsWayCounts(status: RefundStatus) {
        var s = Scenario()
        s.charge("ch_1", order: "o1", amount: 10_000)
        s.book("p1", order: "o1", "100.00")
        s.refund("re_1", charge: "ch_1", amount: 4_000, status: status)
        #expect(s.findings() == ["refund_missing_in_ledger/re_1"])
        s.book("r1", order: "o1", "40.00", kind: .refund, at: 90_000)
        #expect(s.findings() == [])
    }

    @Test(arguments: [(RefundStatus.failed, "failed (the funds came back to the balance)"), (.canceled, "was canceled")])
    func aRefundThatFailedOrWasCanceledIsOwedNoLedgerRow(status: RefundStatus, said: String) throws {
        var s = Scenario()
        s.charge("ch_1", order: "o1", amount: 10_000)
        s.book("p1", order: "o1", "100.00")
        s.refund("re_1", charge: "ch_1", amount: 4_000, status: status)
        if status == .failed {
            // It succeeded first: out, then back with refund_failure.
            s.transaction("txn_out", amount: -4_000, type: .refund, source: "re_1", at: 86_400)
            s.transaction("txn_back", amount: 4_000, type: .refundFailure, source: "re_1", at: 300_000)
        }
        #expect(s.findings() == [])
        // Booked by its id, or without one: the ledger says money went back that did not.
        for stripeId in ["re_1", nil] {
            var booked = s
            booked.book("r1", order: "o1", "40.00", kind: .refund, stripeId: stripeId, at: 90_000)
            let found = booked.run().discrepancies
            #expect(found.map(\.id) == ["refund_missing_in_stripe/r1"])
            #expect(found.first?.detail == "the Stripe refund re_1 of 40.00 USD \(said): the buyer got nothing back")
        }
    }

    func dispute(_ id: String, charge: String, status: DisputeStatus) -> Dispute {
        Dispute(
            id: DisputeID(id), amount: 5_000, currency: .usd, charge: charge, paymentIntent: nil, status: status, reason: "fraudulent",
            created: Scenario.day0 + 200_000, balanceTransactions: [])
    }

    @Test(arguments: [DisputeStatus.warningNeedsResponse, .warningUnderReview, .warningClosed])
    func anInquiryMovedNoMoneyAndIsNotFlagged(status: DisputeStatus) {
        var s = Scenario()
        s.charge("ch_1", order: "o1", amount: 5_000)
        s.book("p1", order: "o1", "50.00")
        s.stripe.disputes = [dispute("dp_1", charge: "ch_1", status: status)]
        #expect(s.findings() == [])
        // Once it becomes a dispute, the funds are withdrawn and the ledger must say so.
        s.stripe.disputes = [dispute("dp_1", charge: "ch_1", status: .needsResponse)]
        #expect(s.findings() == ["dispute_unrecorded/dp_1"])
    }

    @Test func aWonDisputesReinstatementIsMatchedToItsWithdrawal() throws {
        var s = Scenario()
        s.charge("ch_1", order: "o1", amount: 5_000)
        s.book("p1", order: "o1", "50.00")
        s.stripe.disputes = [dispute("dp_1", charge: "ch_1", status: .won)]
        s.book("d1", order: "o1", "50.00", kind: .dispute, stripeId: "dp_1", at: 200_100)
        s.transaction("txn_w", amount: -5_000, fee: 1_500, type: .adjustment, source: "dp_1", at: 200_000)
        s.transaction("txn_r", amount: 5_000, type: .adjustment, source: "dp_1", at: 900_000)
        let result = s.run()
        #expect(result.discrepancies.isEmpty)
        let reinstated = try #require(result.matches.first { $0.rule == .disputeReinstatement })
        #expect(reinstated.stripeIds == ["txn_w", "txn_r"] && reinstated.ledgerEntryIds == [])
        #expect(reinstated.ledgerAmount.minorUnits == 5_000 && reinstated.stripeAmount.minorUnits == 5_000)
        #expect(reinstated.orderId == "o1" && reinstated.occurredAt == Timestamp(seconds: Scenario.day0 + 900_000))
        // Lost: only the withdrawal, nothing to pair.
        s.stripe.balanceTransactions.removeLast()
        #expect(!s.run().matches.contains { $0.rule == .disputeReinstatement })
    }
}
