//! Lists a directory (first argument, default `/data`) with `read_dir`, sorted by name, and
//! prints each file in it with `read_to_string`, going into subdirectories. Then, if asked:
//! `--write NAME TEXT` creates or replaces a file there with `fs::write`, and `--overwrite NAME
//! TEXT` opens an existing one for writing without creating or truncating it. Both fail on a
//! read-only directory. Errors go to stderr as `read-dir: PATH: reason`, exit 1.
//! Dependency-free on purpose, so it builds with a bare `rustc --target wasm32-wasi`.

use std::env;
use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args: Vec<String> = env::args().skip(1).collect();
    let dir = if args.first().map_or(false, |a| !a.starts_with("--")) { args.remove(0) } else { "/data".to_string() };
    let mut ok = list(Path::new(&dir), "");
    match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        [] => {}
        ["--write", name, text] => ok &= report(&dir, name, fs::write(Path::new(&dir).join(name), text)),
        ["--overwrite", name, text] => {
            let path = Path::new(&dir).join(name);
            let written = OpenOptions::new().write(true).open(&path).and_then(|mut f| f.write_all(text.as_bytes()));
            ok &= report(&dir, name, written);
        }
        _ => {
            eprintln!("usage: read-dir [DIR] [--write NAME TEXT | --overwrite NAME TEXT]");
            return ExitCode::from(2);
        }
    }
    if ok { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}

/// Prints `dir`'s entries as `NAME: first line of text` or `NAME/` followed by its own entries.
fn list(dir: &Path, indent: &str) -> bool {
    let mut entries: Vec<(String, PathBuf, bool)> = match fs::read_dir(dir) {
        Ok(entries) => entries
            .filter_map(Result::ok)
            .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path(), e.file_type().map_or(false, |t| t.is_dir())))
            .collect(),
        Err(e) => {
            eprintln!("read-dir: {}: {e}", dir.display());
            return false;
        }
    };
    entries.sort();
    let mut ok = true;
    for (name, path, is_dir) in entries {
        if is_dir {
            println!("{indent}{name}/");
            ok &= list(&path, &format!("{indent}  "));
            continue;
        }
        match fs::read_to_string(&path) {
            Ok(text) => println!("{indent}{name}: {}", text.lines().next().unwrap_or("")),
            Err(e) => {
                eprintln!("read-dir: {}: {e}", path.display());
                ok = false;
            }
        }
    }
    ok
}

fn report(dir: &str, name: &str, result: std::io::Result<()>) -> bool {
    match result {
        Ok(()) => {
            println!("wrote {}", Path::new(dir).join(name).display());
            true
        }
        Err(e) => {
            eprintln!("read-dir: {}: {e}", Path::new(dir).join(name).display());
            false
        }
    }
}
