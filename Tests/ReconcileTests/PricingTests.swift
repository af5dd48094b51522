import Core
import Foundation
import Reconcile
import Testing

/// Stripe's pricing model and its presets; every expected fee worked out by hand below.
@Suite struct PricingTests {
    /// A US account settles everything in USD: 2.9% + 30¢, +1% converted, +1.5% for a card from abroad.
    @Test func theUSPresetPricesConversionAndInternationalCards() throws {
        let us = PricingPreset.us.schedule
        // 100.00 USD, US card: 290 + 30.
        #expect(try us.chargeFee(settledAmount: 10_000, presentment: .usd, settlement: .usd, cardCountry: "US") == 320)
        // A card of unknown country pays no surcharge.
        #expect(try us.chargeFee(settledAmount: 10_000, presentment: .usd, settlement: .usd) == 320)
        // 100.00 USD, Canadian card: 4.4% = 440 + 30.
        #expect(try us.chargeFee(settledAmount: 10_000, presentment: .usd, settlement: .usd, cardCountry: "CA") == 470)
        // ¥10,000 settled as 67.00 USD, Japanese card: 2.9 + 1 + 1.5 = 5.4% of 6,700 = 361.8 → 362, + 30.
        #expect(try us.chargeFee(settledAmount: 6_700, presentment: .jpy, settlement: .usd, cardCountry: "JP") == 392)
        // 10.000 KWD settled as 32.50 USD, US card: 3.9% of 3,250 = 126.75 → 127, + 30.
        #expect(try us.chargeFee(settledAmount: 3_250, presentment: .kwd, settlement: .usd, cardCountry: "us") == 157)
        // Nothing settles in JPY on a US account: no rate, said as a diagnostic, never a guess.
        #expect(try us.chargeFee(settledAmount: 10_000, presentment: .jpy, settlement: .jpy) == nil)
        #expect(us.disputeFee(settlement: .usd) == 1_500)
    }

    @Test func theGBAndEUPresetsHaveARegionalRate() throws {
        let gbp = try Currency(code: "GBP")
        let gb = PricingPreset.gb.schedule
        // £100.00: UK card 1.5% + 20p = 170; French (EEA) card 2.5% = 270; US card 3.25% = 345; converted EUR from France +2% = 470.
        #expect(try gb.chargeFee(settledAmount: 10_000, presentment: gbp, settlement: gbp, cardCountry: "GB") == 170)
        #expect(try gb.chargeFee(settledAmount: 10_000, presentment: gbp, settlement: gbp, cardCountry: "FR") == 270)
        #expect(try gb.chargeFee(settledAmount: 10_000, presentment: gbp, settlement: gbp, cardCountry: "US") == 345)
        #expect(try gb.chargeFee(settledAmount: 10_000, presentment: .eur, settlement: gbp, cardCountry: "FR") == 470)
        let eu = PricingPreset.eu.schedule
        // €100.00: German card 1.5% + 25 = 175; UK card 2.5% = 275; Japanese card 3.25% = 350.
        #expect(try eu.chargeFee(settledAmount: 10_000, presentment: .eur, settlement: .eur, cardCountry: "DE") == 175)
        #expect(try eu.chargeFee(settledAmount: 10_000, presentment: .eur, settlement: .eur, cardCountry: "GB") == 275)
        #expect(try eu.chargeFee(settledAmount: 10_000, presentment: .eur, settlement: .eur, cardCountry: "JP") == 350)
        // ¥10,000 on a JP account: 3.6% = 360; from USD converted: 5.6% of ¥15,000 = 840.
        let jp = PricingPreset.jp.schedule
        #expect(try jp.chargeFee(settledAmount: 10_000, presentment: .jpy, settlement: .jpy, cardCountry: "JP") == 360)
        #expect(try jp.chargeFee(settledAmount: 15_000, presentment: .usd, settlement: .jpy, cardCountry: "US") == 840)
        #expect(throws: FeeScheduleError.self) { try PricingPreset(name: "CA") }
        #expect(try PricingPreset(name: "eu") == .eu)
    }

    func usAccountCharge(_ s: inout Scenario, _ n: Int, currency: Currency, amount: Int64, settled: Int64, fee: Int64, country: String) {
        s.stripe.charges.append(
            Charge(
                id: ChargeID("ch_\(n)"), amount: amount, currency: currency, status: .succeeded, created: Scenario.day0 + 3_600,
                paymentIntent: "pi_\(n)", balanceTransaction: "txn_\(n)", metadata: ["order_id": "o\(n)"],
                card: PaymentMethodSummary(type: "card", card: .init(brand: "visa", last4: "4242", country: country))))
        s.transaction("txn_\(n)", amount: settled, fee: fee, type: .charge, source: "ch_\(n)")
    }

    /// With no fee file, a US account's converted and international charges are priced right; the
    /// old per-presentment schedule (local JPY and KWD rates) flags every one of them.
    @Test func aUSAccountsConvertedChargesAreNoFeeMismatch() {
        var s = Scenario()
        // €100.00 → 108.43 USD, German card: 5.4% = 585.522 → 586, + 30.
        usAccountCharge(&s, 1, currency: .eur, amount: 10_000, settled: 10_843, fee: 616, country: "DE")
        // ¥10,000 → 67.00 USD, US card: 3.9% = 261.3 → 261, + 30.
        usAccountCharge(&s, 2, currency: .jpy, amount: 10_000, settled: 6_700, fee: 291, country: "US")
        // 10.000 KWD → 32.50 USD, Kuwaiti card: 5.4% = 175.5 → 176, + 30.
        usAccountCharge(&s, 3, currency: .kwd, amount: 10_000, settled: 3_250, fee: 206, country: "KW")
        // 100.00 USD, US card, 1¢ too much.
        usAccountCharge(&s, 4, currency: .usd, amount: 10_000, settled: 10_000, fee: 321, country: "US")
        s.book("p1", order: "o1", "100.00", .eur)
        s.book("p2", order: "o2", "10000", .jpy)
        s.book("p3", order: "o3", "10.000", .kwd)
        s.book("p4", order: "o4", "100.00")
        #expect(s.findings() == ["fee_mismatch/txn_4"])
        s.fees = .localSettlement
        #expect(s.findings() == ["fee_mismatch/txn_1", "fee_mismatch/txn_2", "fee_mismatch/txn_3", "fee_mismatch/txn_4"])
    }

    /// Every balance transaction type counts in its payout's sum, and none but charges, refunds and
    /// dispute withdrawals has a fee to check.
    @Test func everyBalanceTypeCountsInThePayoutAndNoneIsFeeChecked() {
        var s = Scenario()
        let types: [(String, Int64, String?)] = [
            ("refund_failure", 4_000, "re_1"), ("transfer", -15_000, "tr_1"), ("application_fee", 2_000, "fee_1"),
            ("reserve_transaction", -5_000, nil), ("contribution", -300, nil), ("tax_fee", -412, nil), ("adjustment", 1_250, nil),
            ("stripe_fee", -500, nil), ("payout_cancel", 9_000, "po_0"), ("a_type_from_next_year", -7, nil),
        ]
        var links: [BalanceTransactionID] = []
        for (n, (type, amount, source)) in types.enumerated() {
            // A fee on each that no schedule has: never a fee_mismatch.
            s.transaction("txn_\(n)", amount: amount, fee: 1, type: BalanceTransactionType(rawValue: type), source: source)
            links.append(BalanceTransactionID("txn_\(n)"))
        }
        let net = types.reduce(Int64(0)) { $0 + $1.1 - 1 }
        s.stripe.payouts = [
            Payout(
                id: "po_1", amount: net, currency: .usd, status: .paid, created: Scenario.day0 + 86_400, arrivalDate: nil, balanceTransaction: nil),
            Payout(
                id: "po_2", amount: net + 1, currency: .usd, status: .paid, created: Scenario.day0 + 86_400, arrivalDate: nil,
                balanceTransaction: nil),
        ]
        s.stripe.payoutLinks = ["po_1": links, "po_2": links]
        #expect(s.findings() == ["payout_mismatch/po_2"])
    }
}
