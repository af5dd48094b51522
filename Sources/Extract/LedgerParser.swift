import Core
import Foundation

/// Reads the canonical ledger CSV (DESIGN.md): columns in any order, extra columns ignored,
/// RFC 4180 quoting, exact decimal amounts in major units, ISO 8601 timestamps with a zone.
/// Every row is checked; all problems are reported together, and any problem means no import.
public struct LedgerParser {
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
        let records: [CSVReader.Record]
        do { records = try CSVReader.records(bytes, maxFieldBytes: maxFieldBytes) } catch {
            throw LedgerImportError(diagnostics: [Diagnostic(file: fileName, line: error.line, column: error.column, message: error.message)])
        }
        guard let header = records.first else {
            throw LedgerImportError(diagnostics: [Diagnostic(file: fileName, line: 1, message: "the file is empty (expected a header row)")])
        }
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
        guard diagnostics.isEmpty else { throw LedgerImportError(diagnostics: diagnostics) }

        var entries: [LedgerEntry] = []
        entries.reserveCapacity(records.count)
        var seen: [String: Int] = [:]
        for record in records.dropFirst() {
            guard record.fields.count == header.fields.count else {
                let counts = "the line has \(record.fields.count) fields, the header has \(header.fields.count)"
                diagnostics.append(
                    record.fields.count > header.fields.count
                        ? Diagnostic(
                            file: fileName, line: record.line, column: header.fields.count + 1,
                            message: "\(counts) (a field past the header's last column)")
                        : Diagnostic(file: fileName, line: record.line, message: "\(counts) (a field is missing, or a quote or comma was lost)"))
                if diagnostics.count >= Self.maxDiagnostics { break }
                continue
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
                break
            }
        }
        guard diagnostics.isEmpty else { throw LedgerImportError(diagnostics: diagnostics) }
        if entries.isEmpty && !allowEmpty {
            throw LedgerImportError(diagnostics: [
                Diagnostic(
                    file: fileName, line: header.line,
                    message: "the file holds no ledger entries, only a header (pass --allow-empty to import an empty ledger)")
            ])
        }
        return entries
    }
}
