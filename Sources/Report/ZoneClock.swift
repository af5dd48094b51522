import Foundation

/// A time zone's offset from UTC, asked for millions of times by a report: Foundation is asked once
/// per stretch between daylight-saving changes (its answer holds from the instant asked until the
/// zone's next transition), not once per cell.
final class ZoneClock: @unchecked Sendable {
    private let zone: TimeZone
    private let lock = NSLock()
    private var validFrom = Int64.max
    private var validUntil = Int64.min
    private var offset: Int64 = 0

    init(_ zone: TimeZone) { self.zone = zone }

    /// Seconds to add to a UTC instant (Unix seconds) for the zone's wall clock.
    func offset(at seconds: Int64) -> Int64 {
        lock.lock()
        defer { lock.unlock() }
        if seconds >= validFrom && seconds < validUntil { return offset }
        let date = Date(timeIntervalSince1970: TimeInterval(seconds))
        offset = Int64(zone.secondsFromGMT(for: date))
        validFrom = seconds
        validUntil = zone.nextDaylightSavingTimeTransition(after: date).map { Int64($0.timeIntervalSince1970.rounded(.down)) } ?? .max
        return offset
    }
}
