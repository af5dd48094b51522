import Core

/// The half of `MatchWriter` that needs no connection: it hashes the run's matches (starting before
/// the stored keys have been read), merges them with the stored keys in key order, and hands over
/// blocks of work: stored rows to delete, changed rows to replace, new rows to insert.
struct MatchWritePlanner: Sendable {
    let list: MatchList
    let runId: Int64
    /// Rows laid out per block handed over: enough to keep the writer busy, few enough to stay small.
    static let blockRows = 32 * MatchWriter.batchRows

    struct Block: Sendable {
        var removed: [MatchWriter.Stored] = []
        var changed = MatchRows()
        var new = MatchRows()
        var unchanged = 0
        var failure: StoreError?
        var size: Int { removed.count + changed.count + new.count + unchanged }
    }

    func run(storedKeys: Handoff<[MatchWriter.Stored]>, into plan: Handoff<Block>) {
        defer { plan.finish() }
        let records = list.records
        // Hash while the writer reads the stored keys (on a period reconciled before, a million of them).
        var hashes: [Int64] = []
        hashes.reserveCapacity(records.count)
        while hashes.count < records.count, !storedKeys.isReady {
            for r in records[hashes.count..<min(records.count, hashes.count + 1_024)] { hashes.append(MatchWriter.contentHash(r, in: list)) }
        }
        guard let previous = storedKeys.take() else { return }
        var p = 0
        var block = Block()
        for (position, r) in records.enumerated() {
            if position > 0, records[position - 1].occurredAt == r.occurredAt, records[position - 1].keyHash == r.keyHash {
                block.failure = StoreError(operation: "save matches",
                                           reason: "two matches at \(Timestamp(microseconds: r.occurredAt)) share key hash \(r.keyHash)")
                _ = plan.put(block)
                return
            }
            while p < previous.count, (previous[p].occurredAt, previous[p].keyHash) < (r.occurredAt, r.keyHash) {
                block.removed.append(previous[p])
                p += 1
            }
            let hash = position < hashes.count ? hashes[position] : MatchWriter.contentHash(r, in: list)
            if p < previous.count, previous[p].occurredAt == r.occurredAt, previous[p].keyHash == r.keyHash {
                p += 1
                if previous[p - 1].contentHash == hash {
                    block.unchanged += 1
                } else {
                    block.changed.add(r, of: list, runId: runId, contentHash: hash)
                }
            } else {
                block.new.add(r, of: list, runId: runId, contentHash: hash)
            }
            if block.size >= Self.blockRows {
                guard plan.put(block) else { return }
                block = Block()
            }
        }
        block.removed += previous[p...]
        _ = plan.put(block)
    }
}
