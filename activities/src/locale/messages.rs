//! The Fluent bundles: one `.ftl` file per language, compiled into the binary.

use fluent_bundle::{FluentArgs, FluentResource, concurrent::FluentBundle};
use invoicing_workflows::domain::Language;
use std::sync::LazyLock;
use unic_langid::{LanguageIdentifier, langid};

pub(super) struct Messages {
    bundle: FluentBundle<FluentResource>,
}

static MESSAGES: LazyLock<[Messages; 4]> = LazyLock::new(|| {
    [
        Messages::new(langid!("en"), include_str!("ftl/en.ftl")),
        Messages::new(langid!("de"), include_str!("ftl/de.ftl")),
        Messages::new(langid!("fr"), include_str!("ftl/fr.ftl")),
        Messages::new(langid!("es"), include_str!("ftl/es.ftl")),
    ]
});

pub(super) fn of(language: Language) -> &'static Messages {
    let index = match language {
        Language::En => 0,
        Language::De => 1,
        Language::Fr => 2,
        Language::Es => 3,
    };
    &MESSAGES[index]
}

impl Messages {
    /// The files are part of the source: a syntax error or a duplicate id is a bug that the
    /// locale tests catch, so it panics here rather than printing half a document.
    fn new(language: LanguageIdentifier, source: &'static str) -> Self {
        let resource = FluentResource::try_new(source.to_owned())
            .unwrap_or_else(|(_, errors)| panic!("{language}.ftl does not parse: {errors:?}"));
        let mut bundle = FluentBundle::new_concurrent(vec![language.clone()]);
        // Without this, every argument is wrapped in U+2068/U+2069 (bidi isolation), which an
        // e-mail client shows as-is and the PDF has no glyph for. Every text here is
        // left-to-right.
        bundle.set_use_isolating(false);
        bundle
            .add_resource(resource)
            .unwrap_or_else(|errors| panic!("{language}.ftl has duplicate ids: {errors:?}"));
        Self { bundle }
    }

    pub fn has(&self, id: &str) -> bool {
        self.bundle.has_message(id)
    }

    /// The message, or its id when it is missing (which the tests rule out for every id the
    /// code uses, in every language), so that a gap shows instead of failing a document.
    pub fn format(&self, id: &str, args: Option<&FluentArgs<'_>>) -> String {
        let Some(pattern) = self.bundle.get_message(id).and_then(|m| m.value()) else {
            return id.to_owned();
        };
        let mut errors = Vec::new();
        self.bundle
            .format_pattern(pattern, args, &mut errors)
            .into_owned()
    }
}

/// Every message id of a language, read off the file (a message starts a line with its id).
#[cfg(test)]
pub(super) fn ids(language: Language) -> Vec<&'static str> {
    let source = match language {
        Language::En => include_str!("ftl/en.ftl"),
        Language::De => include_str!("ftl/de.ftl"),
        Language::Fr => include_str!("ftl/fr.ftl"),
        Language::Es => include_str!("ftl/es.ftl"),
    };
    source
        .lines()
        .filter(|line| line.starts_with(|c: char| c.is_ascii_alphabetic()))
        .filter_map(|line| line.split_once(" =").map(|(id, _)| id.trim()))
        .collect()
}
