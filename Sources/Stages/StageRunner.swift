import Core
import Store

/// Runs one stage as a recorded run: start the run, do the work, then finish it as succeeded with the
/// work's summary, or as failed with the error. Every stage goes through here, so a run is recorded
/// one way; runs left `running` by a process that died (kill -9) are marked abandoned first.
public struct StageRunner: Sendable {
    public let store: PayreconStore
    public let clock: @Sendable () -> Timestamp

    public init(store: PayreconStore, clock: @escaping @Sendable () -> Timestamp = StageClock.now) {
        self.store = store; self.clock = clock
    }

    /// What a stage's work returns: its value, and the line the run record keeps.
    public struct Outcome<Value> {
        public var value: Value
        public var summary: String
        public init(_ value: Value, summary: String) { self.value = value; self.summary = summary }
    }

    public func run<Value>(_ stage: String, parameters: String, _ work: (Int64) throws -> Outcome<Value>) throws -> Value {
        let run = try begin(stage, parameters: parameters)
        do { return try succeed(run, try work(run)) } catch {
            fail(run, error)
            throw error
        }
    }

    public func run<Value>(_ stage: String, parameters: String, _ work: (Int64) async throws -> Outcome<Value>) async throws -> Value {
        let run = try begin(stage, parameters: parameters)
        do { return try succeed(run, try await work(run)) } catch {
            fail(run, error)
            throw error
        }
    }

    private func succeed<Value>(_ run: Int64, _ outcome: Outcome<Value>) throws -> Value {
        try store.finishRun(run, status: "succeeded", summary: outcome.summary, at: clock())
        return outcome.value
    }

    private func begin(_ stage: String, parameters: String) throws -> Int64 {
        try store.abandonDeadRuns(at: clock())
        return try store.startRun(stage: stage, parameters: parameters, at: clock())
    }

    /// Records the failure; if even that fails (the store went away), the stage's own error is what the caller sees.
    private func fail(_ run: Int64, _ error: any Error) {
        try? store.finishRun(run, status: "failed", summary: CardNumberMask.mask(String(describing: error)), at: clock())
    }
}
