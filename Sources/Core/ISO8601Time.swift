/// A strict, allocation-light ISO 8601 reader and writer for ledger timestamps and dates.
/// Written by hand because a ledger has a million rows and Foundation's formatters are slow and lenient.
public enum ISO8601Time {
    /// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM|±HHMM)`; a space may stand for 'T'.
    /// Returns nil for anything else, including a time without a zone (it would be ambiguous).
    public static func parse(_ text: String) -> Timestamp? {
        let b = Array(text.utf8)
        guard b.count >= 20, let date = civilDate(b, 0), b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: " "),
            let hour = number(b, 11, 2), b[13] == UInt8(ascii: ":"), let minute = number(b, 14, 2),
            b[16] == UInt8(ascii: ":"), let second = number(b, 17, 2),
            hour < 24, minute < 60, second < 61
        else { return nil }
        var index = 19
        var micros: Int64 = 0
        if index < b.count, b[index] == UInt8(ascii: ".") {
            index += 1
            var digits = 0
            while index < b.count, isDigit(b[index]) {
                if digits < 6 { micros = micros * 10 + Int64(b[index] - 48) }
                digits += 1; index += 1
            }
            guard digits > 0 else { return nil }
            for _ in min(digits, 6)..<6 { micros *= 10 }
        }
        guard index < b.count else { return nil }
        var offsetSeconds: Int64 = 0
        switch b[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            index += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            let sign: Int64 = b[index] == UInt8(ascii: "+") ? 1 : -1
            guard let oh = number(b, index + 1, 2) else { return nil }
            var next = index + 3
            if next < b.count, b[next] == UInt8(ascii: ":") { next += 1 }
            guard let om = number(b, next, 2), oh < 24, om < 60 else { return nil }
            offsetSeconds = sign * (oh * 3600 + om * 60)
            index = next + 2
        default:
            return nil
        }
        guard index == b.count else { return nil }
        let seconds = date * 86_400 + hour * 3600 + minute * 60 + min(second, 59) - offsetSeconds
        return Timestamp(microseconds: seconds * 1_000_000 + micros)
    }

    /// Parses a calendar date `YYYY-MM-DD` into days since 1970-01-01.
    public static func parseDay(_ text: String) -> Int64? {
        let b = Array(text.utf8)
        guard b.count == 10 else { return nil }
        return civilDate(b, 0)
    }

    public static func format(_ time: Timestamp) -> String {
        let seconds = time.seconds
        let micros = Int(time.microseconds - seconds * 1_000_000)
        return format(seconds: seconds, separator: UInt8(ascii: "T"), micros: micros, zulu: true)
    }

    /// `2026-09-30 23:59:59`: a wall-clock time (Unix seconds already shifted into a zone), for reports.
    public static func formatWallClock(seconds: Int64) -> String {
        format(seconds: seconds, separator: UInt8(ascii: " "), micros: 0, zulu: false)
    }

    /// Written into one buffer: a report of a million rows formats a few million times, and joining
    /// small Strings was most of a CSV's time.
    private static func format(seconds: Int64, separator: UInt8, micros: Int, zulu: Bool) -> String {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = Int(seconds - days * 86_400)
        let (year, month, day) = civil(fromDays: days)
        guard (0...9999).contains(year) else {
            // Outside four digits: the slow way, which pads and signs as String(value) does.
            return formatDay(days) + String(UnicodeScalar(separator)) + pad(Int64(secondOfDay / 3600), 2) + ":"
                + pad(Int64(secondOfDay % 3600 / 60), 2) + ":" + pad(Int64(secondOfDay % 60), 2) + (zulu ? "Z" : "")
        }
        var fraction = micros
        var fractionDigits = fraction == 0 ? 0 : 6
        while fractionDigits > 0, fraction % 10 == 0 {
            fraction /= 10
            fractionDigits -= 1
        }
        let length = 19 + (fractionDigits > 0 ? 1 + fractionDigits : 0) + (zulu ? 1 : 0)
        return String(unsafeUninitializedCapacity: length) { buffer in
            func digits(_ value: Int, _ count: Int, at offset: Int) {
                var rest = value
                for k in stride(from: offset + count - 1, through: offset, by: -1) {
                    buffer[k] = UInt8(ascii: "0") + UInt8(rest % 10)
                    rest /= 10
                }
            }
            digits(Int(year), 4, at: 0)
            buffer[4] = UInt8(ascii: "-")
            digits(Int(month), 2, at: 5)
            buffer[7] = UInt8(ascii: "-")
            digits(Int(day), 2, at: 8)
            buffer[10] = separator
            digits(secondOfDay / 3600, 2, at: 11)
            buffer[13] = UInt8(ascii: ":")
            digits(secondOfDay % 3600 / 60, 2, at: 14)
            buffer[16] = UInt8(ascii: ":")
            digits(secondOfDay % 60, 2, at: 17)
            var end = 19
            if fractionDigits > 0 {
                buffer[19] = UInt8(ascii: ".")
                digits(fraction, fractionDigits, at: 20)
                end = 20 + fractionDigits
            }
            if zulu { buffer[end] = UInt8(ascii: "Z") }
            return length
        }
    }

    /// `YYYY-MM-DD` for days since 1970-01-01.
    public static func formatDay(_ days: Int64) -> String {
        let (y, m, d) = civil(fromDays: days)
        return pad(y, 4) + "-" + pad(m, 2) + "-" + pad(d, 2)
    }

    /// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
    public static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    public static func civil(fromDays z0: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    static func civilDate(_ b: [UInt8], _ at: Int) -> Int64? {
        guard b.count >= at + 10, let year = number(b, at, 4), b[at + 4] == UInt8(ascii: "-"),
            let month = number(b, at + 5, 2), b[at + 7] == UInt8(ascii: "-"), let day = number(b, at + 8, 2),
            (1...12).contains(month), day >= 1, day <= daysInMonth(year: year, month: month)
        else { return nil }
        return days(year: year, month: month, day: day)
    }

    static func daysInMonth(year: Int64, month: Int64) -> Int64 {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    static func number(_ b: [UInt8], _ at: Int, _ count: Int) -> Int64? {
        guard at + count <= b.count else { return nil }
        var value: Int64 = 0
        for i in at..<(at + count) {
            guard isDigit(b[i]) else { return nil }
            value = value * 10 + Int64(b[i] - 48)
        }
        return value
    }

    static func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }

    static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
