import Core

/// A reconciliation's matches, compact: a million of them are a million small records over the run's
/// `IdTable`, not a million `Match` values with arrays of strings. A `Match` is made when one is read;
/// the store writes the records directly.
///
/// Order: by `occurredAt`, then `keyHash` (a stable hash of the match id), the order the store reads
/// them back in. Deterministic for the same input, ids included.
public struct MatchList: RandomAccessCollection, Sendable, Equatable, ExpressibleByArrayLiteral {
    public struct Record: Sendable {
        public var rule: Match.Rule
        /// The rule's key as an id; `IdTable.none` for the amount-and-window rule, whose key is the ledger
        /// amount and `windowHours`.
        public var key: FactID
        public var order: FactID
        public var ledgerStart: Int32
        public var ledgerCount: Int32
        public var stripeStart: Int32
        public var stripeCount: Int32
        public var ledgerCurrency: Currency
        public var stripeCurrency: Currency
        public var ledgerAmount: Int64
        public var stripeAmount: Int64
        /// Microseconds.
        public var occurredAt: Int64
        public var keyHash: Int64
        /// The currency the match's balance transactions settled in; nil when unknown (see `MatchSettlement`).
        public var settlement: Currency? = nil
        public var fee: Int64 = 0
        public var net: Int64 = 0
        /// The payouts its transactions went out in: a slice of `payoutMembers`.
        public var payoutStart: Int32 = 0
        public var payoutCount: Int32 = 0
    }

    public private(set) var ids: IdTable
    public private(set) var records: [Record] = []
    /// Ledger entry ids and Stripe ids of all records, each record a slice.
    public private(set) var ledgerMembers: [FactID] = []
    public private(set) var stripeMembers: [FactID] = []
    /// Payout ids of all records (`settle`), each record a slice.
    public private(set) var payoutMembers: [FactID] = []
    /// The window of the amount-and-window rule's key.
    public private(set) var windowHours: Int64

    public init(ids: IdTable, windowHours: Int64) { self.ids = ids; self.windowHours = windowHours }

    /// A list made from `Match` values (tests, and callers that have them).
    public init(_ matches: [Match]) {
        var ids = IdTable()
        var list = MatchList(ids: IdTable(), windowHours: 0)
        for m in matches {
            let ledger = m.ledgerEntryIds.map { ids.append($0) }
            let stripe = m.stripeIds.map { ids.intern($0) }
            let payouts = (m.settlement?.payoutIds ?? []).map { ids.intern($0) }
            var key = IdTable.none
            switch m.key {
            case .id(let id): key = ids.append(id)
            case .amountWithin(_, let hours): list.windowHours = hours
            }
            list.records.append(
                Record(
                    rule: m.rule, key: key, order: m.orderId.map { ids.intern($0) } ?? IdTable.none,
                    ledgerStart: Int32(list.ledgerMembers.count), ledgerCount: Int32(ledger.count),
                    stripeStart: Int32(list.stripeMembers.count), stripeCount: Int32(stripe.count),
                    ledgerCurrency: m.ledgerAmount.currency, stripeCurrency: m.stripeAmount.currency,
                    ledgerAmount: m.ledgerAmount.minorUnits, stripeAmount: m.stripeAmount.minorUnits,
                    occurredAt: m.occurredAt.microseconds, keyHash: m.keyHash, settlement: m.settlement?.currency,
                    fee: m.settlement?.fee.minorUnits ?? 0, net: m.settlement?.net.minorUnits ?? 0,
                    payoutStart: Int32(list.payoutMembers.count), payoutCount: Int32(payouts.count)))
            list.ledgerMembers += ledger
            list.stripeMembers += stripe
            list.payoutMembers += payouts
        }
        list.ids = ids
        list.sort()
        self = list
    }

    public init(arrayLiteral elements: Match...) { self.init(elements) }

    /// Appends a match of one ledger entry and one Stripe object (almost all of them).
    public mutating func append(
        rule: Match.Rule, key: FactID, order: FactID, ledgerEntry: FactID, stripeId: FactID,
        ledgerAmount: Money, stripeAmount: Money, occurredAt: Timestamp
    ) {
        ledgerMembers.append(ledgerEntry)
        stripeMembers.append(stripeId)
        appendRecord(
            rule: rule, key: key, order: order, ledgerCount: 1, stripeCount: 1, ledgerAmount: ledgerAmount,
            stripeAmount: stripeAmount, occurredAt: occurredAt)
    }

    public mutating func append(
        rule: Match.Rule, key: FactID, order: FactID, ledgerEntries: [FactID], stripeIds: [FactID],
        ledgerAmount: Money, stripeAmount: Money, occurredAt: Timestamp
    ) {
        ledgerMembers.append(contentsOf: ledgerEntries)
        stripeMembers.append(contentsOf: stripeIds)
        appendRecord(
            rule: rule, key: key, order: order, ledgerCount: ledgerEntries.count, stripeCount: stripeIds.count,
            ledgerAmount: ledgerAmount, stripeAmount: stripeAmount, occurredAt: occurredAt)
    }

    /// Room for `count` more matches of one ledger entry and one Stripe object each: a million appends
    /// would otherwise double the arrays and, while each copy is made, hold both.
    public mutating func reserveCapacity(_ count: Int) {
        records.reserveCapacity(records.count + count)
        ledgerMembers.reserveCapacity(ledgerMembers.count + count)
        stripeMembers.reserveCapacity(stripeMembers.count + count)
    }

    /// Appends the matches of `other`, which must be over the same `IdTable` as this list (a copy of it
    /// made from the same facts): ids are not translated.
    public mutating func append(contentsOf other: MatchList) {
        // Grow once to the exact size: doubling a million records would copy them and hold both copies.
        records.reserveCapacity(records.count + other.records.count)
        let ledgerBase = Int32(ledgerMembers.count)
        let stripeBase = Int32(stripeMembers.count)
        let payoutBase = Int32(payoutMembers.count)
        ledgerMembers += other.ledgerMembers
        stripeMembers += other.stripeMembers
        payoutMembers += other.payoutMembers
        records += other.records.map { record in
            var record = record
            record.ledgerStart += ledgerBase
            record.stripeStart += stripeBase
            record.payoutStart += payoutBase
            return record
        }
    }

    /// Sets every record's settlement (`MatchSettlement`): `body` returns its currency, fee and net (nil:
    /// unknown) and appends the record's payouts to the array it is given.
    public mutating func settle(
        _ body: (_ record: Record, _ stripeIds: ArraySlice<FactID>, _ payouts: inout [FactID]) -> (currency: Currency, fee: Int64, net: Int64)?
    ) {
        var payouts: [FactID] = []
        payouts.reserveCapacity(records.count)
        for k in records.indices {
            let start = payouts.count
            let settled = body(records[k], stripeIds(records[k]), &payouts)
            records[k].settlement = settled?.currency
            records[k].fee = settled?.fee ?? 0
            records[k].net = settled?.net ?? 0
            if settled == nil { payouts.removeSubrange(start...) }
            records[k].payoutStart = Int32(start)
            records[k].payoutCount = Int32(payouts.count - start)
        }
        payoutMembers = payouts
    }

    /// The record of members just appended.
    private mutating func appendRecord(
        rule: Match.Rule, key: FactID, order: FactID, ledgerCount: Int, stripeCount: Int,
        ledgerAmount: Money, stripeAmount: Money, occurredAt: Timestamp
    ) {
        var record = Record(
            rule: rule, key: key, order: order, ledgerStart: Int32(ledgerMembers.count - ledgerCount),
            ledgerCount: Int32(ledgerCount), stripeStart: Int32(stripeMembers.count - stripeCount), stripeCount: Int32(stripeCount),
            ledgerCurrency: ledgerAmount.currency, stripeCurrency: stripeAmount.currency,
            ledgerAmount: ledgerAmount.minorUnits, stripeAmount: stripeAmount.minorUnits,
            occurredAt: occurredAt.microseconds, keyHash: 0)
        record.keyHash = keyHash(of: record)
        records.append(record)
    }

    /// Puts the records in their published order.
    public mutating func sort() {
        records.sort { ($0.occurredAt, $0.keyHash) < ($1.occurredAt, $1.keyHash) }
    }

    public func ledgerIds(_ r: Record) -> ArraySlice<FactID> { ledgerMembers[Int(r.ledgerStart)..<Int(r.ledgerStart + r.ledgerCount)] }
    public func stripeIds(_ r: Record) -> ArraySlice<FactID> { stripeMembers[Int(r.stripeStart)..<Int(r.stripeStart + r.stripeCount)] }
    public func payoutIds(_ r: Record) -> ArraySlice<FactID> { payoutMembers[Int(r.payoutStart)..<Int(r.payoutStart + r.payoutCount)] }

    public func settlement(_ r: Record) -> MatchSettlement? {
        r.settlement.map { currency in
            MatchSettlement(
                fee: Money(minorUnits: r.fee, currency: currency), net: Money(minorUnits: r.net, currency: currency),
                payoutIds: payoutIds(r).map(ids.string))
        }
    }

    public func key(_ r: Record) -> MatchKey {
        r.key == IdTable.none
            ? .amountWithin(Money(minorUnits: r.ledgerAmount, currency: r.ledgerCurrency), hours: windowHours)
            : .id(ids.string(r.key))
    }

    /// FNV-1a 64 of the match id ("<rule>/<ledger ids and Stripe ids joined by +>"), without making it.
    func keyHash(of r: Record) -> Int64 {
        var hash = FNV.offset
        FNV.mix(r.rule.rawValue, into: &hash)
        hash = (hash ^ UInt64(UInt8(ascii: "/"))) &* FNV.prime
        for (position, id) in ledgerIds(r).enumerated() {
            if position > 0 { hash = (hash ^ UInt64(UInt8(ascii: "+"))) &* FNV.prime }
            ids.mix(id, into: &hash)
        }
        for (position, id) in stripeIds(r).enumerated() {
            if r.ledgerCount > 0 || position > 0 { hash = (hash ^ UInt64(UInt8(ascii: "+"))) &* FNV.prime }
            ids.mix(id, into: &hash)
        }
        return Int64(bitPattern: hash)
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { records.count }

    public subscript(position: Int) -> Match {
        let r = records[position]
        return Match(
            rule: r.rule, key: key(r), orderId: ids.optionalString(r.order), ledgerEntryIds: ledgerIds(r).map(ids.string),
            stripeIds: stripeIds(r).map(ids.string), ledgerAmount: Money(minorUnits: r.ledgerAmount, currency: r.ledgerCurrency),
            stripeAmount: Money(minorUnits: r.stripeAmount, currency: r.stripeCurrency),
            occurredAt: Timestamp(microseconds: r.occurredAt), settlement: settlement(r))
    }

    public static func == (lhs: MatchList, rhs: MatchList) -> Bool { lhs.elementsEqual(rhs) }
}

extension Match {
    /// FNV-1a 64 of `id`: stable across processes, so the store keys matches by it.
    public var keyHash: Int64 {
        var hash = FNV.offset
        FNV.mix(id, into: &hash)
        return Int64(bitPattern: hash)
    }
}
