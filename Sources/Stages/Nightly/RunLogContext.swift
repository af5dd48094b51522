import Foundation
import Logging

/// What every log line of this process says about the nightly run, whichever logger wrote it: the run
/// id once the run has one, and whether lines are JSON (the nightly run off a terminal) or text.
/// Process-wide, because the stages' loggers are made in many places and the bootstrap happens once.
public enum RunLogContext {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var state: (runId: Int64?, json: Bool) = (nil, false)

    public static var runId: Int64? {
        get { lock.withLock { state.runId } }
        set { lock.withLock { state.runId = newValue } }
    }

    public static var json: Bool {
        get { lock.withLock { state.json } }
        set { lock.withLock { state.json = newValue } }
    }
}
