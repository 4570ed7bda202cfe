//! The real danchu server on 127.0.0.1 and a random port, in this process,
//! with the background tasks production runs (job worker, page-cache poller).

use crate::harness::TestApp;
use danchu_store::Backend;
use std::net::SocketAddr;
use std::time::Duration;
use tokio::sync::watch;
use tokio::task::JoinHandle;

pub struct LiveServer {
    /// The database, context and state behind the server (fresh, with the
    /// demo dataset).
    pub app: TestApp,
    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub base: String,
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

impl LiveServer {
    /// A fresh database on `backend` with the demo dataset, served like
    /// `danchu serve` does (see `danchu::server::serve`).
    pub async fn start(backend: Backend) -> LiveServer {
        let app = TestApp::demo(backend).await;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind a free port");
        let addr = listener.local_addr().expect("local address");
        let (stop, stop_rx) = watch::channel(false);
        let mut tasks = Vec::new();

        let service = danchu::web::routes::app(app.state.clone()).into_make_service_with_connect_info::<SocketAddr>();
        let mut rx = stop_rx.clone();
        tasks.push(tokio::spawn(async move {
            let until_stopped = async move {
                let _ = rx.wait_for(|stopped| *stopped).await;
            };
            if let Err(e) = axum::serve(listener, service).with_graceful_shutdown(until_stopped).await {
                eprintln!("e2e server stopped with an error: {e}");
            }
        }));
        // The job worker runs household imports in the background, as in
        // production (`run_jobs = true`).
        tasks.push(tokio::spawn(danchu::jobs::worker(app.ctx.clone(), stop_rx.clone())));
        // Drops this node's page cache when the public version moves (an
        // import commits in the worker, which has no handle on the cache).
        let poll = Duration::from_millis(app.ctx.cfg.page_cache_poll_ms.max(1));
        tasks.push(tokio::spawn(danchu::server::cache_poller(app.state.clone(), poll, stop_rx)));

        LiveServer { app, base: format!("http://{addr}"), stop, tasks }
    }

    /// Stops the server and its tasks, then closes the database pool.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        for t in self.tasks {
            let _ = tokio::time::timeout(Duration::from_secs(10), t).await;
        }
        self.app.ctx.store.close().await;
    }
}
