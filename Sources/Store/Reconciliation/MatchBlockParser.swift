import Core
import Dispatch

/// Parses match blocks on a thread of its own, one block ahead of the caller: while the caller hands
/// one block's matches to its body (a report's cells and bytes), the next block is being read into
/// `Match` values. Parsing was a third of the Matched sheet's time on the caller's thread.
final class MatchBlockParser: @unchecked Sendable {
    private let queue = DispatchQueue(label: "payrecon.match-blocks")
    private let done = DispatchSemaphore(value: 0)
    /// Written on `queue` before `done` is signalled; read after waiting on it.
    private var result: Result<[Match], StoreError> = .success([])
    private var inFlight = false

    /// Starts parsing a copy of `bytes` (SQLite's buffer is only valid until the next step); returns the
    /// matches of the block started before it, if any.
    func parse(_ bytes: UnsafeRawBufferPointer, slotStart: Int64) throws(StoreError) -> [Match] {
        let previous = try finish()
        let copy = [UInt8](bytes)
        inFlight = true
        queue.async { [self] in
            result = copy.withUnsafeBytes { bytes in
                Result { () throws(StoreError) in try MatchJSONReader.matches(in: bytes, slotStart: slotStart) }
            }
            done.signal()
        }
        return previous
    }

    /// The matches of the block in flight (none if no block is), once parsed.
    func finish() throws(StoreError) -> [Match] {
        guard inFlight else { return [] }
        done.wait()
        inFlight = false
        return try result.get()
    }
}
