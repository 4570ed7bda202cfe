//! The `danchu` command: see `danchu --help`.

fn main() -> std::process::ExitCode {
    danchu::cli::main()
}
