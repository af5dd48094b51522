import Core
import Foundation
import GRDB

extension PayreconStore {
    /// Upserts every object and payout link in one transaction: Stripe objects change state
    /// (a refund succeeds, a payout fails), and the newest copy wins.
    public func saveStripe(_ data: StripeAccountData, watermarks: [String: Int64] = [:], at now: Timestamp) throws(StoreError) {
        try write("save Stripe objects") { db in
            try Self.upsertStripe(data, db)
            let watermark = try db.cachedStatement(
                sql: """
                    INSERT INTO extract_watermark (object, max_created, extracted_at) VALUES (?, ?, ?)
                    ON CONFLICT(object) DO UPDATE SET max_created = max(max_created, excluded.max_created), extracted_at = excluded.extracted_at
                    """)
            for (object, created) in watermarks.sorted(by: { $0.key < $1.key }) {
                try watermark.execute(arguments: [object, created, now.microseconds])
            }
        }
    }

    /// Upserts Stripe objects and payout links inside the caller's transaction (extraction, webhooks).
    package static func upsertStripe(_ data: StripeAccountData, _ db: Database) throws {
        let bt = try db.cachedStatement(
            sql: """
                INSERT INTO stripe_balance_transaction
                (id, amount, currency, net, fee, exchange_rate, created, available_on, status, type, reporting_category, source_id, description)
                VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)
                ON CONFLICT(id) DO UPDATE SET amount = excluded.amount, currency = excluded.currency, net = excluded.net,
                  fee = excluded.fee, exchange_rate = excluded.exchange_rate, created = excluded.created,
                  available_on = excluded.available_on, status = excluded.status, type = excluded.type,
                  reporting_category = excluded.reporting_category, source_id = excluded.source_id, description = excluded.description
                """)
        // An upsert, not a replace: a transaction pulled again keeps the payout its links gave it (`payout_id`).
        for t in data.balanceTransactions {
            try bt.execute(arguments: [
                t.id.rawValue, t.amount, t.currency.code, t.net, t.fee,
                t.exchangeRate.map { "\($0)" }, t.created, t.availableOn, t.status,
                t.type.rawValue, t.reportingCategory, t.source?.id, t.description,
            ])
        }
        let charge = try db.cachedStatement(
            sql: """
                INSERT OR REPLACE INTO stripe_charge
                (id, amount, amount_refunded, currency, status, captured, created, payment_intent, balance_transaction,
                 order_id, metadata, failure_code, card_brand, card_last4, amount_captured, card_country)
                VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
                """)
        for c in data.charges {
            try charge.execute(arguments: [
                c.id.rawValue, c.amount, c.amountRefunded, c.currency.code, c.status.rawValue,
                c.captured, c.created, c.paymentIntent?.id, c.balanceTransaction?.id,
                c.orderId?.rawValue, Self.json(c.metadata), c.failureCode,
                c.paymentMethodDetails?.card?.brand, c.paymentMethodDetails?.card?.last4, c.amountCaptured,
                c.paymentMethodDetails?.card?.country,
            ])
        }
        let refund = try db.cachedStatement(
            sql: """
                INSERT OR REPLACE INTO stripe_refund
                (id, amount, currency, charge_id, payment_intent, status, created, balance_transaction, reason, metadata)
                VALUES (?,?,?,?,?,?,?,?,?,?)
                """)
        for r in data.refunds {
            try refund.execute(arguments: [
                r.id.rawValue, r.amount, r.currency.code, r.charge?.id, r.paymentIntent?.id,
                r.status?.rawValue, r.created, r.balanceTransaction?.id, r.reason, Self.json(r.metadata),
            ])
        }
        let dispute = try db.cachedStatement(
            sql: """
                INSERT OR REPLACE INTO stripe_dispute
                (id, amount, currency, charge_id, payment_intent, status, reason, created, balance_transaction_ids)
                VALUES (?,?,?,?,?,?,?,?,?)
                """)
        for d in data.disputes {
            let ids = (d.balanceTransactions ?? []).map(\.id.rawValue).joined(separator: " ")
            try dispute.execute(arguments: [
                d.id.rawValue, d.amount, d.currency.code, d.charge?.id, d.paymentIntent?.id,
                d.status.rawValue, d.reason, d.created, ids,
            ])
        }
        let payout = try db.cachedStatement(
            sql: """
                INSERT OR REPLACE INTO stripe_payout
                (id, amount, currency, status, created, arrival_date, balance_transaction, failure_balance_transaction,
                 failure_code, failure_message, reconciliation_status, reversed_by) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)
                """)
        for p in data.payouts {
            try payout.execute(arguments: [
                p.id.rawValue, p.amount, p.currency.code, p.status.rawValue, p.created,
                p.arrivalDate, p.balanceTransaction?.id, p.failureBalanceTransaction?.id,
                p.failureCode, p.failureMessage, p.reconciliationStatus, p.reversedBy?.id,
            ])
        }
        let clearLinks = try db.cachedStatement(sql: "DELETE FROM payout_link WHERE payout_id = ?")
        let link = try db.cachedStatement(sql: "INSERT OR IGNORE INTO payout_link (payout_id, balance_transaction_id) VALUES (?, ?)")
        for (payoutId, transactions) in data.payoutLinks.sorted(by: { $0.key < $1.key }) {
            try clearLinks.execute(arguments: [payoutId.rawValue])
            for transaction in transactions { try link.execute(arguments: [payoutId.rawValue, transaction.rawValue]) }
        }
        try PayoutCompositionTable.refresh(
            data.payoutLinks.keys.map(\.rawValue) + data.payouts.map(\.id.rawValue),
            transactionsArrived: !data.balanceTransactions.isEmpty, db)
    }

    /// The newest `created` seen per object type, for incremental extraction.
    public func watermarks() throws(StoreError) -> [String: Int64] {
        try read("read watermarks") { db in
            var result: [String: Int64] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT object, max_created FROM extract_watermark") {
                result[row["object"]] = row["max_created"]
            }
            return result
        }
    }

    /// Metadata as a JSON object with sorted keys, written by hand: JSONSerialization is slow enough to
    /// show in an extraction (a charge has metadata, and a page has a hundred charges).
    static func json(_ metadata: [String: String]?) -> String? {
        guard let metadata, !metadata.isEmpty else { return nil }
        var text = "{"
        for (n, key) in metadata.keys.sorted().enumerated() {
            if n > 0 { text += "," }
            appendQuoted(key, to: &text)
            text += ":"
            appendQuoted(metadata[key]!, to: &text)
        }
        return text + "}"
    }

    private static func appendQuoted(_ value: String, to text: inout String) {
        text += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case _ where scalar.value < 0x20: text += String(format: "\\u%04x", scalar.value)
            default: text.unicodeScalars.append(scalar)
            }
        }
        text += "\""
    }
}
