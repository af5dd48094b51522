import GRDB

/// v9: a ledger entry that a later import changes keeps its earlier version (append-only, enforced by
/// triggers), and each import records how many entries it added, replaced and left unchanged. Frozen.
enum Migration9LedgerEntryVersions {
    static let identifier = "v9-ledger-entry-versions"

    static func run(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE ledger_entry_version (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT, entry_id TEXT NOT NULL, order_id TEXT NOT NULL, type TEXT NOT NULL,
                    amount INTEGER NOT NULL, currency TEXT NOT NULL, stripe_id TEXT, created_at INTEGER NOT NULL, supplier_id TEXT,
                    import_id INTEGER NOT NULL, replaced_by_import INTEGER NOT NULL REFERENCES ledger_import(id), replaced_at INTEGER NOT NULL);
                CREATE INDEX ledger_entry_version_entry ON ledger_entry_version(entry_id);
                CREATE TRIGGER ledger_entry_version_no_update BEFORE UPDATE ON ledger_entry_version
                  BEGIN SELECT RAISE(ABORT, 'ledger_entry_version is append-only'); END;
                CREATE TRIGGER ledger_entry_version_no_delete BEFORE DELETE ON ledger_entry_version
                  BEGIN SELECT RAISE(ABORT, 'ledger_entry_version is append-only'); END;
                ALTER TABLE ledger_import ADD COLUMN added INTEGER;
                ALTER TABLE ledger_import ADD COLUMN replaced INTEGER;
                ALTER TABLE ledger_import ADD COLUMN unchanged INTEGER;
                """)
    }
}
