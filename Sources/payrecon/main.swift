import Foundation
import Logging
import Payments
import PayreconCLI

// Only the executable bootstraps logging; PAYRECON_LOG_LEVEL=debug shows every page fetched.
// Every line passes the card-number scrubber first.
LoggingSystem.bootstrap { label in
    var handler = ScrubbingLogHandler(StreamLogHandler.standardError(label: label))
    handler.logLevel = ProcessInfo.processInfo.environment["PAYRECON_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
    return handler
}
// Kept to calls: globals here would be main-actor isolated (see DESIGN.md, Swift 6 notes).
await PayreconCommand.runMain()
