import GRDB

/// The schema, as a list of migrations, each a frozen copy of what shipped: SQL and any encoder it needs
/// live in its own file and call no live code. Append a migration; never edit one that has shipped.
/// Money is INTEGER minor units beside a TEXT currency; times are INTEGER (seconds for Stripe's,
/// microseconds for the ledger's and payrecon's own), all UTC.
enum StoreMigrations {
    static let all: [(identifier: String, run: @Sendable (Database) throws -> Void)] = [
        (Migration1StripeLedgerRuns.identifier, Migration1StripeLedgerRuns.run),
        (Migration2Payments.identifier, Migration2Payments.run),
        (Migration3MatchContentHash.identifier, Migration3MatchContentHash.run),
        (Migration4MatchClustered.identifier, Migration4MatchClustered.run),
        (Migration5PayoutComposition.identifier, Migration5PayoutComposition.run),
        (Migration6MatchBlocks.identifier, Migration6MatchBlocks.run),
        (Migration7RunOwner.identifier, Migration7RunOwner.run),
        (Migration8MatchKeyData.identifier, Migration8MatchKeyData.run),
        (Migration9LedgerEntryVersions.identifier, Migration9LedgerEntryVersions.run),
        (Migration10PayoutSumIndex.identifier, Migration10PayoutSumIndex.run),
        (Migration11DiscrepancyHistoryAppendOnly.identifier, Migration11DiscrepancyHistoryAppendOnly.run),
        (Migration12CapturesAndCardCountry.identifier, Migration12CapturesAndCardCountry.run),
        (Migration13AuditLog.identifier, Migration13AuditLog.run),
        (Migration14ExtractCheckpoint.identifier, Migration14ExtractCheckpoint.run),
        (Migration15TransactionPayout.identifier, Migration15TransactionPayout.run),
        (Migration16PaymentProcessing.identifier, Migration16PaymentProcessing.run),
        (Migration17AuditImport.identifier, Migration17AuditImport.run),
    ]

    static var migrator: DatabaseMigrator { migrator(upTo: all.count) }

    /// The first `count` migrations: tests build the stores that older versions wrote with it.
    static func migrator(upTo count: Int) -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for (identifier, run) in all.prefix(count) { migrator.registerMigration(identifier, migrate: run) }
        return migrator
    }
}
