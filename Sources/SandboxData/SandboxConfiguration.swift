import Core

/// What the sandbox account looks like. The same configuration always gives the same account.
public struct SandboxConfiguration: Sendable {
    public var orders: Int
    public var seed: UInt64
    /// Last day of the 90-day window (UTC); fixed by default so that output does not drift with the clock.
    public var lastDay: String
    public var days: Int
    /// false (the default): a US account that settles every currency in USD. true: JPY and KWD settle
    /// in themselves, as some countries' accounts can (priced by fixtures/fee-schedule.json).
    public var settlesLocally: Bool

    public init(orders: Int = 2000, seed: UInt64 = 42, lastDay: String = "2026-09-30", days: Int = 90, settlesLocally: Bool = false) {
        self.orders = orders; self.seed = seed; self.lastDay = lastDay; self.days = days; self.settlesLocally = settlesLocally
    }

    /// How many of each discrepancy kind are planted: 1 per 100 orders, at least 1, at most 50.
    public var plantedPerKind: Int { max(1, min(50, orders / 100)) }

    /// How many of each money shape (partial capture, failed refund, inquiry, …) are planted: 1 per 400
    /// orders, at least 1, at most 10.
    public var shapesPerKind: Int { max(1, min(10, orders / 400)) }
}
