/// How many windows may be walked at once (`--concurrency`): a walking window asks for a spare slot
/// before it splits, so a pull never runs more requests at once than it was allowed.
actor ExtractSlots {
    private let limit: Int
    private var used = 0

    init(limit: Int) { self.limit = max(1, limit) }

    /// Takes a slot when one is free.
    func take() -> Bool {
        guard used < limit else { return false }
        used += 1
        return true
    }

    func release() { used -= 1 }
}
