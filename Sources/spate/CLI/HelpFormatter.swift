/// Renders `--help` text: synopsis, description, arguments, flags with defaults, subcommands.
enum HelpFormatter {
    /// The help of `command` below `ancestors` (root first), whose flags it also accepts; ends in a newline.
    static func render(_ command: CommandSpec, ancestors: [CommandSpec]) -> String {
        let commandLine = (ancestors.map(\.name) + [command.name]).joined(separator: " ")
        let isRoot = ancestors.isEmpty
        var lines = ["Usage:"] + synopses(command, commandLine: commandLine, isRoot: isRoot).map { "  " + $0 }
        lines += ["", command.description]
        if !command.positionals.isEmpty {
            lines += ["", "Arguments:"] + table(command.positionals.map { ($0.synopsis, $0.help) })
        }
        lines += ["", "Flags:"] + table(flagRows(command, isRoot: isRoot))
        let inherited = ancestors.flatMap(\.flags)
        if !inherited.isEmpty {
            lines += ["", "Flags of enclosing commands:"] + table(inherited.map(flagRow))
        }
        if !command.subcommands.isEmpty {
            lines += ["", "Commands:"] + table(command.subcommands.map { ($0.name, $0.summary) })
            lines += ["", "Run '\(commandLine) <command> --help' for more about a command."]
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func synopses(_ command: CommandSpec, commandLine: String, isRoot: Bool) -> [String] {
        var result: [String] = []
        if command.handler != nil {
            let required = command.flags.filter(\.isRequired).map { "--\($0.name) \($0.valueName)" }
            let optionalFlags = command.flags.contains { !$0.isRequired } ? ["[flags]"] : []
            let words = [commandLine] + required + optionalFlags + command.positionals.map(\.synopsis)
            result.append(words.joined(separator: " "))
        }
        if !command.subcommands.isEmpty {
            result.append("\(commandLine) <command>" + (command.flags.isEmpty ? "" : " [flags]"))
        }
        if isRoot, command.version != nil {
            result.append("\(commandLine) --version")
        }
        return result
    }

    private static func flagRows(_ command: CommandSpec, isRoot: Bool) -> [(String, String)] {
        var rows = command.flags.map(flagRow)
        rows.append(("-h, --help", "show this help"))
        if isRoot, command.version != nil {
            rows.append(("    --version", "print the version and exit"))
        }
        return rows
    }

    private static func flagRow(_ flag: FlagSpec) -> (String, String) {
        let left = flag.kind == .bool ? "    --\(flag.name)" : "    --\(flag.name) \(flag.valueName)"
        return (left, flag.help + annotation(flag))
    }

    private static func annotation(_ flag: FlagSpec) -> String {
        if flag.isRequired { return " (required)" }
        // A switch that is off by default needs no note; one that is on does.
        if let value = flag.defaultValue, value != .bool(false) { return " (default: \(value))" }
        return ""
    }

    /// Two aligned columns, indented by two spaces.
    private static func table(_ rows: [(String, String)]) -> [String] {
        let width = rows.map(\.0.count).max() ?? 0
        return rows.map { left, right in
            let padding = String(repeating: " ", count: width - left.count + 3)
            return "  " + left + padding + right
        }
    }
}
