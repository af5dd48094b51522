import GRDB

/// v12: a charge's captured amount (below its amount after a partial capture; a store written before
/// has none, and a payment without one was taken in full) and its card's issuing country (for the
/// international-card surcharge), and the partial captures in an index of their own (few: the report
/// finds them without reading every charge of the period). Frozen.
enum Migration12CapturesAndCardCountry {
    static let identifier = "v12-captures-card-country"

    static func run(_ db: Database) throws {
        try db.execute(
            sql: """
                ALTER TABLE stripe_charge ADD COLUMN amount_captured INTEGER;
                ALTER TABLE stripe_charge ADD COLUMN card_country TEXT;
                CREATE INDEX stripe_charge_partial_capture ON stripe_charge(created) WHERE amount_captured < amount;
                """)
    }
}
