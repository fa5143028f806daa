//! The preview server's HTTP/1.1: a thread per connection, so an idle connection, a slow
//! client or a page long-polling for the next build holds only its own thread, never a
//! shared worker the other requests wait for. What keeps that bounded:
//!
//! - a connection waits at most [`Limits::idle`] for a whole request head, then closes
//!   (a client that sends a byte now and then is cut off all the same);
//! - a request head is at most [`Limits::max_head`] bytes (431 past it); requests carry no
//!   body (413), only `GET` and `HEAD` are answered (405);
//! - at most [`Limits::max_connections`] connections are open at once; one more is told
//!   503 and closed, so a flood cannot take the machine's threads.
//!
//! Persistent connections (HTTP/1.1's default) and pipelined requests are kept; responses
//! always carry `Content-Length`.

use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The bounds of the module documentation.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub idle: Duration,
    pub max_head: usize,
    pub max_connections: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            idle: Duration::from_secs(15),
            max_head: 16 * 1024,
            max_connections: 1024,
        }
    }
}

/// A request as the handler sees it.
#[derive(Debug)]
pub struct Request {
    /// The request target as sent: path and query, still percent-encoded.
    pub target: String,
}

/// A complete response.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
}

impl Response {
    pub fn new(status: u16, content_type: &'static str, body: impl Into<Vec<u8>>) -> Self {
        Response {
            status,
            content_type,
            body: body.into(),
        }
    }

    fn text(status: u16, body: &str) -> Self {
        Response::new(status, "text/plain; charset=utf-8", format!("{body}\n"))
    }
}

/// What answers a request (on the connection's thread: it may block, e.g. a long poll).
pub type Handler = dyn Fn(&Request) -> Response + Send + Sync;

/// A connection's thread needs little: the handler reads a file and writes it.
const STACK_BYTES: usize = 256 * 1024;

/// Accepts connections until the listener fails, each answered on a thread of its own.
pub fn run(listener: TcpListener, handler: Arc<Handler>, limits: Limits) -> io::Result<()> {
    let open = Arc::new(AtomicUsize::new(0));
    for stream in listener.incoming() {
        let Ok(stream) = stream else {
            // A connection that failed before it was accepted (reset, out of descriptors
            // for a moment): the next one may do, after a pause rather than a busy loop.
            std::thread::sleep(Duration::from_millis(10));
            continue;
        };
        if open.fetch_add(1, Ordering::AcqRel) >= limits.max_connections {
            open.fetch_sub(1, Ordering::AcqRel);
            refuse_busy(stream);
            continue;
        }
        let (handler, count) = (Arc::clone(&handler), Arc::clone(&open));
        let spawned = std::thread::Builder::new()
            .name("serve-connection".to_string())
            .stack_size(STACK_BYTES)
            .spawn(move || {
                // A client that went away mid-answer is not worth a message.
                let _ = connection(stream, &*handler, limits);
                count.fetch_sub(1, Ordering::AcqRel);
            });
        if spawned.is_err() {
            // No thread to be had for a moment: that connection is dropped (with the
            // closure), and so is its place in the count.
            open.fetch_sub(1, Ordering::AcqRel);
        }
    }
    Ok(())
}

/// Tells a connection past the limit to come back, without reading it.
fn refuse_busy(mut stream: TcpStream) {
    let _ = stream.set_write_timeout(Some(Duration::from_secs(1)));
    let response = Response::text(503, "503: too many open connections; try again");
    let _ = write_response(&mut stream, &response, false, false);
}

/// Serves the requests of one connection until it closes, breaks a limit or stays idle.
pub fn connection(mut stream: TcpStream, handler: &Handler, limits: Limits) -> io::Result<()> {
    stream.set_write_timeout(Some(limits.idle))?;
    // Bytes read and not yet answered: a pipelined request's head can follow another's.
    let mut buffer: Vec<u8> = Vec::with_capacity(1024);
    loop {
        let len = match read_head(&mut stream, &mut buffer, limits) {
            Ok(Some(len)) => len,
            // Closed by the client, or idle past the limit: nothing to answer.
            Ok(None) => return Ok(()),
            Err(HeadError::TooLarge) => {
                let response = Response::text(431, "431: the request head is too large");
                return write_response(&mut stream, &response, false, false);
            }
            Err(HeadError::Io(e)) => return Err(e),
        };
        let head: Vec<u8> = buffer.drain(..len).collect();
        let head = match parse_head(&head) {
            Ok(head) => head,
            Err(response) => return write_response(&mut stream, &response, false, false),
        };
        let response = handler(&Request {
            target: head.target,
        });
        write_response(
            &mut stream,
            &response,
            head.keep_alive,
            head.method == "HEAD",
        )?;
        if !head.keep_alive {
            return Ok(());
        }
    }
}

/// Why no request head was read.
enum HeadError {
    TooLarge,
    Io(io::Error),
}

/// Reads until `buffer` holds a whole request head (up to and including the blank line);
/// returns its length, or `None` when the client closed or went idle first.
fn read_head(
    stream: &mut TcpStream,
    buffer: &mut Vec<u8>,
    limits: Limits,
) -> Result<Option<usize>, HeadError> {
    let (max_head, deadline) = (limits.max_head, Instant::now() + limits.idle);
    // Where the search resumes: a blank line can straddle two reads.
    let mut searched: usize = 0;
    loop {
        let from = searched.saturating_sub(3);
        if let Some(at) = find_blank_line(&buffer[from..]) {
            let len = from + at;
            return if len > max_head {
                Err(HeadError::TooLarge)
            } else {
                Ok(Some(len))
            };
        }
        searched = buffer.len();
        if buffer.len() > max_head {
            return Err(HeadError::TooLarge);
        }
        // The whole head within the idle limit, not each read: a client sending a byte
        // now and then cannot hold its thread for long.
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Ok(None);
        }
        stream.set_read_timeout(Some(left)).map_err(HeadError::Io)?;
        let mut chunk = [0u8; 4096];
        match stream.read(&mut chunk) {
            Ok(0) => return Ok(None),
            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
            Err(e) if is_timeout(&e) => return Ok(None),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) if e.kind() == io::ErrorKind::ConnectionReset => return Ok(None),
            Err(e) => return Err(HeadError::Io(e)),
        }
    }
}

fn is_timeout(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
    )
}

/// The end of the first `\r\n\r\n` (or bare `\n\n`) in `bytes`.
fn find_blank_line(bytes: &[u8]) -> Option<usize> {
    (0..bytes.len()).find_map(|i| {
        if bytes[i..].starts_with(b"\r\n\r\n") {
            Some(i + 4)
        } else if bytes[i..].starts_with(b"\n\n") {
            Some(i + 2)
        } else {
            None
        }
    })
}

/// A parsed request head.
#[derive(Debug, PartialEq)]
struct Head {
    method: String,
    target: String,
    keep_alive: bool,
}

/// Parses a request head, or gives the response that refuses it.
fn parse_head(head: &[u8]) -> Result<Head, Response> {
    let bad = || Response::text(400, "400: a malformed request");
    let text = std::str::from_utf8(head).map_err(|_| bad())?;
    let mut lines = text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l));
    let request_line = lines.next().ok_or_else(bad)?;
    let mut parts = request_line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(bad());
    };
    let http11 = match version {
        "HTTP/1.1" => true,
        "HTTP/1.0" => false,
        _ => return Err(Response::text(505, "505: only HTTP/1.0 and HTTP/1.1")),
    };
    if !target.starts_with('/') {
        return Err(bad());
    }
    let mut keep_alive = http11;
    for line in lines.filter(|l| !l.is_empty()) {
        let (name, value) = line.split_once(':').ok_or_else(bad)?;
        let value = value.trim();
        match name.trim().to_ascii_lowercase().as_str() {
            "connection" => {
                let tokens = value.to_ascii_lowercase();
                if tokens.split(',').any(|t| t.trim() == "close") {
                    keep_alive = false;
                } else if tokens.split(',').any(|t| t.trim() == "keep-alive") {
                    keep_alive = true;
                }
            }
            "content-length" if value != "0" => {
                return Err(Response::text(413, "413: requests carry no body here"));
            }
            "transfer-encoding" => {
                return Err(Response::text(413, "413: requests carry no body here"));
            }
            _ => {}
        }
    }
    if method != "GET" && method != "HEAD" {
        return Err(Response::text(405, "405: only GET and HEAD"));
    }
    Ok(Head {
        method: method.to_string(),
        target: target.to_string(),
        keep_alive,
    })
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        413 => "Content Too Large",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "",
    }
}

/// Writes `response` (its body unless `head_only`), saying whether the connection stays.
fn write_response(
    stream: &mut TcpStream,
    response: &Response,
    keep_alive: bool,
    head_only: bool,
) -> io::Result<()> {
    let mut out = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: {}\r\n",
        response.status,
        reason(response.status),
        response.content_type,
        response.body.len(),
        if keep_alive { "keep-alive" } else { "close" },
    );
    if response.status == 405 {
        out.push_str("Allow: GET, HEAD\r\n");
    }
    out.push_str("\r\n");
    let mut bytes = out.into_bytes();
    if !head_only {
        bytes.extend_from_slice(&response.body);
    }
    stream.write_all(&bytes)?;
    stream.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::SocketAddr;

    fn head(text: &str) -> Result<Head, u16> {
        parse_head(text.as_bytes()).map_err(|r| r.status)
    }

    #[test]
    fn request_heads_are_parsed_or_refused_with_the_right_status() {
        let ok = |target: &str, keep_alive| {
            Ok(Head {
                method: "GET".to_string(),
                target: target.to_string(),
                keep_alive,
            })
        };
        // HTTP/1.1 stays open unless told to close; HTTP/1.0 closes unless told to stay.
        assert_eq!(
            head("GET /a?b=1 HTTP/1.1\r\nHost: x\r\n\r\n"),
            ok("/a?b=1", true)
        );
        assert_eq!(
            head("GET / HTTP/1.1\r\nConnection: Close\r\n\r\n"),
            ok("/", false)
        );
        assert_eq!(head("GET / HTTP/1.0\r\n\r\n"), ok("/", false));
        assert_eq!(
            head("GET / HTTP/1.0\nConnection: keep-alive\n\n"),
            ok("/", true)
        );
        assert_eq!(head("POST / HTTP/1.1\r\n\r\n"), Err(405));
        assert_eq!(
            head("GET / HTTP/1.1\r\nContent-Length: 5\r\n\r\n"),
            Err(413)
        );
        assert_eq!(
            head("GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"),
            Err(413)
        );
        assert_eq!(head("GET / HTTP/2.0\r\n\r\n"), Err(505));
        assert_eq!(head("GET /\r\n\r\n"), Err(400));
        assert_eq!(head("GET http://x/ HTTP/1.1\r\n\r\n"), Err(400));
        assert_eq!(head("GET / HTTP/1.1\r\nno colon\r\n\r\n"), Err(400));
    }

    /// A server on a free port with `limits`, answering every request with its target.
    fn server(limits: Limits) -> SocketAddr {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap();
        let handler = |r: &Request| Response::new(200, "text/plain", r.target.clone());
        std::thread::spawn(move || run(listener, Arc::new(handler), limits));
        address
    }

    /// Everything the server sends until it closes the connection.
    fn read_all(stream: &mut TcpStream) -> String {
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let mut text = String::new();
        stream.read_to_string(&mut text).unwrap();
        text
    }

    #[test]
    fn pipelined_requests_are_answered_in_order_on_one_connection() {
        let address = server(Limits::default());
        let mut stream = TcpStream::connect(address).unwrap();
        stream
            .write_all(b"GET /one HTTP/1.1\r\n\r\nHEAD /two HTTP/1.1\r\n\r\nGET /three HTTP/1.1\r\nConnection: close\r\n\r\n")
            .unwrap();
        let text = read_all(&mut stream);
        // Bodies are the targets; HEAD gets its length but no body.
        let one = text.find("\r\n\r\n/one").expect("the first answer");
        let two = text.find("Content-Length: 4\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\nHTTP/1.1 200");
        let three = text
            .find("Connection: close\r\n\r\n/three")
            .expect("the last answer");
        assert!(two.is_some_and(|t| one < t && t < three), "{text}");
        assert!(!text.contains("/two"), "{text}");
    }

    #[test]
    fn an_oversized_head_is_refused_and_an_idle_connection_closed() {
        let limits = Limits {
            idle: Duration::from_millis(200),
            max_head: 1024,
            max_connections: 16,
        };
        let address = server(limits);
        let mut big = TcpStream::connect(address).unwrap();
        let header = format!("GET / HTTP/1.1\r\nX-Long: {}\r\n\r\n", "a".repeat(4000));
        // The server may close before reading it all: a reset while writing is fine.
        let _ = big.write_all(header.as_bytes());
        let text = read_all(&mut big);
        assert!(text.starts_with("HTTP/1.1 431 "), "{text}");
        // Half a request, then silence: closed after the idle limit, with no answer.
        let mut slow = TcpStream::connect(address).unwrap();
        slow.write_all(b"GET / HTTP/1.1\r\nHost:").unwrap();
        assert_eq!(read_all(&mut slow), "");
        // A byte every 50 ms (each read well inside the limit): cut off all the same once
        // the head has taken 200 ms, and answered nothing.
        let mut trickle = TcpStream::connect(address).unwrap();
        let mut sent = 0;
        for byte in b"GET / HTTP/1.1\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" {
            if trickle.write_all(&[*byte]).is_err() {
                break;
            }
            sent += 1;
            std::thread::sleep(Duration::from_millis(50));
        }
        assert!(sent < 30, "the server kept reading a trickle: {sent} bytes");
        assert_eq!(read_all(&mut trickle), "");
    }

    #[test]
    fn connections_past_the_limit_are_told_to_come_back() {
        let limits = Limits {
            max_connections: 2,
            ..Limits::default()
        };
        let address = server(limits);
        let held: Vec<TcpStream> = (0..2)
            .map(|_| TcpStream::connect(address).unwrap())
            .collect();
        // Both held connections are counted once their threads run; wait for the refusal.
        let refused = (0..100).find_map(|_| {
            let mut extra = TcpStream::connect(address).unwrap();
            extra.write_all(b"GET /x HTTP/1.1\r\n\r\n").ok()?;
            let mut first = [0u8; 12];
            extra.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
            extra.read_exact(&mut first).ok()?;
            (&first == b"HTTP/1.1 503").then_some(())
        });
        assert!(refused.is_some(), "a third connection was answered");
        drop(held);
    }
}
