import Foundation

/// How a ledger export's own column names map to the canonical ones, read from a JSON file:
/// `{"columns": {"entry_id": "Booking ID", "amount": "Gross", ...}}`. Unmapped columns keep their names.
public struct ColumnMapping: Sendable, Decodable {
    public let columns: [String: String]

    public init(columns: [String: String]) { self.columns = columns }

    public static func load(path: String) throws -> ColumnMapping {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        do { return try JSONDecoder().decode(ColumnMapping.self, from: data) } catch {
            throw LedgerImportError(diagnostics: [
                .init(file: path, message: "not a column mapping (expected {\"columns\": {\"entry_id\": \"Your Column\", ...}})")
            ])
        }
    }

    /// The header this file uses for a canonical column.
    func header(for canonical: String) -> String { columns[canonical] ?? canonical }
}
