import Core
import GRDB
import Testing

@testable import Store

@Suite struct MatchJSONReaderTests {
    static func read(_ json: String) throws -> [Match] {
        let bytes = Array(json.utf8)
        return try bytes.withUnsafeBytes { try MatchJSONReader.matches(in: $0, slotStart: 0) }
    }

    /// JSON written by SQLite (json_array escapes in its own way), not by `MatchJSON`: the reader follows
    /// JSON, not just what payrecon happens to write.
    @Test func readsWhatSQLiteWrites() throws {
        let odd = ["quote\"d", "back\\slash", "line\nbreak", "tab\tand\u{1}", "café", "🧾", ""]
        let json = try DatabaseQueue().read { db in
            try String.fetchOne(
                db,
                sql: """
                    SELECT json_array(json_array(1789999600000000, 'refund_sum', ?1, NULL, json_array(?1, ?2), json_array(?3), 'JPY', -5, 'KWD',
                      9223372036854775807))
                    """, arguments: [odd[0], odd[1] + odd[2], odd[3] + odd[4] + odd[5] + odd[6]])
        }
        let matches = try Self.read(try #require(json))
        #expect(
            matches == [
                Match(
                    rule: .refundSum, key: .id(odd[0]), orderId: nil, ledgerEntryIds: [odd[0], odd[1] + odd[2]],
                    stripeIds: [odd[3] + odd[4] + odd[5] + odd[6]], ledgerAmount: Money(minorUnits: -5, currency: .jpy),
                    stripeAmount: Money(minorUnits: Int64.max, currency: .kwd),
                    occurredAt: Timestamp(microseconds: 1_789_999_600_000_000))
            ])
    }

    @Test func readsWhitespaceAndEveryEscape() throws {
        let json = """
            [ [ -1 , "stripe_id" , "a\\/b\\b\\f\\n\\r\\t\\u00e9\\ud83e\\uddfe" , "ord" ,
                [ ] , [ "ch_1" , "ch_2" ] , "usd" , 0 , "USD" , 0 ] ,
              [1,"dispute_order","k",null,[],[],"EUR",1,"EUR",1] ]
            """
        let matches = try Self.read(json)
        #expect(matches.count == 2)
        #expect(matches[0].key.id == "a/b\u{8}\u{c}\n\r\té🧾")
        #expect(matches[0].stripeIds == ["ch_1", "ch_2"] && matches[0].ledgerEntryIds.isEmpty)
        #expect(matches[0].ledgerAmount.currency == .usd && matches[0].occurredAt == Timestamp(microseconds: -1))
        #expect(try Self.read("[]").isEmpty)
    }

    @Test(arguments: [
        (#"[[1789999600000000,"stripe_id","k",null,[],[],"XXX",1,"USD",1]]"#, "at byte 46, expected a currency code"),
        (#"[[99999999999999999999,"stripe_id","k",null,[],[],"USD",1,"USD",1]]"#, "at byte 2, expected an integer that fits in 64 bits"),
        (#"[[1,"stripe_id","k\x",null,[],[],"USD",1,"USD",1]]"#, #"at byte 19, expected one of " \ / b f n r t u after a backslash"#),
        (#"[[1,"stripe_id","k",null,[],[],"USD",1,"USD",1]]x"#, "at byte 48, expected the end of the block"),
        (#"[[1,"stripe_id","k",null,[],[],"USD",1,"USD""#, "at byte 44, expected more of the block"),
        (#"[[1,"stripe_id","\ud83e",null,[],[],"USD",1,"USD",1]]"#, "at byte 17, expected a low surrogate after a high one"),
        ("[[1,\"stripe_id\",\"a\nb\",null,[],[],\"USD\",1,\"USD\",1]]", "at byte 18, expected an escaped control character"),
    ])
    func sayWhereAndWhatWasExpected(json: String, message: String) {
        do {
            _ = try Self.read(json)
            Issue.record("read \(json)")
        } catch {
            #expect("\(error)".contains(message), "\(error)")
        }
    }
}
