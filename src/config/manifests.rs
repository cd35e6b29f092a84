//! `[manifests]`: where the deployment manifests kept in Git are, and how their objects name
//! the artifacts they deploy.

use serde::{Deserialize, Serialize};

/// `[manifests]`
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct ManifestsConfig {
    /// Files or directories (searched recursively for `*.yaml`, `*.yml`, `*.json`), relative to
    /// the root. Directories that do not exist are skipped; so are the defaults.
    pub paths: Vec<String>,
    /// Objects bound to artifacts by image, for manifests without the annotation.
    pub bind: Vec<Bind>,
    /// OCI image layouts (directories with `index.json` and `blobs/`, as `wkg oci push`,
    /// `wasm-to-oci` or `oras` write them) of the images the manifests reference: an image is
    /// followed to its wasm layer, whose digest must be the bound artifact's sha256.
    pub oci_layouts: Vec<String>,
}

impl Default for ManifestsConfig {
    fn default() -> Self {
        ManifestsConfig {
            paths: ["deploy", "k8s", "manifests"].map(String::from).to_vec(),
            bind: Vec::new(),
            oci_layouts: Vec::new(),
        }
    }
}

/// `[[manifests.bind]]`: a container or component image (glob) deploys an artifact.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Bind {
    /// Image reference glob, e.g. `ghcr.io/acme/api:*`.
    pub image: String,
    /// The artifact's path relative to the root.
    pub artifact: String,
}

impl ManifestsConfig {
    pub(super) fn check(&self) -> Result<(), super::check::Fault> {
        inside_root("manifests.paths", &self.paths)?;
        inside_root("manifests.oci_layouts", &self.oci_layouts)?;
        for (index, bind) in self.bind.iter().enumerate() {
            super::check::glob(&format!("manifests.bind[{index}].image"), &bind.image)?;
        }
        Ok(())
    }
}

/// Every path is relative and stays inside the repository (no `..`, no root).
fn inside_root(key: &str, paths: &[String]) -> Result<(), super::check::Fault> {
    for (index, path) in paths.iter().enumerate() {
        let escapes = std::path::Path::new(path).components().any(|c| {
            !matches!(
                c,
                std::path::Component::Normal(_) | std::path::Component::CurDir
            )
        });
        if escapes {
            let key = format!("{key}[{index}]");
            return Err((
                key.clone(),
                format!("{key} must be a path inside the repository, relative to the root"),
            ));
        }
    }
    Ok(())
}
