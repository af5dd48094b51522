import GRDB

/// Statements compiled once per connection. Booking an order runs some fifteen for every event, and
/// compiling each again cost more than running it.
extension Database {
    func executeCached(sql: String, arguments: StatementArguments) throws {
        try cachedStatement(sql: sql).execute(arguments: arguments)
    }
}

extension Row {
    static func fetchOneCached(_ db: Database, sql: String, arguments: StatementArguments) throws -> Row? {
        try fetchOne(db.cachedStatement(sql: sql), arguments: arguments)
    }
}
