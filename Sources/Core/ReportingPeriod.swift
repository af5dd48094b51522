import Foundation

/// A range of calendar days in a time zone, both ends included, as accountants say it
/// ("September, Berlin time"), and the half-open UTC interval it covers.
public struct ReportingPeriod: Hashable, Sendable, CustomStringConvertible {
    public let firstDay: String
    public let lastDay: String
    public let timeZone: TimeZone
    /// The zone as the user named it (Foundation on Linux reports "UTC" as "GMT").
    public let timeZoneName: String
    /// First instant of `firstDay` in `timeZone`.
    public let start: Timestamp
    /// First instant after `lastDay` in `timeZone`.
    public let end: Timestamp

    public init(from: String, to: String, timeZone zoneName: String = "UTC") throws(PeriodError) {
        guard let zone = TimeZone(identifier: zoneName) else {
            throw PeriodError("unknown time zone '\(zoneName)' (expected an IANA name such as UTC or Europe/Berlin)")
        }
        guard let fromDay = ISO8601Time.parseDay(from) else { throw PeriodError("--from '\(from)' is not a date (expected YYYY-MM-DD)") }
        guard let toDay = ISO8601Time.parseDay(to) else { throw PeriodError("--to '\(to)' is not a date (expected YYYY-MM-DD)") }
        guard fromDay <= toDay else { throw PeriodError("--from \(from) is after --to \(to)") }
        self.firstDay = from
        self.lastDay = to
        self.timeZone = zone
        self.timeZoneName = zoneName
        self.start = Self.midnight(days: fromDay, in: zone)
        self.end = Self.midnight(days: toDay + 1, in: zone)
    }

    public func contains(_ time: Timestamp) -> Bool { time >= start && time < end }

    /// The local calendar day of an instant, for showing dates in the report's zone.
    public func localDay(of time: Timestamp) -> String { String(localTime(of: time).prefix(10)) }

    public var description: String { "\(firstDay)..\(lastDay) \(timeZoneName)" }

    /// Local midnight as UTC: the zone's offset is read at the guess and re-read once, which
    /// settles days whose midnight falls next to a DST change.
    static func midnight(days: Int64, in zone: TimeZone) -> Timestamp {
        let naive = days * 86_400
        var offset = Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(naive))))
        offset = Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(naive - offset))))
        return Timestamp(seconds: naive - offset)
    }
}

public struct PeriodError: Error, Hashable, Sendable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

extension ReportingPeriod {
    /// "2026-09-30 23:59:59" in the period's zone, for reports.
    public func localTime(of time: Timestamp) -> String {
        let offset = Int64(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(time.seconds))))
        return ISO8601Time.formatWallClock(seconds: time.seconds + offset)
    }
}
