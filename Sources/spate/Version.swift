/// The version `spate --version` prints.
let spateVersion = "0.1.0"
