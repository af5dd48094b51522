/// Ids waiting to be interned together (see `IdTable.intern(_: inout InternBatch)`).
public struct InternBatch: Sendable {
    var bytes = ByteBuffer(capacity: 64 * 1_024)
    var ends: [Int] = []
    var appendOnly: [Bool] = []
    var hashes: [UInt32] = []
    /// What `IdTable.warm` read, kept so its loads are not optimised away.
    var warmed: UInt64 = 0
    public internal(set) var results: [FactID] = []

    public init() {}

    /// Adds an id; an empty one interns to `IdTable.none`. `appendOnly`: stored, not findable (see `IdTable.append`).
    public mutating func add(_ text: UnsafeRawBufferPointer, appendOnly: Bool = false) {
        bytes.append(text)
        ends.append(bytes.count)
        self.appendOnly.append(appendOnly)
    }
}
