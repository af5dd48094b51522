import Crypto
import Foundation

/// manifest.json of an auditor's export: what was asked for, what the data came from, and every
/// file's size, row count and SHA-256, so `verify-export` can tell a file that changed from one that
/// did not. It holds no wall-clock time beyond the recorded runs': the same range exported twice from
/// the same data gives the same bytes.
public struct ExportManifest: Codable, Hashable, Sendable {
    public static let fileName = "manifest.json"
    public static let formatName = "payrecon-export/1"

    public struct Parameters: Codable, Hashable, Sendable {
        public let from: String
        public let to: String
        public let timeZone: String
        public init(from: String, to: String, timeZone: String) { self.from = from; self.to = to; self.timeZone = timeZone }
    }

    public struct Watermarks: Codable, Hashable, Sendable {
        /// Per Stripe object type, the newest `created` extracted (ISO 8601, UTC).
        public let stripe: [String: String]
        public let newestLedgerEntry: String?
        public let lastLedgerImport: Int64?
        public init(stripe: [String: String], newestLedgerEntry: String?, lastLedgerImport: Int64?) {
            self.stripe = stripe; self.newestLedgerEntry = newestLedgerEntry; self.lastLedgerImport = lastLedgerImport
        }
    }

    public struct Run: Codable, Hashable, Sendable {
        public let id: Int64
        public let stage: String
        public let finishedAt: String
        public let parameters: String
        public init(id: Int64, stage: String, finishedAt: String, parameters: String) {
            self.id = id; self.stage = stage; self.finishedAt = finishedAt; self.parameters = parameters
        }
    }

    public struct File: Codable, Hashable, Sendable {
        public let name: String
        public let bytes: Int
        /// Data rows (without the header): a CSV's records; for the workbook, per sheet.
        public let rows: Int?
        public let sheetRows: [String: Int]?
        public let sha256: String
        public init(name: String, bytes: Int, rows: Int?, sheetRows: [String: Int]?, sha256: String) {
            self.name = name; self.bytes = bytes; self.rows = rows; self.sheetRows = sheetRows; self.sha256 = sha256
        }
    }

    public var format = formatName
    public let toolVersion: String
    public let stripeApiVersion: String
    public let parameters: Parameters
    /// The finish of the reconcile run the export reports on: ages and "generated" are as of then.
    public let asOf: String
    public let watermarks: Watermarks
    public let runs: [Run]
    public let files: [File]

    public init(
        toolVersion: String, stripeApiVersion: String, parameters: Parameters, asOf: String, watermarks: Watermarks, runs: [Run], files: [File]
    ) {
        self.toolVersion = toolVersion; self.stripeApiVersion = stripeApiVersion; self.parameters = parameters; self.asOf = asOf
        self.watermarks = watermarks; self.runs = runs; self.files = files
    }

    /// Sorted keys, snake_case, two-space indents: stable bytes for the same manifest.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self) + Data("\n".utf8)
    }

    public static func decode(_ data: Data) throws -> ExportManifest {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(ExportManifest.self, from: data)
    }

    /// A file's SHA-256 in hex, read a MiB at a time.
    public static func sha256(of url: URL) throws -> (hex: String, bytes: Int) {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var hash = SHA256()
        var bytes = 0
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            hash.update(data: chunk)
            bytes += chunk.count
        }
        return (hash.finalize().map { String(format: "%02x", $0) }.joined(), bytes)
    }
}
