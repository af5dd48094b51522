import Dispatch

/// Two independent pieces of work at once: this thread runs the first while a second runs the other.
/// The machine the nightly job runs on has two cores, and matching is otherwise one thread.
public enum Parallel {
    public static func both<A, B: Sendable>(_ first: () -> A, _ second: @escaping @Sendable () -> B) -> (A, B) {
        let other = ResultBox<B>()
        let group = DispatchGroup()
        // A queue of its own, not the global pool: that pool is as wide as the cores, and a caller already
        // on it (a nested `both`) that waits here could leave `second` no thread to run on.
        DispatchQueue(label: "payrecon.parallel", qos: .userInitiated).async(group: group) { other.value = second() }
        let a = first()
        group.wait()
        return (a, other.value!)
    }
}

/// Written by one thread before `DispatchGroup.wait` returns in the other, which is the ordering
/// the group guarantees; never touched concurrently.
private final class ResultBox<Value>: @unchecked Sendable {
    var value: Value?
}
