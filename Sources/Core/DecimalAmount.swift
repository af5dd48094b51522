/// Exact conversion between decimal strings in major units and Int64 minor units.
///
/// Only the plain form is accepted: an optional '-', digits, an optional '.' followed by digits.
/// Thousands separators, spaces, '+', exponents and decimal commas are rejected, because a
/// ledger that writes "1 000,00" or "1,000.00" is ambiguous and must be mapped, not guessed.
public enum DecimalAmount {
    public static func parse(_ text: String, currency: Currency) throws(MoneyError) -> Int64 {
        var bytes = Substring(text).utf8[...]
        let negative = bytes.first == UInt8(ascii: "-")
        if negative { bytes = bytes.dropFirst() }
        let dot = bytes.firstIndex(of: UInt8(ascii: ".")) ?? bytes.endIndex
        let whole = bytes[bytes.startIndex..<dot]
        let fraction = dot == bytes.endIndex ? bytes[dot..<dot] : bytes[bytes.index(after: dot)...]
        guard !whole.isEmpty, whole.allSatisfy(isDigit), fraction.allSatisfy(isDigit),
            dot == bytes.endIndex || !fraction.isEmpty
        else { throw .malformed(text) }
        // Trailing zeros beyond the exponent are harmless ("12.340" USD); other digits are not.
        let significantFraction = fraction.reversed().drop(while: { $0 == UInt8(ascii: "0") }).count
        if significantFraction > currency.decimals {
            throw .tooManyDecimals(text, allowed: currency.decimals, currency: currency)
        }
        var value: Int64 = 0
        for digit in whole { value = try accumulate(value, digit) }
        var fractionDigits = fraction.prefix(currency.apiExponent).makeIterator()
        for _ in 0..<currency.apiExponent { value = try accumulate(value, fractionDigits.next() ?? UInt8(ascii: "0")) }
        return negative ? -value : value
    }

    /// Formats with the currency's decimals, or with the API's decimals when the
    /// amount is not a whole ISO unit (a fractional ISK amount stays visible, never rounded away).
    public static func format(_ minorUnits: Int64, currency: Currency) -> String {
        let magnitude = minorUnits.magnitude
        let apiScale = pow10(currency.apiExponent)
        let shown = shownDecimals(minorUnits, currency: currency)
        let whole = magnitude / apiScale
        var text = String(whole)
        if shown > 0 {
            let fraction = (magnitude % apiScale) / pow10(currency.apiExponent - shown)
            let digits = String(fraction)
            text += "." + String(repeating: "0", count: shown - digits.count) + digits
        }
        return minorUnits < 0 ? "-" + text : text
    }

    /// How many decimals `format` writes for this amount: the currency's, or the API's when the amount
    /// has a fraction the currency does not show. Spreadsheet number formats use the same count.
    public static func shownDecimals(_ minorUnits: Int64, currency: Currency) -> Int {
        let hidden = currency.apiExponent - currency.decimals
        return hidden > 0 && minorUnits.magnitude % pow10(hidden) != 0 ? currency.apiExponent : currency.decimals
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private static func accumulate(_ value: Int64, _ digit: UInt8) throws(MoneyError) -> Int64 {
        let (times10, o1) = value.multipliedReportingOverflow(by: 10)
        let (next, o2) = times10.addingReportingOverflow(Int64(digit - UInt8(ascii: "0")))
        guard !o1, !o2 else { throw .overflow }
        return next
    }

    private static func pow10(_ n: Int) -> UInt64 { (0..<n).reduce(1) { acc, _ in acc * 10 } }
}
