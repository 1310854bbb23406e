//! Reverses stdin: `Hello, World\n` -> `dlroW ,olleH\n`.
//! Dependency-free on purpose, so it builds with a bare `rustc --target wasm32-wasi`.

use std::io::{self, Read, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut bytes = Vec::new();
    if let Err(e) = io::stdin().read_to_end(&mut bytes) {
        eprintln!("hello: cannot read stdin: {e}");
        return ExitCode::FAILURE;
    }
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("hello: stdin is not valid UTF-8 (at byte {})", e.utf8_error().valid_up_to());
            return ExitCode::FAILURE;
        }
    };

    // Keep one trailing line ending out of the reversal, otherwise
    // `echo text | ...` would print a newline first and none at the end.
    let (body, newline) = match text.strip_suffix("\r\n").or_else(|| text.strip_suffix('\n')) {
        Some(body) => (body, "\n"),
        None => (text.as_str(), ""),
    };
    let reversed: String = body.chars().rev().collect();

    let mut out = io::stdout().lock();
    if let Err(e) = write!(out, "{reversed}{newline}").and_then(|_| out.flush()) {
        eprintln!("hello: cannot write stdout: {e}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
