import Core
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Keeps two nightly runs off one store: an exclusive flock on `<store>.run-lock`, which also holds who
/// has it (process, host, start). The kernel drops a flock when its process dies, so a run killed with
/// SIGKILL leaves no lock behind: the next run takes it and reads who held it last (`previousHolder`),
/// to say it took over. A run that finds the lock held exits, naming the holder.
public final class RunLock {
    public struct Holder: Codable, Hashable, Sendable, CustomStringConvertible {
        public var pid: Int32
        public var host: String
        public var startedAt: String
        public var description: String { "pid \(pid) on \(host), started \(startedAt)" }
        enum CodingKeys: String, CodingKey {
            case pid, host
            case startedAt = "started_at"
        }
    }

    public struct Held: Error, CustomStringConvertible {
        public let path: String
        public let holder: Holder?
        public var description: String {
            "already running: another payrecon run holds \(path) (\(holder?.description ?? "its holder is not recorded yet"))"
        }
    }

    private var descriptor: Int32
    public let path: String
    /// Who held the lock before (a run that ended without releasing it cleanly leaves its record).
    public let previousHolder: Holder?

    /// Takes the lock at once, or throws `Held` naming who has it.
    public init(store: String, now: Timestamp) throws {
        path = store + ".run-lock"
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw RunLockError("cannot open \(path): \(String(cString: strerror(errno)))") }
        if flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            let busy = errno == EWOULDBLOCK
            let reason = String(cString: strerror(errno))
            let holder = Self.read(descriptor)
            close(descriptor)
            if busy { throw Held(path: path, holder: holder) }
            throw RunLockError("cannot lock \(path): \(reason)")
        }
        previousHolder = Self.read(descriptor)
        let me = Holder(pid: getpid(), host: ProcessInfo.processInfo.hostName, startedAt: now.description)
        let bytes = Array((try JSONEncoder().encode(me)))
        // The record is rewritten in place: the file itself stays (removing it while another process
        // waits on it would let a third lock a new file).
        guard ftruncate(descriptor, 0) == 0, pwrite(descriptor, bytes, bytes.count, 0) == bytes.count else {
            throw RunLockError("cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// Releases the lock and clears its record: a clean end leaves no holder behind.
    public func release() {
        guard descriptor >= 0 else { return }
        _ = ftruncate(descriptor, 0)
        flock(descriptor, LOCK_UN)
        close(descriptor)
        descriptor = -1
    }

    deinit { release() }

    private static func read(_ descriptor: Int32) -> Holder? {
        var buffer = [UInt8](repeating: 0, count: 4_096)
        let count = pread(descriptor, &buffer, buffer.count, 0)
        guard count > 0 else { return nil }
        return try? JSONDecoder().decode(Holder.self, from: Data(buffer[0..<count]))
    }
}

public struct RunLockError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
