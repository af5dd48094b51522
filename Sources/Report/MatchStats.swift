import Core

/// What the Summary says of the matches (how many, by rule, how many ledger entries they cover),
/// gathered while the Matched sheet streams by, so the matches are read once.
public final class MatchStats: @unchecked Sendable {
    public private(set) var count = 0
    public private(set) var byRule: [Match.Rule: Int] = [:]
    /// A sum, not a set of ids: the reconciler puts a ledger entry in one match at most.
    public private(set) var matchedLedgerEntries = 0

    public init() {}

    func add(_ match: Match) {
        count += 1
        byRule[match.rule, default: 0] += 1
        matchedLedgerEntries += match.ledgerEntryIds.count
    }
}
