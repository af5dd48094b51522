import Core
import Facts

/// The half of `MatchWriter` that needs no connection: it walks the period's slots in order beside the
/// stored ones, lays out each slot's JSON (`MatchJSON`) and compares its hash with the stored one, and
/// hands over blocks of work: slots to delete, slots to write, and how many were left as they were.
struct MatchWritePlanner: Sendable {
    let list: MatchList
    /// The period, in microseconds: every match of the run lies in it.
    let period: Range<Int64>

    /// A slot of the period as stored.
    struct Stored: Sendable {
        let slotStart: Int64
        let contentHash: Int64
        /// The slot's matches outside the period, when the period's edge cuts the slot: they stay.
        let kept: MatchList?
    }

    struct Block: Sendable {
        struct Slot: Sendable { let start: Int64, count: Int, contentHash: Int64, textEnd: Int }
        var removed: [Int64] = []
        var written: [Slot] = []
        /// The written slots' JSON, one after another: a slot's ends at its `textEnd`.
        var text = ByteBuffer(capacity: MatchWritePlanner.blockBytes + 64 * 1_024)
        var unchanged = 0
        var failure: StoreError?

        func text(of k: Int, in all: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
            UnsafeRawBufferPointer(rebasing: all[(k == 0 ? 0 : written[k - 1].textEnd)..<written[k].textEnd])
        }
    }

    /// JSON laid out per block handed over: enough to keep the writer busy, little enough to stay small.
    static let blockBytes = 4 << 20

    func run(stored storedSlots: BoundedHandoff<[Stored]>, into plan: BoundedHandoff<Block>) {
        defer { plan.finish() }
        guard let stored = storedSlots.take() else { return }
        MatchJSON.Source.with(list) { source in lay(stored, from: source, into: plan) }
    }

    private func lay(_ stored: [Stored], from source: MatchJSON.Source, into plan: BoundedHandoff<Block>) {
        let records = list.records
        var block = Block()
        var i = 0
        var p = 0
        while i < records.count || p < stored.count {
            let slot = min(i < records.count ? MatchSlot.start(of: records[i].occurredAt) : .max, p < stored.count ? stored[p].slotStart : .max)
            var before: Stored?
            if p < stored.count, stored[p].slotStart == slot { before = stored[p]; p += 1 }
            var j = i
            while j < records.count, records[j].occurredAt < slot + MatchSlot.microseconds {
                if let failure = invalid(j, of: records) {
                    block.failure = failure
                    _ = plan.put(block)
                    return
                }
                j += 1
            }
            // The slot's matches in stored order: kept ones before the period, the run's, kept ones after it.
            let keptRecords: ArraySlice<MatchList.Record> = before?.kept?.records[...] ?? []
            let keptBefore = keptRecords.prefix { $0.occurredAt < period.lowerBound }
            let keptAfter = keptRecords.dropFirst(keptBefore.count)
            let count = keptBefore.count + (j - i) + keptAfter.count
            if count == 0 {
                if before != nil { block.removed.append(slot) }
            } else {
                let mark = block.text.count
                var first = true
                if let kept = before?.kept, !keptBefore.isEmpty {
                    MatchJSON.Source.with(kept) { MatchJSON.append(keptBefore, of: $0, first: &first, to: &block.text) }
                }
                MatchJSON.append(records[i..<j], of: source, first: &first, to: &block.text)
                if let kept = before?.kept, !keptAfter.isEmpty {
                    MatchJSON.Source.with(kept) { MatchJSON.append(keptAfter, of: $0, first: &first, to: &block.text) }
                }
                MatchJSON.close(&block.text)
                let contentHash = block.text.withUnsafeBytes { MatchSlot.contentHash(UnsafeRawBufferPointer(rebasing: $0[mark...])) }
                if before?.contentHash == contentHash {
                    block.text.truncate(to: mark)
                    block.unchanged += 1
                } else {
                    block.written.append(Block.Slot(start: slot, count: count, contentHash: contentHash, textEnd: block.text.count))
                }
            }
            i = j
            if block.text.count >= Self.blockBytes || block.removed.count + block.written.count + block.unchanged >= 4_096 {
                guard plan.put(block) else { return }
                block = Block()
            }
        }
        _ = plan.put(block)
    }

    /// Why the run's match at `position` cannot be stored, if it cannot. `records` is `list.records`, passed
    /// in so that a million calls do not each fetch the array from the list.
    private func invalid(_ position: Int, of records: [MatchList.Record]) -> StoreError? {
        let r = records[position]
        guard period.contains(r.occurredAt) else {
            return StoreError(
                operation: "save matches",
                reason: "a match at \(Timestamp(microseconds: r.occurredAt)) lies outside the period "
                    + "\(Timestamp(microseconds: period.lowerBound))–\(Timestamp(microseconds: period.upperBound))")
        }
        if position > 0, records[position - 1].occurredAt == r.occurredAt, records[position - 1].keyHash == r.keyHash {
            return StoreError(
                operation: "save matches",
                reason: "two matches at \(Timestamp(microseconds: r.occurredAt)) share key hash \(r.keyHash)")
        }
        return nil
    }
}
