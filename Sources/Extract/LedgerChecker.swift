import Core
import Foundation

/// Checks ledger rows as a source hands them over (a CSV file's records, a database query's rows):
/// the first record is the header, every other one a row. It collects every problem (up to a cap) and
/// the good entries in chunks; `finish` throws when anything was wrong. One checker, so every source
/// refuses the same things with the same messages.
public struct LedgerChecker {
    /// Names diagnostics: a file's path, or the query's source.
    let source: String
    let mapping: ColumnMapping
    let allowEmpty: Bool
    let chunkSize: Int
    private var header: CSVReader.Record?
    private var position = LedgerColumn.Positions()
    private var diagnostics: [Diagnostic] = []
    private var entries: [LedgerEntry] = []
    /// Entry ids seen, with the line of their first row (the duplicate check).
    private var seen = EntryIdSet()
    /// The entry ids of the import's sources read before this one: an entry_id is unique across all of them.
    private let earlier: [Seen]
    private var handedOver = 0
    /// The receiver of chunks refused one (its writer stopped): nothing more is handed over.
    private var refused = false

    /// A source's entry ids and the line each is on.
    public struct Seen: Sendable {
        let label: String
        let ids: EntryIdSet
    }

    public init(
        source: String, mapping: ColumnMapping = ColumnMapping(columns: [:]), allowEmpty: Bool = false, chunkSize: Int = .max,
        earlier: [Seen] = []
    ) {
        self.source = source; self.mapping = mapping; self.allowEmpty = allowEmpty; self.chunkSize = chunkSize; self.earlier = earlier
    }

    /// This source's entry ids, for the checker of the import's next source.
    public var seenEntries: Seen { Seen(label: source, ids: seen) }

    /// Takes the next record; false when reading should stop (the header is wrong, or too many problems).
    public mutating func take(_ record: CSVReader.Record) -> Bool {
        guard let header else {
            header = record
            (position, diagnostics) = columns(of: record)
            return diagnostics.isEmpty
        }
        check(record, header: header)
        return diagnostics.count < LedgerParser.maxDiagnostics
    }

    /// Takes the next record and hands `chunk` the entries checked so far once there are `chunkSize`
    /// of them; false when reading should stop (as `take` says, or `chunk` refused).
    public mutating func take(_ record: CSVReader.Record, handingTo chunk: ([LedgerEntry]) -> Bool) -> Bool {
        guard take(record) else { return false }
        if let ready = readyChunk(), !chunk(ready) { refused = true }
        return !refused
    }

    /// After the last record: hands `chunk` the entries not handed over yet (unless it refused one
    /// before), or throws every problem found.
    public mutating func finish(handingTo chunk: ([LedgerEntry]) -> Bool) throws(LedgerImportError) {
        let last = try finish()
        if !last.isEmpty, !refused { _ = chunk(last) }
    }

    /// The entries checked so far, once there are `chunkSize` of them and no problem: to be written.
    private mutating func readyChunk() -> [LedgerEntry]? {
        guard entries.count >= chunkSize, diagnostics.isEmpty else { return nil }
        defer { handedOver += entries.count; entries.removeAll(keepingCapacity: true) }
        return entries
    }

    /// After the last record: the entries not handed over yet, or every problem found.
    private mutating func finish() throws(LedgerImportError) -> [LedgerEntry] {
        guard let header else {
            throw LedgerImportError(diagnostics: [Diagnostic(file: source, line: 1, message: "the file is empty (expected a header row)")])
        }
        guard diagnostics.isEmpty else { throw LedgerImportError(diagnostics: diagnostics) }
        if handedOver + entries.count == 0 && !allowEmpty {
            throw LedgerImportError(diagnostics: [
                Diagnostic(
                    file: source, line: header.line,
                    message: "the file holds no ledger entries, only a header (pass --allow-empty to import an empty ledger)")
            ])
        }
        defer { entries = [] }
        return entries
    }

    /// Where each canonical column is in the header, and what is wrong with the header.
    private func columns(of header: CSVReader.Record) -> (LedgerColumn.Positions, [Diagnostic]) {
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        var position = LedgerColumn.Positions()
        var diagnostics: [Diagnostic] = []
        var firstColumn: [String: Int] = [:]
        for (index, name) in names.enumerated() where !name.isEmpty {
            if let first = firstColumn[name] {
                diagnostics.append(
                    Diagnostic(
                        file: source, line: header.line, column: index + 1,
                        message: "duplicate column '\(name)' (also column \(first + 1)); which one holds the value is not clear"))
            } else {
                firstColumn[name] = index
            }
        }
        for column in LedgerColumn.allCases {
            let name = mapping.header(for: column.rawValue)
            if let index = names.firstIndex(of: name.lowercased()) {
                position[column] = index
            } else if !column.isOptional, column != .type || mapping.kind == nil {
                diagnostics.append(
                    Diagnostic(
                        file: source, line: header.line, field: column.rawValue,
                        message: "missing column '\(name)' (the header has: \(names.joined(separator: ", ")))"))
            }
        }
        return (position, diagnostics)
    }

    /// Checks one data row: its entry is appended when it has no problem, its problems otherwise.
    private mutating func check(_ record: CSVReader.Record, header: CSVReader.Record) {
        guard record.fields.count == header.fields.count else {
            let counts = "the line has \(record.fields.count) fields, the header has \(header.fields.count)"
            diagnostics.append(
                record.fields.count > header.fields.count
                    ? Diagnostic(
                        file: source, line: record.line, column: header.fields.count + 1,
                        message: "\(counts) (a field past the header's last column)")
                    : Diagnostic(file: source, line: record.line, message: "\(counts) (a field is missing, or a quote or comma was lost)"))
            return
        }
        var row = LedgerRow(record: record, position: position, fileName: source, mapping: mapping)
        let entry = row.entry()
        if let entryId = entry?.entryId.rawValue ?? row.value(.entryId) {
            if let first = seen.insert(entryId, line: record.line) {
                row.problem(.entryId, "duplicate entry_id '\(entryId)' (first on line \(first))")
            } else if let other = earlier.lazy.compactMap({ earlier in earlier.ids.line(of: entryId).map { (earlier.label, $0) } }).first {
                row.problem(.entryId, "duplicate entry_id '\(entryId)' (also in \(other.0), line \(other.1))")
            }
        }
        if let entry, row.diagnostics.isEmpty { entries.append(entry) }
        diagnostics += row.diagnostics
        if diagnostics.count >= LedgerParser.maxDiagnostics {
            diagnostics.append(Diagnostic(file: source, line: record.line, message: "too many errors; stopped reading"))
        }
    }
}
