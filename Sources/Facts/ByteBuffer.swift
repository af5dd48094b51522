/// A growable run of bytes that appends with one `memcpy`: the id arena of `IdTable` and the staging
/// of `InternBatch`, which take ~10 million appends of ~20 bytes at a million orders.
///
/// `[UInt8].append(contentsOf:)` costs ~100 instructions a call before it copies (measured with
/// callgrind: 200 M of the load's 1.3 G instructions at 100,000 orders, in the arena and the staging
/// alone). A value type like `Array`: copies share storage until one of them appends.
public struct ByteBuffer: @unchecked Sendable {
    /// The capacity lives in the struct, not in the buffer's header: reading a class's stored property
    /// costs a dynamic exclusivity check (~80 instructions, measured), more than the copy it guards.
    private final class Storage: ManagedBuffer<Void, UInt8> {}

    private var storage: Storage
    public private(set) var count = 0
    public private(set) var capacity: Int

    public init(capacity: Int = 0) {
        self.capacity = Swift.max(capacity, 64)
        storage = Self.allocate(self.capacity)
    }

    private static func allocate(_ capacity: Int) -> Storage {
        // `create` returns the ManagedBuffer subclass it was called on.
        Storage.create(minimumCapacity: capacity) { _ in } as! Storage
    }

    /// Makes room for `more` bytes beyond `count`, so that appending them copies nothing else.
    public mutating func reserve(_ more: Int) {
        if count + more > capacity || !isKnownUniquelyReferenced(&storage) { move(toCapacity: Swift.max(count + more, capacity)) }
    }

    @inline(__always)
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        append(count: bytes.count) { $0.copyMemory(from: source, byteCount: bytes.count) }
    }

    /// Appends `n` bytes that `write` sets in place: several fields for one capacity check.
    @inline(__always)
    public mutating func append(count n: Int, _ write: (UnsafeMutableRawPointer) -> Void) {
        if count + n > capacity || !isKnownUniquelyReferenced(&storage) { move(toCapacity: Swift.max(count + n, capacity * 2)) }
        let at = count
        storage.withUnsafeMutablePointerToElements { write(UnsafeMutableRawPointer($0 + at)) }
        count += n
    }

    /// Appends at most `maximum` bytes that `write` sets in place and counts: a record of many fields
    /// whose exact size is only known once written, for one capacity check.
    @inline(__always)
    public mutating func append(upTo maximum: Int, _ write: (UnsafeMutableRawPointer) -> Int) {
        if count + maximum > capacity || !isKnownUniquelyReferenced(&storage) { move(toCapacity: Swift.max(count + maximum, capacity * 2)) }
        let at = count
        let written = storage.withUnsafeMutablePointerToElements { write(UnsafeMutableRawPointer($0 + at)) }
        precondition(written >= 0 && written <= maximum, "ByteBuffer.append(upTo:) wrote more than it reserved")
        count += written
    }

    /// Drops the bytes after the first `newCount`.
    public mutating func truncate(to newCount: Int) {
        precondition(newCount >= 0 && newCount <= count, "ByteBuffer.truncate beyond its bytes")
        count = newCount
    }

    /// A string's UTF-8.
    @inline(__always)
    public mutating func append(_ string: String) {
        var string = string
        string.withUTF8 { append(UnsafeRawBufferPointer($0)) }
    }

    /// A value's bytes as they are in memory (the host's byte order).
    @inline(__always)
    public mutating func append<Value>(bytesOf value: Value) {
        Swift.withUnsafeBytes(of: value) { append($0) }
    }

    public func withUnsafeBytes<T>(_ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        try storage.withUnsafeMutablePointerToElements { try body(UnsafeRawBufferPointer(start: $0, count: count)) }
    }

    public subscript(offset: Int) -> UInt8 {
        precondition(offset >= 0 && offset < count, "ByteBuffer offset out of range")
        return storage.withUnsafeMutablePointerToElements { $0[offset] }
    }

    /// Copies into storage of its own with room for `capacity` bytes: to grow, or before the first
    /// change to storage that another copy shares.
    private mutating func move(toCapacity capacity: Int) {
        let larger = Self.allocate(capacity)
        let count = self.count
        storage.withUnsafeMutablePointerToElements { old in
            larger.withUnsafeMutablePointerToElements { $0.initialize(from: old, count: count) }
        }
        storage = larger
        self.capacity = capacity
    }
}
