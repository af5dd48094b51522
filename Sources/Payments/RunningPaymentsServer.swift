import Logging
import ServiceLifecycle

/// `payrecon serve` in-process on the configured port (0: a free one), with its background
/// workers, for tests and the benchmark. `stop()` shuts both down gracefully.
public final class RunningPaymentsServer: Sendable {
    public let port: Int
    private let task: Task<Void, any Error>
    private let group: ServiceGroup

    private init(port: Int, task: Task<Void, any Error>, group: ServiceGroup) {
        self.port = port; self.task = task; self.group = group
    }

    public static func start(service: PaymentsService, secrets: PaymentsSecrets, logger: Logger) async throws -> RunningPaymentsServer {
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = try PaymentsApplication.buildApplication(service: service, secrets: secrets, logger: logger) { port in
            continuation.yield(port)
            continuation.finish()
        }
        let group = ServiceGroup(configuration: .init(services: [app, PaymentsWorkers(service: service)], logger: logger))
        let task = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else {
            task.cancel()
            throw PaymentsServerStartError()
        }
        return RunningPaymentsServer(port: port, task: task, group: group)
    }

    public func stop() async {
        await group.triggerGracefulShutdown()
        _ = await task.result
    }
}

public struct PaymentsServerStartError: Error, CustomStringConvertible {
    public var description: String { "the payments server did not start" }
}
