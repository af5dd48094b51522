import Core
import Foundation

/// Reads the canonical ledger CSV (DESIGN.md): columns in any order, extra columns ignored,
/// RFC 4180 quoting, exact decimal amounts in major units, ISO 8601 timestamps with a zone.
/// Every row is checked; all problems are reported together, and any problem means no import.
public struct LedgerParser: Sendable {
    public static let required = ["entry_id", "order_id", "type", "amount", "currency", "created_at"]
    public static let optional = ["stripe_id", "supplier_id"]
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

    private enum Source {
        case bytes([UInt8])
        case file(String)
    }

    private func parse(_ source: Source, chunkSize: Int, _ chunk: ([LedgerEntry]) -> Bool) throws(LedgerImportError) {
        // Records are checked as the reader hands them over, so the file is never all of its records in memory.
        var header: CSVReader.Record?
        var total = 0
        var stopped = false
        var position: [String: Int] = [:]
        var diagnostics: [Diagnostic] = []
        var entries: [LedgerEntry] = []
        var seen: [String: Int] = [:]
        // Hands a record over; false stops the read.
        func take(_ record: CSVReader.Record) -> Bool {
            guard let header else {
                header = record
                (position, diagnostics) = columns(of: record)
                return diagnostics.isEmpty
            }
            check(record, header: header, position: position, into: &entries, seen: &seen, diagnostics: &diagnostics)
            if entries.count >= chunkSize, diagnostics.isEmpty {
                total += entries.count
                stopped = !chunk(entries)
                entries.removeAll(keepingCapacity: true)
            }
            return diagnostics.count < Self.maxDiagnostics && !stopped
        }
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
        guard let header else {
            throw LedgerImportError(diagnostics: [Diagnostic(file: fileName, line: 1, message: "the file is empty (expected a header row)")])
        }
        guard diagnostics.isEmpty else { throw LedgerImportError(diagnostics: diagnostics) }
        total += entries.count
        if total == 0 && !allowEmpty {
            throw LedgerImportError(diagnostics: [
                Diagnostic(
                    file: fileName, line: header.line,
                    message: "the file holds no ledger entries, only a header (pass --allow-empty to import an empty ledger)")
            ])
        }
        if !entries.isEmpty, !stopped { _ = chunk(entries) }
    }

    /// Where each canonical column is in the header, and what is wrong with the header.
    private func columns(of header: CSVReader.Record) -> ([String: Int], [Diagnostic]) {
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        var position: [String: Int] = [:]
        var diagnostics: [Diagnostic] = []
        var firstColumn: [String: Int] = [:]
        for (index, name) in names.enumerated() where !name.isEmpty {
            if let first = firstColumn[name] {
                diagnostics.append(
                    Diagnostic(
                        file: fileName, line: header.line, column: index + 1,
                        message: "duplicate column '\(name)' (also column \(first + 1)); which one holds the value is not clear"))
            } else {
                firstColumn[name] = index
            }
        }
        for column in Self.required + Self.optional {
            if let index = names.firstIndex(of: mapping.header(for: column).lowercased()) {
                position[column] = index
            } else if Self.required.contains(column) {
                diagnostics.append(
                    Diagnostic(
                        file: fileName, line: header.line, field: column,
                        message: "missing column '\(mapping.header(for: column))' (the header has: \(names.joined(separator: ", ")))"))
            }
        }
        return (position, diagnostics)
    }

    /// Checks one data row: its entry is appended when it has no problem, its problems otherwise.
    private func check(
        _ record: CSVReader.Record, header: CSVReader.Record, position: [String: Int], into entries: inout [LedgerEntry],
        seen: inout [String: Int], diagnostics: inout [Diagnostic]
    ) {
        guard record.fields.count == header.fields.count else {
            let counts = "the line has \(record.fields.count) fields, the header has \(header.fields.count)"
            diagnostics.append(
                record.fields.count > header.fields.count
                    ? Diagnostic(
                        file: fileName, line: record.line, column: header.fields.count + 1,
                        message: "\(counts) (a field past the header's last column)")
                    : Diagnostic(file: fileName, line: record.line, message: "\(counts) (a field is missing, or a quote or comma was lost)"))
            return
        }
        var row = LedgerRow(record: record, position: position, fileName: fileName)
        let entry = row.entry()
        if let entryId = row.value("entry_id") {
            if let first = seen[entryId] {
                row.problem("entry_id", "duplicate entry_id '\(entryId)' (first on line \(first))")
            } else {
                seen[entryId] = record.line
            }
        }
        if let entry, row.diagnostics.isEmpty { entries.append(entry) }
        diagnostics += row.diagnostics
        if diagnostics.count >= Self.maxDiagnostics {
            diagnostics.append(Diagnostic(file: fileName, line: record.line, message: "too many errors; stopped reading"))
        }
    }
}
