import Core
import Foundation

/// Reads the canonical ledger CSV (DESIGN.md): columns in any order, extra columns ignored,
/// RFC 4180 quoting, exact decimal amounts in major units, ISO 8601 timestamps with a zone.
/// Every row is checked; all problems are reported together, and any problem means no import.
public struct LedgerParser: Sendable {
    public static let required = LedgerColumn.allCases.filter { !$0.isOptional }.map(\.rawValue)
    public static let optional = LedgerColumn.allCases.filter(\.isOptional).map(\.rawValue)
    static let maxDiagnostics = 100

    let fileName: String
    let mapping: ColumnMapping
    /// A file with a header and no entries is an error (a broken export looks like that) unless this is set.
    let allowEmpty: Bool
    let maxFieldBytes: Int

    public init(
        fileName: String, mapping: ColumnMapping = ColumnMapping(columns: [:]), allowEmpty: Bool = false,
        maxFieldBytes: Int = CSVReader.defaultMaxFieldBytes
    ) {
        self.fileName = fileName
        self.mapping = mapping
        self.allowEmpty = allowEmpty
        self.maxFieldBytes = maxFieldBytes
    }

    public func parse(_ bytes: [UInt8]) throws(LedgerImportError) -> [LedgerEntry] {
        var all: [LedgerEntry] = []
        try parse(bytes, chunkSize: Int.max) { chunk in
            all += chunk; return true
        }
        return all
    }

    /// Hands the entries over in chunks of `chunkSize` as their rows are checked (`chunk` returns false to
    /// stop), so a writer can store them while the rest of the file is read. Throws, after the last chunk,
    /// when any row had a problem: the chunks handed over must then be thrown away (the writer's
    /// transaction rolled back).
    public func parse(_ bytes: [UInt8], chunkSize: Int, _ chunk: ([LedgerEntry]) -> Bool) throws(LedgerImportError) {
        try parse(.bytes(bytes), chunkSize: chunkSize, chunk)
    }

    /// The same for a file, read a chunk at a time (memory stays flat whatever its size).
    public func parse(fileAt path: String, chunkSize: Int, _ chunk: ([LedgerEntry]) -> Bool) throws(LedgerImportError) {
        try parse(.file(path), chunkSize: chunkSize, chunk)
    }

    /// The same through a checker of the caller's (one that knows the import's other sources).
    public func parse(fileAt path: String, checker: inout LedgerChecker, _ chunk: ([LedgerEntry]) -> Bool) throws(LedgerImportError) {
        try parse(.file(path), checker: &checker, chunk)
    }

    private enum Source {
        case bytes([UInt8])
        case file(String)
    }

    private func parse(_ source: Source, chunkSize: Int, _ chunk: ([LedgerEntry]) -> Bool) throws(LedgerImportError) {
        var checker = LedgerChecker(source: fileName, mapping: mapping, allowEmpty: allowEmpty, chunkSize: chunkSize)
        try parse(source, checker: &checker, chunk)
    }

    private func parse(_ source: Source, checker: inout LedgerChecker, _ chunk: ([LedgerEntry]) -> Bool) throws(LedgerImportError) {
        // Records are checked as the reader hands them over, so the file is never all of its records in memory.
        func take(_ record: CSVReader.Record) -> Bool { checker.take(record, handingTo: chunk) }
        do {
            switch source {
            case .bytes(let bytes): try CSVReader.read(bytes, maxFieldBytes: maxFieldBytes, take)
            case .file(let path): try CSVReader.read(fileAt: path, maxFieldBytes: maxFieldBytes, take)
            }
        } catch let error as CSVReader.Failure {
            throw LedgerImportError(diagnostics: [Diagnostic(file: fileName, line: error.line, column: error.column, message: error.message)])
        } catch {
            throw LedgerImportError(diagnostics: [Diagnostic(file: fileName, message: "cannot read the file")])
        }
        try checker.finish(handingTo: chunk)
    }
}
