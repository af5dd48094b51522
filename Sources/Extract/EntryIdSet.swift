/// The entry ids an import has seen, each with the line it was first on: the duplicate check, asked once
/// a row. Open addressing on a 64-bit FNV-1a of the id's bytes, the id itself compared on a hash match.
/// Swift's `[String: Int]` was a fifth of the parser's time at 1.2 M rows (SipHash seeding and
/// finalising per lookup, and the table's regrowth).
struct EntryIdSet: Sendable {
    private struct Slot {
        var hash: UInt64
        var line: Int32
        /// Into `ids`, plus one; 0 for an empty slot.
        var id: Int32
    }

    private var slots = [Slot](repeating: Slot(hash: 0, line: 0, id: 0), count: 1 << 12)
    private var ids: [String] = []

    var count: Int { ids.count }

    /// The line the id was first on, or nil when it is new (and is now kept with `line`).
    mutating func insert(_ id: String, line: Int) -> Int? {
        let hash = Self.hash(id)
        var index = Int(truncatingIfNeeded: hash) & (slots.count - 1)
        while slots[index].id != 0 {
            if slots[index].hash == hash, ids[Int(slots[index].id) - 1] == id { return Int(slots[index].line) }
            index = (index + 1) & (slots.count - 1)
        }
        ids.append(id)
        slots[index] = Slot(hash: hash, line: Int32(clamping: line), id: Int32(ids.count))
        if ids.count * 4 > slots.count * 3 { grow() }
        return nil
    }

    func line(of id: String) -> Int? {
        let hash = Self.hash(id)
        var index = Int(truncatingIfNeeded: hash) & (slots.count - 1)
        while slots[index].id != 0 {
            if slots[index].hash == hash, ids[Int(slots[index].id) - 1] == id { return Int(slots[index].line) }
            index = (index + 1) & (slots.count - 1)
        }
        return nil
    }

    private mutating func grow() {
        let old = slots
        slots = [Slot](repeating: Slot(hash: 0, line: 0, id: 0), count: old.count * 2)
        for slot in old where slot.id != 0 {
            var index = Int(truncatingIfNeeded: slot.hash) & (slots.count - 1)
            while slots[index].id != 0 { index = (index + 1) & (slots.count - 1) }
            slots[index] = slot
        }
    }

    static func hash(_ id: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in id.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return hash
    }
}
