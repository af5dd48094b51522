/// An ISO 4217 currency with the two exponents that matter to payrecon.
///
/// `exponent` is ISO 4217's minor unit.
/// `apiExponent` is the minor unit Stripe's API counts in. They differ for the
/// currencies Stripe keeps as two-decimal for backwards compatibility (ISK), so
/// every `Money` in payrecon counts in `apiExponent` units: that is what Stripe sends.
public struct Currency: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// Position in `CurrencyTable.entries`: two bytes per amount instead of a string and a rule,
    /// which matters when a night holds millions of amounts.
    let index: UInt16

    /// Looks a code up in any case ("usd", "USD"); throws for a code that is not ISO 4217.
    public init(code raw: String) throws(CurrencyError) {
        guard let index = CurrencyTable.index[raw] ?? CurrencyTable.index[raw.uppercased()] else { throw CurrencyError(unknownCode: raw) }
        self.index = index
    }

    private var entry: CurrencyTable.Entry { CurrencyTable.entries[Int(index)] }
    /// Upper-case ISO code, e.g. "USD".
    public var code: String { entry.code }
    /// The code's three ASCII letters packed little-endian (first letter in the low byte), without making a String.
    public var packedCode: UInt32 { CurrencyTable.packedCodes[Int(index)] }
    /// ISO 4217 minor-unit exponent.
    public var exponent: Int { entry.exponent }
    /// Exponent of the minor unit Stripe's API uses for amounts.
    public var apiExponent: Int { entry.apiExponent }
    /// Stripe's extra rule for this currency, if any (see `StripeCurrencyRule`).
    public var stripeRule: StripeCurrencyRule? { CurrencyTable.stripeRules[entry.code] }
    /// Decimals people see and may write: ISO's, unless Stripe's API counts fewer (MGA, UGX).
    public var decimals: Int { min(exponent, apiExponent) }
    /// Stripe's lower-case code for requests and for comparison with Stripe objects.
    public var stripeCode: String { entry.stripeCode }
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
