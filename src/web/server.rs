//! The connection loop: HTTP/1.1 with a deadline for a request's headers and
//! one for its body, and a cap on connections that have not yet sent a whole
//! request, so slow or half-sent requests cannot hold the server's sockets.

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::Router;
use hyper::body::{Bytes, Frame, Incoming, SizeHint};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, OwnedSemaphorePermit, Semaphore};
use tower::ServiceExt;

use crate::config::Config;

/// Limits on slow clients.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Time to send the request line and headers (and the idle time of a
    /// kept-alive connection before its next request).
    pub header_timeout: Duration,
    /// Time to send the body once the headers are in.
    pub body_timeout: Duration,
    /// Connections at once that have not yet sent a whole request head.
    pub max_pending: usize,
}

impl Limits {
    /// The limits from the configuration.
    pub fn from_config(config: &Config) -> Limits {
        Limits {
            header_timeout: config.header_timeout,
            body_timeout: config.body_timeout,
            max_pending: config.max_pending_connections,
        }
    }
}

/// The error a body gives when its deadline passes.
#[derive(Debug, Clone, Copy, thiserror::Error)]
#[error("request body not received in time")]
pub struct BodyTimeout;

/// True when `err` (or what caused it) is a [`BodyTimeout`].
pub fn is_body_timeout(err: &(dyn std::error::Error + 'static)) -> bool {
    let mut cur = Some(err);
    while let Some(e) = cur {
        if e.is::<BodyTimeout>() {
            return true;
        }
        cur = e.source();
    }
    false
}

/// A request body that fails with [`BodyTimeout`] once its deadline passes
/// (a deadline for the whole body, not per chunk: a trickle cannot extend it).
struct DeadlineBody {
    inner: Incoming,
    deadline: Pin<Box<tokio::time::Sleep>>,
}

impl hyper::body::Body for DeadlineBody {
    type Data = Bytes;
    type Error = axum::BoxError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        let this = &mut *self;
        if let Poll::Ready(frame) = Pin::new(&mut this.inner).poll_frame(cx) {
            return Poll::Ready(frame.map(|r| r.map_err(Into::into)));
        }
        if this.deadline.as_mut().poll(cx).is_ready() {
            return Poll::Ready(Some(Err(Box::new(BodyTimeout))));
        }
        Poll::Pending
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

const REFUSED: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\ncontent-length: 0\r\nretry-after: 5\r\nconnection: close\r\n\r\n";

/// Serve `app` on `listener` until `shutdown` completes, then let the
/// requests in flight finish.
pub async fn run(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) {
    let pending = Arc::new(Semaphore::new(limits.max_pending));
    let (stop_tx, stop_rx) = watch::channel(false);
    let mut connections = tokio::task::JoinSet::new();
    tokio::pin!(shutdown);
    loop {
        let (stream, addr) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(c) => c,
                Err(e) => {
                    // Out of file descriptors and the like: wait, don't spin.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = &mut shutdown => break,
        };
        while connections.try_join_next().is_some() {}
        let Ok(permit) = pending.clone().try_acquire_owned() else {
            tracing::warn!(peer = %addr, "too many connections without a whole request: refused");
            connections.spawn(refuse(stream));
            continue;
        };
        let _ = stream.set_nodelay(true);
        connections.spawn(connection(
            stream,
            addr,
            app.clone(),
            limits,
            permit,
            stop_rx.clone(),
        ));
    }
    drop(listener);
    let _ = stop_tx.send(true);
    while connections.join_next().await.is_some() {}
}

/// Answer 503 to a connection over the limit and close it.
async fn refuse(mut stream: TcpStream) {
    let _ = tokio::time::timeout(Duration::from_secs(1), stream.write_all(REFUSED)).await;
    let _ = stream.shutdown().await;
}

async fn connection(
    stream: TcpStream,
    addr: SocketAddr,
    app: Router,
    limits: Limits,
    permit: OwnedSemaphorePermit,
    mut stop: watch::Receiver<bool>,
) {
    // The connection counts as pending until its first request head is in.
    let permit = Mutex::new(Some(permit));
    let body_timeout = limits.body_timeout;
    let service = hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
        if let Ok(mut p) = permit.lock() {
            p.take();
        }
        req.extensions_mut().insert(ConnectInfo(addr));
        let req = req.map(|inner| {
            Body::new(DeadlineBody {
                inner,
                deadline: Box::pin(tokio::time::sleep(body_timeout)),
            })
        });
        let app = app.clone();
        async move { Ok::<_, Infallible>(app.oneshot(req).await.unwrap_or_else(|e| match e {})) }
    });
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout);
    let conn = builder.serve_connection(TokioIo::new(stream), service);
    tokio::pin!(conn);
    tokio::select! {
        res = conn.as_mut() => {
            if let Err(e) = res {
                tracing::debug!(peer = %addr, error = %e, "connection closed");
            }
        }
        _ = stop.changed() => {
            conn.as_mut().graceful_shutdown();
            let _ = conn.await;
        }
    }
}
