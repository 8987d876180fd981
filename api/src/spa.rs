//! The web app (the production build of the React SPA in `web/`) served from the API's own
//! origin: the browser then talks to one origin, so the API needs no CORS for it and the CSP's
//! `'self'` covers its scripts and its API calls.
//!
//! It answers what no route matched: a `GET` or `HEAD` of a file of the build gets the file;
//! any other path gets `index.html`, so that the SPA's client-side routes (`/invoices/{id}`,
//! `/sign-in`) load the app on a reload or a shared link. `/api/...` never does: an unknown API
//! path stays a problem+json 404.

use crate::error::ApiError;
use axum::{
    body::Body,
    extract::Request,
    http::{HeaderValue, Method, StatusCode, header},
    response::{IntoResponse, Response},
};
use std::path::Path;
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};

/// Where Vite puts the bundles it names by their content hash: a file there never changes
/// (a new build makes new names), so browsers and proxies may keep it for a year.
const ASSETS: &str = "/assets/";
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// `index.html` and the build's other unhashed files: revalidated on every use (cheaply, with
/// `If-Modified-Since`), so a new deployment shows at once.
const REVALIDATE: &str = "no-cache";

/// The built web app.
#[derive(Clone, Debug)]
pub struct WebApp {
    /// The build's files; a path that is none of them gets `index.html`.
    pages: ServeDir<ServeFile>,
    /// The same files without that fallback, for `/assets/`: a missing bundle is a 404, not
    /// an HTML page a browser would try to run as a script.
    assets: ServeDir,
}

impl WebApp {
    /// The build in `dir` (`APP_HTTP__WEB_DIR`), or `None`, with a warning saying how to make
    /// it, when there is no `index.html` there. Checked once, at start-up.
    pub fn open(dir: &Path) -> Option<Self> {
        let index = dir.join("index.html");
        if !index.is_file() {
            tracing::warn!(
                web_dir = %dir.display(),
                "the web app is not built, so the API serves no pages (only /api, probes and \
                 metrics): build it with `npm --prefix web ci && npm --prefix web run build`, \
                 then restart the API"
            );
            return None;
        }
        tracing::info!(web_dir = %dir.display(), "serving the web app");
        Some(Self {
            pages: ServeDir::new(dir).fallback(ServeFile::new(index)),
            assets: ServeDir::new(dir),
        })
    }

    /// Answers a request that no route matched.
    pub async fn serve(self, request: Request) -> Response {
        let path = request.uri().path();
        let is_api = path == "/api" || path.starts_with("/api/");
        let is_read = matches!(*request.method(), Method::GET | Method::HEAD);
        if is_api || !is_read {
            return ApiError::NotFound("route").into_response();
        }
        let is_asset = path.starts_with(ASSETS);
        let Ok(response) = if is_asset {
            self.assets.oneshot(request).await
        } else {
            self.pages.oneshot(request).await
        };
        let mut response = response.map(Body::new);
        match response.status() {
            // index.html went missing since start-up, or a bundle that is not there.
            StatusCode::NOT_FOUND => return ApiError::NotFound("file").into_response(),
            status if status.is_success() || status == StatusCode::NOT_MODIFIED => {
                let policy = if is_asset { IMMUTABLE } else { REVALIDATE };
                response
                    .headers_mut()
                    .insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
            }
            _ => {}
        }
        response
    }
}
