import Foundation
import Logging
import PostgresNIO

/// A few connections to one PostgreSQL database for callers that block. The payments store's
/// protocol is synchronous (GRDB's transactions are), so each statement waits on its future. The
/// futures complete on this pool's own event-loop thread, never on Swift's cooperative threads:
/// callers that block those (there are as many as cores) can never starve their own completions.
final class PostgresConnectionPool: @unchecked Sendable {
    private let configuration: PostgresConnection.Configuration
    private let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    private let logger: Logger
    private let capacity: Int
    private let condition = NSCondition()
    private var idle: [PostgresConnection] = []
    private var opened = 0
    private var lastId = 0
    private var isShutDown = false

    init(configuration: PostgresConnection.Configuration, capacity: Int, logger: Logger) {
        self.configuration = configuration
        self.capacity = capacity
        self.logger = logger
    }

    /// Runs `body` on a connection of its own. A connection that broke meanwhile is dropped, and the
    /// next caller opens a new one (a restarted or failed-over server is reconnected to).
    func withSession<T>(_ body: (PostgresSession) throws -> T) throws -> T {
        let connection = try checkOut()
        defer { checkIn(connection) }
        return try body(PostgresSession(connection: connection, logger: logger))
    }

    /// Closes the connections and the event loop; the pool takes no more calls. Also on deinit:
    /// postgres-nio wants every connection closed before it goes.
    func shutdown() {
        condition.lock()
        let connections = idle
        idle = []
        let first = !isShutDown
        isShutDown = true
        condition.unlock()
        for connection in connections { try? connection.close().wait() }
        if first { try? group.syncShutdownGracefully() }
    }

    deinit { shutdown() }

    private func checkOut() throws -> PostgresConnection {
        condition.lock()
        while true {
            if let connection = idle.popLast() {
                if connection.isClosed {
                    opened -= 1
                    continue
                }
                condition.unlock()
                return connection
            }
            if opened < capacity { break }
            condition.wait()
        }
        opened += 1
        lastId += 1
        let id = lastId
        condition.unlock()
        do {
            return try PostgresConnection.connect(on: group.next(), configuration: configuration, id: id, logger: logger).wait()
        } catch {
            condition.lock()
            opened -= 1
            condition.signal()
            condition.unlock()
            throw error
        }
    }

    private func checkIn(_ connection: PostgresConnection) {
        condition.lock()
        if connection.isClosed { opened -= 1 } else { idle.append(connection) }
        condition.signal()
        condition.unlock()
    }
}
