//! A TCP proxy that can be taken down and brought back on the same address: while down, every
//! connection through it is closed and new ones are refused at once, as if the server behind
//! it had stopped. Tests put it in front of Redis.

use std::net::SocketAddr;
use tokio::{
    io::copy_bidirectional,
    net::{TcpListener, TcpStream},
    sync::watch,
    task::JoinHandle,
};

pub struct Outage {
    pub address: SocketAddr,
    down: watch::Sender<bool>,
    acceptor: JoinHandle<()>,
}

impl Outage {
    pub async fn start(upstream: SocketAddr) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("binding the outage proxy");
        let address = listener.local_addr().unwrap();
        let (down, _) = watch::channel(false);
        let acceptor = {
            let down = down.clone();
            tokio::spawn(async move {
                while let Ok((mut client, _)) = listener.accept().await {
                    if *down.borrow() {
                        drop(client);
                        continue;
                    }
                    let mut went_down = down.subscribe();
                    tokio::spawn(async move {
                        let Ok(mut server) = TcpStream::connect(upstream).await else {
                            return;
                        };
                        tokio::select! {
                            _ = copy_bidirectional(&mut client, &mut server) => {}
                            _ = went_down.wait_for(|down| *down) => {}
                        }
                    });
                }
            })
        };
        Self {
            address,
            down,
            acceptor,
        }
    }

    /// Closes every connection; refuses new ones until [`Outage::end`].
    pub fn begin(&self) {
        self.down.send_replace(true);
    }

    pub fn end(&self) {
        self.down.send_replace(false);
    }
}

impl Drop for Outage {
    fn drop(&mut self) {
        self.acceptor.abort();
    }
}
