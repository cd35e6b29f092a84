//! What stripping the debug custom sections would leave: the artifact without them. `artifact`
//! measures it as it measures the artifact; without compression only its length is needed, and
//! the stripped copy is never made.

use crate::facts::ctx::ArtifactCtx;
use crate::wasmsig::format::RawSection;

/// The artifact without its debug sections.
#[derive(Debug)]
pub struct Stripped<'a> {
    header: &'a [u8],
    kept: Vec<&'a [u8]>,
}

impl Stripped<'_> {
    /// Its size in bytes.
    pub fn size(&self) -> u64 {
        (self.header.len() + self.kept.iter().map(|s| s.len()).sum::<usize>()) as u64
    }

    /// Its bytes.
    pub fn bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.size() as usize);
        out.extend_from_slice(self.header);
        for section in &self.kept {
            out.extend_from_slice(section);
        }
        out
    }
}

/// The artifact without the custom sections `debug_sections` matches; None when it has none.
pub fn collect<'a>(
    ctx: &ArtifactCtx<'a>,
    debug_sections: &globset::GlobSet,
) -> Option<Stripped<'a>> {
    let sections = ctx.sections.as_ref().ok()?;
    let debug = |section: &RawSection<'_>| {
        section.id == 0
            && section
                .name
                .is_some_and(|name| debug_sections.is_match(name))
    };
    if !sections.iter().any(debug) {
        return None;
    }
    Some(Stripped {
        header: &ctx.bytes[..8],
        kept: sections
            .iter()
            .filter(|s| !debug(s))
            .map(|s| &ctx.bytes[s.start..s.end])
            .collect(),
    })
}
