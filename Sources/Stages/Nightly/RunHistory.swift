import Core
import Foundation
import Store

/// What `payrecon runs` and `payrecon status` show, as text or JSON: the nightly runs (or every run
/// with `all`), and the store's state now (the last run, how long ago it ended, open discrepancies by
/// kind and age).
public enum RunHistory {
    public struct Entry: Codable, Sendable, Hashable {
        public var id: Int64
        public var stage: String
        public var startedAt: String
        public var finishedAt: String?
        /// running, succeeded, failed or abandoned.
        public var status: String
        /// A nightly run's: clean, discrepancies or failed.
        public var outcome: String?
        public var from: String?
        public var to: String?
        public var matches: Int?
        public var discrepancies: Int?
        public var openAtOrAboveFailOn: Int?
        public var reportFolder: String?
        public var summary: String?
    }

    public struct Status: Codable, Sendable {
        public var lastRun: Entry?
        public var lastRunEndedSecondsAgo: Int64?
        public var lastSuccess: Entry?
        /// Open discrepancies by kind, then by age: "0-1 days", "2-7 days", "8-30 days", "over 30 days".
        public var openByKindAndAge: [String: [String: Int]]
        public var open: Int
    }

    public static func entries(_ store: PayreconStore, all: Bool) throws -> [Entry] {
        try store.runs().filter { all || $0.stage == "nightly" }.map(entry)
    }

    static func entry(_ run: RunRecord) -> Entry {
        var entry = Entry(
            id: run.id, stage: run.stage, startedAt: run.startedAt.description, finishedAt: run.finishedAt?.description, status: run.status)
        if run.stage == "nightly", let outcome = NightlyOutcome.decode(run.summary) {
            entry.outcome = outcome.status.rawValue
            entry.from = outcome.from
            entry.to = outcome.to
            entry.matches = outcome.matches
            entry.discrepancies = outcome.discrepancies
            entry.openAtOrAboveFailOn = outcome.openAtOrAboveFailOn
            entry.reportFolder = outcome.reportFolder
            entry.summary = outcome.error
        } else {
            entry.summary = run.summary
            if let period = run.parameters.firstMatch(of: /period=(\S+)\.\.(\S+)/) {
                entry.from = String(period.1)
                entry.to = String(period.2)
            }
        }
        return entry
    }

    public static func status(_ store: PayreconStore, now: Timestamp) throws -> Status {
        let nightly = try store.runs().filter { $0.stage == "nightly" }
        let last = nightly.last
        let open = try store.discrepancies(from: Timestamp(seconds: 0), to: Timestamp(seconds: Int64(Int32.max) * 4)).filter { $0.status == .open }
        var byKind: [String: [String: Int]] = [:]
        for item in open { byKind[item.discrepancy.kind.rawValue, default: [:]][ageBucket(item.ageDays(now: now)), default: 0] += 1 }
        return Status(
            lastRun: last.map(entry), lastRunEndedSecondsAgo: last?.finishedAt.map { now.seconds - $0.seconds },
            lastSuccess: nightly.last { $0.status == "succeeded" }.map(entry), openByKindAndAge: byKind, open: open.count)
    }

    public static let ageBuckets = ["0-1 days", "2-7 days", "8-30 days", "over 30 days"]

    static func ageBucket(_ days: Int64) -> String {
        switch days {
        case ...1: ageBuckets[0]
        case ...7: ageBuckets[1]
        case ...30: ageBuckets[2]
        default: ageBuckets[3]
        }
    }

    /// JSON with sorted keys and snake_case names.
    public static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
