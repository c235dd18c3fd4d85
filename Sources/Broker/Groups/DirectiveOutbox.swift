/// Collects one event's directives and enforces the answer rule: every request token is answered
/// exactly once, either during its own event or later while the coordinator holds it.
struct DirectiveOutbox: Sendable {
    /// Tokens received and not yet answered.
    private(set) var heldTokens: Set<GroupRequestToken> = []
    private var current: GroupRequestToken?
    private var currentSettled = false
    private var inEvent = false
    private var directives: [GroupDirective] = []

    /// Starts an event; `token` is the request it brings, nil for ticks and completions.
    mutating func begin(_ token: GroupRequestToken?) {
        precondition(!inEvent, "coordinator events must not nest")
        if let token { precondition(!heldTokens.contains(token), "\(token) arrived while still held") }
        inEvent = true
        current = token
        currentSettled = false
    }

    /// Records a directive; a response must name a held token or the current, unsettled one.
    mutating func send(_ directive: GroupDirective) {
        precondition(inEvent, "directives only come from events")
        if let token = directive.answeredToken {
            if heldTokens.remove(token) == nil {
                precondition(token == current && !currentSettled, "\(token) answered twice or never received")
                currentSettled = true
            }
        }
        directives.append(directive)
    }

    /// Keeps the current request unanswered for a later event.
    mutating func hold(_ token: GroupRequestToken) {
        precondition(inEvent && token == current && !currentSettled, "only the current request can be held")
        currentSettled = true
        heldTokens.insert(token)
    }

    /// Ends the event; its own request must have been answered or held.
    mutating func finish() -> [GroupDirective] {
        precondition(inEvent, "finish without begin")
        precondition(current == nil || currentSettled, "\(current.map(String.init(describing:)) ?? "") left unanswered")
        inEvent = false
        current = nil
        defer { directives = [] }
        return directives
    }
}
