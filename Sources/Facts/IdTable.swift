/// The ids of one reconciliation (charges, orders, ledger entries, …) as small integers.
///
/// At a million orders the reconciler joins about six million ids. As Swift `String`s each is a heap
/// object that is hashed, retained and compared by bytes on every lookup; here each id is stored once,
/// as bytes in one arena, and everything after loading compares and indexes `FactID`s (an `Int32` each). The store feeds
/// it straight from SQLite's column buffers, so no `String` is made for an id that is only joined.
public struct IdTable: Sendable {
    /// "No id" (a ledger row without stripe_id, a charge without metadata.order_id).
    @inlinable public static var none: FactID { .none }

    /// Every id as a record: its length (UInt32) and its id (Int32), then its bytes. A probe that finds
    /// its id reads one place in memory: at a million orders each lookup misses the cache, and one miss
    /// fewer per found id is a tenth of the load.
    private var bytes = ByteBuffer()
    /// Where id i's record starts in `bytes`; it ends where `starts[i + 1]` starts.
    private var starts: [Int] = [0]
    private static let header = 8
    /// Open addressing, linear probing. A slot holds the id's 32-bit hash (high half) and its record's
    /// offset + 1 (low half; 0 is empty), so a probe that meets another id is rejected without touching
    /// its bytes. Only interned ids are in it.
    private var slots: [UInt64] = Array(repeating: 0, count: 1 << 10)
    private var findable = 0

    public init() {}

    /// Makes room for `ids` more ids of about `bytesEach` bytes, `findable` of them interned, so that
    /// loading a million rows does not rehash and copy the table over and over.
    public mutating func reserve(ids: Int, findable more: Int? = nil, bytesEach: Int = 20) {
        bytes.reserve(ids * (bytesEach + Self.header))
        starts.reserveCapacity(starts.count + ids)
        var size = slots.count
        while Self.isCrowded(findable + (more ?? ids), size) { size *= 2 }
        if size > slots.count { rehash(size) }
    }

    /// Slots at most 60 % full. Probing is linear, so a longer run mostly stays in one cache line,
    /// and at 4.5 M ids the table is half the size the old 50 % rule gave it (64 MB, not 128 MB).
    private static func isCrowded(_ findable: Int, _ slots: Int) -> Bool { findable * 5 > slots * 3 }

    public var count: Int { starts.count - 1 }

    /// The id of these bytes, added if new: for ids that are joined.
    public mutating func intern(_ text: UnsafeRawBufferPointer) -> FactID { intern(text, hash: Self.hash(text)) }

    private mutating func intern(_ text: UnsafeRawBufferPointer, hash: UInt32) -> FactID {
        let (found, slot) = probe(text, hash: hash)
        if let found { return found }
        let record = bytes.count
        precondition(record < Int(UInt32.max), "IdTable holds at most 4 GiB of ids")
        let id = append(text)
        slots[slot] = UInt64(hash) << 32 | UInt64(record + 1)
        findable += 1
        if Self.isCrowded(findable, slots.count) { rehash(slots.count * 2) }
        return id
    }

    /// The id holding these bytes, or the empty slot where they would go.
    private func probe(_ text: UnsafeRawBufferPointer, hash: UInt32) -> (found: FactID?, slot: Int) {
        let mask = slots.count - 1
        var slot = Int(hash) & mask
        return bytes.withUnsafeBytes { arena in
            slots.withUnsafeBufferPointer { slots in
                while slots[slot] != 0 {
                    let entry = slots[slot]
                    if UInt32(truncatingIfNeeded: entry >> 32) == hash {
                        let record = Int(UInt32(truncatingIfNeeded: entry)) - 1
                        let length = Int(arena.loadUnaligned(fromByteOffset: record, as: UInt32.self))
                        if length == text.count, length == 0 || memcmpBytes(arena.baseAddress! + record + Self.header, text.baseAddress!, length) {
                            return (FactID(raw: arena.loadUnaligned(fromByteOffset: record + 4, as: Int32.self)), slot)
                        }
                    }
                    slot = (slot + 1) & mask
                }
                return (nil, slot)
            }
        }
    }

    public mutating func intern(_ text: String) -> FactID {
        Self.withBytes(of: text) { intern($0) }
    }

    /// A `String`'s UTF-8 bytes for the byte-based calls (which never keep them).
    private static func withBytes<T>(of text: String, _ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        var copy = text
        return try copy.withUTF8 { try body(UnsafeRawBufferPointer($0)) }
    }

    /// Interns (or appends) every id of a batch, results in `batch.results`: the loader stages ids in
    /// batches so that interning runs on its own thread while SQLite reads on.
    ///
    /// At a million orders the slots and records are ~190 MB, so nearly every probe misses the cache:
    /// one id at a time, that is two misses in a row (slot, then record), ~190 ns here. Loading the
    /// batch's slots first, then the records they point at, lets the misses of a whole batch overlap
    /// (measured here: 11 ns a random load when loads are independent, 167 ns when each waits on the
    /// last); the probes that follow then hit the cache.
    public mutating func intern(_ batch: inout InternBatch) {
        let count = batch.ends.count
        batch.results.removeAll(keepingCapacity: true)
        batch.hashes.removeAll(keepingCapacity: true)
        batch.bytes.withUnsafeBytes { all in
            var start = 0
            for k in 0..<count {
                // Printed-only ids (a third of them: ledger entries, transactions) are never looked up.
                batch.hashes.append(batch.appendOnly[k] ? 0 : Self.hash(UnsafeRawBufferPointer(rebasing: all[start..<batch.ends[k]])))
                start = batch.ends[k]
            }
            batch.warmed &+= warm(batch.hashes, skipping: batch.appendOnly)
            start = 0
            for k in 0..<count {
                let text = UnsafeRawBufferPointer(rebasing: all[start..<batch.ends[k]])
                start = batch.ends[k]
                if batch.appendOnly[k] {
                    batch.results.append(append(text))
                } else {
                    batch.results.append(text.isEmpty ? Self.none : intern(text, hash: batch.hashes[k]))
                }
            }
        }
    }

    /// Loads the slot of every hash, then the record of every slot whose hash matches, each pass with
    /// no load waiting on another. Returns a sum of what it read so the loads are not optimised away.
    private func warm(_ hashes: [UInt32], skipping: [Bool]) -> UInt64 {
        let mask = slots.count - 1
        var sum: UInt64 = 0
        slots.withUnsafeBufferPointer { slots in
            hashes.withUnsafeBufferPointer { hashes in
                for k in hashes.indices where !skipping[k] { sum &+= slots[Int(hashes[k]) & mask] }
                bytes.withUnsafeBytes { arena in
                    for k in hashes.indices where !skipping[k] {
                        let entry = slots[Int(hashes[k]) & mask]
                        if entry != 0 && UInt32(truncatingIfNeeded: entry >> 32) == hashes[k] {
                            sum &+= UInt64(arena.load(fromByteOffset: Int(UInt32(truncatingIfNeeded: entry)) - 1, as: UInt8.self))
                        }
                    }
                }
            }
        }
        return sum
    }

    /// Stores bytes without making them findable: for ids that are only ever printed (ledger entry ids).
    public mutating func append(_ text: UnsafeRawBufferPointer) -> FactID {
        let id = Int32(count)
        bytes.append(count: Self.header + text.count) { record in
            record.storeBytes(of: UInt32(text.count), as: UInt32.self)
            record.storeBytes(of: id, toByteOffset: 4, as: Int32.self)
            if let source = text.baseAddress { (record + Self.header).copyMemory(from: source, byteCount: text.count) }
        }
        starts.append(bytes.count)
        return FactID(raw: id)
    }

    public mutating func append(_ text: String) -> FactID {
        Self.withBytes(of: text) { append($0) }
    }

    /// The id of these bytes if they were interned.
    public func find(_ text: String) -> FactID? {
        Self.withBytes(of: text) { probe($0, hash: Self.hash($0)).found }
    }

    public func string(_ id: FactID) -> String {
        withBytes(id) { String(decoding: $0, as: UTF8.self) }
    }

    /// Where the id's bytes are in `bytes` (after its record's header).
    private func text(_ id: FactID) -> Range<Int> { starts[id.index] + Self.header..<starts[id.index + 1] }

    /// The id as text, nil for `none`.
    public func optionalString(_ id: FactID) -> String? { id == Self.none ? nil : string(id) }

    public func hasPrefix(_ id: FactID, _ prefix: StaticString) -> Bool {
        guard id != Self.none else { return false }
        return withBytes(id) { text in
            text.count >= prefix.utf8CodeUnitCount
                && memcmpBytes(text.baseAddress ?? UnsafeRawPointer(prefix.utf8Start), prefix.utf8Start, prefix.utf8CodeUnitCount)
        }
    }

    /// Byte order of two ids (the order of their strings, as UTF-8 sorts).
    public func precedes(_ a: FactID, _ b: FactID) -> Bool {
        let (x, y) = (text(a), text(b))
        return bytes.withUnsafeBytes { all in
            let common = min(x.count, y.count)
            for k in 0..<common where all[x.lowerBound + k] != all[y.lowerBound + k] { return all[x.lowerBound + k] < all[y.lowerBound + k] }
            return x.count < y.count
        }
    }

    /// Every id's bytes through pointers: no retain and no bounds check per id, for loops over millions
    /// of ids (the match writer's JSON). Valid only inside `withTexts`.
    public struct Texts {
        fileprivate let arena: UnsafeRawPointer
        fileprivate let starts: UnsafeBufferPointer<Int>

        @inline(__always)
        public func bytes(_ id: FactID) -> UnsafeRawBufferPointer {
            let start = starts[id.index] + IdTable.header
            return UnsafeRawBufferPointer(start: arena + start, count: starts[id.index + 1] - start)
        }
    }

    public func withTexts<T>(_ body: (Texts) throws -> T) rethrows -> T {
        try bytes.withUnsafeBytes { all in
            try starts.withUnsafeBufferPointer { starts in
                // An empty arena has no base address; no id can be asked of it then.
                try body(Texts(arena: all.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, starts: starts))
            }
        }
    }

    /// Calls `body` with the id's bytes (valid only during the call): for writers that bind them as they are.
    public func withBytes<T>(_ id: FactID, _ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        let range = text(id)
        return try bytes.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[range])) }
    }

    /// Feeds the id's bytes to an FNV-1a hash.
    public func mix(_ id: FactID, into hash: inout UInt64) {
        withBytes(id) { FNV.mix($0, into: &hash) }
    }

    private mutating func rehash(_ size: Int) {
        var larger = [UInt64](repeating: 0, count: size)
        let mask = size - 1
        for entry in slots where entry != 0 {
            var slot = Int(entry >> 32) & mask
            while larger[slot] != 0 { slot = (slot + 1) & mask }
            larger[slot] = entry
        }
        slots = larger
    }

    /// Eight bytes at a time, multiply and fold: ids are ~20 bytes, so three rounds instead of twenty.
    private static func hash(_ text: UnsafeRawBufferPointer) -> UInt32 {
        var hash: UInt64 = 0x9e37_79b9_7f4a_7c15 ^ UInt64(text.count)
        var k = 0
        while k + 8 <= text.count {
            hash = (hash ^ text.loadUnaligned(fromByteOffset: k, as: UInt64.self)) &* 0xbf58_476d_1ce4_e5b9
            hash ^= hash >> 31
            k += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while k < text.count { tail |= UInt64(text[k]) << shift; shift += 8; k += 1 }
        hash = (hash ^ tail) &* 0x94d0_49bb_1331_11eb
        hash ^= hash >> 29
        return UInt32(truncatingIfNeeded: hash >> 32)
    }
}

func memcmpBytes(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ count: Int) -> Bool {
    var k = 0
    while k + 8 <= count {
        if a.loadUnaligned(fromByteOffset: k, as: UInt64.self) != b.loadUnaligned(fromByteOffset: k, as: UInt64.self) { return false }
        k += 8
    }
    while k < count {
        if a.load(fromByteOffset: k, as: UInt8.self) != b.load(fromByteOffset: k, as: UInt8.self) { return false }
        k += 1
    }
    return true
}
