import Core
import Testing

@Suite struct MoneyTests {
    @Test(arguments: [
        ("12.34", "USD", Int64(1234)), ("12.340", "USD", 1234), ("0.05", "USD", 5), ("-12.34", "USD", -1234), ("7", "USD", 700),
        ("1500", "JPY", 1500), ("1.250", "KWD", 1250), ("0.001", "KWD", 1), ("92233720368547758.07", "USD", Int64.max),
    ])
    func parsesExactDecimals(text: String, code: String, minor: Int64) throws {
        #expect(try Money(decimal: text, currency: Currency(code: code)).minorUnits == minor)
    }

    @Test(arguments: ["1 000,00", "1,000.00", "12,34", "+5", "1e3", "", ".", "5.", ".5", "--1", "12.3.4", " 12", "12 ", "abc", "١٢"])
    func rejectsAnythingButPlainDecimals(text: String) {
        #expect(throws: MoneyError.malformed(text)) { try Money(decimal: text, currency: .usd) }
    }

    @Test func moreDecimalsThanTheCurrencyAllowsIsAnErrorNotARounding() {
        #expect(throws: MoneyError.tooManyDecimals("12.345", allowed: 2, currency: .usd)) { try Money(decimal: "12.345", currency: .usd) }
        #expect(throws: MoneyError.tooManyDecimals("1500.5", allowed: 0, currency: .jpy)) { try Money(decimal: "1500.5", currency: .jpy) }
        #expect(throws: MoneyError.tooManyDecimals("1.2345", allowed: 3, currency: .kwd)) { try Money(decimal: "1.2345", currency: .kwd) }
    }

    @Test func overflowingAmountsThrow() {
        #expect(throws: MoneyError.overflow) { try Money(decimal: "92233720368547758.08", currency: .usd) }
        #expect(throws: MoneyError.overflow) { try Money(minorUnits: .max, currency: .usd).adding(Money(minorUnits: 1, currency: .usd)) }
    }

    @Test func formatsWithTheCurrencysDecimals() {
        #expect(Money(minorUnits: 1234, currency: .usd).decimalString == "12.34")
        #expect(Money(minorUnits: -5, currency: .usd).decimalString == "-0.05")
        #expect(Money(minorUnits: 1500, currency: .jpy).decimalString == "1500")
        #expect(Money(minorUnits: 1250, currency: .kwd).decimalString == "1.250")
        #expect(Money(minorUnits: Int64.min, currency: .usd).decimalString == "-92233720368547758.08")
    }

    @Test func formatAndParseRoundTrip() throws {
        for currency in [Currency.usd, .jpy, .kwd] {
            for minor: Int64 in [0, 1, -1, 99, 100, 101, 123_456_789, -987_654_321] {
                let text = Money(minorUnits: minor, currency: currency).decimalString
                #expect(try Money(decimal: text, currency: currency).minorUnits == minor)
            }
        }
    }

    @Test func addingDifferentCurrenciesThrows() throws {
        let usd = Money(minorUnits: 100, currency: .usd)
        #expect(throws: MoneyError.currencyMismatch(.usd, .eur)) { try usd.adding(Money(minorUnits: 1, currency: .eur)) }
        #expect(try usd.adding(Money(minorUnits: 250, currency: .usd)).minorUnits == 350)
        #expect(try usd.subtracting(Money(minorUnits: 250, currency: .usd)).minorUnits == -150)
        #expect(try Money.sum([usd, usd, usd], currency: .usd).minorUnits == 300)
        #expect(throws: MoneyError.self) { try Money.sum([usd, Money(minorUnits: 1, currency: .jpy)], currency: .usd) }
    }
}
