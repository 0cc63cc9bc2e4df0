//! The HTTP client behind `truce submit` and `truce claims list`.

use anyhow::{Context, Result, bail};
use serde_json::Value;

/// A client of a truce server.
#[derive(Debug, Clone)]
pub struct Client {
    base: String,
    agent: ureq::Agent,
    /// Sent as `Authorization: Bearer` with every request, when set.
    token: Option<String>,
}

/// An answer from the server: status and JSON body.
#[derive(Debug, Clone)]
pub struct Answer {
    /// HTTP status.
    pub status: u16,
    /// Parsed body (`Null` when empty or not JSON).
    pub body: Value,
}

impl Client {
    /// A client of the server at `base` (e.g. `http://127.0.0.1:8080`).
    pub fn new(base: &str) -> Self {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(std::time::Duration::from_secs(60)))
            .build()
            .new_agent();
        Self { base: base.trim_end_matches('/').to_owned(), agent, token: None }
    }

    /// The same client, authenticated with an API token (`truce user token`).
    pub fn with_token(mut self, token: Option<String>) -> Self {
        self.token = token.filter(|t| !t.trim().is_empty()).map(|t| t.trim().to_owned());
        self
    }

    fn auth<B>(&self, req: ureq::RequestBuilder<B>) -> ureq::RequestBuilder<B> {
        match &self.token {
            Some(t) => req.header("authorization", format!("Bearer {t}")),
            None => req,
        }
    }

    fn answer(r: Result<ureq::http::Response<ureq::Body>, ureq::Error>, what: &str) -> Result<Answer> {
        let mut r = r.with_context(|| format!("{what}: no answer from the server"))?;
        let status = r.status().as_u16();
        let text = r.body_mut().with_config().limit(64 * 1024 * 1024).read_to_string().unwrap_or_default();
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Ok(Answer { status, body })
    }

    /// POSTs raw JSON text to `path`.
    pub fn post_raw(&self, path: &str, body: &str) -> Result<Answer> {
        let url = format!("{}{path}", self.base);
        Self::answer(
            self.auth(self.agent.post(&url)).header("content-type", "application/json").send(body),
            &format!("POST {url}"),
        )
    }

    /// GETs `path` with query parameters.
    pub fn get(&self, path: &str, query: &[(&str, String)]) -> Result<Answer> {
        let url = format!("{}{path}", self.base);
        let mut req = self.auth(self.agent.get(&url));
        for (k, v) in query {
            req = req.query(*k, v);
        }
        Self::answer(req.call(), &format!("GET {url}"))
    }
}

impl Client {
    /// GETs `path` with query parameters; returns status and body bytes.
    pub fn get_raw(&self, path: &str, query: &[(&str, String)]) -> Result<(u16, Vec<u8>)> {
        let url = format!("{}{path}", self.base);
        let mut req = self.auth(self.agent.get(&url));
        for (k, v) in query {
            req = req.query(*k, v);
        }
        let mut r = req.call().with_context(|| format!("GET {url}: no answer from the server"))?;
        let status = r.status().as_u16();
        let body = r
            .body_mut()
            .with_config()
            .limit(1 << 30)
            .read_to_vec()
            .with_context(|| format!("GET {url}: reading the body"))?;
        Ok((status, body))
    }

    /// GETs `path` as bytes: `Ok(None)` on 404.
    pub fn get_bytes(&self, path: &str) -> Result<Option<Vec<u8>>> {
        let url = format!("{}{path}", self.base);
        let mut r =
            self.auth(self.agent.get(&url)).call().with_context(|| format!("GET {url}: no answer from the server"))?;
        match r.status().as_u16() {
            200 => Ok(Some(
                r.body_mut()
                    .with_config()
                    .limit(64 * 1024 * 1024)
                    .read_to_vec()
                    .with_context(|| format!("GET {url}: reading the body"))?,
            )),
            404 => Ok(None),
            401 | 403 => bail!(
                "GET {url}: status {}; this needs a token of a user allowed to read it (--token or TRUCE_TOKEN)",
                r.status().as_u16()
            ),
            s => bail!("GET {url}: status {s}"),
        }
    }

    /// POSTs a text body to `path`; returns status and body text.
    pub fn post_text(&self, path: &str, body: &str) -> Result<(u16, String)> {
        let url = format!("{}{path}", self.base);
        let mut r = self
            .auth(self.agent.post(&url))
            .header("content-type", "text/plain; charset=utf-8")
            .send(body)
            .with_context(|| format!("POST {url}: no answer"))?;
        let status = r.status().as_u16();
        Ok((status, r.body_mut().read_to_string().unwrap_or_default()))
    }
}

/// Formats an error body's fields for a terminal.
pub fn describe_error(a: &Answer) -> String {
    let e = &a.body["error"];
    let mut out = format!("{} {}", a.status, e["message"].as_str().unwrap_or("(no message)"));
    if let Some(fields) = e["fields"].as_array() {
        for f in fields {
            out.push_str(&format!("\n  {}: {}", f["field"].as_str().unwrap_or(""), f["reason"].as_str().unwrap_or("")));
        }
    }
    out
}

/// Fails with the server's error when the status is not the expected one.
pub fn expect(a: Answer, status: u16) -> Result<Value> {
    if a.status != status {
        bail!("{}", describe_error(&a));
    }
    Ok(a.body)
}
