//! A TCP proxy that tests put between the worker and a dependency: the crash test freezes and
//! cuts it to kill a worker at a precise point (after its activity committed to PostgreSQL,
//! before Temporal heard about it); the fault test has it drop the first connections.

use std::{net::SocketAddr, sync::Arc};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{TcpListener, TcpStream},
    sync::{Mutex, watch},
    task::JoinHandle,
};

pub struct Proxy {
    pub address: SocketAddr,
    frozen: watch::Sender<bool>,
    connections: Arc<Mutex<Vec<JoinHandle<()>>>>,
    acceptor: JoinHandle<()>,
}

impl Proxy {
    /// Forwards every connection to `upstream` until frozen or cut.
    pub async fn start(upstream: SocketAddr) -> Self {
        Self::start_dropping_first(upstream, 0).await
    }

    /// Like [`Proxy::start`], but the first `dropped` connections are closed as soon as they
    /// are accepted: to a client, the upstream is unavailable that many times.
    pub async fn start_dropping_first(upstream: SocketAddr, dropped: usize) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("binding the proxy");
        let address = listener.local_addr().unwrap();
        let (frozen, _) = watch::channel(false);
        let connections = Arc::new(Mutex::new(Vec::new()));
        let acceptor = {
            let frozen = frozen.clone();
            let connections = connections.clone();
            tokio::spawn(async move {
                let mut accepted = 0;
                while let Ok((client, _)) = listener.accept().await {
                    accepted += 1;
                    if accepted <= dropped {
                        drop(client);
                        continue;
                    }
                    let Ok(server) = TcpStream::connect(upstream).await else {
                        continue;
                    };
                    let task = tokio::spawn(relay(client, server, frozen.subscribe()));
                    connections.lock().await.push(task);
                }
            })
        };
        Self {
            address,
            frozen,
            connections,
            acceptor,
        }
    }

    /// From now on bytes are read but not passed on, in either direction.
    pub fn freeze(&self) {
        self.frozen.send_replace(true);
    }

    /// Drops every connection and stops accepting: whatever was held back is lost.
    pub async fn cut(&self) {
        self.acceptor.abort();
        for task in self.connections.lock().await.drain(..) {
            task.abort();
        }
    }
}

async fn relay(client: TcpStream, server: TcpStream, frozen: watch::Receiver<bool>) {
    let (client_read, client_write) = client.into_split();
    let (server_read, server_write) = server.into_split();
    tokio::join!(
        pump(client_read, server_write, frozen.clone()),
        pump(server_read, client_write, frozen),
    );
}

async fn pump(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    frozen: watch::Receiver<bool>,
) {
    let mut buffer = vec![0u8; 64 * 1024];
    loop {
        let read = match from.read(&mut buffer).await {
            Ok(0) | Err(_) => return,
            Ok(read) => read,
        };
        if *frozen.borrow() {
            // Hold everything from here on; the connection only ends when cut.
            std::future::pending::<()>().await;
        }
        if to.write_all(&buffer[..read]).await.is_err() {
            return;
        }
    }
}
