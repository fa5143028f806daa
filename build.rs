//! Embeds the sample plan (content/, data/) and the default theme (themes/default/) as
//! tables of `(relative path, bytes)`, generated in sorted order so builds are reproducible.

use std::env;
use std::fs;
use std::path::{Path, PathBuf};

fn main() {
    let manifest =
        PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let out = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    write_table(&manifest, &["content", "data"], "", &out.join("sample.rs"));
    write_table(
        &manifest.join("samples/zh-CN"),
        &["content", "data"],
        "",
        &out.join("sample_zh.rs"),
    );
    write_table(
        &manifest.join("themes/default"),
        &["templates", "static", "i18n"],
        "",
        &out.join("theme.rs"),
    );
    for dir in ["content", "data", "themes/default", "samples/zh-CN"] {
        println!("cargo:rerun-if-changed={dir}");
    }
}

fn write_table(base: &Path, dirs: &[&str], prefix: &str, target: &Path) {
    let mut files = Vec::new();
    for dir in dirs {
        collect(&base.join(dir), &mut files);
    }
    files.sort();
    let mut code = String::from("[\n");
    for file in files {
        let rel = file.strip_prefix(base).expect("collected under base");
        let rel = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        code.push_str(&format!(
            "    ({:?}, include_bytes!({:?}).as_slice()),\n",
            format!("{prefix}{rel}"),
            file
        ));
    }
    code.push_str("]\n");
    fs::write(target, code).expect("writing the embedded file table");
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        if path.is_dir() {
            collect(&path, files);
        } else {
            files.push(path);
        }
    }
}
