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

    public init(fileName: String, mapping: ColumnMapping = ColumnMapping(columns: [:])) {
        self.fileName = fileName
        self.mapping = mapping
    }

    public func parse(_ bytes: [UInt8]) throws(LedgerImportError) -> [LedgerEntry] {
        let records: [CSVReader.Record]
        do { records = try CSVReader.records(bytes) } catch {
            throw LedgerImportError(diagnostics: [Diagnostic(file: fileName, line: error.line, message: error.message)])
        }
        guard let header = records.first else {
            throw LedgerImportError(diagnostics: [Diagnostic(file: fileName, line: 1, message: "the file is empty (expected a header row)")])
        }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        var position: [String: Int] = [:]
        var diagnostics: [Diagnostic] = []
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
        return entries
    }
}
