//! The stable kebab-case codes of every finding wasmgate itself can produce.
//!
//! Codes are a contract: CI configs and `[rules]` overrides name them. Never rename one; add a
//! new code instead. `docs/rules.md` has one heading per code and a test keeps the two in step.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// How much a finding matters.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Fails the gate.
    Deny,
    /// Reported; the gate still passes.
    Warn,
}

impl Severity {
    /// `deny` or `warn`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Deny => "deny",
            Severity::Warn => "warn",
        }
    }
}

/// Codes that no `[rules]` override may change: an invalid module, a gate file that is not a
/// regular file, or an artifact that could not be read never passes the gate.
pub const NOT_OVERRIDABLE: &[&str] = &[
    "wasm-malformed",
    "wasm-invalid",
    "gate-file-not-regular",
    "artifact-outside-root",
    "artifact-unreadable",
    "wasm-limits-exceeded",
];

/// One documented finding code.
#[derive(Debug, Clone, Copy)]
pub struct CodeInfo {
    /// The code, e.g. `size-budget-exceeded`.
    pub code: &'static str,
    /// Severity before any `[rules]` override.
    pub default_severity: Severity,
    /// The config keys that switch the rule on or tune it.
    pub config: &'static str,
    /// One line: what the finding means.
    pub summary: &'static str,
    /// What to do about it.
    pub help: &'static str,
}

/// Code given to a user policy finding that names none.
pub const USER_POLICY_CODE: &str = "policy-violation";

/// Every code, in documentation order.
pub const CODES: &[CodeInfo] = &[
    CodeInfo {
        code: "wasm-malformed",
        default_severity: Severity::Deny,
        config: "always on",
        summary: "The file is not a well-formed wasm binary: wrong magic, truncated, or bad encoding.",
        help: "Rebuild the artifact; check that the file is the build output and not an HTML error page, a Git LFS pointer or a partial download.",
    },
    CodeInfo {
        code: "wasm-invalid",
        default_severity: Severity::Deny,
        config: "always on",
        summary: "The binary is well formed but fails validation, even with every proposal enabled.",
        help: "Run `wasm-tools validate --features all FILE` for the same message; the offset points at the failing instruction or section.",
    },
    CodeInfo {
        code: "gate-file-not-regular",
        default_severity: Severity::Deny,
        config: "always on",
        summary: "A gate file (config, policy, trusted key, baseline) is a symlink, submodule, directory or special file at the merge-base or in the work tree.",
        help: "Gate files are read as blobs by their repository path and never followed: commit the file itself, not a link to it. A change that needs a different gate lands on the base branch first.",
    },
    CodeInfo {
        code: "artifact-outside-root",
        default_severity: Severity::Deny,
        config: "always on; --allow-outside-root",
        summary: "An artifact (or a directory on its path) is reached through a symlink that leaves the repository root; it was not read.",
        help: "Build the artifact into the repository instead of linking to it. If the link is yours and intended (a local build cache), pass --allow-outside-root.",
    },
    CodeInfo {
        code: "artifact-unreadable",
        default_severity: Severity::Deny,
        config: "always on",
        summary: "A matching entry could not be checked: a dangling symlink, a FIFO, socket or device, an unreadable file or a directory that cannot be listed.",
        help: "Replace it with the built artifact (a regular file), fix its permissions, or exclude it with [artifacts] exclude in a reviewed change.",
    },
    CodeInfo {
        code: "wasm-limits-exceeded",
        default_severity: Severity::Deny,
        config: "[limits] sections, custom_sections, imports, exports, globals, tables, memories",
        summary: "An artifact has more sections, custom sections, imports, exports, globals, tables or memories than the configured limits; the rest was not stored.",
        help: "A real build rarely comes near the defaults: check how the artifact was made. Raise the limit under [limits] in a reviewed change if it is expected.",
    },
    CodeInfo {
        code: "size-budget-exceeded",
        default_severity: Severity::Deny,
        config: "[[budgets]] artifacts, raw, gzip, brotli",
        summary: "An artifact is larger than the raw, gzip or brotli budget that matches its path.",
        help: "Shrink the artifact (wasm-opt -Oz, strip debug sections, drop dependencies) or raise the budget in wasmgate.toml in a reviewed change.",
    },
    CodeInfo {
        code: "size-budget-unchecked",
        default_severity: Severity::Warn,
        config: "[[budgets]] gzip, brotli with --no-compress",
        summary: "A gzip or brotli budget applies but compressed sizes were not measured (--no-compress).",
        help: "Run without --no-compress to check compressed budgets.",
    },
    CodeInfo {
        code: "import-denied",
        default_severity: Severity::Deny,
        config: "[imports] deny",
        summary: "An artifact imports something that matches a pattern in imports.deny.",
        help: "Remove the dependency that pulls the import in, or change imports.deny in a reviewed change.",
    },
    CodeInfo {
        code: "import-not-allowed",
        default_severity: Severity::Deny,
        config: "[imports] allow",
        summary: "imports.allow is set and an artifact imports something no pattern in it matches.",
        help: "Remove the import, or add it to imports.allow in a reviewed change.",
    },
    CodeInfo {
        code: "wasi-preview1",
        default_severity: Severity::Deny,
        config: "[wasi] preview1 = false",
        summary: "A module imports WASI preview 1 (`wasi_snapshot_preview1` or `wasi_unstable`) where it is not allowed.",
        help: "Build for a target without WASI preview 1 (e.g. wasm32-wasip2 components or wasm32-unknown-unknown), or set wasi.preview1 = true.",
    },
    CodeInfo {
        code: "wasi-interface-denied",
        default_severity: Severity::Deny,
        config: "[wasi] allow, deny",
        summary: "An artifact imports a `wasi:` interface that wasi.deny matches or wasi.allow does not.",
        help: "Remove the capability (for example wasi:sockets) from the build, or change the [wasi] lists in a reviewed change.",
    },
    CodeInfo {
        code: "memory-unbounded",
        default_severity: Severity::Warn,
        config: "always on; [rules] memory-unbounded = \"deny\" to require a maximum",
        summary: "A linear memory declares no maximum, so the module may grow it up to the engine's limit.",
        help: "Set a maximum at link time, e.g. `-C link-arg=--max-memory=N` (Rust), `-Wl,--max-memory=N` (clang), `-sMAXIMUM_MEMORY=N` (emscripten).",
    },
    CodeInfo {
        code: "memory-too-large",
        default_severity: Severity::Deny,
        config: "[memory] max_bytes",
        summary: "A linear memory may grow past memory.max_bytes (its maximum, or no maximum at all, exceeds the limit).",
        help: "Lower the module's maximum memory at link time, or raise memory.max_bytes in a reviewed change.",
    },
    CodeInfo {
        code: "memory-shared",
        default_severity: Severity::Deny,
        config: "[memory] allow_shared = false",
        summary: "A module uses shared memory (threads) where memory.allow_shared is false.",
        help: "Build without threads (no +atomics,+bulk-memory target features, no -pthread), or allow shared memory.",
    },
    CodeInfo {
        code: "proposal-not-allowed",
        default_severity: Severity::Deny,
        config: "[proposals] allow",
        summary: "An artifact uses a WebAssembly proposal that is not in proposals.allow.",
        help: "Build without the feature (check target features such as +simd128) or add the proposal to proposals.allow once every target engine supports it.",
    },
    CodeInfo {
        code: "custom-section-debug",
        default_severity: Severity::Warn,
        config: "[custom_sections] debug",
        summary: "An artifact carries debug custom sections (DWARF, names, source maps) that a release build usually strips.",
        help: "Strip them: `wasm-opt --strip-debug`, `wasm-tools strip`, or `strip = true` / `debug = false` in the release profile.",
    },
    CodeInfo {
        code: "custom-section-denied",
        default_severity: Severity::Deny,
        config: "[custom_sections] deny",
        summary: "An artifact carries a custom section that custom_sections.deny matches.",
        help: "Remove the section (`wasm-tools strip --delete NAME`) or change custom_sections.deny.",
    },
    CodeInfo {
        code: "custom-section-missing",
        default_severity: Severity::Deny,
        config: "[custom_sections] require",
        summary: "An artifact lacks a custom section that custom_sections.require lists (e.g. `producers`).",
        help: "Keep the section in the release build (wasm-opt and strippers can drop it), or change custom_sections.require.",
    },
    CodeInfo {
        code: "exports-too-many",
        default_severity: Severity::Deny,
        config: "[exports] max",
        summary: "An artifact exports more items than exports.max.",
        help: "Export only the public API (check `#[no_mangle]`/`EMSCRIPTEN_KEEPALIVE` and linker --export flags).",
    },
    CodeInfo {
        code: "size-growth",
        default_severity: Severity::Deny,
        config: "[[growth]] artifacts, raw, gzip, brotli (default: 5 % and 8 KiB for every metric)",
        summary: "An artifact grew against the baseline at the merge-base by more than both the percentage and the byte floor of its growth budget.",
        help: "Find what grew (`wasmgate facts`, twiggy, wasm-tools objdump), shrink it, or accept the growth with `wasmgate baseline` in a reviewed commit on the base branch.",
    },
    CodeInfo {
        code: "capability-added",
        default_severity: Severity::Deny,
        config: "[capabilities] allow_new",
        summary: "An artifact gained an import (a host function, a WASI call, a WIT interface) that its baseline at the merge-base does not have.",
        help: "A new import is a new capability: have it reviewed, then accept it with `wasmgate baseline`, or list it in capabilities.allow_new.",
    },
    CodeInfo {
        code: "export-removed",
        default_severity: Severity::Warn,
        config: "always on with a baseline",
        summary: "An artifact no longer exports something its baseline exports: an API break for its callers.",
        help: "Keep the export, or release the break on purpose and accept it with `wasmgate baseline`.",
    },
    CodeInfo {
        code: "baseline-missing",
        default_severity: Severity::Warn,
        config: "[baseline] path",
        summary: "There is no baseline at the merge-base, or this artifact is not in it, so its growth and new capabilities are not checked.",
        help: "Run `wasmgate baseline` and commit .wasmgate/baseline.json.",
    },
    CodeInfo {
        code: "artifact-removed",
        default_severity: Severity::Warn,
        config: "always on with a baseline",
        summary: "An artifact in the baseline was not found by this run.",
        help: "If it was removed on purpose, run `wasmgate baseline` and commit the result; otherwise check the build and the artifact paths.",
    },
    CodeInfo {
        code: "ai-review-missing",
        default_severity: Severity::Deny,
        config: "[ai] require_review, review_trailer, protected, capability_paths",
        summary: "An AI-assisted commit touches a protected path (policies, wasmgate.toml, keys, CI, capability-bearing source) and has no human review trailer.",
        help: "Have a person review the commit and add `Reviewed-by: Name <email>` to its message (amend or reword), or move the change out of protected paths.",
    },
    CodeInfo {
        code: "ai-trailer-required",
        default_severity: Severity::Deny,
        config: "[ai] require_trailer",
        summary: "An AI-assisted commit does not carry the trailer form this project requires (e.g. `Assisted-by:` rather than an AI `Co-authored-by:`).",
        help: "Reword the commit message to use the required trailer.",
    },
    CodeInfo {
        code: "ai-trailer-forbidden",
        default_severity: Severity::Deny,
        config: "[ai] forbid_trailers",
        summary: "A commit attributes AI with a trailer form this project does not accept (e.g. `Co-authored-by:` naming an AI).",
        help: "Reword the commit message to use the accepted form (see [ai] require_trailer).",
    },
    CodeInfo {
        code: "policy-changed",
        default_severity: Severity::Warn,
        config: "[git] trust, --trust; [rules] policy-changed = \"deny\" to forbid",
        summary: "A file that governs the gate (wasmgate.toml, a policy, the baseline) differs between the merge-base and this change.",
        help: "The gate ran with the merge-base version, so the change cannot loosen its own gate; have the change reviewed and land it first.",
    },
    CodeInfo {
        code: "git-unavailable",
        default_severity: Severity::Warn,
        config: "[git] required = true makes this exit 2",
        summary: "wasmgate is not running in a git repository with commits, so git-based checks were skipped.",
        help: "Run inside the checkout (in CI, check out with history: fetch-depth: 0).",
    },
    CodeInfo {
        code: "signature-missing",
        default_severity: Severity::Warn,
        config: "[signatures] required (deny for matching artifacts)",
        summary: "An artifact carries no signature: no embedded `signature` section and no `ARTIFACT.sig` next to it.",
        help: "Sign release artifacts: `wasmgate sign --secret-key KEY ARTIFACT` (or wasmsign2).",
    },
    CodeInfo {
        code: "signature-invalid",
        default_severity: Severity::Deny,
        config: "[signatures] trusted_keys",
        summary: "A signature by a trusted key no longer matches the artifact (it was modified after signing), or a signature naming a trusted key's id does not verify.",
        help: "Rebuild and re-sign the artifact; never edit a signed artifact (wasm-opt, strip) after signing.",
    },
    CodeInfo {
        code: "signature-untrusted",
        default_severity: Severity::Deny,
        config: "[signatures] trusted_keys",
        summary: "An artifact is signed, but no signature verifies with a trusted key.",
        help: "Sign with a trusted key, or add the signer's public key to [signatures] trusted_keys in a reviewed change on the base branch.",
    },
    CodeInfo {
        code: "signature-partial",
        default_severity: Severity::Deny,
        config: "[signatures] allow_partial",
        summary: "A trusted signature covers the artifact only up to a `signature_delimiter`; sections after it were added later and are not signed.",
        help: "Re-sign the whole artifact, or set [signatures] allow_partial = true if unsigned trailing sections are expected.",
    },
    CodeInfo {
        code: "signature-misplaced",
        default_severity: Severity::Deny,
        config: "always on",
        summary: "A `signature` section with signature data is not the first section, so verifiers ignore it.",
        help: "Sign with a tool that puts the signature section first (wasmgate sign, wasmsign2); do not append sections before it.",
    },
    CodeInfo {
        code: "signature-malformed",
        default_severity: Severity::Deny,
        config: "always on",
        summary: "The signature section or the detached signature file cannot be read as signature data.",
        help: "Re-sign the artifact; check that the .sig file belongs to it and was not truncated.",
    },
    CodeInfo {
        code: "signature-unverified",
        default_severity: Severity::Warn,
        config: "[signatures] trusted_keys",
        summary: "An artifact is signed, but no trusted keys are configured, so its signatures were not checked.",
        help: "List the release public keys in [signatures] trusted_keys (commit the key files, e.g. under keys/).",
    },
    CodeInfo {
        code: "signature-foreign-section",
        default_severity: Severity::Warn,
        config: "always on",
        summary: "A custom section named `signature` holds data in another tool's format; it is not a wasm signature and is ignored.",
        help: "If another signing tool wrote it, verify it with that tool; otherwise remove it.",
    },
    CodeInfo {
        code: "sbom-missing",
        default_severity: Severity::Deny,
        config: "[sbom] required, files",
        summary: "An artifact that [sbom] required matches has no SBOM.",
        help: "Generate one (cargo cyclonedx, syft, …) next to the artifact as ARTIFACT.cdx.json or ARTIFACT.spdx.json, or map it in [sbom] files.",
    },
    CodeInfo {
        code: "sbom-invalid",
        default_severity: Severity::Deny,
        config: "always on",
        summary: "The SBOM fails its official JSON schema (CycloneDX 1.4–1.6) or SPDX 2.3 structure, or the embedded .dep-v0 list cannot be read.",
        help: "Fix the producer's output at the JSON pointer given; regenerate the SBOM with a current tool version.",
    },
    CodeInfo {
        code: "sbom-digest-mismatch",
        default_severity: Severity::Deny,
        config: "always on",
        summary: "The SBOM's subject SHA-256 is neither the artifact's digest nor the digest of the artifact without its signature section.",
        help: "Generate the SBOM from the artifact that ships, after the last build step (wasm-opt, strip); record its SHA-256 in metadata.component.hashes (CycloneDX) or the described package's checksums (SPDX).",
    },
    CodeInfo {
        code: "sbom-dependency-undeclared",
        default_severity: Severity::Deny,
        config: "always on with an SBOM and a .dep-v0 section",
        summary: "A crate compiled into the artifact (its cargo-auditable .dep-v0 list) is missing from the SBOM.",
        help: "Regenerate the SBOM from the same build (same Cargo.lock, same target and features).",
    },
    CodeInfo {
        code: "sbom-dependency-absent",
        default_severity: Severity::Warn,
        config: "always on with an SBOM and a .dep-v0 section",
        summary: "The SBOM lists a crate that the artifact's embedded dependency list does not contain.",
        help: "The SBOM may describe another build (dev-dependencies, other features or targets); regenerate it for the wasm target.",
    },
    CodeInfo {
        code: "license-denied",
        default_severity: Severity::Deny,
        config: "[sbom] licenses_allow, licenses_deny",
        summary: "A component's license expression has no alternative the license policy accepts.",
        help: "Replace the dependency, obtain another license, or change the license lists in a reviewed change.",
    },
    CodeInfo {
        code: "model-card-incomplete",
        default_severity: Severity::Deny,
        config: "[sbom] model_card",
        summary: "A machine-learning-model component lacks parts of its model card that the profile requires (datasets with provenance, fairness assessments, ethical considerations, technical limitations, energy, license).",
        help: "Complete the CycloneDX modelCard of the component; the finding lists what is missing.",
    },
    CodeInfo {
        code: "undeclared-model",
        default_severity: Severity::Deny,
        config: "always on",
        summary: "The artifact embeds a model payload (GGUF, TFLite, safetensors, ONNX) but no SBOM component of type machine-learning-model declares one.",
        help: "Declare the model in the SBOM (CycloneDX ML-BOM) with its model card, or remove it from the build.",
    },
    CodeInfo {
        code: "cost-risk",
        default_severity: Severity::Deny,
        config: "[finops] risk_deny_above, risk_min_monthly_cost",
        summary: "The cost-risk score (monthly cost against budget, growth anomaly, trend) is above the threshold and the predicted monthly cost above the cap.",
        help: "Read the drivers in the message: shrink what grew, or take the hints (strip debug sections, serve brotli, run wasm-opt).",
    },
    CodeInfo {
        code: "cost-budget-exceeded",
        default_severity: Severity::Deny,
        config: "[finops] max_monthly_cost, max_total_monthly_cost",
        summary: "What an artifact (or all of them) costs per month in egress is over the budget.",
        help: "Shrink the artifact, raise the cache hit ratio (long-lived immutable URLs), serve brotli, or raise the budget in a reviewed change.",
    },
    CodeInfo {
        code: "cost-increase",
        default_severity: Severity::Deny,
        config: "[finops] max_increase, max_increase_percent",
        summary: "This change adds more monthly cost against the baseline than allowed.",
        help: "Find what grew against the baseline (`delta` in `wasmgate facts`) and shrink it.",
    },
    CodeInfo {
        code: "cost-unchecked",
        default_severity: Severity::Warn,
        config: "[finops] encoding with --no-compress",
        summary: "Cost, cost change, trend and anomaly were not evaluated for an artifact because its served (compressed) size was not measured.",
        help: "Run without --no-compress (as CI does) to evaluate the cost rules; raw bytes are never priced as if they were served.",
    },
    CodeInfo {
        code: "growth-anomaly",
        default_severity: Severity::Deny,
        config: "[finops] anomaly_warn, anomaly_deny, anomaly_min_history",
        summary: "This change's size change is far outside the repository's history of changes (robust z-score on median and MAD); warns from anomaly_warn, denies from anomaly_deny.",
        help: "Check what the change pulled in (a dependency, debug info, an embedded asset); if it is intended, accept it with `wasmgate baseline` in a reviewed commit.",
    },
    CodeInfo {
        code: "policy-not-evaluated",
        default_severity: Severity::Warn,
        config: "[policy] namespaces, all_namespaces",
        summary: "A user policy's package is outside the evaluated namespaces, so its rules did not run.",
        help: "Rename the package (default namespace: wasmgate), pass --namespace PKG, or use --all-namespaces.",
    },
    CodeInfo {
        code: USER_POLICY_CODE,
        default_severity: Severity::Deny,
        config: "user policies",
        summary: "A user policy rule produced a result without a `code`; deny/violation rules deny, warn rules warn.",
        help: "Give the result object a stable `code` so it can be overridden in [rules] and explained.",
    },
];

/// Looks a code up.
pub fn lookup(code: &str) -> Option<&'static CodeInfo> {
    CODES.iter().find(|info| info.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_unique_and_kebab_case() {
        let mut seen = std::collections::BTreeSet::new();
        for info in CODES {
            assert!(seen.insert(info.code), "duplicate code {}", info.code);
            assert!(
                info.code
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{} is not kebab-case",
                info.code
            );
        }
    }
}
