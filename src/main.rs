//! The `crumbs` binary: parse the command line and dispatch; no logic here.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
