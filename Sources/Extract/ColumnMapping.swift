import Core
import Foundation

/// How another system's ledger export is laid out, read from a JSON file:
/// `{"columns": {"entry_id": "Booking ID", "amount": "Gross", ...}, "amounts": "minor_units"}`.
/// Unmapped columns keep their canonical names; `amounts` is `major_units` (the canonical exact
/// decimal, the default) or `minor_units` (whole cents, yen, fils). A `refunds` object describes the
/// separate refunds file (`--refunds`) the same way; without it that file is read like the main one.
public struct ColumnMapping: Sendable, Decodable, Hashable {
    public enum AmountUnits: String, Sendable, Hashable {
        case majorUnits = "major_units"
        case minorUnits = "minor_units"
    }

    public let columns: [String: String]
    public let amounts: AmountUnits
    /// Every row's type, when the file is of one type only (a refunds file); its type column is then optional.
    public let kind: LedgerEntry.Kind?
    private let refundsLayout: [ColumnMapping]

    public init(columns: [String: String] = [:], amounts: AmountUnits = .majorUnits, kind: LedgerEntry.Kind? = nil, refunds: ColumnMapping? = nil) {
        self.columns = columns
        self.amounts = amounts
        self.kind = kind
        self.refundsLayout = refunds.map { [$0] } ?? []
    }

    /// The layout of the refunds file: its own `refunds` object, or this one, with every row a refund.
    public var refunds: ColumnMapping {
        let layout = refundsLayout.first ?? self
        return ColumnMapping(columns: layout.columns, amounts: layout.amounts, kind: .refund)
    }

    enum CodingKeys: String, CodingKey { case columns, amounts, refunds }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let columns = try container.decodeIfPresent([String: String].self, forKey: .columns) ?? [:]
        let unknown = Set(columns.keys).subtracting(LedgerParser.required + LedgerParser.optional)
        if let name = unknown.sorted().first {
            throw DecodingError.dataCorruptedError(
                forKey: .columns, in: container,
                debugDescription:
                    "'\(name)' is not a ledger column (expected \((LedgerParser.required + LedgerParser.optional).joined(separator: ", ")))")
        }
        let units = try container.decodeIfPresent(String.self, forKey: .amounts) ?? AmountUnits.majorUnits.rawValue
        guard let amounts = AmountUnits(rawValue: units) else {
            throw DecodingError.dataCorruptedError(
                forKey: .amounts, in: container, debugDescription: "'\(units)' is not a unit (expected major_units or minor_units)")
        }
        self.init(columns: columns, amounts: amounts, refunds: try container.decodeIfPresent(ColumnMapping.self, forKey: .refunds))
    }

    public static func load(path: String) throws(LedgerImportError) -> ColumnMapping {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw LedgerImportError(diagnostics: [.init(file: path, message: "cannot read the column mapping file")])
        }
        do { return try JSONDecoder().decode(ColumnMapping.self, from: data) } catch {
            throw LedgerImportError(diagnostics: [.init(file: path, message: "not a column mapping: \(Self.reason(error)) \(Self.expected)")])
        }
    }

    /// The layout of a mapping file, in words, for its errors.
    public static let expected =
        "(expected {\"columns\": {\"entry_id\": \"Your Column\", ...}, \"amounts\": \"major_units\" or \"minor_units\", \"refunds\": {...}})"

    /// Where in the JSON, and what: the decoder's own words, without its type names.
    static func reason(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "not JSON" }
        func at(_ context: DecodingError.Context, _ what: String) -> String {
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? what : "\(path): \(what)"
        }
        switch error {
        // The decoder's own corruption (no path) is bad JSON; ours name their key.
        case .dataCorrupted(let context): return context.codingPath.isEmpty ? "not JSON" : at(context, context.debugDescription)
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            return at(context, type == String.self ? "not text" : "not an object")
        case .keyNotFound(_, let context): return at(context, context.debugDescription)
        @unknown default: return "not JSON"
        }
    }

    /// The header this file uses for a canonical column.
    func header(for canonical: String) -> String { columns[canonical] ?? canonical }
}
