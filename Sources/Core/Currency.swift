/// An ISO 4217 currency with the two exponents that matter to payrecon.
///
/// `exponent` is ISO 4217's minor unit: how many decimals people see.
/// `apiExponent` is the minor unit Stripe's API counts in. They differ for the
/// currencies Stripe keeps as two-decimal for backwards compatibility (ISK), so
/// every `Money` in payrecon counts in `apiExponent` units: that is what Stripe sends.
public struct Currency: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// Upper-case ISO code, e.g. "USD".
    public let code: String
    /// ISO 4217 minor-unit exponent.
    public let exponent: Int
    /// Exponent of the minor unit Stripe's API uses for amounts.
    public let apiExponent: Int
    /// Stripe's extra rule for this currency, if any (see `StripeCurrencyRule`).
    public let stripeRule: StripeCurrencyRule?

    /// Looks a code up in any case ("usd", "USD"); throws for a code that is not ISO 4217.
    public init(code raw: String) throws(CurrencyError) {
        let upper = raw.uppercased()
        guard let iso = CurrencyTable.isoExponents[upper] else { throw CurrencyError(unknownCode: raw) }
        let rule = CurrencyTable.stripeRules[upper]
        self.code = upper
        self.exponent = iso
        self.apiExponent = rule?.apiExponent ?? CurrencyTable.stripeAPIExponent(code: upper, isoExponent: iso)
        self.stripeRule = rule
    }

    /// Decimals people see and may write: ISO's, unless Stripe's API counts fewer (MGA, UGX).
    public var decimals: Int { min(exponent, apiExponent) }

    /// Stripe's lower-case code for requests and for comparison with Stripe objects.
    public var stripeCode: String { code.lowercased() }
    public var description: String { code }
    public static func < (lhs: Currency, rhs: Currency) -> Bool { lhs.code < rhs.code }

    public static let usd = try! Currency(code: "USD")
    public static let eur = try! Currency(code: "EUR")
    public static let jpy = try! Currency(code: "JPY")
    public static let kwd = try! Currency(code: "KWD")
}

/// A currency code that is not in the ISO 4217 table.
public struct CurrencyError: Error, Hashable, Sendable, CustomStringConvertible {
    public let code: String
    init(unknownCode: String) { self.code = unknownCode }
    public var description: String { "unknown currency '\(code)' (expected an ISO 4217 code such as USD, EUR, JPY)" }
}

/// Stripe's special cases, from https://docs.stripe.com/currencies#special-cases.
public struct StripeCurrencyRule: Hashable, Sendable {
    /// Minor unit Stripe's API amounts use.
    public let apiExponent: Int
    /// Charge amounts must be a multiple of this many API minor units (ISK: 100).
    public let chargeMultiple: Int64
    /// Payout amounts must be a multiple of this many API minor units (HUF, TWD: 100).
    public let payoutMultiple: Int64
    public let explanation: String
}
