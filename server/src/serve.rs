//! The HTTP/1.1 accept loop: hyper under axum's router, with the limits a public server needs.
//!
//! `axum::serve` keeps every connection for as long as the client likes: a socket that sends
//! nothing, half a request head, or a body that stops arriving is waited on for ever, and each
//! holds a file descriptor. Here every connection carries a small shared record of what it is
//! doing ([`Conn`]), updated by its socket wrapper (bytes read and written), its service
//! (requests in flight) and its request body (waiting for the client), and a watchdog in the
//! connection's task closes it when
//!
//! - a request head is not complete `header_timeout` after its first byte (for the first
//!   request: after the connection opened);
//! - a handler has waited `body_timeout` for the request body;
//! - it sat idle between requests for `idle_timeout`, or a response could not be written for
//!   that long (a client that does not read);
//! - the connection limit is reached and it is the idlest connection (evicted for a new one).
//!
//! Request heads larger than `max_header_bytes` are answered 431 by hyper. A response sent
//! before the request body was read (413, 415, 429, …) carries `Connection: close`: the
//! rest of that body is never read, so the connection cannot carry another request.
//! [`raise_open_file_limit`] lifts the soft `RLIMIT_NOFILE` to the hard limit at start.

use std::collections::HashMap;
use std::convert::Infallible;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::ConnectInfo;
use axum::http::{HeaderValue, Request, Response, header};
use http_body::{Body as HttpBody, Frame, SizeHint};
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, watch};
use tower::ServiceExt;

use crate::config::Settings;

/// Connection limits and timeouts (from [`Settings`]).
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// A request head must be complete this long after its first byte.
    pub header_timeout: Duration,
    /// A handler waits this long for the request body.
    pub body_timeout: Duration,
    /// Idle time between requests, and the longest a response write may stall.
    pub idle_timeout: Duration,
    /// Largest request head, bytes.
    pub max_header_bytes: usize,
    /// Open connections; the idlest is evicted for a new one when full.
    pub connection_limit: usize,
}

impl Limits {
    /// The limits the settings ask for; the connection limit is capped to what the open-file
    /// limit leaves (`open_files`, minus a reserve for the database, logs and the listener).
    pub fn from_settings(s: &Settings, open_files: Option<u64>) -> Limits {
        let secs = |n: u64| Duration::from_secs(n.max(1));
        let reserve = 64 + u64::from(s.max_connections);
        let cap =
            open_files.map_or(usize::MAX, |n| usize::try_from(n.saturating_sub(reserve).max(16)).unwrap_or(usize::MAX));
        Limits {
            header_timeout: secs(s.header_timeout_secs),
            body_timeout: secs(s.body_timeout_secs),
            idle_timeout: secs(s.idle_timeout_secs),
            max_header_bytes: s.max_header_bytes.max(8192),
            connection_limit: s.connection_limit.clamp(1, cap),
        }
    }
}

/// Raises the soft open-file limit to the hard limit; returns the soft limit now in force
/// (`None`: unlimited, or not a Unix).
pub fn raise_open_file_limit() -> Option<u64> {
    #[cfg(unix)]
    {
        use rustix::process::{Resource, getrlimit, setrlimit};
        let limit = getrlimit(Resource::Nofile);
        // `None` is "unlimited".
        let raise = match (limit.current, limit.maximum) {
            (Some(soft), Some(hard)) => soft < hard,
            (Some(_), None) => true,
            (None, _) => false,
        };
        if raise {
            let raised = rustix::process::Rlimit { current: limit.maximum, maximum: limit.maximum };
            match setrlimit(Resource::Nofile, raised) {
                Ok(()) => return limit.maximum,
                Err(e) => tracing::warn!(error = %e, "could not raise the open-file limit"),
            }
        }
        limit.current
    }
    #[cfg(not(unix))]
    {
        None
    }
}

/// What one connection is doing; shared by its socket, service, bodies and watchdog.
#[derive(Debug)]
struct Conn {
    state: Mutex<ConnState>,
    close: Notify,
    /// Already asked to close (eviction): not a victim again while it winds down.
    evicted: AtomicBool,
}

#[derive(Debug, Clone, Copy)]
struct ConnState {
    /// Last byte read or written, or last request finished.
    last_activity: Instant,
    /// A request head has begun (first byte read, or the connection opened) and has not
    /// reached the router yet.
    head_started: Option<Instant>,
    /// Requests handed to the router whose responses are not fully written yet.
    in_flight: u32,
    /// A handler is waiting for request body bytes since.
    body_wait_since: Option<Instant>,
    /// A write to the socket has been pending since.
    write_blocked_since: Option<Instant>,
}

impl Conn {
    fn new(now: Instant) -> Conn {
        Conn {
            state: Mutex::new(ConnState {
                last_activity: now,
                head_started: Some(now),
                in_flight: 0,
                body_wait_since: None,
                write_blocked_since: None,
            }),
            close: Notify::new(),
            evicted: AtomicBool::new(false),
        }
    }

    fn lock(&self) -> MutexGuard<'_, ConnState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Why the watchdog should close this connection now, if it should.
    fn expired(&self, now: Instant, limits: &Limits) -> Option<&'static str> {
        let s = *self.lock();
        let over = |since: Instant, limit: Duration| now.saturating_duration_since(since) >= limit;
        if let Some(t) = s.write_blocked_since
            && over(t, limits.idle_timeout)
        {
            return Some("response write stalled");
        }
        if let Some(t) = s.body_wait_since
            && over(t, limits.body_timeout)
        {
            return Some("request body timed out");
        }
        if s.in_flight == 0 {
            if let Some(t) = s.head_started {
                if over(t, limits.header_timeout) {
                    return Some("request head timed out");
                }
            } else if over(s.last_activity, limits.idle_timeout) {
                return Some("idle");
            }
        }
        None
    }

    /// Idle (no request in flight) since, for eviction; `None` when busy or already evicted.
    fn idle_since(&self) -> Option<Instant> {
        if self.evicted.load(Ordering::Relaxed) {
            return None;
        }
        let s = self.lock();
        (s.in_flight == 0).then_some(s.last_activity)
    }
}

/// The open connections, for the limit and eviction.
#[derive(Debug, Default)]
struct Registry {
    conns: Mutex<HashMap<u64, Arc<Conn>>>,
    next_id: AtomicU64,
}

impl Registry {
    fn len(&self) -> usize {
        self.conns.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    /// Open connections not already asked to close.
    fn live(&self) -> usize {
        self.conns
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .values()
            .filter(|c| !c.evicted.load(Ordering::Relaxed))
            .count()
    }

    fn insert(&self, conn: Arc<Conn>) -> u64 {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        self.conns.lock().unwrap_or_else(|e| e.into_inner()).insert(id, conn);
        id
    }

    fn remove(&self, id: u64) {
        self.conns.lock().unwrap_or_else(|e| e.into_inner()).remove(&id);
    }

    /// Asks the idlest connection (no request in flight, oldest activity) to close.
    fn evict_idlest(&self) -> bool {
        let conns = self.conns.lock().unwrap_or_else(|e| e.into_inner());
        let victim = conns.values().filter_map(|c| c.idle_since().map(|t| (t, c))).min_by_key(|(t, _)| *t);
        match victim {
            Some((_, c)) => {
                c.evicted.store(true, Ordering::Relaxed);
                c.close.notify_one();
                true
            }
            None => false,
        }
    }
}

/// Serves `router` on `listener` until `shutdown` resolves, then lets open requests finish
/// (up to 10 s).
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let registry = Arc::new(Registry::default());
    let (stop_tx, stop_rx) = watch::channel(false);
    let mut shutdown = std::pin::pin!(shutdown);
    tracing::info!(?limits, "accepting connections");
    loop {
        let accepted = tokio::select! {
            () = &mut shutdown => break,
            a = listener.accept() => a,
        };
        let (stream, remote) = match accepted {
            Ok(a) => a,
            Err(e) => {
                // Out of file descriptors (EMFILE/ENFILE) or an aborted handshake: make room
                // and carry on; never spin.
                tracing::warn!(error = %e, open = registry.len(), "accept failed");
                registry.evict_idlest();
                tokio::time::sleep(Duration::from_millis(20)).await;
                continue;
            }
        };
        if registry.live() >= limits.connection_limit && !registry.evict_idlest() {
            // Every connection is busy with a request: refuse this one.
            tracing::warn!(limit = limits.connection_limit, "connection limit reached; refusing a connection");
            drop(stream);
            continue;
        }
        let _ = stream.set_nodelay(true);
        let conn = Arc::new(Conn::new(Instant::now()));
        let id = registry.insert(conn.clone());
        let registry = registry.clone();
        let router = router.clone();
        let stop = stop_rx.clone();
        tokio::spawn(async move {
            serve_connection(stream, remote, router, conn, limits, stop).await;
            registry.remove(id);
        });
    }
    drop(listener);
    let _ = stop_tx.send(true);
    let deadline = Instant::now() + Duration::from_secs(10);
    while registry.len() > 0 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Ok(())
}

async fn serve_connection(
    stream: TcpStream,
    remote: SocketAddr,
    router: Router,
    conn: Arc<Conn>,
    limits: Limits,
    mut stop: watch::Receiver<bool>,
) {
    let io = TokioIo::new(Tracked { inner: stream, conn: conn.clone(), blocked: false });
    let service = ConnService { router, conn: conn.clone(), remote };
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder.keep_alive(true).header_read_timeout(None).max_buf_size(limits.max_header_bytes.max(64 * 1024));
    builder.max_header_size(limits.max_header_bytes);
    let connection = builder.serve_connection(io, service);
    let mut connection = std::pin::pin!(connection);
    let mut tick = tokio::time::interval(Duration::from_millis(500));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut stopping = *stop.borrow();
    if stopping {
        connection.as_mut().graceful_shutdown();
    }
    loop {
        tokio::select! {
            result = connection.as_mut() => {
                if let Err(e) = result {
                    tracing::debug!(error = %e, "connection ended with an error");
                }
                return;
            }
            _ = tick.tick() => {
                if let Some(reason) = conn.expired(Instant::now(), &limits) {
                    tracing::debug!(reason, "closing a connection");
                    return;
                }
            }
            () = conn.close.notified() => {
                tracing::debug!("closing the idlest connection for a new one");
                return;
            }
            _ = stop.changed(), if !stopping => {
                stopping = true;
                connection.as_mut().graceful_shutdown();
            }
        }
    }
}

/// The socket, noting activity on the connection's record.
struct Tracked {
    inner: TcpStream,
    conn: Arc<Conn>,
    blocked: bool,
}

impl AsyncRead for Tracked {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let result = Pin::new(&mut self.inner).poll_read(cx, buf);
        if matches!(result, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            let now = Instant::now();
            let mut s = self.conn.lock();
            s.last_activity = now;
            if s.in_flight == 0 && s.head_started.is_none() {
                s.head_started = Some(now);
            }
        }
        result
    }
}

impl Tracked {
    /// Marks a stalled write (and its end); the common write that goes through at once takes
    /// no lock.
    fn note_write<T>(&mut self, result: &Poll<io::Result<T>>) {
        match result {
            Poll::Pending if !self.blocked => {
                self.blocked = true;
                self.conn.lock().write_blocked_since = Some(Instant::now());
            }
            Poll::Ready(_) if self.blocked => {
                self.blocked = false;
                let mut s = self.conn.lock();
                s.write_blocked_since = None;
                s.last_activity = Instant::now();
            }
            _ => {}
        }
    }
}

impl AsyncWrite for Tracked {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let result = Pin::new(&mut self.inner).poll_write(cx, buf);
        self.note_write(&result);
        result
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let result = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        self.note_write(&result);
        result
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// The router as a hyper service for one connection.
#[derive(Clone)]
struct ConnService {
    router: Router,
    conn: Arc<Conn>,
    remote: SocketAddr,
}

impl hyper::service::Service<Request<Incoming>> for ConnService {
    type Response = Response<ResponseBody>;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Infallible>> + Send>>;

    fn call(&self, request: Request<Incoming>) -> Self::Future {
        let guard = InFlight::start(self.conn.clone());
        let (mut parts, body) = request.into_parts();
        parts.extensions.insert(ConnectInfo(self.remote));
        let read = Arc::new(AtomicBool::new(body.is_end_stream()));
        let body = Body::new(RequestBody { inner: body, conn: self.conn.clone(), read: read.clone(), waiting: false });
        let request = Request::from_parts(parts, body);
        let router = self.router.clone();
        Box::pin(async move {
            let Ok(mut response) = router.oneshot(request).await;
            if !read.load(Ordering::Acquire) {
                // Answered before the body was read: the rest of it is never read, so this
                // connection cannot carry another request. Say so.
                response.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
            }
            Ok(response.map(|inner| ResponseBody { inner, _guard: guard }))
        })
    }
}

/// A request in flight, until its response body is dropped (written or abandoned).
struct InFlight(Arc<Conn>);

impl InFlight {
    fn start(conn: Arc<Conn>) -> InFlight {
        {
            let mut s = conn.lock();
            s.in_flight += 1;
            s.head_started = None;
        }
        InFlight(conn)
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        let mut s = self.0.lock();
        s.in_flight = s.in_flight.saturating_sub(1);
        s.last_activity = Instant::now();
    }
}

/// The request body, noting when a handler waits on it and when it was read to the end.
struct RequestBody {
    inner: Incoming,
    conn: Arc<Conn>,
    read: Arc<AtomicBool>,
    waiting: bool,
}

impl HttpBody for RequestBody {
    type Data = Bytes;
    type Error = hyper::Error;

    fn poll_frame(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, hyper::Error>>> {
        let result = Pin::new(&mut self.inner).poll_frame(cx);
        match &result {
            Poll::Pending => {
                if !self.waiting {
                    self.waiting = true;
                    self.conn.lock().body_wait_since.get_or_insert_with(Instant::now);
                }
            }
            Poll::Ready(frame) => {
                if self.waiting {
                    self.waiting = false;
                }
                // The timeout is for the whole body: the wait mark stays until the end.
                if frame.is_none() || self.inner.is_end_stream() {
                    self.read.store(true, Ordering::Release);
                    self.conn.lock().body_wait_since = None;
                }
            }
        }
        result
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

impl Drop for RequestBody {
    fn drop(&mut self) {
        // Nobody waits on an abandoned body.
        self.conn.lock().body_wait_since = None;
    }
}

/// The response body, holding the request's [`InFlight`] mark.
struct ResponseBody {
    inner: Body,
    _guard: InFlight,
}

impl HttpBody for ResponseBody {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        Pin::new(&mut self.inner).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> Limits {
        Limits {
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(30),
            idle_timeout: Duration::from_secs(60),
            max_header_bytes: 16384,
            connection_limit: 10,
        }
    }

    #[test]
    fn the_watchdog_names_each_timeout() {
        let t = Instant::now();
        let c = Conn::new(t);
        let l = limits();
        assert_eq!(c.expired(t + Duration::from_secs(9), &l), None);
        assert_eq!(c.expired(t + Duration::from_secs(10), &l), Some("request head timed out"));
        c.lock().head_started = None;
        assert_eq!(c.expired(t + Duration::from_secs(59), &l), None);
        assert_eq!(c.expired(t + Duration::from_secs(60), &l), Some("idle"));
        {
            let mut s = c.lock();
            s.in_flight = 1;
            s.body_wait_since = Some(t);
        }
        assert_eq!(c.expired(t + Duration::from_secs(29), &l), None);
        assert_eq!(c.expired(t + Duration::from_secs(30), &l), Some("request body timed out"));
        c.lock().body_wait_since = None;
        // A handler at work is never timed out by the watchdog.
        assert_eq!(c.expired(t + Duration::from_secs(3600), &l), None);
    }

    #[test]
    fn the_connection_limit_leaves_room_for_the_database() {
        let s = Settings { connection_limit: 100_000, max_connections: 8, ..Settings::default() };
        assert_eq!(Limits::from_settings(&s, Some(1024)).connection_limit, 1024 - 72);
        assert_eq!(Limits::from_settings(&s, None).connection_limit, 100_000);
    }

    #[test]
    fn eviction_picks_the_idlest_connection_without_a_request() {
        let r = Registry::default();
        let t = Instant::now();
        let (a, b, c) =
            (Arc::new(Conn::new(t)), Arc::new(Conn::new(t + Duration::from_secs(1))), Arc::new(Conn::new(t)));
        c.lock().in_flight = 1;
        for conn in [&a, &b, &c] {
            r.insert(conn.clone());
        }
        assert!(r.evict_idlest());
        // `a` got the permit: its `notified()` completes at once.
        let waker = futures_util::task::noop_waker();
        let mut cx = Context::from_waker(&waker);
        assert!(std::pin::pin!(a.close.notified()).poll(&mut cx).is_ready());
        assert!(std::pin::pin!(b.close.notified()).poll(&mut cx).is_pending());
        // `a` winds down; the next eviction picks `b`, not `a` again.
        assert!(r.evict_idlest());
        assert!(std::pin::pin!(b.close.notified()).poll(&mut cx).is_ready());
    }
}
