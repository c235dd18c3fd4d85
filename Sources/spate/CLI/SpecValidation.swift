/// Checks a command tree for mistakes the parser would otherwise turn into confusing behaviour.
extension CommandSpec {
    /// Every problem in this tree, one sentence each; empty when the tree is sound.
    func validationProblems() -> [String] {
        validationProblems(path: [], inheritedFlags: [])
    }

    private func validationProblems(path parentPath: [String], inheritedFlags: Set<String>) -> [String] {
        let path = parentPath + [name]
        let location = "'\(path.joined(separator: " "))'"
        var problems: [String] = []
        if name.isEmpty || name.hasPrefix("-") || name.contains(" ") {
            problems.append("command name '\(name)' in \(location) must be a plain word")
        }
        if handler == nil, subcommands.isEmpty {
            problems.append("\(location) has neither a handler nor subcommands")
        }
        problems += duplicates(subcommands.map(\.name)).map { "\(location) declares command '\($0)' twice" }
        problems += flagProblems(location: location, inheritedFlags: inheritedFlags)
        problems += positionalProblems(location: location)
        let flagsBelow = inheritedFlags.union(flags.map(\.name))
        for subcommand in subcommands {
            problems += subcommand.validationProblems(path: path, inheritedFlags: flagsBelow)
        }
        return problems
    }

    private func flagProblems(location: String, inheritedFlags: Set<String>) -> [String] {
        var problems = duplicates(flags.map(\.name)).map { "\(location) declares --\($0) twice" }
        for flag in flags {
            if flag.name.isEmpty || flag.name.hasPrefix("-") || flag.name.contains("=") || flag.name.contains(" ") {
                problems.append("flag '\(flag.name)' in \(location) must be a plain word without dashes")
            }
            if ["help", "h", "version"].contains(flag.name) {
                problems.append("flag --\(flag.name) in \(location) is reserved")
            }
            if inheritedFlags.contains(flag.name) {
                problems.append("flag --\(flag.name) in \(location) shadows a parent's flag")
            }
        }
        return problems
    }

    private func positionalProblems(location: String) -> [String] {
        var problems = duplicates(positionals.map(\.name)).map { "\(location) declares argument \($0) twice" }
        var sawOptional = false
        for (offset, positional) in positionals.enumerated() {
            switch positional.arity {
            case .required where sawOptional:
                problems.append("required argument \(positional.name) in \(location) follows an optional one")
            case .variadic where offset != positionals.count - 1:
                problems.append("variadic argument \(positional.name) in \(location) is not last")
            default:
                break
            }
            sawOptional = sawOptional || positional.arity != .required
        }
        return problems
    }

    private func duplicates(_ names: [String]) -> [String] {
        var seen: Set<String> = []
        var repeated: [String] = []
        for name in names where !seen.insert(name).inserted && !repeated.contains(name) {
            repeated.append(name)
        }
        return repeated
    }
}
