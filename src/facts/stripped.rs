//! What stripping the debug custom sections would leave: the artifact's bytes without them
//! (`artifact` measures them as it measures the artifact).

use crate::facts::ctx::ArtifactCtx;
use crate::wasmsig::format::RawSection;

/// The artifact without the custom sections `debug_sections` matches; None when it has none.
pub fn collect(ctx: &ArtifactCtx<'_>, debug_sections: &globset::GlobSet) -> Option<Vec<u8>> {
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
    let mut out = ctx.bytes[..8].to_vec();
    for section in sections.iter().filter(|s| !debug(s)) {
        out.extend_from_slice(&ctx.bytes[section.start..section.end]);
    }
    Some(out)
}
