import Core
import Facts

/// How a match is stored inside its slot's block (`match_block.matches`, a JSON array of these):
/// `[occurred_at, rule, match_key, order_id or null, [ledger_entry_ids], [stripe_ids], currency,
/// ledger_amount, stripe_currency, stripe_amount]`, then, when its balance transactions are known, `fee, net,
/// settlement_currency, [payout_ids]` (v15; a match without them has ten elements). The key is the id the rule matched on (a string),
/// or for the amount-and-window rule `[amount, currency, window hours]` (data, rendered by Report).
///
/// JSON, not a format of our own, so that SQLite's json_each reads it: the `match` view shows every
/// match as a row to anyone with an sqlite3 shell, and an id with a space, a quote or a line break in it
/// survives (the row format before v6 joined ids with spaces).
///
/// A million matches are ~160 MB of it, so a match is written with one capacity check, through a
/// cursor, into room reserved for its worst case (every id byte escaped).
enum MatchJSON {
    /// A match list's ids and members as pointers, so that writing a million matches retains nothing per
    /// match (retains and releases were a quarter of the writer's time, perf).
    struct Source {
        let list: MatchList
        let texts: IdTable.Texts
        let ledger: UnsafeBufferPointer<FactID>
        let stripe: UnsafeBufferPointer<FactID>
        let payouts: UnsafeBufferPointer<FactID>

        static func with<T>(_ list: MatchList, _ body: (Source) throws -> T) rethrows -> T {
            try list.ids.withTexts { texts in
                try list.ledgerMembers.withUnsafeBufferPointer { ledger in
                    try list.stripeMembers.withUnsafeBufferPointer { stripe in
                        try list.payoutMembers.withUnsafeBufferPointer { payouts in
                            try body(Source(list: list, texts: texts, ledger: ledger, stripe: stripe, payouts: payouts))
                        }
                    }
                }
            }
        }

        func payoutIds(_ r: MatchList.Record) -> UnsafeBufferPointer<FactID> {
            UnsafeBufferPointer(rebasing: payouts[Int(r.payoutStart)..<Int(r.payoutStart + r.payoutCount)])
        }

        func ledgerIds(_ r: MatchList.Record) -> UnsafeBufferPointer<FactID> {
            UnsafeBufferPointer(rebasing: ledger[Int(r.ledgerStart)..<Int(r.ledgerStart + r.ledgerCount)])
        }

        func stripeIds(_ r: MatchList.Record) -> UnsafeBufferPointer<FactID> {
            UnsafeBufferPointer(rebasing: stripe[Int(r.stripeStart)..<Int(r.stripeStart + r.stripeCount)])
        }
    }

    /// Appends matches in order; the first one written into a block (`first` true) opens it with "[".
    static func append<Records: Sequence<MatchList.Record>>(
        _ records: Records, of source: Source, first: inout Bool,
        to text: inout ByteBuffer
    ) {
        for r in records {
            append(r, of: source, first: first, to: &text)
            first = false
        }
    }

    /// Appends one match, preceded by "[" when `first` (it opens the block) and by "," otherwise.
    static func append(_ r: MatchList.Record, of source: Source, first: Bool, to text: inout ByteBuffer) {
        let texts = source.texts
        let ledger = source.ledgerIds(r)
        let stripe = source.stripeIds(r)
        let payouts = source.payoutIds(r)
        let key = r.key == IdTable.none ? nil : texts.bytes(r.key)
        // Brackets, commas, quotes, null, seven integers, four codes and the longest rule: under 280.
        var bound = 280 + 6 * (key?.count ?? 0)
        if r.order != IdTable.none { bound += 6 * texts.bytes(r.order).count }
        for id in ledger { bound += 6 * texts.bytes(id).count + 3 }
        for id in stripe { bound += 6 * texts.bytes(id).count + 3 }
        for id in payouts { bound += 6 * texts.bytes(id).count + 3 }
        text.append(upTo: bound) { start in
            var out = MatchJSONCursor(at: start)
            out.byte(first ? UInt8(ascii: "[") : UInt8(ascii: ","))
            out.byte(UInt8(ascii: "["))
            out.integer(r.occurredAt)
            out.byte(UInt8(ascii: ","))
            out.quoted(r.rule.name)
            out.byte(UInt8(ascii: ","))
            if let key {
                out.string(key)
            } else {
                out.byte(UInt8(ascii: "["))
                out.integer(r.ledgerAmount)
                out.byte(UInt8(ascii: ","))
                out.code(r.ledgerCurrency)
                out.byte(UInt8(ascii: ","))
                out.integer(source.list.windowHours)
                out.byte(UInt8(ascii: "]"))
            }
            out.byte(UInt8(ascii: ","))
            if r.order == IdTable.none { out.raw("null") } else { out.string(texts.bytes(r.order)) }
            out.byte(UInt8(ascii: ","))
            out.array(ledger, of: texts)
            out.byte(UInt8(ascii: ","))
            out.array(stripe, of: texts)
            out.byte(UInt8(ascii: ","))
            out.code(r.ledgerCurrency)
            out.byte(UInt8(ascii: ","))
            out.integer(r.ledgerAmount)
            out.byte(UInt8(ascii: ","))
            out.code(r.stripeCurrency)
            out.byte(UInt8(ascii: ","))
            out.integer(r.stripeAmount)
            if let settlement = r.settlement {
                out.byte(UInt8(ascii: ","))
                out.integer(r.fee)
                out.byte(UInt8(ascii: ","))
                out.integer(r.net)
                out.byte(UInt8(ascii: ","))
                out.code(settlement)
                out.byte(UInt8(ascii: ","))
                out.array(payouts, of: texts)
            }
            out.byte(UInt8(ascii: "]"))
            return out.at - start
        }
    }

    /// Closes a block that `append(_:of:first:to:)` opened.
    static func close(_ text: inout ByteBuffer) { text.append(bytesOf: UInt8(ascii: "]")) }
}

extension Match.Rule {
    /// The raw value without making a String: the JSON writer copies it a million times.
    var name: StaticString {
        switch self {
        case .stripeId: "stripe_id"
        case .metadataOrderId: "metadata_order_id"
        case .amountTimeWindow: "amount_time_window"
        case .refundSum: "refund_sum"
        case .refundAmount: "refund_amount"
        case .disputeOrder: "dispute_order"
        case .disputeReinstatement: "dispute_reinstatement"
        }
    }
}
