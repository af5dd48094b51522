import Core
import Reconcile
import Testing

@Suite struct GroupWindowPendingTests {
    @Test func anOrderPaidByTwoChargesMatchesAsAGroupWhenTheSumsAgree() throws {
        var s = Scenario()
        s.charge("ch_1", order: "o1", amount: 6_000, at: 3_000)
        s.charge("ch_2", order: "o1", amount: 4_000, at: 3_500)
        s.book("p1", order: "o1", "100.00")
        let result = s.run()
        #expect(result.discrepancies.isEmpty)
        let match = try #require(result.matches.first)
        #expect(match.stripeIds == ["ch_1", "ch_2"] && match.ledgerEntryIds == ["p1"])
        // Two charges of the full amount are not a group: the second is a duplicate.
        var t = Scenario()
        t.charge("ch_1", order: "o1", amount: 10_000, at: 3_000)
        t.charge("ch_2", order: "o1", amount: 10_000, at: 3_500)
        t.book("p1", order: "o1", "100.00")
        #expect(t.findings() == ["duplicate_charge/ch_2"])
    }

    @Test func aChargeWithoutOrderMetadataMatchesByAmountCurrencyAndTime() throws {
        var s = Scenario()
        s.charge("ch_near", order: nil, amount: 2_500, at: 10_000)
        s.charge("ch_far", order: nil, amount: 2_500, at: 10_000 + 3 * 86_400)
        s.charge("ch_eur", order: nil, amount: 2_500, currency: .eur, at: 10_100)
        s.book("p1", order: "o1", "25.00", at: 10_060)
        let result = s.run()
        #expect(result.discrepancies.map(\.id).sorted() == ["missing_in_ledger/ch_eur", "missing_in_ledger/ch_far"])
        let match = try #require(result.matches.first)
        #expect(match.rule == .amountTimeWindow && match.stripeIds == ["ch_near"])
        // The key is data: the ledger's amount and the window (48 h by default), rendered only by Report.
        #expect(match.key == .amountWithin(Money(minorUnits: 2_500, currency: .usd), hours: 48))
    }

    @Test func missingCounterpartsAreOnlyPendingInsideTheSettlementWindow() {
        var s = Scenario()
        s.end = Timestamp(seconds: Scenario.day0 + 86_400)
        s.charge("ch_fresh", order: "o1", amount: 1_000, at: 80_000)
        s.charge("ch_old", order: "o2", amount: 1_000, at: 1_000)
        s.charge("ch_wrong", order: "o3", amount: 1_000, at: 80_000)
        s.book("p3", order: "o3", "10.01", at: 80_100)
        var input = ReconcileInput(
            stripe: s.stripe, ledger: s.ledger, periodStart: s.start, periodEnd: s.end,
            now: Timestamp(seconds: Scenario.day0 + 86_400), settlementWindowSeconds: 12 * 3_600)
        var result = Reconciler.reconcile(input)
        #expect(result.pending.map(\.id) == ["missing_in_ledger/ch_fresh"])
        // A wrong amount is not late: it is a discrepancy at once.
        #expect(result.discrepancies.map(\.id) == ["missing_in_ledger/ch_old", "amount_mismatch/p3"])
        input.parameters.now = Timestamp(seconds: Scenario.day0 + 3 * 86_400)
        result = Reconciler.reconcile(input)
        #expect(result.pending.isEmpty)
        #expect(result.discrepancies.count == 3)
    }
}

@Suite struct PairingByAmountTests {
    @Test func rowsTakeTheChargeOfTheirOwnAmountBeforeTheOldest() {
        var s = Scenario()
        s.charge("ch_40", order: "o1", amount: 4_000, at: 3_000, intent: "pi_a")
        s.charge("ch_60", order: "o1", amount: 6_000, at: 3_500, intent: "pi_b")
        s.book("p60", order: "o1", "60.00", at: 3_600)
        s.book("p40", order: "o1", "40.00", at: 3_700)
        let result = s.run()
        #expect(result.discrepancies.isEmpty)
        #expect(Set(result.matches.map { "\($0.ledgerEntryIds[0])=\($0.stripeIds[0])" }) == ["p60=ch_60", "p40=ch_40"])
    }

    @Test func aMatchBelongsToThePeriodOfItsStripeSide() {
        var s = Scenario()
        // Ledger row booked two seconds before the period, its charge one second into it.
        s.charge("ch_1", order: "o1", amount: 1_000, at: 1)
        s.book("p1", order: "o1", "10.00", at: -2)
        #expect(s.run().matches.map(\.stripeIds) == [["ch_1"]])
    }
}
