//! `[admission]`: admission-controller policies run on the manifests of the PR, before the
//! merge, with the input an admission controller would give them.

use serde::{Deserialize, Serialize};

/// `[admission]`
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct AdmissionConfig {
    /// Policy files or directories (gate files: read from the merge-base), relative to the
    /// root. They are never also loaded as user policies.
    pub policies: Vec<String>,
    /// Packages whose `deny`, `violation` and `warn` rules run [default: every package in
    /// `policies`].
    pub namespaces: Vec<String>,
    /// Parse them as Rego v0.
    pub rego_v0: bool,
    /// What `input` is.
    pub input: AdmissionInput,
    /// `input.parameters` for `input = "gatekeeper"`.
    pub parameters: toml::Table,
}

/// The shape of `input` for admission policies.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AdmissionInput {
    /// An `admission.k8s.io/v1` AdmissionReview (`input.request.object`), as OPA's
    /// kube-mgmt and most admission webhooks see it.
    #[default]
    Admission,
    /// Gatekeeper's `input.review` (the request) and `input.parameters`.
    Gatekeeper,
    /// The manifest object itself, as conftest gives it.
    Object,
}
