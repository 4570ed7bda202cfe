//! Static assets embedded in the binary: the stylesheet and the fonts.
//! Nothing is loaded from a CDN: servers may be offline.

use axum::extract::Path;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

struct Asset {
    path: &'static str,
    mime: &'static str,
    data: &'static [u8],
}

const ASSETS: &[Asset] = &[
    Asset { path: "app.css", mime: "text/css; charset=utf-8", data: include_bytes!("../../static/app.css") },
    Asset {
        path: "fonts/be-vietnam-pro-latin-400-normal.woff2",
        mime: "font/woff2",
        data: include_bytes!("../../static/fonts/be-vietnam-pro-latin-400-normal.woff2"),
    },
    Asset {
        path: "fonts/be-vietnam-pro-latin-700-normal.woff2",
        mime: "font/woff2",
        data: include_bytes!("../../static/fonts/be-vietnam-pro-latin-700-normal.woff2"),
    },
    Asset {
        path: "fonts/be-vietnam-pro-vietnamese-400-normal.woff2",
        mime: "font/woff2",
        data: include_bytes!("../../static/fonts/be-vietnam-pro-vietnamese-400-normal.woff2"),
    },
    Asset {
        path: "fonts/be-vietnam-pro-vietnamese-700-normal.woff2",
        mime: "font/woff2",
        data: include_bytes!("../../static/fonts/be-vietnam-pro-vietnamese-700-normal.woff2"),
    },
    Asset { path: "fonts/OFL.txt", mime: "text/plain; charset=utf-8", data: include_bytes!("../../static/fonts/OFL.txt") },
];

/// Version string appended to asset URLs so that a new build is fetched anew.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

pub async fn serve(Path(path): Path<String>, headers: HeaderMap) -> Response {
    let Some(a) = ASSETS.iter().find(|a| a.path == path) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let etag = format!("\"{}-{}\"", VERSION, a.data.len());
    if headers.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()) == Some(etag.as_str()) {
        return StatusCode::NOT_MODIFIED.into_response();
    }
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(a.mime)),
            (header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=604800")),
            (header::ETAG, HeaderValue::from_str(&etag).expect("ascii")),
        ],
        a.data,
    )
        .into_response()
}
