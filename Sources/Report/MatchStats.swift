import Core

/// What the Summary says of the matches (how many, by rule, how many ledger entries they cover),
/// gathered while the Matched sheet streams by, so the matches are read once.
public final class MatchStats: @unchecked Sendable {
    public private(set) var count = 0
    public private(set) var byRule: [Match.Rule: Int] = [:]
    private var ledgerEntries = Set<String>()

    public init() {}

    public var matchedLedgerEntries: Int { ledgerEntries.count }

    func add(_ match: Match) {
        count += 1
        byRule[match.rule, default: 0] += 1
        for id in match.ledgerEntryIds { ledgerEntries.insert(id) }
    }
}
