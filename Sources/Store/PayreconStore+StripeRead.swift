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
            data.payouts = try Row.fetchAll(db, sql: "SELECT * FROM stripe_payout WHERE created >= ? AND created < ? ORDER BY created, id",
                                            arguments: window).map(Self.payout)
            for row in try Row.fetchAll(db, sql: """
                SELECT l.payout_id, l.balance_transaction_id FROM payout_link l
                JOIN stripe_payout p ON p.id = l.payout_id WHERE p.created >= ? AND p.created < ?
                ORDER BY l.payout_id, l.balance_transaction_id
                """, arguments: window) {
                data.payoutLinks[PayoutID(row[0] as String), default: []].append(BalanceTransactionID(row[1] as String))
            }
            data.balanceTransactions = try Row.fetchAll(db, sql: """
                SELECT * FROM stripe_balance_transaction WHERE created >= ?1 AND created < ?2
                UNION SELECT t.* FROM stripe_balance_transaction t JOIN payout_link l ON l.balance_transaction_id = t.id
                  JOIN stripe_payout p ON p.id = l.payout_id WHERE p.created >= ?1 AND p.created < ?2
                ORDER BY created, id
                """, arguments: window).map(Self.balanceTransaction)
            data.refunds = try Row.fetchAll(db, sql: "SELECT * FROM stripe_refund WHERE created >= ? AND created < ? ORDER BY created, id",
                                            arguments: window).map(Self.refund)
            data.disputes = try Row.fetchAll(db, sql: "SELECT * FROM stripe_dispute WHERE created >= ? AND created < ? ORDER BY created, id",
                                             arguments: window).map(Self.dispute)
            data.charges = try Row.fetchAll(db, sql: """
                SELECT * FROM stripe_charge WHERE created >= ?1 AND created < ?2
                UNION SELECT * FROM stripe_charge WHERE id IN (
                  SELECT charge_id FROM stripe_refund WHERE created >= ?1 AND created < ?2
                  UNION SELECT charge_id FROM stripe_dispute WHERE created >= ?1 AND created < ?2)
                ORDER BY created, id
                """, arguments: window).map(Self.charge)
            return data
        }
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

    static func currency(_ row: Row, _ column: String) throws -> Currency { try Currency(code: row[column] as String) }

    static func balanceTransaction(_ row: Row) throws -> BalanceTransaction {
        BalanceTransaction(
            id: BalanceTransactionID(row["id"] as String), amount: row["amount"], currency: try currency(row, "currency"),
            net: row["net"], fee: row["fee"], exchangeRate: (row["exchange_rate"] as String?).flatMap { Decimal(string: $0) },
            created: row["created"], availableOn: row["available_on"], status: row["status"],
            type: BalanceTransactionType(rawValue: row["type"]), reportingCategory: row["reporting_category"],
            source: (row["source_id"] as String?).map { ExpandableID($0) }, description: row["description"])
    }

    static func charge(_ row: Row) throws -> Charge {
        // Reconciliation needs only order_id from the metadata; the full metadata stays in the column for audits.
        let orderId: String? = row["order_id"]
        let card = PaymentMethodSummary.Card(brand: row["card_brand"], last4: row["card_last4"])
        return Charge(
            id: ChargeID(row["id"] as String), amount: row["amount"], currency: try currency(row, "currency"),
            status: ChargeStatus(rawValue: row["status"]), captured: row["captured"] ?? true, created: row["created"],
            paymentIntent: row["payment_intent"], balanceTransaction: row["balance_transaction"],
            metadata: orderId.map { ["order_id": $0] } ?? [:], amountRefunded: row["amount_refunded"] ?? 0,
            failureCode: row["failure_code"], card: card.brand == nil ? nil : PaymentMethodSummary(type: "card", card: card))
    }

    static func refund(_ row: Row) throws -> Refund {
        Refund(id: RefundID(row["id"] as String), amount: row["amount"], currency: try currency(row, "currency"),
               charge: row["charge_id"], paymentIntent: row["payment_intent"], status: RefundStatus(rawValue: row["status"] ?? "succeeded"),
               created: row["created"], balanceTransaction: row["balance_transaction"], reason: row["reason"])
    }

    static func dispute(_ row: Row) throws -> Dispute {
        Dispute(id: DisputeID(row["id"] as String), amount: row["amount"], currency: try currency(row, "currency"),
                charge: row["charge_id"], paymentIntent: row["payment_intent"], status: DisputeStatus(rawValue: row["status"]),
                reason: row["reason"], created: row["created"], balanceTransactions: [])
    }

    static func payout(_ row: Row) throws -> Payout {
        Payout(id: PayoutID(row["id"] as String), amount: row["amount"], currency: try currency(row, "currency"),
               status: PayoutStatus(rawValue: row["status"]), created: row["created"], arrivalDate: row["arrival_date"],
               balanceTransaction: row["balance_transaction"], failureBalanceTransaction: row["failure_balance_transaction"],
               failureCode: row["failure_code"], failureMessage: row["failure_message"],
               reconciliationStatus: row["reconciliation_status"], reversedBy: row["reversed_by"])
    }
}
