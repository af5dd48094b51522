import ArgumentParser
import Core

/// --db FILE: the store every stage reads and writes.
struct StoreOptions: ParsableArguments {
    @Option(
        name: .long, help: "The payrecon SQLite store (extract, ledger import and serve create it if missing; the other commands need it to exist).")
    var db: String
}

/// --from, --to and --tz: a reporting period of whole days in a time zone.
struct PeriodOptions: ParsableArguments {
    @Option(name: .long, help: "First day, YYYY-MM-DD (inclusive).")
    var from: String
    @Option(name: .long, help: "Last day, YYYY-MM-DD (inclusive).")
    var to: String
    @Option(name: .long, help: "IANA time zone the days are in (default UTC).")
    var tz: String = "UTC"

    func period() throws -> ReportingPeriod {
        do { return try ReportingPeriod(from: from, to: to, timeZone: tz) } catch { throw ValidationError(error.description) }
    }
}
