import Core
import Foundation

extension SandboxAccount {
    /// The ledger as the marketplace exports it: the canonical columns plus a free-text memo.
    public func ledgerCSV() -> String {
        var text = CSVField.line(["entry_id", "order_id", "type", "amount", "currency", "stripe_id", "created_at", "supplier_id", "memo"])
        for row in ledger {
            text += CSVField.line([
                row.entryId, row.orderId, row.type, row.amount, row.currency, row.stripeId, row.createdAt,
                row.supplierId, row.memo,
            ])
        }
        return text
    }

    /// The planted discrepancies, for tests and for anyone checking a demo by hand.
    public func truthJSON() throws -> Data {
        struct Truth: Encodable {
            let firstDay: String
            let lastDay: String
            let discrepancies: [PlantedDiscrepancy]
            let shapes: [PlantedShape]
            enum CodingKeys: String, CodingKey {
                case firstDay = "first_day"
                case lastDay = "last_day"
                case discrepancies, shapes
            }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(Truth(firstDay: firstDay, lastDay: lastDay, discrepancies: truth, shapes: shapes))
    }
}
