//! Gazetteer search parameters.

use crate::error::FieldErrors;
use serde::Deserialize;
use utoipa::IntoParams;

/// Query parameters of `GET /places`, as written in the URL.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PlaceQuery {
    /// Name or its beginning, in any language or script: `Lach`, `Лачин`, `لاتشين`.
    pub q: Option<String>,
    /// Most results, 1 to 100 (default 20).
    pub limit: Option<String>,
}

/// A checked gazetteer search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlaceSearch {
    /// The text to match.
    pub q: String,
    /// Most results.
    pub limit: u32,
}

impl PlaceQuery {
    /// Checks the parameters, naming each bad one.
    pub fn parse(&self) -> Result<PlaceSearch, FieldErrors> {
        let mut e = FieldErrors::new();
        let q = self.q.as_deref().map(str::trim).unwrap_or_default();
        if q.is_empty() {
            e.push("q", "is required");
        } else if q.chars().count() > 200 {
            e.push("q", "is longer than 200 characters");
        }
        let limit = match self.limit.as_deref().map(str::trim) {
            None => 20,
            Some(s) => match s.parse::<u32>() {
                Ok(n) if (1..=100).contains(&n) => n,
                _ => {
                    e.push("limit", "must be a whole number from 1 to 100");
                    20
                }
            },
        };
        e.into_result(PlaceSearch { q: q.to_owned(), limit })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_are_checked() {
        let ok = PlaceQuery { q: Some(" Lach ".into()), limit: None }.parse().expect("valid");
        assert_eq!(ok, PlaceSearch { q: "Lach".into(), limit: 20 });
        let bad = PlaceQuery { q: Some("  ".into()), limit: Some("0".into()) }.parse().expect_err("invalid");
        let fields: Vec<_> = bad.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["q", "limit"]);
    }
}
