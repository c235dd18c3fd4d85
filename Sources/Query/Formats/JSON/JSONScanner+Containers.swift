/// Objects and arrays that no column wants: validated and skipped without recursion, with the
/// nesting depth bounded by `JSONLimits.nestingDepthMax`.
extension JSONScanner {
    enum ContainerState {
        case afterOpen
        case beforeElement
        case afterValue
    }

    /// Skips the object or array at the cursor; `depth` containers are open around it.
    func skipContainer(_ start: Cursor, depth: Int) throws(JSONSyntaxError) -> Cursor {
        var cursor = start
        var stack = ContainerStack(limit: JSONLimits.nestingDepthMax - depth)
        guard stack.push(isObject: cursor.pointee == UInt8(ascii: "{")) else {
            throw fail("nesting too deep", at: cursor)
        }
        cursor += 1
        var state = ContainerState.afterOpen
        while true {
            cursor = skipWhitespace(cursor)
            guard cursor < end else { throw fail("unexpected end of input in a nested value", at: cursor) }
            let byte = cursor.pointee
            if state == .beforeElement {
                cursor = try skipElement(cursor, stack: &stack)
                state = stack.justOpened ? .afterOpen : .afterValue
            } else if byte == (stack.topIsObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                cursor += 1
                stack.pop()
                if stack.isEmpty { return cursor }
                state = .afterValue
            } else if state == .afterOpen {
                state = .beforeElement
            } else if byte == UInt8(ascii: ",") {
                cursor += 1
                state = .beforeElement
            } else {
                throw fail(stack.topIsObject ? "expected ',' or '}'" : "expected ',' or ']'", at: cursor)
            }
        }
    }

    /// One element of the innermost open container: its key if an object, then a scalar, or the
    /// opening of a nested container (pushed; `stack.justOpened` tells).
    func skipElement(_ start: Cursor, stack: inout ContainerStack) throws(JSONSyntaxError) -> Cursor {
        var cursor = start
        stack.justOpened = false
        if stack.topIsObject {
            cursor = try expect(UInt8(ascii: "\""), "expected a string key", cursor)
            cursor = try scanString(cursor).0
            cursor = skipWhitespace(cursor)
            cursor = try expect(UInt8(ascii: ":"), "expected ':' after a key", cursor)
            cursor = skipWhitespace(cursor)
            guard cursor < end else { throw fail("unexpected end of input, expected a value", at: cursor) }
        }
        let next = cursor.pointee
        guard next == UInt8(ascii: "{") || next == UInt8(ascii: "[") else { return try scanValue(cursor, depth: 0).0 }
        guard stack.push(isObject: next == UInt8(ascii: "{")) else { throw fail("nesting too deep", at: cursor) }
        stack.justOpened = true
        return cursor + 1
    }
}

/// A stack of open containers, one bit each (set for an object), up to 256 deep, without allocating.
struct ContainerStack {
    private var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    private(set) var depth = 0
    let limit: Int
    /// Set by `skipElement` when the element opened a container.
    var justOpened = false

    init(limit: Int) { self.limit = min(limit, 256) }

    var isEmpty: Bool { depth == 0 }

    /// Pushes a container; false (pushing nothing) when `limit` containers are already open.
    mutating func push(isObject: Bool) -> Bool {
        guard depth < limit else { return false }
        let bit = UInt64(1) << UInt64(depth & 63)
        let word = isObject ? self.word(depth >> 6) | bit : self.word(depth >> 6) & ~bit
        switch depth >> 6 {
        case 0: words.0 = word
        case 1: words.1 = word
        case 2: words.2 = word
        default: words.3 = word
        }
        depth += 1
        return true
    }

    mutating func pop() { depth -= 1 }

    var topIsObject: Bool { word((depth - 1) >> 6) >> UInt64((depth - 1) & 63) & 1 == 1 }

    private func word(_ index: Int) -> UInt64 {
        switch index {
        case 0: words.0
        case 1: words.1
        case 2: words.2
        default: words.3
        }
    }
}
