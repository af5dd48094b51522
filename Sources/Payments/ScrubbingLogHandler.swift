import Core
import Logging

/// A log handler that masks anything that looks like a card number (Luhn-valid 13–19 digits) in
/// every message and metadata value before the wrapped handler sees it. payrecon never asks for
/// card data, but people paste it into free text, and free text reaches logs and errors.
public struct ScrubbingLogHandler: LogHandler {
    public var wrapped: any LogHandler

    public init(_ wrapped: any LogHandler) { self.wrapped = wrapped }

    public func log(event: LogEvent) {
        var event = event
        event.message = Logger.Message(stringLiteral: CardNumberMask.mask(event.message.description))
        event.metadata = event.metadata.map(Self.scrub)
        wrapped.log(event: event)
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { wrapped[metadataKey: key] }
        set { wrapped[metadataKey: key] = newValue.map(Self.scrub) }
    }

    public var metadata: Logger.Metadata {
        get { wrapped.metadata }
        set { wrapped.metadata = Self.scrub(newValue) }
    }

    public var logLevel: Logger.Level {
        get { wrapped.logLevel }
        set { wrapped.logLevel = newValue }
    }

    static func scrub(_ metadata: Logger.Metadata) -> Logger.Metadata { metadata.mapValues(scrub) }

    static func scrub(_ value: Logger.Metadata.Value) -> Logger.Metadata.Value {
        switch value {
        case .string(let text): return .string(CardNumberMask.mask(text))
        case .stringConvertible(let convertible): return .string(CardNumberMask.mask(convertible.description))
        case .dictionary(let dictionary): return .dictionary(scrub(dictionary))
        case .array(let array): return .array(array.map(scrub))
        }
    }
}
