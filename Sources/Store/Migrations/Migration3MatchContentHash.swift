import GRDB

/// v3: a content hash per match row, so a run can skip the matches that did not change. Frozen.
enum Migration3MatchContentHash {
    static let identifier = "v3-match-content-hash"

    static func run(_ db: Database) throws {
        try db.execute(sql: "ALTER TABLE match ADD COLUMN content_hash INTEGER NOT NULL DEFAULT 0")
    }
}
