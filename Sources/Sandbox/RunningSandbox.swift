import Hummingbird
import Logging
import SandboxData
import ServiceLifecycle

/// A sandbox served in-process on a free loopback port, for `demo` and tests. `stop()` shuts it down.
public final class RunningSandbox: Sendable {
    public let port: Int
    private let task: Task<Void, any Error>
    private let group: ServiceGroup

    public var baseURL: String { "http://127.0.0.1:\(port)" }

    private init(port: Int, task: Task<Void, any Error>, group: ServiceGroup) {
        self.port = port
        self.task = task
        self.group = group
    }

    public static func start(account: SandboxAccount, options: SandboxOptions = SandboxOptions(), logger: Logger) async throws -> RunningSandbox {
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = try SandboxServer.buildApplication(account: account, port: 0, options: options, logger: logger) { port in
            continuation.yield(port)
            continuation.finish()
        }
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        let task = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else {
            task.cancel()
            throw SandboxStartError()
        }
        return RunningSandbox(port: port, task: task, group: group)
    }

    /// Graceful: in-flight requests finish, then the listener closes.
    public func stop() async {
        await group.triggerGracefulShutdown()
        _ = await task.result
    }
}

public struct SandboxStartError: Error, CustomStringConvertible {
    public var description: String { "the sandbox server did not start" }
}
