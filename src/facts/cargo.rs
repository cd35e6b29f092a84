//! The resolved dependency graph of the crate that builds the wasm, from `cargo metadata`
//! (offline, filtered to the wasm target), for comparison with the SBOM.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use cargo_metadata::{DependencyKind, MetadataCommand, PackageId};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::sbom::license::{self, License};

/// The crate graph.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct CargoFacts {
    /// The manifest, relative to the root.
    pub manifest: String,
    /// The target the graph is filtered to.
    pub target: String,
    /// The root package (the crate that builds the wasm).
    pub root: String,
    /// Every package reachable from the root through normal and build dependencies (not dev),
    /// the root excluded; sorted by name and version.
    pub packages: Vec<CargoPackage>,
}

/// One resolved package.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct CargoPackage {
    /// Name.
    pub name: String,
    /// Version.
    pub version: String,
    /// The license from Cargo.toml, parsed.
    pub license: Option<License>,
    /// Reached only through build dependencies (build scripts, proc macros): not shipped.
    pub build_only: bool,
}

/// Runs `cargo metadata --offline --filter-platform TARGET` on `manifest`.
pub fn collect(manifest: &Path, display: &str, target: &str) -> Result<CargoFacts, String> {
    let metadata = MetadataCommand::new()
        .manifest_path(manifest)
        .other_options(vec![
            "--offline".to_string(),
            "--filter-platform".to_string(),
            target.to_string(),
        ])
        .exec()
        .map_err(|e| e.to_string())?;
    let root = metadata.root_package().ok_or_else(|| {
        "the manifest is a virtual workspace: name the member crate that builds the wasm"
            .to_string()
    })?;
    let resolve = metadata
        .resolve
        .as_ref()
        .ok_or_else(|| "cargo metadata returned no dependency resolution".to_string())?;
    let nodes: BTreeMap<&PackageId, &cargo_metadata::Node> =
        resolve.nodes.iter().map(|n| (&n.id, n)).collect();
    // (package, reached through a normal dependency chain)
    let mut reached: BTreeMap<&PackageId, bool> = BTreeMap::new();
    let mut stack = vec![(&root.id, true)];
    let mut seen = BTreeSet::new();
    while let Some((id, shipped)) = stack.pop() {
        if !seen.insert((id, shipped)) {
            continue;
        }
        let Some(node) = nodes.get(id) else { continue };
        for dep in &node.deps {
            let kinds: Vec<DependencyKind> = dep.dep_kinds.iter().map(|k| k.kind).collect();
            let normal = kinds.contains(&DependencyKind::Normal);
            let build = kinds.contains(&DependencyKind::Build);
            if !normal && !build {
                continue;
            }
            let child_shipped = shipped && normal;
            let entry = reached.entry(&dep.pkg).or_insert(false);
            *entry |= child_shipped;
            stack.push((&dep.pkg, child_shipped));
        }
    }
    let mut packages: Vec<CargoPackage> = metadata
        .packages
        .iter()
        .filter_map(|p| {
            let shipped = *reached.get(&p.id)?;
            Some(CargoPackage {
                name: p.name.to_string(),
                version: p.version.to_string(),
                license: p.license.as_deref().map(license::parse),
                build_only: !shipped,
            })
        })
        .collect();
    packages.sort_by(|a, b| (&a.name, &a.version).cmp(&(&b.name, &b.version)));
    Ok(CargoFacts {
        manifest: display.to_string(),
        target: target.to_string(),
        root: root.name.to_string(),
        packages,
    })
}
