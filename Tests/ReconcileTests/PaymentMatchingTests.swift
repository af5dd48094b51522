import Core
import Reconcile
import Testing

@Suite struct PaymentMatchingTests {
    @Test func matchesByPaymentIntentChargeIdAndOrderMetadata() {
        var s = Scenario()
        s.charge("ch_a", order: "o1", amount: 1234, intent: "pi_a")
        s.charge("ch_b", order: "o2", amount: 500)
        s.charge("ch_c", order: "o3", amount: 999)
        s.book("e1", order: "o1", "12.34", stripeId: "pi_a")
        s.book("e2", order: "o2", "5.00", stripeId: "ch_b")
        s.book("e3", order: "o3", "9.99")
        let result = s.run()
        #expect(result.discrepancies.isEmpty)
        let byEntry = Dictionary(
            uniqueKeysWithValues: result.matches.map { ($0.ledgerEntryIds, "\($0.rule.rawValue) \($0.key.id ?? "-") \($0.stripeIds)") })
        #expect(byEntry == [["e1"]: "stripe_id pi_a [\"ch_a\"]", ["e2"]: "stripe_id ch_b [\"ch_b\"]", ["e3"]: "metadata_order_id o3 [\"ch_c\"]"])
    }

    @Test func amountMismatchByOneCentAndCurrencyMismatchInsteadOfAmount() throws {
        var s = Scenario()
        s.charge("ch_a", order: "o1", amount: 1234)
        s.charge("ch_b", order: "o2", amount: 1234)
        s.book("e1", order: "o1", "12.35")
        s.book("e2", order: "o2", "12.00", .eur)
        let found = s.run().discrepancies
        #expect(found.map(\.id) == ["amount_mismatch/e1", "currency_mismatch/e2"])
        let amount = try #require(found.first)
        #expect(amount.expected == 1235 && amount.actual == 1234 && amount.difference == -1)
        #expect(found[1].expectedCurrency == .eur && found[1].difference == nil)
    }

    @Test func missingOnEitherSide() {
        var s = Scenario()
        s.charge("ch_a", order: "o1", amount: 1000)
        s.charge("ch_nometa", order: nil, amount: 700)
        s.book("e2", order: "o2", "10.00")
        s.book("e3", order: "o3", "10.00", stripeId: "pi_unknown")
        #expect(s.findings() == ["missing_in_ledger/ch_a", "missing_in_ledger/ch_nometa", "missing_in_stripe/e2", "missing_in_stripe/e3"])
    }

    @Test func failedChargesAreNeverPaymentsAndARetryOnTheSameIntentIsNoDuplicate() {
        var s = Scenario()
        s.charge("ch_declined", order: "o1", amount: 1000, at: 3_000, intent: "pi_1", status: .failed)
        s.charge("ch_ok", order: "o1", amount: 1000, at: 3_060, intent: "pi_1")
        s.book("e1", order: "o1", "10.00")
        #expect(s.run().discrepancies.isEmpty)
        // A ledger row that names a PaymentIntent whose only charge failed has no payment behind it.
        var t = Scenario()
        t.charge("ch_declined", order: "o2", amount: 1000, intent: "pi_2", status: .failed)
        t.book("e2", order: "o2", "10.00", stripeId: "pi_2")
        #expect(t.findings() == ["missing_in_stripe/e2"])
    }

    @Test func aSecondIntentForAPaidOrderIsADuplicateCharge() {
        var s = Scenario()
        s.charge("ch_first", order: "o1", amount: 1000, at: 3_000, intent: "pi_1")
        s.charge("ch_second", order: "o1", amount: 1000, at: 4_000, intent: "pi_2")
        s.book("e1", order: "o1", "10.00")
        #expect(s.findings() == ["duplicate_charge/ch_second"])
        // The same when the ledger names the second intent: the first one is then the extra.
        var t = Scenario()
        t.charge("ch_first", order: "o1", amount: 1000, at: 3_000, intent: "pi_1")
        t.charge("ch_second", order: "o1", amount: 1000, at: 4_000, intent: "pi_2")
        t.book("e1", order: "o1", "10.00", stripeId: "pi_2")
        #expect(t.findings() == ["duplicate_charge/ch_first"])
    }

    @Test func rowsAcrossThePeriodEdgeMatchAndOnlyItemsInsideAreReported() {
        var s = Scenario()
        // Charge at 23:59:59 on the last day, its ledger row at 00:00:01 the next day.
        let lastSecond = 30 * 86_400 - 1
        s.charge("ch_edge", order: "o1", amount: 1000, at: Int64(lastSecond))
        s.book("e1", order: "o1", "10.00", at: Int64(lastSecond + 2))
        // Unmatched items just outside the period belong to another period.
        s.charge("ch_after", order: "o2", amount: 1000, at: 30 * 86_400 + 10)
        s.book("e3", order: "o3", "10.00", at: -10)
        let result = s.run()
        #expect(result.discrepancies.isEmpty)
        #expect(result.matches.map(\.ledgerEntryIds) == [["e1"]])
    }

    @Test func theOutputDoesNotDependOnInputOrder() {
        var s = Scenario()
        for n in 0..<40 {
            s.charge("ch_\(n)", order: "o\(n % 25)", amount: 1000 + Int64(n), at: Int64(3_000 + n * 37 % 500))
            if n % 3 != 0 { s.book("e\(n)", order: "o\(n % 25)", "10.\(n + 10)", at: Int64(4_000 + n)) }
        }
        let first = s.run()
        var shuffled = s
        shuffled.stripe.charges.reverse()
        shuffled.ledger.shuffle()
        let second = shuffled.run()
        #expect(first.discrepancies == second.discrepancies)
        #expect(first.matches == second.matches)
        #expect(!first.discrepancies.isEmpty)
    }
}
