import Core
import Extract
import Foundation
import SandboxData
import Stages
import Store

/// `make bench-ledger`: the sandbox's ledger CSV at N orders, imported into a fresh store the way
/// `payrecon ledger import` does (parse, validate, write in one transaction), with its time and peak RSS.
/// Writing the file runs in a process of its own, so the peak memory reported is the import's alone.
enum LedgerBenchmark {
    static func main(_ arguments: [String]) async -> Int32 {
        let options = Dictionary(uniqueKeysWithValues: stride(from: 2, to: arguments.count - 1, by: 2).map { (arguments[$0], arguments[$0 + 1]) })
        do {
            switch arguments.dropFirst().first {
            case "write-csv":
                guard let orders = options["--orders"].flatMap(Int.init), let out = options["--out"] else { break }
                try writeCSV(orders: orders, seed: options["--seed"].flatMap(UInt64.init) ?? 42, out: out)
                return 0
            case "parse":
                guard let csv = options["--csv"] else { break }
                try parseOnly(csv)
                return 0
            case "import":
                guard let csv = options["--csv"], let db = options["--db"] else { break }
                try await importCSV(csv, into: db)
                return 0
            case "import-postgres":
                guard let query = options["--query"], let db = options["--db"] else { break }
                try await importPostgres(query, into: db)
                return 0
            default:
                break
            }
        } catch {
            FileHandle.standardError.write(Data("ledger-bench: \(error)\n".utf8))
            return 2
        }
        FileHandle.standardError.write(
            Data(
                ("usage: ledger-bench write-csv --orders N --out FILE [--seed S] | import --csv FILE --db FILE | parse --csv FILE\n"
                    + "       | import-postgres --query SQL --db FILE   (the database's URL in LEDGER_DATABASE_URL)\n").utf8))
        return 64
    }

    static func writeCSV(orders: Int, seed: UInt64, out: String) throws {
        let account = SandboxGenerator.generate(SandboxConfiguration(orders: orders, seed: seed))
        try Data(account.ledgerCSV().utf8).write(to: URL(fileURLWithPath: out))
        print("wrote \(account.ledger.count) ledger rows to \(out)")
    }

    /// `LedgerImportStage`, as `payrecon ledger import` runs it (parse on one thread, write on this one).
    static func importCSV(_ csv: String, into db: String) async throws {
        try await timedImport(CSVLedgerSource(path: csv), into: db, name: "payrecon import")
    }

    /// The same rows read from PostgreSQL by a query (`make bench-ledger` loads them with psql first).
    static func importPostgres(_ query: String, into db: String) async throws {
        try await timedImport(
            PostgresLedgerSource(urlEnvironmentVariable: "LEDGER_DATABASE_URL", query: query), into: db, name: "payrecon import from PostgreSQL")
    }

    static func timedImport(_ source: any LedgerSource, into db: String, name: String) async throws {
        for suffix in ["", "-wal", "-shm", "-lock"] { try? FileManager.default.removeItem(atPath: db + suffix) }
        let clock = ContinuousClock()
        let started = clock.now
        let store = try PayreconStore(path: db)
        let summary = try await LedgerImportStage(runner: StageRunner(store: store)).run([source])
        print("\(name): \(summary.entries) entries in \(seconds(started.duration(to: clock.now))) s; peak RSS \(peakRSSMiB()) MiB")
    }

    /// The parser alone (read, check, entries in chunks thrown away): what the import's other thread does.
    static func parseOnly(_ csv: String) throws {
        let clock = ContinuousClock()
        let started = clock.now
        var count = 0
        try LedgerParser(fileName: csv).parse(fileAt: csv, chunkSize: 8_192) {
            count += $0.count; return true
        }
        print("parse only: \(count) entries in \(seconds(started.duration(to: clock.now))) s; peak RSS \(peakRSSMiB()) MiB")
    }

    static func seconds(_ duration: Duration) -> String {
        String(format: "%.2f", Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
    }

    static func peakRSSMiB() -> Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return usage.ru_maxrss / 1024
    }
}
