//! The dependency list cargo-auditable embeds in the `.dep-v0` custom section (zlib-compressed
//! JSON), read with a hard cap on the decompressed size and checked for dangling indices and
//! cycles.

use crate::facts::ctx::ArtifactCtx;
use std::io::Read;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The section cargo-auditable writes.
pub const SECTION: &str = ".dep-v0";
/// Decompressed data beyond this is refused (a 1 KiB section can inflate to gigabytes).
pub const MAX_DECOMPRESSED: u64 = 8 << 20;

/// The embedded dependency list.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct AuditableFacts {
    /// Packages compiled into the artifact.
    pub packages: Vec<AuditablePackage>,
    /// Why the section could not be used (too large, not zlib, not the expected JSON, cycles).
    pub error: Option<String>,
}

/// One package.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct AuditablePackage {
    /// Crate name.
    pub name: String,
    /// Version.
    pub version: String,
    /// `crates.io`, `git`, `local`, `registry`, `other`, `builtin`.
    pub source: String,
    /// `runtime` or `build`.
    pub kind: String,
    /// The root package (the crate that was built).
    pub root: bool,
    /// Names of the packages it depends on.
    pub dependencies: Vec<String>,
}

#[derive(Deserialize)]
struct Raw {
    packages: Vec<RawPackage>,
}

#[derive(Deserialize)]
struct RawPackage {
    name: String,
    version: String,
    source: String,
    #[serde(default = "runtime")]
    kind: String,
    #[serde(default)]
    dependencies: Vec<usize>,
    #[serde(default)]
    root: bool,
}

fn runtime() -> String {
    "runtime".to_string()
}

/// The artifact's `.dep-v0` section, read; None when it has none.
pub fn collect(ctx: &ArtifactCtx<'_>) -> Option<AuditableFacts> {
    ctx.section_list()
        .iter()
        .find(|s| s.is_custom(SECTION))
        .map(|s| read(s.payload))
}

/// Reads the section payload (after its name).
pub fn read(payload: &[u8]) -> AuditableFacts {
    match parse(payload) {
        Ok(packages) => AuditableFacts {
            packages,
            error: None,
        },
        Err(error) => AuditableFacts {
            packages: Vec::new(),
            error: Some(error),
        },
    }
}

fn parse(payload: &[u8]) -> Result<Vec<AuditablePackage>, String> {
    let mut json = Vec::new();
    flate2::read::ZlibDecoder::new(payload)
        .take(MAX_DECOMPRESSED + 1)
        .read_to_end(&mut json)
        .map_err(|e| format!("not zlib data: {e}"))?;
    if json.len() as u64 > MAX_DECOMPRESSED {
        return Err(format!(
            "decompresses to more than {MAX_DECOMPRESSED} bytes; refusing it"
        ));
    }
    let raw: Raw =
        serde_json::from_slice(&json).map_err(|e| format!("not a dependency list: {e}"))?;
    let count = raw.packages.len();
    for (index, package) in raw.packages.iter().enumerate() {
        if let Some(bad) = package.dependencies.iter().find(|&&d| d >= count) {
            return Err(format!(
                "package {index} depends on package {bad}, which does not exist"
            ));
        }
    }
    if has_cycle(&raw.packages) {
        return Err("the dependency graph has a cycle".to_string());
    }
    Ok(raw
        .packages
        .iter()
        .map(|p| AuditablePackage {
            name: p.name.clone(),
            version: p.version.clone(),
            source: p.source.clone(),
            kind: p.kind.clone(),
            root: p.root,
            dependencies: p
                .dependencies
                .iter()
                .map(|&d| raw.packages[d].name.clone())
                .collect(),
        })
        .collect())
}

/// Iterative depth-first search with colours: no recursion for hostile depth.
fn has_cycle(packages: &[RawPackage]) -> bool {
    let mut state = vec![0u8; packages.len()];
    for start in 0..packages.len() {
        if state[start] != 0 {
            continue;
        }
        let mut stack = vec![(start, 0usize)];
        state[start] = 1;
        while let Some((node, next)) = stack.pop() {
            if let Some(&child) = packages[node].dependencies.get(next) {
                stack.push((node, next + 1));
                match state[child] {
                    1 => return true,
                    0 => {
                        state[child] = 1;
                        stack.push((child, 0));
                    }
                    _ => {}
                }
            } else {
                state[node] = 2;
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn zlib(bytes: &[u8]) -> Vec<u8> {
        let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        encoder.write_all(bytes).unwrap();
        encoder.finish().unwrap()
    }

    #[test]
    fn reads_lists_and_refuses_bombs_and_cycles() {
        let list = br#"{"packages":[{"name":"app","version":"0.1.0","source":"local","dependencies":[1],"root":true},{"name":"serde","version":"1.0.200","source":"crates.io"}]}"#;
        let facts = read(&zlib(list));
        assert_eq!(facts.error, None);
        assert_eq!(facts.packages[0].dependencies, ["serde"]);
        assert!(facts.packages[0].root);
        let bomb = zlib(&vec![b' '; (MAX_DECOMPRESSED + 10) as usize]);
        assert!(bomb.len() < 20_000);
        assert!(read(&bomb).error.unwrap().contains("more than"));
        let cycle = br#"{"packages":[{"name":"a","version":"1","source":"local","dependencies":[1]},{"name":"b","version":"1","source":"local","dependencies":[0]}]}"#;
        assert!(read(&zlib(cycle)).error.unwrap().contains("cycle"));
        let dangling =
            br#"{"packages":[{"name":"a","version":"1","source":"local","dependencies":[5]}]}"#;
        assert!(
            read(&zlib(dangling))
                .error
                .unwrap()
                .contains("does not exist")
        );
        assert!(read(b"not zlib").error.is_some());
    }
}
