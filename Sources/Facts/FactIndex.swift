/// A position in one fact array: `FactIndex<ReconcileFacts.Ledger>` indexes the ledger rows and
/// nothing else, so a charge's position cannot read a ledger row. One `Int32` in memory.
@frozen public struct FactIndex<Fact>: Hashable, Sendable, Comparable {
    public let raw: Int32

    @inlinable public init(raw: Int32) { self.raw = raw }
    @inlinable public init(_ position: Int) { raw = Int32(truncatingIfNeeded: position) }

    /// "No position" (an id whose fact is not loaded).
    @inlinable public static var none: FactIndex { FactIndex(raw: -1) }

    @inlinable public var isNone: Bool { raw < 0 }
    @inlinable public var int: Int { Int(raw) }

    @inlinable public static func < (lhs: FactIndex, rhs: FactIndex) -> Bool { lhs.raw < rhs.raw }
    // Inlinable, unlike the synthesized ones (see `FactID`).
    @inlinable public static func == (lhs: FactIndex, rhs: FactIndex) -> Bool { lhs.raw == rhs.raw }
    @inlinable public func hash(into hasher: inout Hasher) { hasher.combine(raw) }
}

extension Array {
    /// The fact at a typed position.
    @inlinable public subscript(position: FactIndex<Element>) -> Element {
        get { self[position.int] }
        set { self[position.int] = newValue }
    }

    /// Every position of this array, typed.
    @inlinable public var factIndices: [FactIndex<Element>] { (0..<count).map { FactIndex($0) } }
}

/// Positions in each of `ReconcileFacts`' arrays.
public typealias LedgerIndex = FactIndex<ReconcileFacts.Ledger>
public typealias ChargeIndex = FactIndex<ReconcileFacts.Charge>
public typealias RefundIndex = FactIndex<ReconcileFacts.Refund>
public typealias TransactionIndex = FactIndex<ReconcileFacts.Transaction>

/// A value for every fact of one array (a flag per charge, say), read and written by typed position.
public struct FactColumn<Fact, Value>: Sendable where Value: Sendable {
    @usableFromInline var values: [Value]

    @inlinable public init(repeating value: Value, count: Int) { values = Array(repeating: value, count: count) }

    @inlinable public subscript(position: FactIndex<Fact>) -> Value {
        get { values[position.int] }
        set { values[position.int] = newValue }
    }
}
