/// What a connection does after handling one request frame.
enum RequestReply: Sendable {
    /// Send this response frame, size prefix included, as chunks (bytes and segment regions) in order.
    case respond([ResponseChunk])
    /// Send nothing and go on (acks=0 Produce, G9).
    case silent
    /// Close the connection: the request could not be parsed or must not be served (the reason is logged).
    case close(String)
}
