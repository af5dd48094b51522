import Core
import Testing

@testable import Report

@Suite struct MatchKeyRenderingTests {
    @Test func idsAsTheyAreAmountsWithTheirCurrencysDecimalsAndTheWindow() {
        #expect(ReportBuilder.render(.id("pi_3Mtw")) == "pi_3Mtw")
        #expect(ReportBuilder.render(.amountWithin(Money(minorUnits: 1_234, currency: .usd), hours: 48)) == "12.34 USD ±48h")
        #expect(ReportBuilder.render(.amountWithin(Money(minorUnits: 1_500, currency: .jpy), hours: 72)) == "1500 JPY ±72h")
        #expect(ReportBuilder.render(.amountWithin(Money(minorUnits: 1_250, currency: .kwd), hours: 1)) == "1.250 KWD ±1h")
    }
}
