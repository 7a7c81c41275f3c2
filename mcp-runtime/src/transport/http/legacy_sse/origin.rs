//! DNS-rebinding protection for the legacy endpoints: the `Host` a request names and the browser
//! `Origin` it comes from must be allowed, by the same lists and rules rmcp applies to the
//! Streamable HTTP endpoint (whose checks are private to it).

use axum::{
    http::{HeaderMap, StatusCode, Uri, header, uri::Authority},
    response::{IntoResponse, Response},
};

/// The refusal, if any: 400 for a `Host` that is not one, 403 for one not allowed.
pub(super) fn refusal(uri: &Uri, headers: &HeaderMap, hosts: &[String], origins: &[String]) -> Option<Response> {
    let host = match headers.get(header::HOST) {
        Some(host) => host.to_str().ok().and_then(|host| Authority::try_from(host).ok()),
        None => uri.authority().cloned(),
    };
    let Some(host) = host else {
        return Some((StatusCode::BAD_REQUEST, "Bad Request: missing or malformed Host header").into_response());
    };
    if !host_allowed(&host, hosts) {
        tracing::warn!(host = %host, "refused a legacy SSE request naming a host not allowed (DNS rebinding?)");
        return Some((StatusCode::FORBIDDEN, "Forbidden: Host header is not allowed").into_response());
    }
    let origin = headers.get(header::ORIGIN)?;
    let allowed = origin.to_str().ok().is_some_and(|origin| origin_allowed(origin, origins));
    if !allowed {
        tracing::warn!(origin = ?origin, "refused a legacy SSE request from an origin not allowed");
        return Some((StatusCode::FORBIDDEN, "Forbidden: Origin header is not allowed").into_response());
    }
    None
}

fn normalized(host: &str) -> String {
    host.trim_matches(|c| c == '[' || c == ']').to_ascii_lowercase()
}

/// An entry without a port allows every port; `*` allows every host.
fn host_allowed(host: &Authority, allowed: &[String]) -> bool {
    let name = normalized(host.host());
    allowed.iter().any(|entry| {
        if entry == "*" {
            return true;
        }
        match Authority::try_from(entry.trim()) {
            Ok(entry) => {
                normalized(entry.host()) == name && entry.port_u16().is_none_or(|port| host.port_u16() == Some(port))
            }
            Err(_) => normalized(entry.trim()) == name,
        }
    })
}

/// `scheme://host[:port]`, where the allowed entry's port may be `*`; `*` allows any origin.
fn origin_allowed(origin: &str, allowed: &[String]) -> bool {
    let Some((scheme, host, port)) = parse_origin(origin) else { return false };
    allowed.iter().any(|entry| {
        if entry == "*" {
            return true;
        }
        let (entry, any_port) = match entry.strip_suffix(":*") {
            Some(base) => (base, true),
            None => (entry.as_str(), false),
        };
        parse_origin(entry).is_some_and(|(entry_scheme, entry_host, entry_port)| {
            entry_scheme == scheme
                && entry_host == host
                && (any_port
                    || entry_port.is_none()
                    || entry_port.or(default_port(&scheme)) == port.or(default_port(&scheme)))
        })
    })
}

fn parse_origin(origin: &str) -> Option<(String, String, Option<u16>)> {
    let uri = Uri::try_from(origin.trim()).ok()?;
    let authority = uri.authority()?;
    Some((uri.scheme_str()?.to_ascii_lowercase(), normalized(authority.host()), authority.port_u16()))
}

fn default_port(scheme: &str) -> Option<u16> {
    match scheme {
        "http" => Some(80),
        "https" => Some(443),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};

    use super::refusal;

    fn checked(host: &str, origin: Option<&str>) -> Result<(), StatusCode> {
        let mut headers = HeaderMap::new();
        headers.insert(header::HOST, HeaderValue::from_str(host).unwrap());
        if let Some(origin) = origin {
            headers.insert(header::ORIGIN, HeaderValue::from_str(origin).unwrap());
        }
        let hosts =
            ["localhost".to_owned(), "127.0.0.1".to_owned(), "::1".to_owned(), "mcp.example.com:8443".to_owned()];
        let origins = ["http://localhost:*".to_owned(), "https://app.example.com".to_owned()];
        match refusal(&Uri::from_static("/sse"), &headers, &hosts, &origins) {
            Some(response) => Err(response.status()),
            None => Ok(()),
        }
    }

    #[test]
    fn loopback_hosts_and_local_origins_pass() {
        assert_eq!(checked("127.0.0.1:8000", None), Ok(()));
        assert_eq!(checked("[::1]:8000", None), Ok(()));
        assert_eq!(checked("LOCALHOST", Some("http://localhost:5173")), Ok(()));
        assert_eq!(checked("mcp.example.com:8443", Some("https://app.example.com")), Ok(()));
    }

    #[test]
    fn other_hosts_and_origins_are_forbidden() {
        assert_eq!(checked("evil.example", None), Err(StatusCode::FORBIDDEN));
        assert_eq!(checked("mcp.example.com:9000", None), Err(StatusCode::FORBIDDEN));
        assert_eq!(checked("localhost:8000", Some("http://evil.example")), Err(StatusCode::FORBIDDEN));
        assert_eq!(checked("localhost:8000", Some("https://localhost:3000")), Err(StatusCode::FORBIDDEN));
        assert_eq!(checked("localhost:8000", Some("not an origin")), Err(StatusCode::FORBIDDEN));
        assert_eq!(checked("bad host!", None), Err(StatusCode::BAD_REQUEST));
    }
}
