import Core
import Testing

@Suite struct CurrencyTests {
    @Test(arguments: [("JPY", 0), ("KRW", 0), ("USD", 2), ("EUR", 2), ("KWD", 3), ("BHD", 3), ("JOD", 3), ("OMR", 3), ("TND", 3)])
    func exponentsFollowISO(code: String, exponent: Int) throws {
        let currency = try Currency(code: code)
        #expect(currency.exponent == exponent)
        #expect(currency.apiExponent == exponent)
    }

    @Test func codesAreCaseInsensitiveAndUnknownCodesThrow() throws {
        #expect(try Currency(code: "usd") == .usd)
        #expect(try Currency(code: "Eur").code == "EUR")
        #expect(throws: CurrencyError.self) { try Currency(code: "XYZ") }
        #expect(throws: CurrencyError.self) { try Currency(code: "") }
    }

    @Test func stripeZeroDecimalListOverridesISO() throws {
        // MGA has two decimals in ISO 4217 but Stripe counts whole ariary.
        let mga = try Currency(code: "MGA")
        #expect(mga.exponent == 2)
        #expect(mga.apiExponent == 0)
        #expect(mga.decimals == 0)
        for code in ["BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "PYG", "RWF", "VND", "VUV", "XAF", "XOF", "XPF"] {
            #expect(try Currency(code: code).apiExponent == 0, "\(code)")
        }
    }

    @Test func iskIsTwoDecimalInStripesAPIWithWholeKronaAmounts() throws {
        let isk = try Currency(code: "ISK")
        #expect(isk.exponent == 0)
        #expect(isk.apiExponent == 2)
        #expect(isk.stripeRule?.chargeMultiple == 100)
        #expect(try Money(decimal: "12", currency: isk).minorUnits == 1200)
        #expect(throws: MoneyError.self) { try Money(decimal: "12.5", currency: isk) }
        #expect(Money(minorUnits: 1200, currency: isk).decimalString == "12")
        // An amount Stripe should never send still shows its fraction instead of losing it.
        #expect(Money(minorUnits: 1250, currency: isk).decimalString == "12.50")
    }

    @Test func hufAndTwdPayoutsMustBeWholeUnits() throws {
        for code in ["HUF", "TWD"] {
            let currency = try Currency(code: code)
            #expect(currency.apiExponent == 2)
            #expect(currency.stripeRule?.payoutMultiple == 100)
            #expect(currency.stripeRule?.chargeMultiple == 1)
        }
    }

    @Test func ugxIsZeroDecimal() throws {
        let ugx = try Currency(code: "UGX")
        #expect(ugx.exponent == 0)
        #expect(ugx.apiExponent == 0)
        #expect(ugx.stripeRule != nil)
    }
}
