import Core
import Foundation
import Reconcile
import Testing

@Suite struct FeeAndPayoutTests {
    @Test func feesRoundHalfUpOnTheSettledAmount() throws {
        let schedule = FeeSchedule(
            charges: [
                "usd": .init(percent: "2.5", fixed: 0),
                "eur": .init(percent: "2.9", fixed: 30, fxSurchargePercent: "1.0"),
            ],
            disputes: [:])
        // 2.5% of 100 = 2.5 → 3; of 98 = 2.45 → 2; of 102 = 2.55 → 3.
        #expect(try schedule.chargeFee(settledAmount: 100, presentment: .usd) == 3)
        #expect(try schedule.chargeFee(settledAmount: 98, presentment: .usd) == 2)
        #expect(try schedule.chargeFee(settledAmount: 102, presentment: .usd) == 3)
        // EUR presentment settled as 10,843 USD cents: 2.9% + 1.0% FX = 422.877 → 423, + 30.
        #expect(try schedule.chargeFee(settledAmount: 10_843, presentment: .eur, settlement: .usd) == 453)
        // Settled in EUR itself there is no conversion: 2.9% of 10,000 = 290, + 30.
        #expect(try schedule.chargeFee(settledAmount: 10_000, presentment: .eur, settlement: .eur) == 320)
        #expect(try schedule.chargeFee(settledAmount: 100, presentment: .jpy) == nil)
        let bad = FeeSchedule(charges: ["usd": .init(percent: "2,9", fixed: 0)], disputes: [:])
        #expect(throws: FeeScheduleError.self) { try bad.chargeFee(settledAmount: 100, presentment: .usd) }
    }

    func transaction(
        _ id: String, amount: Int64, fee: Int64, currency: Currency = .usd, type: BalanceTransactionType = .charge,
        source: String?, rate: Decimal? = nil
    ) -> BalanceTransaction {
        BalanceTransaction(
            id: BalanceTransactionID(id), amount: amount, currency: currency, net: amount - fee, fee: fee, exchangeRate: rate,
            created: Scenario.day0 + 5_000, availableOn: nil, type: type, reportingCategory: nil,
            source: source.map { ExpandableID($0) })
    }

    @Test func feeMismatchUsesThePresentmentCurrencysRateAndTheTolerance() {
        var s = Scenario()
        s.charge("ch_eur", order: "o1", amount: 10_000, currency: .eur)
        s.book("p1", order: "o1", "100.00", .eur)
        // 100.00 EUR settled as 108.43 USD: fee 3.9% + 30 = 453 expected; 453 is right, 454 is not.
        s.stripe.balanceTransactions = [
            transaction("txn_ok", amount: 10_843, fee: 453, source: "ch_eur", rate: Decimal(string: "1.0843")),
            transaction("txn_off", amount: 10_843, fee: 454, source: "ch_eur"),
            transaction("txn_radar", amount: -500, fee: 0, type: .stripeFee, source: nil),
            transaction("txn_refund", amount: -1_000, fee: 0, type: .refund, source: "re_1"),
        ]
        #expect(s.findings() == ["fee_mismatch/txn_off"])
        s.fees = FeeSchedule(charges: FeeSchedule.standard.charges, disputes: FeeSchedule.standard.disputes, tolerance: 1)
        #expect(s.findings() == [])
    }

    @Test func payoutsMustEqualTheirTransactionsAndFailuresAreFlagged() {
        var s = Scenario()
        s.stripe.balanceTransactions = [
            transaction("txn_1", amount: 10_000, fee: 320, source: nil, rate: nil),
            transaction("txn_2", amount: 5_000, fee: 175, source: nil),
            transaction("txn_po", amount: -14_505, fee: 0, type: .payout, source: "po_ok"),
        ]
        func payout(_ id: String, _ amount: Int64, status: PayoutStatus = .paid) -> Payout {
            Payout(
                id: PayoutID(id), amount: amount, currency: .usd, status: status, created: Scenario.day0 + 86_400,
                arrivalDate: nil, balanceTransaction: id == "po_ok" ? "txn_po" : nil)
        }
        s.stripe.payouts = [
            payout("po_ok", 14_505), payout("po_short", 14_000), payout("po_failed", 14_505, status: .failed),
            payout("po_unlinked", 1),
        ]
        s.stripe.payoutLinks = ["po_ok": ["txn_1", "txn_2", "txn_po"], "po_short": ["txn_1", "txn_2"], "po_failed": ["txn_1", "txn_2"]]
        let found = s.run().discrepancies
        #expect(found.map(\.id) == ["payout_mismatch/po_short", "payout_failed/po_failed"])
        #expect(found[0].expected == 14_505 && found[0].actual == 14_000)
    }
}

@Suite struct FeeScheduleFileTests {
    static func fixture(_ name: String) throws -> FeeSchedule {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("fixtures/\(name)")
        return try JSONDecoder().decode(FeeSchedule.self, from: Data(contentsOf: url))
    }

    /// The first fee files' format (per presentment currency) keeps working.
    @Test func theExampleFileIsTheLocalSettlementSchedule() throws {
        #expect(try Self.fixture("fee-schedule.json") == FeeSchedule.localSettlement)
    }

    /// Stripe's model, written out: the US preset, and a file that starts from it.
    @Test func theSettlementFileIsTheUSPresetAndAPresetCanBeExtended() throws {
        #expect(try Self.fixture("fee-schedule.us.json") == PricingPreset.us.schedule)
        let extended = try JSONDecoder().decode(
            FeeSchedule.self, from: Data(#"{"preset": "gb", "tolerance": 2, "disputes": {"GBP": 1500}}"#.utf8))
        let gbp = try Currency(code: "GBP")
        #expect(extended.tolerance == 2 && extended.disputeFee(settlement: gbp) == 1_500)
        #expect(extended.settlement == PricingPreset.gb.schedule.settlement)
    }

    @Test func aTypoInAFeeFileIsNamed() {
        #expect { try JSONDecoder().decode(FeeSchedule.self, from: Data(#"{"tolerence": 1}"#.utf8)) } throws: { error in
            "\(error)".contains("'tolerence' is not a fee schedule key")
        }
        #expect { try JSONDecoder().decode(FeeSchedule.self, from: Data(#"{"preset": "CA"}"#.utf8)) } throws: { error in
            "\(error)".contains("'CA' is not a preset (expected one of US, GB, EU, JP)")
        }
    }
}
