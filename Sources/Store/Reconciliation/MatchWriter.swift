import Core
import Dispatch
import Facts
import GRDB

/// Writes a run's matches of a period: the reconcile stage's largest write (about 1.2 million matches
/// at a million orders). What keeps it fast:
/// - Matches are stored a slot (15 minutes, `MatchSlot`) to a row, as a JSON array (`MatchJSON`), in a
///   rowid table keyed by the slot's start: ~9,000 rows for a quarter at a million orders, not 1.2
///   million. SQLite's cost per row (binding, the record, the B-tree insert) was most of the write: 2.1 s
///   of SQLite CPU at a million (perf), where the same matches as slots insert in ~0.3 s (sqlite3 shell);
///   the commit's WAL checkpoint, ~0.45 s, is the same either way.
///   The `match` view unfolds the slots into one row per match for anyone reading the store with SQL.
/// - Unchanged slots are not written again: each row keeps a hash of its JSON, so a second night
///   writes only the slots where something changed.
/// - Two threads: a planner lays out each slot's JSON and compares its hash with the stored one
///   (`MatchWritePlanner`), while this thread, which holds the connection, only binds and steps.
struct MatchWriter {
    let db: Database

    /// Slots written, left as they were, and deleted (no match left in them).
    struct Counts: Equatable, Sendable { var written = 0, unchanged = 0, removed = 0 }

    func replaceMatches(of start: Timestamp, _ end: Timestamp, with list: MatchList, runId: Int64) throws -> Counts {
        let period = start.microseconds..<end.microseconds
        let storedSlots = BoundedHandoff<[MatchWritePlanner.Stored]>(capacity: 1)
        let plan = BoundedHandoff<MatchWritePlanner.Block>(capacity: 4)
        // If this thread leaves early (an SQLite error), the planner's next `put` fails and it stops.
        defer { plan.cancel(); storedSlots.cancel() }
        // A queue of its own: the global pool is as wide as the cores, and this thread waits for the planner.
        DispatchQueue(label: "payrecon.match-planner", qos: .userInitiated).async {
            MatchWritePlanner(list: list, period: period).run(stored: storedSlots, into: plan)
        }
        _ = storedSlots.put(try stored(period))
        storedSlots.finish()

        let write = try RawStatement(
            db,
            """
            INSERT OR REPLACE INTO match_block (slot_start, run_id, match_count, content_hash, matches) VALUES (?, ?, ?, ?, ?)
            """)
        defer { write.finalize() }
        let delete = try RawStatement(db, "DELETE FROM match_block WHERE slot_start = ?")
        defer { delete.finalize() }

        var counts = Counts()
        while let block = plan.take() {
            if let failure = block.failure { throw failure }
            for slot in block.removed {
                delete.bind(1, slot)
                try delete.step()
            }
            try block.text.withUnsafeBytes { all in
                for (k, slot) in block.written.enumerated() {
                    write.bind(1, slot.start)
                    write.bind(2, runId)
                    write.bind(3, Int64(slot.count))
                    write.bind(4, slot.contentHash)
                    write.bind(5, borrowing: block.text(of: k, in: all))
                    try write.step()
                }
            }
            counts.written += block.written.count
            counts.unchanged += block.unchanged
            counts.removed += block.removed.count
        }
        return counts
    }

    /// The stored slots that hold part of the period, in order, with the matches outside the period of
    /// a slot its edge cuts.
    func stored(_ period: Range<Int64>) throws -> [MatchWritePlanner.Stored] {
        let select = try RawStatement(
            db,
            """
            SELECT slot_start, content_hash, matches FROM match_block WHERE slot_start >= ? AND slot_start < ? ORDER BY slot_start
            """)
        defer { select.finalize() }
        select.bind(1, MatchSlot.start(of: period.lowerBound))
        select.bind(2, period.upperBound)
        var result: [MatchWritePlanner.Stored] = []
        while try select.nextRow() {
            let slot = select.int64(0)
            var kept: MatchList?
            // Only a cut slot's matches are read: the others' JSON is never fetched.
            if slot < period.lowerBound || slot + MatchSlot.microseconds > period.upperBound {
                let outside = try MatchJSONReader.matches(in: select.bytes(2), slotStart: slot).filter {
                    !period.contains($0.occurredAt.microseconds)
                }
                kept = outside.isEmpty ? nil : MatchList(outside)
            }
            result.append(MatchWritePlanner.Stored(slotStart: slot, contentHash: select.int64(1), kept: kept))
        }
        return result
    }
}
