//! Names in several languages.

use crate::ids::Lang;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A text in several languages, keyed by language tag. English is the fallback.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Names(pub BTreeMap<Lang, String>);

impl utoipa::PartialSchema for Names {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        ObjectBuilder::new()
            .description(Some("Text per language tag, e.g. {\"en\": \"Lachin\", \"ru\": \"Лачин\"}"))
            .additional_properties(Some(ObjectBuilder::new().schema_type(Type::String)))
            .into()
    }
}

impl utoipa::ToSchema for Names {}

impl Names {
    /// The text in `lang`, else in English, else any.
    pub fn get(&self, lang: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(l, _)| l.as_str() == lang)
            .or_else(|| self.0.iter().find(|(l, _)| l.as_str() == "en"))
            .or_else(|| self.0.iter().next())
            .map(|(_, s)| s.as_str())
    }

    /// The English text, or any when there is none.
    pub fn en(&self) -> &str {
        self.get("en").unwrap_or_default()
    }

    /// True when an English text is present and no text is blank.
    pub fn check(&self) -> Result<(), String> {
        if !self.0.keys().any(|l| l.as_str() == "en") {
            return Err("an English (\"en\") name is required".into());
        }
        if let Some((l, _)) = self.0.iter().find(|(_, s)| s.trim().is_empty()) {
            return Err(format!("the \"{l}\" name is blank"));
        }
        Ok(())
    }
}
