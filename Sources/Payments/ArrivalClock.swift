import Foundation

/// When the last webhook arrived. Rendering invoices on every core slows acknowledgements down (each
/// core busy rendering is one not answering), so preparation leaves a core free only while
/// deliveries are coming in, and takes them all once the endpoint has been quiet for a moment.
final class ArrivalClock: @unchecked Sendable {
    private let lock = NSLock()
    private var last = ContinuousClock.now - .seconds(3_600)

    func arrived() { lock.withLock { last = ContinuousClock.now } }

    /// True when nothing arrived for `quiet`.
    func isQuiet(for quiet: Duration) -> Bool { lock.withLock { last.duration(to: ContinuousClock.now) > quiet } }
}
