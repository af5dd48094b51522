import Core
import Foundation
import GRDB

extension PayreconStore {
    /// Loads the Stripe objects created in [start, end), plus the charges that the window's refunds
    /// and disputes belong to and the transactions its payouts paid out, so that every object
    /// the reconciler sees can be followed to its order and its payout.
    public func loadStripe(from start: Timestamp, to end: Timestamp) throws(StoreError) -> StripeAccountData {
        let window: StatementArguments = [start.seconds, end.seconds]
        return try read("load Stripe objects") { db in
            var data = StripeAccountData()
            data.payouts = try Row.fetchAll(
                db, sql: "SELECT \(Columns.payout) FROM stripe_payout WHERE created >= ? AND created < ? ORDER BY created, id",
                arguments: window
            ).map(Self.payout)
            let links = try Row.fetchCursor(
                db,
                sql: """
                    SELECT l.payout_id, l.balance_transaction_id FROM payout_link l
                    JOIN stripe_payout p ON p.id = l.payout_id WHERE p.created >= ? AND p.created < ?
                    ORDER BY l.payout_id, l.balance_transaction_id
                    """, arguments: window)
            while let row = try links.next() {
                data.payoutLinks[PayoutID(row[0] as String), default: []].append(BalanceTransactionID(row[1] as String))
            }
            // In the window, then (UNION ALL, so no sorting to dedupe) those of the window's payouts that are outside it.
            data.balanceTransactions = try Self.fetch(
                db,
                sql: """
                    SELECT \(Columns.balanceTransaction) FROM stripe_balance_transaction WHERE created >= ?1 AND created < ?2
                    UNION ALL SELECT \(Columns.balanceTransaction("t.")) FROM stripe_balance_transaction t
                      JOIN payout_link l ON l.balance_transaction_id = t.id JOIN stripe_payout p ON p.id = l.payout_id
                      WHERE p.created >= ?1 AND p.created < ?2 AND (t.created < ?1 OR t.created >= ?2)
                    """, window, Self.balanceTransaction)
            data.refunds = try Self.fetch(
                db, sql: "SELECT \(Columns.refund) FROM stripe_refund WHERE created >= ? AND created < ?",
                window, Self.refund)
            data.disputes = try Self.fetch(
                db, sql: "SELECT \(Columns.dispute) FROM stripe_dispute WHERE created >= ? AND created < ?",
                window, Self.dispute)
            data.charges = try Self.fetch(
                db,
                sql: """
                    SELECT \(Columns.charge) FROM stripe_charge WHERE created >= ?1 AND created < ?2
                    UNION ALL SELECT \(Columns.charge) FROM stripe_charge WHERE (created < ?1 OR created >= ?2) AND id IN (
                      SELECT charge_id FROM stripe_refund WHERE created >= ?1 AND created < ?2
                      UNION SELECT charge_id FROM stripe_dispute WHERE created >= ?1 AND created < ?2)
                    """, window, Self.charge)
            return data
        }
    }

    /// Rows through a cursor (one reused row, no intermediate array of rows).
    package static func fetch<T>(_ db: Database, sql: String, _ arguments: StatementArguments, _ map: (Row) throws -> T) throws -> [T] {
        var result: [T] = []
        let cursor = try Row.fetchCursor(db, sql: sql, arguments: arguments)
        while let row = try cursor.next() { result.append(try map(row)) }
        return result
    }

    public func stripeCounts() throws(StoreError) -> [String: Int] {
        try read("count Stripe objects") { db in
            var counts: [String: Int] = [:]
            for table in ["stripe_balance_transaction", "stripe_charge", "stripe_refund", "stripe_dispute", "stripe_payout", "payout_link"] {
                counts[table] = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? 0
            }
            return counts
        }
    }

    package static func currency(_ row: Row, _ column: String) throws -> Currency { try Currency(code: row[column] as String) }
    package static func currency(_ row: Row, _ column: Int) throws -> Currency { try Currency(code: row[column] as String) }

    /// Column lists in the order the mappers below read them by position (faster than by name).
    enum Columns {
        static let payout =
            "id, amount, currency, status, created, arrival_date, balance_transaction, failure_balance_transaction, "
            + "failure_code, failure_message, reconciliation_status, reversed_by"
        static func balanceTransaction(_ prefix: String) -> String {
            [
                "id", "amount", "currency", "net", "fee", "exchange_rate", "created", "available_on", "status", "type", "reporting_category",
                "source_id", "description",
            ].map { prefix + $0 }.joined(separator: ", ")
        }
        static let balanceTransaction = balanceTransaction("")
        static let refund =
            "id, amount, currency, charge_id, payment_intent, status, created, balance_transaction, reason, "
            + "json_extract(metadata, '$.order_id')"
        static let dispute = "id, amount, currency, charge_id, payment_intent, status, reason, created"
        static let charge =
            "id, amount, amount_refunded, currency, status, captured, created, payment_intent, balance_transaction, "
            + "order_id, failure_code, card_brand, card_last4, amount_captured, card_country"
    }

    static func balanceTransaction(_ row: Row) throws -> BalanceTransaction {
        BalanceTransaction(
            id: BalanceTransactionID(row[0] as String), amount: row[1], currency: try currency(row, 2), net: row[3], fee: row[4],
            exchangeRate: (row[5] as String?).flatMap { Decimal(string: $0) }, created: row[6], availableOn: row[7], status: row[8],
            type: BalanceTransactionType(rawValue: row[9]), reportingCategory: row[10],
            source: (row[11] as String?).map { ExpandableID($0) }, description: row[12])
    }

    static func charge(_ row: Row) throws -> Charge {
        // Reconciliation needs only order_id from the metadata; the full metadata stays in its column for audits.
        let orderId: String? = row[9]
        let brand: String? = row[11]
        return Charge(
            id: ChargeID(row[0] as String), amount: row[1], currency: try currency(row, 3), status: ChargeStatus(rawValue: row[4]),
            captured: row[5] ?? true, created: row[6], paymentIntent: row[7], balanceTransaction: row[8],
            metadata: orderId.map { ["order_id": $0] } ?? [:], amountRefunded: row[2] ?? 0, failureCode: row[10],
            card: brand == nil ? nil : PaymentMethodSummary(type: "card", card: .init(brand: brand, last4: row[12], country: row[14])),
            amountCaptured: row[13])
    }

    static func refund(_ row: Row) throws -> Refund {
        Refund(
            id: RefundID(row[0] as String), amount: row[1], currency: try currency(row, 2), charge: row[3], paymentIntent: row[4],
            status: RefundStatus(rawValue: row[5] ?? "succeeded"), created: row[6], balanceTransaction: row[7], reason: row[8],
            // As for charges, only the order of the metadata (a refund whose charge names none is matched by it).
            metadata: (row[9] as String?).map { ["order_id": $0] } ?? [:])
    }

    static func dispute(_ row: Row) throws -> Dispute {
        Dispute(
            id: DisputeID(row[0] as String), amount: row[1], currency: try currency(row, 2), charge: row[3], paymentIntent: row[4],
            status: DisputeStatus(rawValue: row[5]), reason: row[6], created: row[7], balanceTransactions: [])
    }

    static func payout(_ row: Row) throws -> Payout {
        Payout(
            id: PayoutID(row[0] as String), amount: row[1], currency: try currency(row, 2), status: PayoutStatus(rawValue: row[3]),
            created: row[4], arrivalDate: row[5], balanceTransaction: row[6], failureBalanceTransaction: row[7],
            failureCode: row[8], failureMessage: row[9], reconciliationStatus: row[10], reversedBy: row[11])
    }
}
