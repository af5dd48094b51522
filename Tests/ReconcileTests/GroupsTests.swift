import Facts
import Testing

@testable import Reconcile

@Suite struct GroupsTests {
    typealias Row = ReconcileFacts.Ledger

    @Test func keepsEachGroupInTheGivenOrderAndSkipsItemsWithoutKey() {
        // items 0…5 with keys 2, 0, 2, none, 0, 2, given in the order 5, 0, 1, 2, 3, 4
        let keys: [FactID] = [2, 0, 2, -1, 0, 2].map { FactID(raw: $0) }
        let items = [5, 0, 1, 2, 3, 4].map { LedgerIndex($0) }
        let groups = Groups<Row>(items, keyCount: 3, itemCount: 6) { keys[$0.int] }
        func positions(_ key: Int32) -> [Int] { groups.items(FactID(raw: key)).map(\.int) }
        #expect(positions(2) == [5, 0, 2])
        #expect(positions(0) == [1, 4])
        #expect(positions(1).isEmpty)
        #expect(groups.items(.none).map(\.int).isEmpty)
        #expect(groups.first(FactID(raw: 2)) == LedgerIndex(5) && groups.first(FactID(raw: 1)) == nil)
    }
}
