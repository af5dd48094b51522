import Foundation

/// Writes a file whole or not at all, and on disk before it returns: to a temporary name beside it,
/// flushed, then renamed over the old one (rename replaces in one step, so a reader sees the old
/// file or the new, never half of one). In POSIX calls rather than Foundation's, which stat, check
/// and remove around the rename: a booked order writes its invoice in the order's transaction.
enum DurableFile {
    struct Failure: Error, CustomStringConvertible {
        let path: String
        let step: String
        let code: Int32
        var description: String { "cannot \(step) \(path): \(String(cString: strerror(code)))" }
    }

    static func write(_ bytes: [UInt8], to path: String) throws(Failure) {
        let temporary = path + ".tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw Failure(path: temporary, step: "create", code: errno) }
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + written, $0.count - written) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else {
                let code = errno
                close(descriptor)
                throw Failure(path: temporary, step: "write", code: code)
            }
            written += count
        }
        guard fsync(descriptor) == 0 else {
            let code = errno
            close(descriptor)
            throw Failure(path: temporary, step: "flush", code: code)
        }
        close(descriptor)
        guard rename(temporary, path) == 0 else { throw Failure(path: path, step: "rename \(temporary) to", code: errno) }
    }
}
