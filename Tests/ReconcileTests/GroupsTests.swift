@testable import Reconcile
import Testing

@Suite struct GroupsTests {
    @Test func keepsEachGroupInTheGivenOrderAndSkipsItemsWithoutKey() {
        // items 0…5 with keys 2, 0, 2, -1 (none), 0, 2, given in the order 5, 0, 1, 2, 3, 4
        let keys: [Int32] = [2, 0, 2, -1, 0, 2]
        let groups = Groups([5, 0, 1, 2, 3, 4], keyCount: 3, itemCount: 6) { keys[Int($0)] }
        #expect(Array(groups.items(2)) == [5, 0, 2])
        #expect(Array(groups.items(0)) == [1, 4])
        #expect(Array(groups.items(1)).isEmpty)
        #expect(Array(groups.items(-1)).isEmpty)
        #expect(groups.first(2) == 5 && groups.first(1) == nil)
    }
}
