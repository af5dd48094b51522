import Foundation
import Logging
import Payments
import PayreconCLI
import Stages

// Only the executable bootstraps logging; PAYRECON_LOG_LEVEL=debug shows every page fetched.
// Every line passes the card-number scrubber first.
LoggingSystem.bootstrap { label in
    // Text, or JSON lines with the run id while a nightly run is off a terminal (`RunLogContext`).
    var handler = ScrubbingLogHandler(RunLogHandler(label: label, text: StreamLogHandler.standardError(label: label)))
    handler.logLevel = ProcessInfo.processInfo.environment["PAYRECON_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
    return handler
}
// Kept to calls: globals here would be main-actor isolated (see DESIGN.md, Swift 6 notes).
await PayreconCommand.runMain()
