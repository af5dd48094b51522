extension ISO8601Time {
    static let months = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
        "November", "December",
    ]

    /// What is wrong with a time that `parse` refuses, in words: the part that is out of range, or the
    /// shape expected. nil when `parse` accepts it.
    public static func problem(_ text: String) -> String? {
        guard parse(text) == nil else { return nil }
        let b = Array(text.utf8)
        let shape = "expected e.g. 2026-09-30T23:59:59Z or 2026-09-30T12:00:00+02:00"
        guard b.count >= 19, let year = number(b, 0, 4), b[4] == UInt8(ascii: "-"), let month = number(b, 5, 2), b[7] == UInt8(ascii: "-"),
            let day = number(b, 8, 2), b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: " "), let hour = number(b, 11, 2),
            b[13] == UInt8(ascii: ":"), let minute = number(b, 14, 2), b[16] == UInt8(ascii: ":"), let second = number(b, 17, 2)
        else {
            if b.count == 10, number(b, 0, 4) != nil { return "is a date without a time and zone (\(shape))" }
            return "is not an ISO 8601 time with a zone (\(shape))"
        }
        guard (1...12).contains(month) else { return "has month \(pad(month, 2)), which does not exist (01 to 12)" }
        let days = daysInMonth(year: year, month: month)
        guard day >= 1, day <= days else {
            return "has day \(pad(day, 2)), which \(months[Int(month) - 1]) \(year) does not have (it has \(days) days)"
        }
        guard hour < 24 else { return "has hour \(pad(hour, 2)), out of range (00 to 23)" }
        guard minute < 60 else { return "has minute \(pad(minute, 2)), out of range (00 to 59)" }
        guard second < 61 else { return "has second \(pad(second, 2)), out of range (00 to 60)" }
        var index = 19
        if index < b.count, b[index] == UInt8(ascii: ".") {
            index += 1
            let digits = b[index...].prefix(while: isDigit).count
            guard digits > 0 else { return "has a '.' without fraction digits after the seconds (\(shape))" }
            index += digits
        }
        guard index < b.count else { return "has no zone (add Z or an offset such as +02:00; a time without one is ambiguous)" }
        if b[index] == UInt8(ascii: "+") || b[index] == UInt8(ascii: "-"), let offsetHours = number(b, index + 1, 2) {
            var next = index + 3
            if next < b.count, b[next] == UInt8(ascii: ":") { next += 1 }
            if let offsetMinutes = number(b, next, 2), offsetHours >= 24 || offsetMinutes >= 60 {
                return "has the zone offset \(String(decoding: b[index...], as: UTF8.self)), out of range (at most ±23:59)"
            }
        }
        return "has an unreadable zone or trailing text '\(String(decoding: b[index...], as: UTF8.self))' (\(shape))"
    }
}
