import Foundation
import Logging

/// Writes text lines through `text` or, while `RunLogContext.json` is on, one JSON object per line to
/// standard error: time (UTC, ISO 8601), level, label, message, the run id, and the metadata.
public struct RunLogHandler: LogHandler {
    public var text: any LogHandler
    public let label: String
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level {
        get { text.logLevel }
        set { text.logLevel = newValue }
    }

    public init(label: String, text: any LogHandler) { self.label = label; self.text = text }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        guard RunLogContext.json else {
            var handler = text
            for (key, value) in metadata { handler[metadataKey: key] = value }
            handler.log(event: event)
            return
        }
        var fields: [String: Any] = [
            "time": StageClock.now().description, "level": event.level.rawValue, "label": label,
            "message": event.message.description,
        ]
        if let runId = RunLogContext.runId { fields["run_id"] = runId }
        for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }) where fields[key] == nil {
            fields[key] = Self.json(value)
        }
        guard var line = try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys, .withoutEscapingSlashes]) else { return }
        line.append(UInt8(ascii: "\n"))
        FileHandle.standardError.write(line)
    }

    static func json(_ value: Logger.Metadata.Value) -> Any {
        switch value {
        case .string(let text): text
        case .stringConvertible(let convertible): convertible.description
        case .array(let values): values.map(json)
        case .dictionary(let values): values.mapValues(json)
        }
    }
}
