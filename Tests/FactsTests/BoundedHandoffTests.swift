import Dispatch
import Facts
import Testing

@Suite struct BoundedHandoffTests {
    @Test func itemsArriveInOrderAndTakeEndsWhenTheProducerFinishes() {
        let handoff = BoundedHandoff<Int>(capacity: 2)
        DispatchQueue.global().async {
            for k in 0..<100 { _ = handoff.put(k) }
            handoff.finish()
        }
        var received: [Int] = []
        while let k = handoff.take() { received.append(k) }
        #expect(received == Array(0..<100))
        #expect(handoff.take() == nil)
    }

    @Test func cancellingReleasesAProducerWaitingForRoom() {
        let handoff = BoundedHandoff<Int>(capacity: 1)
        let first = DispatchSemaphore(value: 0)
        let done = DispatchSemaphore(value: 0)
        let accepted = Accepted()
        DispatchQueue.global().async {
            // The first fits; the second waits for room that never comes, until the consumer cancels.
            accepted.add(handoff.put(1))
            first.signal()
            accepted.add(handoff.put(2))
            done.signal()
        }
        first.wait()
        #expect(done.wait(timeout: .now() + .milliseconds(200)) == .timedOut)
        handoff.cancel()
        #expect(done.wait(timeout: .now() + .seconds(10)) == .success)
        #expect(accepted.values == [true, false])
        #expect(handoff.take() == nil)
    }
}

/// What the producer's `put`s returned, read by the test after the producer signalled.
private final class Accepted: @unchecked Sendable {
    private(set) var values: [Bool] = []
    func add(_ value: Bool) { values.append(value) }
}
