import Core
import Foundation

extension StripeClient {
    /// Every object of a list endpoint, newest first, following `starting_after` cursors
    /// until `has_more` is false. Pages are 100 objects, Stripe's maximum.
    public func list<T: Codable & Sendable & Identifiable>(_ path: String, query: [(String, String)] = [], of type: T.Type = T.self)
        -> AsyncThrowingStream<[T], any Error> where T.ID: CustomStringConvertible
    {
        AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    var cursor: String?
                    var page = 0
                    repeat {
                        var items = query + [("limit", "100")]
                        if let cursor { items.append(("starting_after", cursor)) }
                        let list: StripeList<T> = try await get(path, query: items)
                        page += 1
                        logger.debug("Fetched page", metadata: ["stripe.path": "\(path)", "page": "\(page)", "count": "\(list.data.count)"])
                        continuation.yield(list.data)
                        cursor = list.hasMore ? list.data.last.map { String(describing: $0.id) } : nil
                    } while cursor != nil
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// Collects a whole list.
    public func listAll<T: Codable & Sendable & Identifiable>(_ path: String, query: [(String, String)] = [], of type: T.Type = T.self)
        async throws -> [T] where T.ID: CustomStringConvertible
    {
        var all: [T] = []
        for try await page in list(path, query: query, of: T.self) { all += page }
        return all
    }
}

extension StripeClient {
    /// One page's body as Stripe sent it (100 objects, Stripe's maximum, after `cursor` when given): the
    /// caller decodes it (`decode(_:path:)`) and may keep it as it came (snapshots).
    public func pageData(_ path: String, query: [(String, String)], after cursor: String?) async throws -> Data {
        var items = query + [("limit", "100")]
        if let cursor { items.append(("starting_after", cursor)) }
        let body = try await send(.GET, path: path, query: items)
        logger.debug("Fetched page", metadata: ["stripe.path": "\(path)", "bytes": "\(body.count)"])
        return body
    }

    /// One object's body as Stripe sent it (`GET /v1/<list>/<id>`).
    public func objectData(_ path: String) async throws -> Data { try await send(.GET, path: path) }
}
