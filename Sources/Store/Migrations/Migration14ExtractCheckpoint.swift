import GRDB

/// v14: extraction checkpoints, one row per window of the pull in progress (a list's history is split
/// into `created` windows walked at once): its bounds, the last object committed (the cursor the next
/// page starts after) and how far back in time that is. A page's
/// objects and its row are written in one transaction, so a pull killed at any moment resumes where it
/// stopped. The rows go when the whole pull is done. A payout notes when its links were fetched
/// (`links_fetched`; writing the payout again clears it, so a payout that completed or failed since is
/// linked again). Frozen.
enum Migration14ExtractCheckpoint {
    static let identifier = "v14-extract-checkpoint"

    static func run(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE extract_checkpoint (
                    window_id INTEGER PRIMARY KEY AUTOINCREMENT, list TEXT NOT NULL, object TEXT NOT NULL, created_gte INTEGER,
                    created_lt INTEGER NOT NULL, cursor TEXT,
                    cursor_created INTEGER, pages INTEGER NOT NULL, objects INTEGER NOT NULL, max_created INTEGER, done INTEGER NOT NULL,
                    started_at INTEGER NOT NULL);
                ALTER TABLE stripe_payout ADD COLUMN links_fetched INTEGER;
                UPDATE stripe_payout SET links_fetched = 0 WHERE EXISTS (SELECT 1 FROM payout_link l WHERE l.payout_id = stripe_payout.id);
                """)
    }
}
