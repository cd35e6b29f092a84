//! Pointing back into `wasmgate.toml`: the byte span of a key path, for labels.

use std::ops::Range;

use miette::NamedSource;

use super::LoadedConfig;

impl LoadedConfig {
    /// The byte span of a key path such as `budgets[0].gzip` or `memory.max_bytes`.
    pub fn span_of(&self, key_path: &str) -> Option<Range<usize>> {
        self.path.as_ref()?;
        let root = toml::de::DeTable::parse(&self.source).ok()?;
        let mut table = root.get_ref();
        let mut span = None;
        let mut segments = key_path.split('.').peekable();
        while let Some(segment) = segments.next() {
            let (key, index) = split_index(segment);
            let mut entry = lookup(table, key)?;
            if let Some(index) = index {
                let toml::de::DeValue::Array(items) = entry.get_ref() else {
                    return None;
                };
                entry = items.get(index)?;
            }
            span = Some(entry.span());
            if segments.peek().is_some() {
                let toml::de::DeValue::Table(inner) = entry.get_ref() else {
                    return None;
                };
                table = inner;
            }
        }
        span
    }

    /// A miette source for labels into this config.
    pub fn named_source(&self) -> Option<NamedSource<String>> {
        self.path.as_ref()?;
        Some(NamedSource::new(self.display.clone(), self.source.clone()))
    }
}

fn lookup<'a, 'i>(
    table: &'a toml::de::DeTable<'i>,
    key: &str,
) -> Option<&'a toml::Spanned<toml::de::DeValue<'i>>> {
    table
        .iter()
        .find(|(name, _)| name.get_ref().as_ref() == key)
        .map(|(_, value)| value)
}

fn split_index(segment: &str) -> (&str, Option<usize>) {
    match segment.split_once('[') {
        Some((key, rest)) => (key, rest.trim_end_matches(']').parse().ok()),
        None => (segment, None),
    }
}
