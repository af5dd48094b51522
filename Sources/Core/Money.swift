/// An amount of money: a count of the currency's Stripe API minor unit, never a floating-point number.
public struct Money: Hashable, Sendable, CustomStringConvertible {
    public let minorUnits: Int64
    public let currency: Currency

    public init(minorUnits: Int64, currency: Currency) {
        self.minorUnits = minorUnits
        self.currency = currency
    }

    public static func zero(_ currency: Currency) -> Money { Money(minorUnits: 0, currency: currency) }

    /// Parses an exact decimal in major units ("12.34", "-5", "0.125" for KWD).
    /// More fraction digits than the currency allows is an error, never a rounding.
    public init(decimal text: String, currency: Currency) throws(MoneyError) {
        self.init(minorUnits: try DecimalAmount.parse(text, currency: currency), currency: currency)
    }

    /// Adds two amounts of the same currency; a different currency or an overflow throws.
    public func adding(_ other: Money) throws(MoneyError) -> Money {
        guard currency == other.currency else { throw .currencyMismatch(currency, other.currency) }
        let (sum, overflow) = minorUnits.addingReportingOverflow(other.minorUnits)
        guard !overflow else { throw .overflow }
        return Money(minorUnits: sum, currency: currency)
    }

    public func subtracting(_ other: Money) throws(MoneyError) -> Money {
        guard other.minorUnits != .min else { throw .overflow }
        return try adding(Money(minorUnits: -other.minorUnits, currency: other.currency))
    }

    public var negated: Money { Money(minorUnits: -minorUnits, currency: currency) }

    /// The exact decimal in major units, with the currency's ISO decimals ("12.34", "1500", "1.250").
    public var decimalString: String { DecimalAmount.format(minorUnits, currency: currency) }

    public var description: String { "\(decimalString) \(currency.code)" }

    /// Sums amounts that must all be in `currency`.
    public static func sum(_ amounts: some Sequence<Money>, currency: Currency) throws(MoneyError) -> Money {
        var total = Money.zero(currency)
        for amount in amounts { total = try total.adding(amount) }
        return total
    }
}

/// Why a money operation was refused.
public enum MoneyError: Error, Hashable, Sendable, CustomStringConvertible {
    case currencyMismatch(Currency, Currency)
    case overflow
    case malformed(String)
    case tooManyDecimals(String, allowed: Int, currency: Currency)
    /// Not a whole number, where a column mapping says amounts are in minor units.
    case notMinorUnits(String, currency: Currency)

    public var description: String {
        switch self {
        case .currencyMismatch(let a, let b): return "cannot combine \(a.code) with \(b.code)"
        case .overflow: return "amount overflows 64-bit minor units"
        case .malformed(let text):
            return "'\(text)' is not a decimal amount (expected digits with an optional '.' and fraction, e.g. 1234.56)"
        case .tooManyDecimals(let text, let allowed, let currency):
            return "'\(text)' has more decimals than \(currency.code) allows (\(allowed))"
        case .notMinorUnits(let text, let currency):
            let example = Money(minorUnits: 1234, currency: currency).decimalString
            return
                "'\(text)' is not a whole number of minor units (the column mapping says amounts are in minor units: 1234 is \(example) \(currency.code))"
        }
    }
}
