import Testing

@testable import spate

@Suite struct FlagParsingTests {
    let dataDir = ["--data-dir", "/d"]

    @Test func spaceSeparatedValues() throws {
        let arguments = try #require(parsed(["broker", "--port", "1234", "--bind", "0.0.0.0:1", "--data-dir", "/d"]))
        #expect(arguments.int("port") == 1234)
        #expect(arguments.string("bind") == "0.0.0.0:1")
        #expect(arguments.string("data-dir") == "/d")
        #expect(arguments.commandPath == ["spate", "broker"])
    }

    @Test func equalsSeparatedValues() throws {
        let arguments = try #require(parsed(["broker", "--port=1234", "--data-dir=/d", "--ratio=0.25", "--label=a=b"]))
        #expect(arguments.int("port") == 1234)
        #expect(arguments.string("data-dir") == "/d")
        #expect(arguments.optionalDouble("ratio") == 0.25)
        // Only the first '=' separates name from value.
        #expect(arguments.optionalString("label") == "a=b")
    }

    @Test func emptyAndDashLeadingValuesAfterEquals() throws {
        let arguments = try #require(parsed(["broker", "--label=", "--bind=--odd"] + dataDir))
        #expect(arguments.optionalString("label") == "")
        #expect(arguments.string("bind") == "--odd")
    }

    @Test func defaultsFillAbsentFlags() throws {
        let arguments = try #require(parsed(["broker"] + dataDir))
        #expect(arguments.int("port") == 9092)
        #expect(arguments.string("bind") == "127.0.0.1:9092")
        #expect(arguments.bool("fsync"))
        #expect(!arguments.bool("verbose"))
        #expect(arguments.optionalDouble("ratio") == nil)
        #expect(arguments.optionalInt("limit") == nil)
        #expect(arguments.optionalString("label") == nil)
        #expect(!arguments.isSet("port"))
        #expect(arguments.isSet("data-dir"))
    }

    @Test func explicitDefaultValueStillCountsAsSet() throws {
        let arguments = try #require(parsed(["broker", "--port", "9092"] + dataDir))
        #expect(arguments.isSet("port"))
    }

    @Test func booleanForms() throws {
        let cases: [([String], verbose: Bool, fsync: Bool)] = [
            (["--verbose"], true, true),
            (["--verbose=true"], true, true),
            (["--verbose=false"], false, true),
            (["--verbose=TRUE", "--fsync=False"], true, false),
            (["--fsync=0", "--verbose=1"], true, false),
            (["--verbose", "--verbose=false"], false, true),
        ]
        for (words, verbose, fsync) in cases {
            let arguments = try #require(parsed(["broker"] + dataDir + words), "\(words)")
            #expect(arguments.bool("verbose") == verbose, "\(words)")
            #expect(arguments.bool("fsync") == fsync, "\(words)")
        }
    }

    @Test func booleanRejectsOtherValues() {
        let error = usageError(["broker", "--verbose=maybe"] + dataDir)
        #expect(error?.problem == .invalidValue(flag: "verbose", value: "maybe", expected: .bool))
    }

    @Test func booleanDoesNotConsumeTheNextWord() {
        // `--verbose true` would be ambiguous with a positional; only `--verbose=true` sets a value.
        let error = usageError(["broker", "--verbose", "true"] + dataDir)
        #expect(error?.problem == .unexpectedArgument("true"))
    }

    @Test func numbersIncludingNegatives() throws {
        let arguments = try #require(parsed(["broker", "--port", "-1", "--ratio", "-1.5", "--limit=+7"] + dataDir))
        #expect(arguments.int("port") == -1)
        #expect(arguments.optionalDouble("ratio") == -1.5)
        #expect(arguments.optionalInt("limit") == 7)
        let scientific = try #require(parsed(["broker", "--ratio", "1e3"] + dataDir))
        #expect(scientific.optionalDouble("ratio") == 1000)
    }

    @Test func badIntegers() {
        for text in ["abc", "1.5", "", "99999999999999999999", "12abc", " 1"] {
            let error = usageError(["broker", "--port=\(text)"] + dataDir)
            #expect(error?.problem == .invalidValue(flag: "port", value: text, expected: .int), "\(text)")
        }
    }

    @Test func badDoubles() {
        for text in ["x", "nan", "inf", "-infinity", "1.2.3"] {
            let error = usageError(["broker", "--ratio", text] + dataDir)
            #expect(error?.problem == .invalidValue(flag: "ratio", value: text, expected: .double), "\(text)")
        }
    }

    @Test func badValueMessage() throws {
        let error = try #require(usageError(["broker", "--port", "abc"] + dataDir))
        #expect(error.description == "invalid value 'abc' for --port in 'spate broker': expected an integer")
        #expect(error.helpHint == "Run 'spate broker --help' for usage.")
    }

    @Test func missingValueAtEnd() throws {
        let error = try #require(usageError(["broker"] + dataDir + ["--port"]))
        #expect(error.problem == .missingValue(flag: "port", valueName: "PORT"))
        #expect(error.description == "flag --port for 'spate broker' needs a value: --port PORT")
    }

    @Test func missingValueBeforeAnotherFlag() {
        let error = usageError(["broker", "--port", "--verbose"] + dataDir)
        #expect(error?.problem == .missingValue(flag: "port", valueName: "PORT"))
    }

    @Test func lastRepetitionWins() throws {
        let arguments = try #require(parsed(["broker", "--port", "1", "--port=2"] + dataDir))
        #expect(arguments.int("port") == 2)
    }

    @Test func requiredFlagMissing() throws {
        let error = try #require(usageError(["broker", "--port", "1"]))
        #expect(error.problem == .missingFlag("data-dir", valueName: "DIR"))
        #expect(error.description == "missing required flag --data-dir DIR for 'spate broker'")
    }

    @Test func unknownFlagSuggestsClosest() throws {
        let error = try #require(usageError(["broker", "--prot", "1"] + dataDir))
        #expect(error.problem == .unknownFlag("--prot", suggestion: "--port"))
        #expect(error.description == "unknown flag --prot for 'spate broker'; did you mean --port?")
    }

    @Test func unknownFlagWithInlineValueNamesOnlyTheFlag() {
        let error = usageError(["broker", "--verbos=true"] + dataDir)
        #expect(error?.problem == .unknownFlag("--verbos", suggestion: "--verbose"))
    }

    @Test func unknownFlagWithoutCloseMatch() throws {
        let error = try #require(usageError(["broker", "--zzzzzzzz"] + dataDir))
        #expect(error.problem == .unknownFlag("--zzzzzzzz", suggestion: nil))
        #expect(error.description == "unknown flag --zzzzzzzz for 'spate broker'")
    }

    @Test func singleDashLongNameIsRejectedWithTheDoubleDashForm() {
        let error = usageError(["bench", "rpc", "-json"])
        #expect(error?.problem == .unknownFlag("-json", suggestion: "--json"))
    }

    @Test func versionOnlyAtTheRoot() {
        #expect(usageError(["broker", "--version"] + dataDir)?.problem == .unknownFlag("--version", suggestion: nil))
        #expect(usageError(["--verison"])?.problem == .unknownFlag("--verison", suggestion: "--version"))
    }

    @Test func parentFlagsAreAcceptedBeforeAndAfterTheSubcommand() throws {
        let before = try #require(parsed(["topics", "--bootstrap", "h:1", "create", "orders"]))
        let after = try #require(parsed(["topics", "create", "orders", "--bootstrap=h:1"]))
        #expect(before.string("bootstrap") == "h:1")
        #expect(after.string("bootstrap") == "h:1")
        let defaulted = try #require(parsed(["topics", "create", "orders"]))
        #expect(defaulted.string("bootstrap") == "127.0.0.1:9092")
        #expect(defaulted.int("partitions") == 1)
    }

    @Test func childFlagsAreNotAcceptedBeforeTheSubcommand() {
        let error = usageError(["topics", "--partitions", "3", "create", "orders"])
        #expect(error?.problem == .unknownFlag("--partitions", suggestion: nil))
        #expect(error?.commandPath == ["spate", "topics"])
    }
}
