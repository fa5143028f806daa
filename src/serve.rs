//! `salesplan serve`: builds, serves the output folder on 127.0.0.1, watches content/,
//! data/ and themes/, rebuilds on change and reloads open pages.
//!
//! No async runtime: every connection is served on a thread of its own, with an idle
//! timeout, a bounded request head and a cap on open connections ([`http`]), so idle
//! sockets and long polls never hold up other requests; one watcher thread runs the
//! builds one at a time.
//! Pages learn about a new build by long-polling `/__salesplan/status`; a failed rebuild
//! keeps the last good site on disk and is shown over the page until the next good one.

mod http;

use std::io;
use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use anyhow::{anyhow, Context, Result};
use notify::{RecursiveMode, Watcher};

use crate::diag::{Diagnostics, Severity};
use crate::output;
use crate::site::{build_into, failure_summary, Options};

/// Where the live-reload script and the build status are served; no page of a plan can
/// have this name (page files are `*.html` at the top of the output folder).
const PREFIX: &str = "/__salesplan/";

/// How long a status request waits for a new build before answering "no change".
const LONG_POLL: Duration = Duration::from_secs(25);

/// Quiet time after the last file event before a rebuild starts, so that an editor's
/// save (write, rename, chmod) or a copied folder causes one build, not ten.
const DEBOUNCE: Duration = Duration::from_millis(150);

/// The folders watched, relative to ROOT (FORMAT.md §1).
const WATCHED: &[&str] = &["content", "data", "themes"];

/// The script added to every served page: ask for the build status, reload on a new good
/// build, show the error of a failed one over the page.
const LIVE_JS: &str = include_str!("serve/live.js");

/// Builds into `out`, serves it on 127.0.0.1:`port` and rebuilds on every change, until
/// the process is stopped.
pub fn serve(options: &Options, out: &Path, port: u16) -> Result<()> {
    let (options, out) = (options.clone(), out.to_path_buf());
    output::check_out_dir(&options.root, &out)?;
    let listener = bind(port)?;
    let address = listener
        .local_addr()
        .context("reading the server's address")?;

    let live = Arc::new(Live::default());
    let events = watch(&options.root)?;
    rebuild(&options, &out, &live, None);
    eprintln!(
        "serving {} at http://{address}/ — watching {}; Ctrl+C stops",
        output_display(&options.root, &out),
        WATCHED
            .iter()
            .map(|d| format!("{d}/"))
            .collect::<Vec<_>>()
            .join(", ")
    );

    let builder = {
        let (options, out, live) = (options.clone(), out.clone(), Arc::clone(&live));
        std::thread::spawn(move || {
            let _watcher = events.watcher;
            while let Some(changed) = next_change(&options.root, &events.rx) {
                rebuild(&options, &out, &live, Some(&changed));
            }
        })
    };
    let handler = move |request: &http::Request| answer(request, &out, &live);
    http::run(listener, Arc::new(handler), http::Limits::default())
        .with_context(|| format!("serving on {address}"))?;
    let _ = builder.join();
    Ok(())
}

/// Binds 127.0.0.1:`port` (0: any free port), with a clear message when it is taken.
fn bind(port: u16) -> Result<TcpListener> {
    let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    TcpListener::bind(address).map_err(|e| match e.kind() {
        io::ErrorKind::AddrInUse => anyhow!(
            "port {port} on 127.0.0.1 is already in use (another `salesplan serve`?); choose another with --port"
        ),
        io::ErrorKind::PermissionDenied => {
            anyhow!("not allowed to listen on port {port}; ports below 1024 need privileges, choose another with --port")
        }
        _ => anyhow!("listening on {address}: {e}"),
    })
}

/// The state pages poll: a build counter (every attempt counts, good or failed) and the
/// error text of the last attempt when it failed.
#[derive(Default)]
struct Live {
    status: Mutex<Status>,
    changed: Condvar,
}

#[derive(Clone, Default)]
struct Status {
    build: u64,
    error: Option<String>,
}

impl Live {
    fn publish(&self, error: Option<String>) {
        let mut status = self.status.lock().unwrap_or_else(|p| p.into_inner());
        status.build += 1;
        status.error = error;
        self.changed.notify_all();
    }

    /// The status once its build differs from `seen`, or after `timeout`.
    fn wait_for_change(&self, seen: Option<u64>, timeout: Duration) -> Status {
        let status = self.status.lock().unwrap_or_else(|p| p.into_inner());
        let (status, _) = self
            .changed
            .wait_timeout_while(status, timeout, |s| Some(s.build) == seen)
            .unwrap_or_else(|p| p.into_inner());
        status.clone()
    }
}

/// Builds into `out`, prints the outcome, and tells open pages.
fn rebuild(options: &Options, out: &Path, live: &Live, changed: Option<&str>) {
    if let Some(path) = changed {
        eprintln!("changed: {path}; rebuilding");
    }
    let mut diags = Diagnostics::default();
    let outcome = build_into(options, out, &mut diags);
    diags.print(options.message_format);
    let error = match outcome {
        Ok(Some(built)) => {
            eprintln!("{}", built.summary(&options.root, out, &diags));
            None
        }
        Ok(None) => {
            eprintln!(
                "{}; still serving the last good build",
                failure_summary(&options.root, out, &diags)
            );
            let mut text: Vec<String> = diags
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .map(|d| d.human())
                .collect();
            text.push(failure_summary(&options.root, out, &diags));
            Some(text.join("\n"))
        }
        Err(e) => {
            let text = format!("error: {e:#}");
            eprintln!("{text}; still serving the last good build");
            Some(text)
        }
    };
    live.publish(error);
}

/// The file watcher and the channel its events arrive on.
struct Events {
    watcher: notify::RecommendedWatcher,
    rx: Receiver<notify::Result<notify::Event>>,
}

/// Watches the plan's source folders (those that exist) recursively.
fn watch(root: &Path) -> Result<Events> {
    let (tx, rx) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(tx).context("starting the file watcher")?;
    for dir in WATCHED {
        let path = root.join(dir);
        if path.is_dir() {
            watcher
                .watch(&path, RecursiveMode::Recursive)
                .with_context(|| format!("watching {}", path.display()))?;
        }
    }
    Ok(Events { watcher, rx })
}

/// Waits for a change that matters, then for quiet; returns what changed, for the
/// message, or `None` when the watcher has stopped.
fn next_change(root: &Path, rx: &Receiver<notify::Result<notify::Event>>) -> Option<String> {
    let mut paths: Vec<PathBuf> = Vec::new();
    while paths.is_empty() {
        collect(&mut paths, rx.recv().ok()?);
    }
    let mut deadline = Instant::now() + DEBOUNCE;
    loop {
        match rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            Ok(event) => {
                collect(&mut paths, event);
                deadline = Instant::now() + DEBOUNCE;
            }
            Err(RecvTimeoutError::Timeout) => break,
            Err(RecvTimeoutError::Disconnected) => return None,
        }
    }
    Some(describe(root, &paths))
}

/// Adds the paths of an event that matters to `paths`, once each.
fn collect(paths: &mut Vec<PathBuf>, event: notify::Result<notify::Event>) {
    match event {
        Ok(event) if matters(&event) => {
            for path in event.paths {
                if !paths.contains(&path) {
                    paths.push(path);
                }
            }
        }
        Ok(_) => {}
        Err(e) => eprintln!("warning: file watcher: {e}"),
    }
}

/// Reads and metadata-only changes do not change the plan.
fn matters(event: &notify::Event) -> bool {
    use notify::event::{EventKind, ModifyKind};
    match event.kind {
        EventKind::Modify(ModifyKind::Metadata(_)) => false,
        EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_) | EventKind::Any => true,
        EventKind::Access(_) | EventKind::Other => false,
    }
}

/// "content/plan.yaml", "content/plan.yaml and 2 more": paths relative to ROOT, files
/// that still exist first (an editor's temporary file is gone by now).
fn describe(root: &Path, paths: &[PathBuf]) -> String {
    let mut shown: Vec<&PathBuf> = paths.iter().filter(|p| p.exists()).collect();
    if shown.is_empty() {
        shown = paths.iter().collect();
    }
    let first = shown[0].strip_prefix(root).unwrap_or(shown[0]);
    let first = first.display().to_string().replace('\\', "/");
    match shown.len() {
        1 => first,
        n => format!("{first} and {} more", n - 1),
    }
}

/// Answers one request: the live-reload script, the build status, or a file of `out`.
fn answer(request: &http::Request, out: &Path, live: &Live) -> http::Response {
    let url = request.target.as_str();
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    if let Some(name) = path.strip_prefix(PREFIX) {
        return match name {
            "live.js" => http::Response::new(200, "text/javascript; charset=utf-8", LIVE_JS),
            "status" => {
                let seen = query
                    .split('&')
                    .find_map(|kv| kv.strip_prefix("since="))
                    .and_then(|v| v.parse().ok());
                let status = live.wait_for_change(seen, LONG_POLL);
                let body = serde_json::json!({ "build": status.build, "error": status.error });
                http::Response::new(200, "application/json", body.to_string())
            }
            _ => not_found(),
        };
    }
    let Some(file) = resolve(out, path) else {
        return not_found();
    };
    match std::fs::read(&file) {
        Ok(bytes) => {
            let kind = content_type(&file);
            let body = if kind.starts_with("text/html") {
                inject_script(bytes)
            } else {
                bytes
            };
            http::Response::new(200, kind, body)
        }
        // No build yet (the first one failed): a page that shows the error.
        Err(_) if path == "/" || path == "/index.html" => http::Response::new(
            200,
            "text/html; charset=utf-8",
            inject_script(NO_BUILD_YET.as_bytes().to_vec()),
        ),
        Err(_) => not_found(),
    }
}

const NO_BUILD_YET: &str = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>salesplan serve</title></head>\n<body><main><h1>No build yet</h1><p>The plan has not built successfully yet; the error is shown below and this page reloads when it is fixed.</p></main></body></html>\n";

/// The file under `out` a URL path names: percent-decoded, `..` refused, folders served
/// by their `index.html`.
fn resolve(out: &Path, url_path: &str) -> Option<PathBuf> {
    let decoded = percent_decode(url_path)?;
    let mut file = out.to_path_buf();
    for component in Path::new(decoded.trim_start_matches('/')).components() {
        match component {
            Component::Normal(name) => file.push(name),
            Component::CurDir => {}
            _ => return None,
        }
    }
    if file.is_dir() {
        file.push("index.html");
    }
    Some(file)
}

/// `%XX` escapes decoded as UTF-8; `None` for a malformed escape or invalid UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            decoded.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            decoded.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(decoded).ok()
}

/// Adds the live-reload script before `</body>` (or at the end).
fn inject_script(mut html: Vec<u8>) -> Vec<u8> {
    let tag = format!("<script src=\"{PREFIX}live.js\"></script>\n");
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    html.splice(at..at, tag.into_bytes());
    html
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "svg" => "image/svg+xml",
        "csv" => "text/csv; charset=utf-8",
        "json" => "application/json",
        "md" => "text/markdown; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        _ => "application/octet-stream",
    }
}

fn not_found() -> http::Response {
    http::Response::new(
        404,
        "text/plain; charset=utf-8",
        "404: no such file in the built site\n",
    )
}

fn output_display(root: &Path, out: &Path) -> String {
    match out.strip_prefix(root) {
        Ok(rel) => format!("{}/", rel.display()),
        Err(_) => format!("{}/", out.display()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_paths_stay_inside_the_output_folder() {
        let out = Path::new("/srv/public");
        assert_eq!(
            resolve(out, "/charts/a%20b.svg"),
            Some(PathBuf::from("/srv/public/charts/a b.svg"))
        );
        assert_eq!(resolve(out, "/../etc/passwd"), None);
        assert_eq!(resolve(out, "/%2e%2e/etc/passwd"), None);
        assert_eq!(resolve(out, "/..%2fetc/passwd"), None);
        assert_eq!(resolve(out, "/charts/%2E%2E/%2E%2E/etc/passwd"), None);
        assert_eq!(resolve(out, "/bad%zz"), None);
    }

    #[test]
    fn the_script_goes_before_the_last_closing_body() {
        let html = b"<html><body><p>x</p></BODY></html>".to_vec();
        let injected = String::from_utf8(inject_script(html)).unwrap();
        assert_eq!(
            injected,
            "<html><body><p>x</p><script src=\"/__salesplan/live.js\"></script>\n</BODY></html>"
        );
        let bare = String::from_utf8(inject_script(b"plain".to_vec())).unwrap();
        assert!(bare.starts_with("plain<script"), "{bare}");
    }

    #[test]
    fn a_status_request_returns_at_once_for_an_unseen_build() {
        let live = Live::default();
        live.publish(None);
        let started = Instant::now();
        let status = live.wait_for_change(None, Duration::from_secs(5));
        assert_eq!(status.build, 1);
        assert!(started.elapsed() < Duration::from_secs(5));
        // The same build seen: waits out the (short) timeout and answers unchanged.
        let status = live.wait_for_change(Some(1), Duration::from_millis(20));
        assert_eq!(status.build, 1);
    }
}
