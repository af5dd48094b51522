import GRDB

/// v15: each balance transaction names the payout it went out in (`payout_id`, kept by the writes
/// from `payout_link`: a payout's own transaction is not in it, and of two payouts linking one
/// transaction the smaller id wins), so that a match carries its fee, net and payout from the
/// reconciliation to the Matched sheet without a lookup per row. The `match` view shows the four
/// elements a match block's entries gained (fee, net, settlement currency, payout ids). v10's index
/// on (id, net) goes: payout sums come from `payout_composition` since v5, and nothing reads it.
/// Frozen.
enum Migration15TransactionPayout {
    static let identifier = "v15-transaction-payout"

    static func run(_ db: Database) throws {
        try db.execute(
            sql: """
                ALTER TABLE stripe_balance_transaction ADD COLUMN payout_id TEXT;
                UPDATE stripe_balance_transaction AS t SET payout_id = l.payout_id
                FROM (SELECT l.balance_transaction_id AS transaction_id, min(l.payout_id) AS payout_id
                      FROM payout_link l LEFT JOIN stripe_payout p ON p.id = l.payout_id
                      WHERE l.balance_transaction_id IS NOT p.balance_transaction
                      GROUP BY l.balance_transaction_id) AS l
                WHERE t.id = l.transaction_id;
                DROP INDEX IF EXISTS stripe_balance_transaction_net;
                DROP VIEW match;
                CREATE VIEW match AS
                  SELECT json_extract(m.value, '$[0]') AS occurred_at, b.run_id AS run_id, json_extract(m.value, '$[1]') AS rule,
                    json_extract(m.value, '$[2]') AS match_key, json_extract(m.value, '$[3]') AS order_id,
                    json_extract(m.value, '$[4]') AS ledger_entry_ids, json_extract(m.value, '$[5]') AS stripe_ids,
                    json_extract(m.value, '$[6]') AS currency, json_extract(m.value, '$[7]') AS ledger_amount,
                    json_extract(m.value, '$[8]') AS stripe_currency, json_extract(m.value, '$[9]') AS stripe_amount,
                    json_extract(m.value, '$[10]') AS fee, json_extract(m.value, '$[11]') AS net,
                    json_extract(m.value, '$[12]') AS settlement_currency, json_extract(m.value, '$[13]') AS payout_ids
                  FROM match_block AS b, json_each(b.matches) AS m;
                """)
    }
}
