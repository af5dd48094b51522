import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// An exclusive advisory lock (flock) on a file beside the store, held while the store is opened and
/// migrated. flock locks do not interact with the POSIX locks SQLite takes on the store itself.
final class StoreFileLock {
    private var descriptor: Int32

    /// Waits until the lock is free. The file is created if missing and left in place: removing a lock
    /// file while another process waits on it would let a third take a lock of its own.
    init(path: String) throws(StoreError) {
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw StoreError(operation: "lock \(path)", code: .io, reason: String(cString: strerror(errno)))
        }
        while flock(descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else {
                let reason = String(cString: strerror(errno))
                close(descriptor)
                throw StoreError(operation: "lock \(path)", code: .io, reason: reason)
            }
        }
    }

    func release() {
        guard descriptor >= 0 else { return }
        flock(descriptor, LOCK_UN)
        close(descriptor)
        descriptor = -1
    }

    deinit { release() }
}
