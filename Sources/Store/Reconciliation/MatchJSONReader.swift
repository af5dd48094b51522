import Core

/// Reads a slot's block back into matches: the JSON that `MatchJSON` writes, read strictly (any other
/// shape is an error that says at which byte what was expected), with JSON's escapes and whitespace.
struct MatchJSONReader {
    struct Failure: Error { let offset: Int; let expected: String }

    private let bytes: UnsafeRawBufferPointer
    private var at = 0

    private init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    /// The block's matches, in stored order; `slotStart` only names the block in an error.
    static func matches(in bytes: UnsafeRawBufferPointer, slotStart: Int64) throws(StoreError) -> [Match] {
        do {
            var reader = MatchJSONReader(bytes)
            return try reader.block()
        } catch let failure as Failure {
            throw StoreError(
                operation: "load matches",
                reason: "the match block of the slot at \(Timestamp(microseconds: slotStart)) "
                    + "is not what payrecon writes: at byte \(failure.offset), expected \(failure.expected)")
        } catch {
            throw StoreError(operation: "load matches", reason: "\(error)")
        }
    }

    private mutating func block() throws -> [Match] {
        var matches: [Match] = []
        try expect("[")
        if try peek() == UInt8(ascii: "]") { at += 1; return matches }
        repeat { matches.append(try match()) } while try separator(closing: "]")
        skipWhitespace()
        guard at == bytes.count else { throw Failure(offset: at, expected: "the end of the block") }
        return matches
    }

    private mutating func match() throws -> Match {
        try expect("[")
        let occurredAt = try integer(); try expect(",")
        let ruleOffset = at
        guard let rule = Match.Rule(rawValue: try string()) else { throw Failure(offset: ruleOffset, expected: "a match rule") }
        try expect(",")
        let key = try matchKey(); try expect(",")
        let order = try optionalString(); try expect(",")
        let ledger = try strings(); try expect(",")
        let stripe = try strings(); try expect(",")
        let ledgerCurrency = try currency(); try expect(",")
        let ledgerAmount = try integer(); try expect(",")
        let stripeCurrency = try currency(); try expect(",")
        let stripeAmount = try integer()
        var settlement: MatchSettlement?
        if try separator(closing: "]") {
            let fee = try integer(); try expect(",")
            let net = try integer(); try expect(",")
            let currency = try currency(); try expect(",")
            let payouts = try strings(); try expect("]")
            settlement = MatchSettlement(
                fee: Money(minorUnits: fee, currency: currency), net: Money(minorUnits: net, currency: currency), payoutIds: payouts)
        }
        return Match(
            rule: rule, key: key, orderId: order, ledgerEntryIds: ledger, stripeIds: stripe,
            ledgerAmount: Money(minorUnits: ledgerAmount, currency: ledgerCurrency),
            stripeAmount: Money(minorUnits: stripeAmount, currency: stripeCurrency),
            occurredAt: Timestamp(microseconds: occurredAt), settlement: settlement)
    }

    /// An id, or `[amount, currency, hours]` for the amount-and-window rule.
    private mutating func matchKey() throws -> MatchKey {
        guard try peek() == UInt8(ascii: "[") else { return .id(try string()) }
        at += 1
        let amount = try integer(); try expect(",")
        let currency = try currency(); try expect(",")
        let hours = try integer(); try expect("]")
        return .amountWithin(Money(minorUnits: amount, currency: currency), hours: hours)
    }

    private mutating func currency() throws -> Currency {
        let offset = at
        guard let currency = try? Currency(code: try string()) else { throw Failure(offset: offset, expected: "a currency code") }
        return currency
    }

    private mutating func strings() throws -> [String] {
        var result: [String] = []
        try expect("[")
        if try peek() == UInt8(ascii: "]") { at += 1; return result }
        repeat { result.append(try string()) } while try separator(closing: "]")
        return result
    }

    private mutating func optionalString() throws -> String? {
        if try peek() == UInt8(ascii: "n") {
            guard bytes.count - at >= 4, bytes[at + 1] == UInt8(ascii: "u"), bytes[at + 2] == UInt8(ascii: "l"),
                bytes[at + 3] == UInt8(ascii: "l")
            else { throw Failure(offset: at, expected: "null or a string") }
            at += 4
            return nil
        }
        return try string()
    }

    /// True after a comma, false after `closing`.
    private mutating func separator(closing: Unicode.Scalar) throws -> Bool {
        switch try peek() {
        case UInt8(ascii: ","): at += 1; return true
        case UInt8(ascii: closing): at += 1; return false
        default: throw Failure(offset: at, expected: "',' or '\(closing)'")
        }
    }

    private mutating func integer() throws -> Int64 {
        _ = try peek()
        let start = at
        let negative = bytes[at] == UInt8(ascii: "-")
        if negative { at += 1 }
        var value: Int64 = 0
        var digits = 0
        while at < bytes.count, bytes[at] >= UInt8(ascii: "0"), bytes[at] <= UInt8(ascii: "9") {
            // Accumulated negatively, so that Int64.min fits.
            let (shifted, o1) = value.multipliedReportingOverflow(by: 10)
            let (next, o2) = shifted.subtractingReportingOverflow(Int64(bytes[at] - UInt8(ascii: "0")))
            guard !o1, !o2 else { throw Failure(offset: start, expected: "an integer that fits in 64 bits") }
            value = next
            digits += 1
            at += 1
        }
        guard digits > 0 else { throw Failure(offset: start, expected: "an integer") }
        if negative { return value }
        guard value != .min else { throw Failure(offset: start, expected: "an integer that fits in 64 bits") }
        return -value
    }

    private mutating func string() throws -> String {
        try expect("\"")
        let start = at
        // Ids almost never hold an escape: those are made straight from the block's bytes.
        while at < bytes.count, bytes[at] != UInt8(ascii: "\""), bytes[at] != UInt8(ascii: "\\"), bytes[at] >= 0x20 { at += 1 }
        if at < bytes.count, bytes[at] == UInt8(ascii: "\"") {
            at += 1
            return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<at - 1]), as: UTF8.self)
        }
        var utf8: [UInt8] = []
        var runStart = start
        while true {
            guard at < bytes.count else { throw Failure(offset: at, expected: "the end of the string") }
            let byte = bytes[at]
            if byte == UInt8(ascii: "\"") {
                utf8 += bytes[runStart..<at]
                at += 1
                return String(decoding: utf8, as: UTF8.self)
            }
            guard byte == UInt8(ascii: "\\") else {
                guard byte >= 0x20 else { throw Failure(offset: at, expected: "an escaped control character") }
                at += 1
                continue
            }
            utf8 += bytes[runStart..<at]
            at += 1
            guard at < bytes.count else { throw Failure(offset: at, expected: "an escape") }
            let escape = bytes[at]
            at += 1
            switch escape {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(escape)
            case UInt8(ascii: "b"): utf8.append(0x08)
            case UInt8(ascii: "f"): utf8.append(0x0c)
            case UInt8(ascii: "n"): utf8.append(0x0a)
            case UInt8(ascii: "r"): utf8.append(0x0d)
            case UInt8(ascii: "t"): utf8.append(0x09)
            case UInt8(ascii: "u"): utf8 += try unicodeEscape()
            default: throw Failure(offset: at - 1, expected: "one of \" \\ / b f n r t u after a backslash")
            }
            runStart = at
        }
    }

    /// After "\u": four hex digits, and a second escape when they are a high surrogate.
    private mutating func unicodeEscape() throws -> [UInt8] {
        let start = at - 2
        var value = try hex4()
        if (0xD800..<0xDC00).contains(value) {
            guard bytes.count - at >= 6, bytes[at] == UInt8(ascii: "\\"), bytes[at + 1] == UInt8(ascii: "u") else {
                throw Failure(offset: start, expected: "a low surrogate after a high one")
            }
            at += 2
            let low = try hex4()
            guard (0xDC00..<0xE000).contains(low) else { throw Failure(offset: start, expected: "a low surrogate after a high one") }
            value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
        }
        guard let scalar = Unicode.Scalar(value) else { throw Failure(offset: start, expected: "a Unicode scalar") }
        return Array(String(Character(scalar)).utf8)
    }

    private mutating func hex4() throws -> UInt32 {
        guard bytes.count - at >= 4 else { throw Failure(offset: at, expected: "four hex digits") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[at]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw Failure(offset: at, expected: "a hex digit")
            }
            value = value << 4 | UInt32(digit)
            at += 1
        }
        return value
    }

    private mutating func expect(_ character: Unicode.Scalar) throws {
        guard try peek() == UInt8(ascii: character) else { throw Failure(offset: at, expected: "'\(character)'") }
        at += 1
    }

    /// The next byte that is not whitespace, without taking it.
    private mutating func peek() throws -> UInt8 {
        skipWhitespace()
        guard at < bytes.count else { throw Failure(offset: at, expected: "more of the block") }
        return bytes[at]
    }

    private mutating func skipWhitespace() {
        while at < bytes.count, bytes[at] == 0x20 || bytes[at] == 0x0a || bytes[at] == 0x0d || bytes[at] == 0x09 { at += 1 }
    }
}
