import Core
import Foundation

/// What a nightly run did, as its run record keeps it (JSON in `run.summary`), as `payrecon runs` and
/// `status` show it and as the notifications tell it.
public struct NightlyOutcome: Codable, Sendable, Hashable {
    public enum Status: String, Codable, Sendable {
        /// Every stage succeeded and nothing at or above `fail_on` is open.
        case clean
        /// Every stage succeeded; discrepancies at or above `fail_on` are open (exit 1).
        case discrepancies
        /// A stage failed (exit 2); the stages before it are committed, and the next run starts again from this period.
        case failed
    }

    public struct StageResult: Codable, Sendable, Hashable {
        public var name: String
        public var seconds: Double
        public var succeeded: Bool
        /// Counts, or the error.
        public var summary: String
    }

    public var runId: Int64
    public var from: String
    public var to: String
    public var timeZone: String
    public var status: Status
    public var stages: [StageResult] = []
    public var matches: Int?
    public var discrepancies: Int?
    public var pending: Int?
    /// Open discrepancies of the period by kind, once reconciled.
    public var openByKind: [String: Int] = [:]
    public var openAtOrAboveFailOn = 0
    public var failOn: String?
    public var reportFolder: String?
    public var exportFolder: String?
    public var error: String?
    public var seconds: Double = 0

    public var exitCode: Int32 {
        switch status {
        case .clean: 0
        case .discrepancies: 1
        case .failed: 2
        }
    }

    /// The subject line: period and verdict.
    public var headline: String {
        switch status {
        case .clean: "payrecon \(from) to \(to): reconciled, nothing open at or above \(failOn ?? "the threshold")"
        case .discrepancies: "payrecon \(from) to \(to): \(openAtOrAboveFailOn) open discrepancies at or above \(failOn ?? "?")"
        case .failed: "payrecon \(from) to \(to): the run FAILED at \(stages.last { !$0.succeeded }?.name ?? "start")"
        }
    }

    /// A plain-text summary (the email's body, the webhook's `text`).
    public var text: String {
        var lines = [headline, "", "run \(runId), period \(from) to \(to) (\(timeZone)), \(String(format: "%.1f", seconds)) s"]
        for stage in stages {
            lines.append("  \(stage.name): \(stage.succeeded ? "ok" : "FAILED") in \(String(format: "%.1f", stage.seconds)) s: \(stage.summary)")
        }
        if let matches, let discrepancies {
            lines.append("matches \(matches), discrepancies found \(discrepancies), pending \(pending ?? 0)")
        }
        if !openByKind.isEmpty {
            lines.append("open discrepancies by kind:")
            for (kind, count) in openByKind.sorted(by: { $0.key < $1.key }) { lines.append("  \(kind): \(count)") }
        }
        if let reportFolder { lines.append("report: \(reportFolder)") }
        if let exportFolder { lines.append("export: \(exportFolder)") }
        if let error { lines.append("error: \(error)") }
        return lines.joined(separator: "\n")
    }

    /// `{"text": …, "run": {…}}`: a chat channel shows the text; a program reads the rest.
    func webhookBody() throws -> [UInt8] {
        struct Body: Encodable {
            let text: String
            let run: NightlyOutcome
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return Array(try encoder.encode(Body(text: text, run: self)))
    }

    static func decode(_ text: String?) -> NightlyOutcome? {
        guard let data = text?.data(using: .utf8) else { return nil }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try? decoder.decode(NightlyOutcome.self, from: data)
    }

    func encoded() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
    }
}
