import GRDB

/// v7: which process runs a run (its host and process id), so that a run left `running` by a process
/// that was killed can be told from one still going, and marked abandoned. Frozen.
enum Migration7RunOwner {
    static let identifier = "v7-run-owner"

    static func run(_ db: Database) throws {
        try db.execute(
            sql: """
                ALTER TABLE run ADD COLUMN host TEXT;
                ALTER TABLE run ADD COLUMN process_id INTEGER;
                """)
    }
}
