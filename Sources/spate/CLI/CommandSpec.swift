/// Runs a parsed command and returns its exit code; a thrown error becomes exit code 1.
typealias CommandHandler = @Sendable (ParsedArguments) async throws -> Int32

/// One node of the declarative command tree: a command, its flags, positionals and subcommands.
struct CommandSpec: Sendable {
    /// The word that selects this command, e.g. `rpc` in `spate bench rpc`.
    let name: String
    /// One line for the parent's command list.
    let summary: String
    /// The paragraph under the synopsis in `--help`; the summary when not given.
    let description: String
    let flags: [FlagSpec]
    let positionals: [PositionalSpec]
    let subcommands: [CommandSpec]
    /// Nil for a pure group such as `spate bench`, which needs a subcommand.
    let handler: CommandHandler?
    /// Set on the root only; enables `--version`, which prints `<name> <version>`.
    let version: String?

    init(
        name: String, summary: String, description: String? = nil, version: String? = nil,
        flags: [FlagSpec] = [], positionals: [PositionalSpec] = [], subcommands: [CommandSpec] = [],
        handler: CommandHandler? = nil
    ) {
        self.name = name
        self.summary = summary
        self.description = description ?? summary
        self.version = version
        self.flags = flags
        self.positionals = positionals
        self.subcommands = subcommands
        self.handler = handler
    }

    /// The flag declared as `--name`, if any.
    func flag(named name: String) -> FlagSpec? {
        flags.first { $0.name == name }
    }

    /// The direct subcommand called `name`, if any.
    func subcommand(named name: String) -> CommandSpec? {
        subcommands.first { $0.name == name }
    }
}
