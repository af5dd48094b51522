import GRDB

/// v8: the amount-and-window rule's key is stored as data, `[amount, currency, window hours]`, instead
/// of the text v6 stored ("12.34 USD ±48h", rendered from the ledger amount and currency, which the
/// match holds beside it). Frozen. The slot's content hash is left as it was: the next reconciliation
/// of the period rewrites the slot once, as after v4.
enum Migration8MatchKeyData {
    static let identifier = "v8-match-key-data"

    static func run(_ db: Database) throws {
        try db.execute(
            sql: """
                UPDATE match_block SET matches = (
                  SELECT '[' || group_concat(
                    CASE WHEN json_extract(m.value, '$[1]') = 'amount_time_window' AND json_type(m.value, '$[2]') = 'text'
                      THEN json_replace(m.value, '$[2]', json_array(json_extract(m.value, '$[7]'), json_extract(m.value, '$[6]'),
                        CAST(rtrim(substr(json_extract(m.value, '$[2]'), instr(json_extract(m.value, '$[2]'), '±') + 1), 'h') AS INTEGER)))
                      ELSE m.value END, ',') || ']'
                  FROM json_each(match_block.matches) AS m)
                WHERE matches LIKE '%"amount_time_window"%';
                """)
    }
}
