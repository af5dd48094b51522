import GRDB

/// `created >= ?1 AND created < ?2` on the time index when the window is a small part of the table;
/// a plain scan (`+column` keeps SQLite off the index) when it is most of it: following the index to
/// every row costs twice a scan (measured 1.3 s against 0.6 s for 1.2 M transactions). Which part is
/// estimated from the table's first and last time (two index lookups), as if rows were spread evenly:
/// counting the window's rows took 0.3 s at a million orders. A wrong guess costs time, never rows;
/// `rows` only sizes arrays.
enum TimeWindowClause {
    static func make(_ db: Database, table: String, column: String, first: Int64, last: Int64) throws -> (clause: String, rows: Int) {
        // One aggregate per query: SQLite answers a lone min() or max() from the index's edge, several by a scan.
        let oldest = try Int64.fetchOne(db, sql: "SELECT min(\(column)) FROM \(table)")
        let newest = try Int64.fetchOne(db, sql: "SELECT max(\(column)) FROM \(table)")
        let count = try Int.fetchOne(db, sql: "SELECT max(rowid) FROM \(table)") ?? 0
        var share = 0.0
        if let oldest, let newest {
            let covered = min(newest + 1, last) - max(oldest, first)
            share = covered <= 0 ? 0 : Double(covered) / Double(newest + 1 - oldest)
        }
        let prefix = share * 3 > 1 ? "+" : ""
        return ("\(prefix)\(column) >= ?1 AND \(prefix)\(column) < ?2", Int(share * Double(count)))
    }
}
