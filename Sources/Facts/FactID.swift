/// An interned id: its number in one reconciliation's `IdTable`, or `none`. A type of its own, not a
/// bare `Int32`, so that an id cannot be used as a fact position or a time (the compiler says so); it
/// is one `Int32` in memory, and every operation on it inlines to the integer's.
@frozen public struct FactID: Hashable, Sendable, CustomStringConvertible {
    public let raw: Int32

    @inlinable public init(raw: Int32) { self.raw = raw }

    /// "No id" (a ledger row without stripe_id, a charge without metadata.order_id).
    /// Computed and inlinable, not a stored `static let`: a stored one is reached through a lazy-initialisation
    /// check on every use from another module, which the hot loops compare against millions of times.
    @inlinable public static var none: FactID { FactID(raw: -1) }

    @inlinable public var isNone: Bool { raw < 0 }
    /// Its place in a table of every id (`IdMap`).
    @inlinable public var index: Int { Int(raw) }

    public var description: String { "#\(raw)" }

    // Written out and inlinable: the synthesized conformances are not, so every dictionary lookup from
    // another module would call through them.
    @inlinable public static func == (lhs: FactID, rhs: FactID) -> Bool { lhs.raw == rhs.raw }
    @inlinable public func hash(into hasher: inout Hasher) { hasher.combine(raw) }
}

/// A dense table with a value for every id of one `IdTable`: what a dictionary keyed by id would be,
/// without hashing.
public struct IdMap<Value>: Sendable where Value: Sendable {
    @usableFromInline var values: [Value]

    @inlinable public init(repeating value: Value, count: Int) { values = Array(repeating: value, count: count) }

    @inlinable public subscript(id: FactID) -> Value {
        get { values[id.index] }
        set { values[id.index] = newValue }
    }
}
