//! serve: a real server on a free port, driven over HTTP while the plan's files change.

use std::fs;

use crate::support::Plan;

/// A running `salesplan serve`, killed when dropped (also when an assertion fails).
struct Server {
    child: std::process::Child,
    lines: std::sync::mpsc::Receiver<String>,
    address: String,
}

impl Server {
    fn start(plan: &Plan, args: &[&str]) -> Server {
        use std::io::BufRead;
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_salesplan"))
            .arg("serve")
            .args(args)
            .current_dir(plan.path())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("starting salesplan serve");
        let stderr = child.stderr.take().unwrap();
        let (tx, lines) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stderr)
                .lines()
                .map_while(Result::ok)
            {
                let _ = tx.send(line);
            }
        });
        let mut server = Server {
            child,
            lines,
            address: String::new(),
        };
        let serving = server.wait_for_line("serving ");
        let start = serving.find("http://").expect("a URL") + "http://".len();
        let end = start + serving[start..].find('/').unwrap();
        server.address = serving[start..end].to_string();
        server
    }

    /// The next stderr line containing `needle` (earlier ones are skipped).
    fn wait_for_line(&mut self, needle: &str) -> String {
        let timeout = std::time::Duration::from_secs(60);
        loop {
            match self.lines.recv_timeout(timeout) {
                Ok(line) if line.contains(needle) => return line,
                Ok(_) => {}
                Err(e) => panic!("no line with `{needle}` from salesplan serve: {e}"),
            }
        }
    }

    /// GET `path`: (status code, body).
    fn get(&self, path: &str) -> (u16, String) {
        use std::io::{Read, Write};
        let mut stream = std::net::TcpStream::connect(&self.address).unwrap();
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.address
        )
        .unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        let code = response[9..12].parse().unwrap();
        let body = response
            .split_once("\r\n\r\n")
            .map(|(_, b)| b.to_string())
            .unwrap_or_default();
        (code, body)
    }

    /// The build status once build `since` is superseded: (build number, error text).
    fn status_after(&self, since: u64) -> (u64, Option<String>) {
        let (code, body) = self.get(&format!("/__salesplan/status?since={since}"));
        assert_eq!(code, 200, "{body}");
        let json: serde_json::Value = serde_json::from_str(&body).unwrap();
        (
            json["build"].as_u64().unwrap(),
            json["error"].as_str().map(str::to_string),
        )
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn serve_rebuilds_on_change_and_keeps_the_last_good_site() {
    let plan = Plan::conformance("a_targets_april");
    let mut server = Server::start(&plan, &["--port", "0"]);

    // The first build is served, with the live-reload script added to pages only.
    let (code, page) = server.get("/");
    assert_eq!(code, 200);
    assert!(page.contains("Test A — April fiscal year"), "{page}");
    assert!(page.contains(r#"<script src="/__salesplan/live.js"></script>"#));
    let on_disk = fs::read_to_string(plan.path().join("public/index.html")).unwrap();
    assert!(
        !on_disk.contains("__salesplan"),
        "the built files stay clean"
    );
    assert_eq!(server.get("/__salesplan/live.js").0, 200);
    // Out of the output folder, plainly or percent-encoded: refused.
    for escape in [
        "/../content/plan.yaml",
        "/%2e%2e/content/plan.yaml",
        "/..%2fcontent/plan.yaml",
        "/charts/%2E%2E/%2e%2e/content/plan.yaml",
    ] {
        let (code, body) = server.get(escape);
        assert_eq!(code, 404, "{escape}: {body}");
        assert!(!body.contains("title:"), "{escape}: {body}");
    }
    assert_eq!(server.get("/no-such-page.html").0, 404);
    let (first, error) = server.status_after(u64::MAX);
    assert_eq!(error, None);

    // A good edit: rebuilt, and the status tells waiting pages to reload.
    let plan_yaml = fs::read_to_string(plan.path().join("content/plan.yaml")).unwrap();
    plan.write(
        "content/plan.yaml",
        &plan_yaml.replace("Test A — April fiscal year", "Renamed while serving"),
    );
    server.wait_for_line("built Renamed while serving");
    let (second, error) = server.status_after(first);
    assert_eq!((second, error), (first + 1, None));
    assert!(server
        .get("/index.html")
        .1
        .contains("Renamed while serving"));

    // A broken edit: the error reaches the terminal and the page; the last good site stays.
    plan.write("content/plan.yaml", "title: [unclosed\n");
    server.wait_for_line("build failed");
    let (third, error) = server.status_after(second);
    assert_eq!(third, second + 1);
    let error = error.expect("the failed build's error");
    assert!(error.contains("error: content/plan.yaml:"), "{error}");
    assert!(server.get("/").1.contains("Renamed while serving"));

    // Fixed again: a good build clears the error.
    plan.write("content/plan.yaml", &plan_yaml);
    server.wait_for_line("built Test A");
    let (fourth, error) = server.status_after(third);
    assert_eq!((fourth, error), (third + 1, None));
}

#[test]
fn serve_on_a_taken_port_is_a_clear_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let plan = Plan::conformance("a_targets_april");
    let run = plan.run(&["serve", "--port", &port]).fails_with(1);
    assert!(
        run.stderr
            .contains(&format!("port {port} on 127.0.0.1 is already in use")),
        "{}",
        run.stderr
    );
}

#[test]
fn serve_answers_while_many_connections_idle_and_pages_wait_for_a_build() {
    use std::io::{Read, Write};
    let plan = Plan::conformance("a_targets_april");
    let server = Server::start(&plan, &["--port", "0"]);
    let (build, _) = server.status_after(u64::MAX);
    // 64 connections open and silent, as a browser's speculative ones are...
    let idle: Vec<std::net::TcpStream> = (0..64)
        .map(|_| std::net::TcpStream::connect(&server.address).unwrap())
        .collect();
    // ...and 8 open tabs long-polling for the next build (none comes: they wait).
    let waits: Vec<std::net::TcpStream> = (0..8)
        .map(|_| {
            let mut s = std::net::TcpStream::connect(&server.address).unwrap();
            write!(s, "GET /__salesplan/status?since={build} HTTP/1.1\r\n\r\n").unwrap();
            s
        })
        .collect();
    // 100 requests on fresh connections, every one answered in full (each read gives up
    // after 20 s instead of hanging the test).
    for i in 0..100 {
        let mut stream = std::net::TcpStream::connect(&server.address).unwrap();
        stream
            .set_read_timeout(Some(std::time::Duration::from_secs(20)))
            .unwrap();
        let path = if i % 2 == 0 {
            "/index.html"
        } else {
            "/__salesplan/live.js"
        };
        write!(stream, "GET {path} HTTP/1.1\r\nConnection: close\r\n\r\n").unwrap();
        let mut response = String::new();
        stream
            .read_to_string(&mut response)
            .unwrap_or_else(|e| panic!("request {i} ({path}) not answered: {e}"));
        assert!(
            response.starts_with("HTTP/1.1 200 OK"),
            "request {i}: {response}"
        );
    }
    // The waits are still waiting, and the idle sockets still open, when it is done.
    for mut wait in waits {
        wait.set_nonblocking(true).unwrap();
        let mut byte = [0u8; 1];
        let read = wait.read(&mut byte);
        assert!(
            matches!(&read, Err(e) if e.kind() == std::io::ErrorKind::WouldBlock),
            "a long poll answered early: {read:?}"
        );
    }
    drop(idle);
}
