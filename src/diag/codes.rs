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
    /// False when no `[rules]` override may change it: an invalid module, a gate file that is
    /// not a regular file, or an artifact that could not be read never passes the gate.
    pub relevel: bool,
}

/// Declares the catalogue once: the `Code` enum and its `CodeInfo` rows come from the same
/// entries, so a new rule is its Rego file, one entry here and one heading in docs/rules.md.
macro_rules! catalogue {
    ($(
        $(#[$doc:meta])*
        $variant:ident = $code:literal {
            severity: $severity:ident,
            relevel: $relevel:literal,
            config: $config:literal,
            summary: $summary:literal,
            help: $help:literal $(,)?
        }
    )*) => {
        /// Every finding code wasmgate itself produces.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $( $(#[$doc])* $variant, )*
        }

        impl Code {
            /// Every code, in documentation order.
            pub const ALL: &'static [Code] = &[$( Code::$variant, )*];

            /// The stable kebab-case name.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $( Code::$variant => $code, )*
                }
            }

            /// Its catalogue row.
            pub const fn info(self) -> &'static CodeInfo {
                match self {
                    $( Code::$variant => &CodeInfo {
                        code: $code,
                        default_severity: Severity::$severity,
                        config: $config,
                        summary: $summary,
                        help: $help,
                        relevel: $relevel,
                    }, )*
                }
            }
        }

        /// Every code's row, in documentation order.
        pub const CODES: &[CodeInfo] = &[$( *Code::$variant.info(), )*];
    };
}

/// Code given to a user policy finding that names none.
pub const USER_POLICY_CODE: &str = Code::PolicyViolation.as_str();

catalogue! {
    /// The file is not a well-formed wasm binary: wrong magic, truncated, or bad encoding.
    WasmMalformed = "wasm-malformed" {
        severity: Deny,
        relevel: false,
        config: "always on",
        summary: "The file is not a well-formed wasm binary: wrong magic, truncated, or bad encoding.",
        help: "Rebuild the artifact; check that the file is the build output and not an HTML error page, a Git LFS pointer or a partial download.",
    }
    /// The binary is well formed but fails validation, even with every proposal enabled.
    WasmInvalid = "wasm-invalid" {
        severity: Deny,
        relevel: false,
        config: "always on",
        summary: "The binary is well formed but fails validation, even with every proposal enabled.",
        help: "Run `wasm-tools validate --features all FILE` for the same message; the offset points at the failing instruction or section.",
    }
    /// A gate file (config, policy, trusted key, baseline) is a symlink, submodule, directory or special file at the merge-base or in the work tree.
    GateFileNotRegular = "gate-file-not-regular" {
        severity: Deny,
        relevel: false,
        config: "always on",
        summary: "A gate file (config, policy, trusted key, baseline) is a symlink, submodule, directory or special file at the merge-base or in the work tree.",
        help: "Gate files are read as blobs by their repository path and never followed: commit the file itself, not a link to it. A change that needs a different gate lands on the base branch first.",
    }
    /// An artifact (or a directory on its path) is reached through a symlink that leaves the repository root; it was not read.
    ArtifactOutsideRoot = "artifact-outside-root" {
        severity: Deny,
        relevel: false,
        config: "always on; --allow-outside-root",
        summary: "An artifact (or a directory on its path) is reached through a symlink that leaves the repository root; it was not read.",
        help: "Build the artifact into the repository instead of linking to it. If the link is yours and intended (a local build cache), pass --allow-outside-root.",
    }
    /// A matching entry could not be checked: a dangling symlink, a FIFO, socket or device, an unreadable file or a directory that cannot be listed.
    ArtifactUnreadable = "artifact-unreadable" {
        severity: Deny,
        relevel: false,
        config: "always on",
        summary: "A matching entry could not be checked: a dangling symlink, a FIFO, socket or device, an unreadable file or a directory that cannot be listed.",
        help: "Replace it with the built artifact (a regular file), fix its permissions, or exclude it with [artifacts] exclude in a reviewed change.",
    }
    /// An artifact has more sections, custom sections, imports, exports, globals, tables or memories than the configured limits; the rest was not stored.
    WasmLimitsExceeded = "wasm-limits-exceeded" {
        severity: Deny,
        relevel: false,
        config: "[limits] sections, custom_sections, imports, exports, globals, tables, memories",
        summary: "An artifact has more sections, custom sections, imports, exports, globals, tables or memories than the configured limits; the rest was not stored.",
        help: "A real build rarely comes near the defaults: check how the artifact was made. Raise the limit under [limits] in a reviewed change if it is expected.",
    }
    /// A deployment manifest under [manifests] paths or --manifests could not be read or parsed.
    ManifestInvalid = "manifest-invalid" {
        severity: Deny,
        relevel: false,
        config: "[manifests] paths, --manifests",
        summary: "A deployment manifest under [manifests] paths or --manifests could not be read or parsed.",
        help: "Fix the YAML at the line shown (`kubectl apply --dry-run=client -f FILE` parses it the same way), or move files that are not manifests out of [manifests] paths.",
    }
    /// A manifest object binds an artifact (annotation `wasmgate.dev/artifact` or [[manifests.bind]]) that this run did not find.
    ManifestArtifactMissing = "manifest-artifact-missing" {
        severity: Deny,
        relevel: true,
        config: "[manifests] paths, [[manifests.bind]]",
        summary: "A manifest object binds an artifact (annotation `wasmgate.dev/artifact` or [[manifests.bind]]) that this run did not find.",
        help: "Build the artifact before the gate runs and check it with the others, or correct the path in the annotation or in [[manifests.bind]] (repository-relative, forward slashes).",
    }
    /// A manifest object declares a sha256 (annotation `wasmgate.dev/sha256`) that is not the digest of the artifact it deploys.
    ManifestDigestMismatch = "manifest-digest-mismatch" {
        severity: Deny,
        relevel: true,
        config: "[manifests] paths, annotation wasmgate.dev/sha256",
        summary: "A manifest object declares a sha256 (annotation `wasmgate.dev/sha256`) that is not the digest of the artifact it deploys.",
        help: "Update the annotation to the artifact's sha256 (`wasmgate facts` shows it) in the same change that rebuilds the artifact; an `image@sha256:` reference names an OCI manifest, not the wasm bytes.",
    }
    /// The artifact's linear memory can grow beyond the memory limit a manifest object declares for it (an unbounded memory always does).
    ManifestMemoryDrift = "manifest-memory-drift" {
        severity: Deny,
        relevel: true,
        config: "[manifests] paths (container resources.limits.memory, SpinApp spec.resources.limits.memory, annotations wasmgate.dev/max-memory and */max-memory-mb, spec.memory_limit_mb)",
        summary: "The artifact's linear memory can grow beyond the memory limit a manifest object declares for it (an unbounded memory always does).",
        help: "Give the memory a maximum at link time that fits the limit (`-C link-arg=--max-memory=N`, `-Wl,--max-memory=N`, `-sMAXIMUM_MEMORY=N`), or raise the declared limit.",
    }
    /// A memory limit in a manifest is not a quantity the Kubernetes apiserver accepts (`2GB`), or is not a whole number of bytes (`64m`).
    ManifestInvalidQuantity = "manifest-invalid-quantity" {
        severity: Warn,
        relevel: true,
        config: "[manifests] paths",
        summary: "A memory limit in a manifest is not a quantity the Kubernetes apiserver accepts (`2GB`), or is not a whole number of bytes (`64m`).",
        help: "Write it as Kubernetes does: `512Mi`, `2Gi`, `2G` (= 2 000 000 000 bytes) or plain bytes.",
    }
    /// A manifest object declares the host functions or interfaces of its artifact, and the artifact imports one it does not declare.
    ManifestCapabilityUndeclared = "manifest-capability-undeclared" {
        severity: Deny,
        relevel: true,
        config: "[manifests] paths (spec.imported_functions[].name, annotation wasmgate.dev/capabilities)",
        summary: "A manifest object declares the host functions or interfaces of its artifact, and the artifact imports one it does not declare.",
        help: "Declare the import in the manifest (reviewed: it is a new capability), or remove it from the build.",
    }
    /// A manifest object declares a host function or interface that its artifact does not import.
    ManifestCapabilityUnused = "manifest-capability-unused" {
        severity: Warn,
        relevel: true,
        config: "[manifests] paths (spec.imported_functions[].name, annotation wasmgate.dev/capabilities)",
        summary: "A manifest object declares a host function or interface that its artifact does not import.",
        help: "Remove the declaration so that the manifest grants no more than the module uses.",
    }
    /// A checked artifact is deployed by no manifest object, while manifests exist: it is not managed by Git.
    ArtifactUndeclared = "artifact-undeclared" {
        severity: Warn,
        relevel: true,
        config: "[manifests] paths, [[manifests.bind]]",
        summary: "A checked artifact is deployed by no manifest object, while manifests exist: it is not managed by Git.",
        help: "Bind it with the annotation `wasmgate.dev/artifact` on the object that runs it or with [[manifests.bind]]; set it to deny in [rules] to require every artifact to be deployed from Git.",
    }
    /// An artifact is larger than the raw, gzip or brotli budget that matches its path.
    SizeBudgetExceeded = "size-budget-exceeded" {
        severity: Deny,
        relevel: true,
        config: "[[budgets]] artifacts, raw, gzip, brotli",
        summary: "An artifact is larger than the raw, gzip or brotli budget that matches its path.",
        help: "Shrink the artifact (wasm-opt -Oz, strip debug sections, drop dependencies) or raise the budget in wasmgate.toml in a reviewed change.",
    }
    /// A gzip or brotli budget applies but compressed sizes were not measured (--no-compress).
    SizeBudgetUnchecked = "size-budget-unchecked" {
        severity: Warn,
        relevel: true,
        config: "[[budgets]] gzip, brotli with --no-compress",
        summary: "A gzip or brotli budget applies but compressed sizes were not measured (--no-compress).",
        help: "Run without --no-compress to check compressed budgets.",
    }
    /// An artifact imports something that matches a pattern in imports.deny.
    ImportDenied = "import-denied" {
        severity: Deny,
        relevel: true,
        config: "[imports] deny",
        summary: "An artifact imports something that matches a pattern in imports.deny.",
        help: "Remove the dependency that pulls the import in, or change imports.deny in a reviewed change.",
    }
    /// imports.allow is set and an artifact imports something no pattern in it matches.
    ImportNotAllowed = "import-not-allowed" {
        severity: Deny,
        relevel: true,
        config: "[imports] allow",
        summary: "imports.allow is set and an artifact imports something no pattern in it matches.",
        help: "Remove the import, or add it to imports.allow in a reviewed change.",
    }
    /// A module imports WASI preview 1 (`wasi_snapshot_preview1` or `wasi_unstable`) where it is not allowed.
    WasiPreview1 = "wasi-preview1" {
        severity: Deny,
        relevel: true,
        config: "[wasi] preview1 = false",
        summary: "A module imports WASI preview 1 (`wasi_snapshot_preview1` or `wasi_unstable`) where it is not allowed.",
        help: "Build for a target without WASI preview 1 (e.g. wasm32-wasip2 components or wasm32-unknown-unknown), or set wasi.preview1 = true.",
    }
    /// An artifact imports a `wasi:` interface that wasi.deny matches or wasi.allow does not.
    WasiInterfaceDenied = "wasi-interface-denied" {
        severity: Deny,
        relevel: true,
        config: "[wasi] allow, deny",
        summary: "An artifact imports a `wasi:` interface that wasi.deny matches or wasi.allow does not.",
        help: "Remove the capability (for example wasi:sockets) from the build, or change the [wasi] lists in a reviewed change.",
    }
    /// A linear memory declares no maximum, so the module may grow it up to the engine's limit.
    MemoryUnbounded = "memory-unbounded" {
        severity: Warn,
        relevel: true,
        config: "always on; [rules] memory-unbounded = \"deny\" to require a maximum",
        summary: "A linear memory declares no maximum, so the module may grow it up to the engine's limit.",
        help: "Set a maximum at link time, e.g. `-C link-arg=--max-memory=N` (Rust), `-Wl,--max-memory=N` (clang), `-sMAXIMUM_MEMORY=N` (emscripten).",
    }
    /// A linear memory may grow past memory.max_bytes (its maximum, or no maximum at all, exceeds the limit).
    MemoryTooLarge = "memory-too-large" {
        severity: Deny,
        relevel: true,
        config: "[memory] max_bytes",
        summary: "A linear memory may grow past memory.max_bytes (its maximum, or no maximum at all, exceeds the limit).",
        help: "Lower the module's maximum memory at link time, or raise memory.max_bytes in a reviewed change.",
    }
    /// A module uses shared memory (threads) where memory.allow_shared is false.
    MemoryShared = "memory-shared" {
        severity: Deny,
        relevel: true,
        config: "[memory] allow_shared = false",
        summary: "A module uses shared memory (threads) where memory.allow_shared is false.",
        help: "Build without threads (no +atomics,+bulk-memory target features, no -pthread), or allow shared memory.",
    }
    /// An artifact uses a WebAssembly proposal that is not in proposals.allow.
    ProposalNotAllowed = "proposal-not-allowed" {
        severity: Deny,
        relevel: true,
        config: "[proposals] allow",
        summary: "An artifact uses a WebAssembly proposal that is not in proposals.allow.",
        help: "Build without the feature (check target features such as +simd128) or add the proposal to proposals.allow once every target engine supports it.",
    }
    /// An artifact carries debug custom sections (DWARF, names, source maps) that a release build usually strips.
    CustomSectionDebug = "custom-section-debug" {
        severity: Warn,
        relevel: true,
        config: "[custom_sections] debug",
        summary: "An artifact carries debug custom sections (DWARF, names, source maps) that a release build usually strips.",
        help: "Strip them: `wasm-opt --strip-debug`, `wasm-tools strip`, or `strip = true` / `debug = false` in the release profile.",
    }
    /// An artifact carries a custom section that custom_sections.deny matches.
    CustomSectionDenied = "custom-section-denied" {
        severity: Deny,
        relevel: true,
        config: "[custom_sections] deny",
        summary: "An artifact carries a custom section that custom_sections.deny matches.",
        help: "Remove the section (`wasm-tools strip --delete NAME`) or change custom_sections.deny.",
    }
    /// An artifact lacks a custom section that custom_sections.require lists (e.g.
    CustomSectionMissing = "custom-section-missing" {
        severity: Deny,
        relevel: true,
        config: "[custom_sections] require",
        summary: "An artifact lacks a custom section that custom_sections.require lists (e.g. `producers`).",
        help: "Keep the section in the release build (wasm-opt and strippers can drop it), or change custom_sections.require.",
    }
    /// An artifact exports more items than exports.max.
    ExportsTooMany = "exports-too-many" {
        severity: Deny,
        relevel: true,
        config: "[exports] max",
        summary: "An artifact exports more items than exports.max.",
        help: "Export only the public API (check `#[no_mangle]`/`EMSCRIPTEN_KEEPALIVE` and linker --export flags).",
    }
    /// An artifact exports something that matches a pattern in exports.deny.
    ExportDenied = "export-denied" {
        severity: Deny,
        relevel: true,
        config: "[exports] deny",
        summary: "An artifact exports something that matches a pattern in exports.deny.",
        help: "Stop exporting it (linker --export flags, `#[no_mangle]`, the component's world), or change exports.deny in a reviewed change.",
    }
    /// exports.allow is set and an artifact exports something no pattern in it matches.
    ExportNotAllowed = "export-not-allowed" {
        severity: Deny,
        relevel: true,
        config: "[exports] allow",
        summary: "exports.allow is set and an artifact exports something no pattern in it matches.",
        help: "Stop exporting it, or add it to exports.allow in a reviewed change.",
    }
    /// An artifact grew against the baseline at the merge-base by more than both the percentage and the byte floor of its growth budget.
    SizeGrowth = "size-growth" {
        severity: Deny,
        relevel: true,
        config: "[[growth]] artifacts, raw, gzip, brotli (default: 5 % and 8 KiB for every metric)",
        summary: "An artifact grew against the baseline at the merge-base by more than both the percentage and the byte floor of its growth budget.",
        help: "Find what grew (`wasmgate facts`, twiggy, wasm-tools objdump), shrink it, or accept the growth with `wasmgate baseline` in a reviewed commit on the base branch.",
    }
    /// An artifact gained an import (a host function, a WASI call, a WIT interface) that its baseline at the merge-base does not have.
    CapabilityAdded = "capability-added" {
        severity: Deny,
        relevel: true,
        config: "[capabilities] allow_new",
        summary: "An artifact gained an import (a host function, a WASI call, a WIT interface) that its baseline at the merge-base does not have.",
        help: "A new import is a new capability: have it reviewed, then accept it with `wasmgate baseline`, or list it in capabilities.allow_new.",
    }
    /// An artifact no longer exports something its baseline exports: an API break for its callers.
    ExportRemoved = "export-removed" {
        severity: Warn,
        relevel: true,
        config: "always on with a baseline",
        summary: "An artifact no longer exports something its baseline exports: an API break for its callers.",
        help: "Keep the export, or release the break on purpose and accept it with `wasmgate baseline`.",
    }
    /// There is no baseline at the merge-base, or this artifact is not in it, so its growth and new capabilities are not checked.
    BaselineMissing = "baseline-missing" {
        severity: Warn,
        relevel: true,
        config: "[baseline] path",
        summary: "There is no baseline at the merge-base, or this artifact is not in it, so its growth and new capabilities are not checked.",
        help: "Run `wasmgate baseline` and commit .wasmgate/baseline.json.",
    }
    /// An artifact in the baseline was not found by this run.
    ArtifactRemoved = "artifact-removed" {
        severity: Warn,
        relevel: true,
        config: "always on with a baseline",
        summary: "An artifact in the baseline was not found by this run.",
        help: "If it was removed on purpose, run `wasmgate baseline` and commit the result; otherwise check the build and the artifact paths.",
    }
    /// An AI-assisted commit touches a protected path (policies, wasmgate.toml, keys, CI, capability-bearing source) and has no human review trailer.
    AiReviewMissing = "ai-review-missing" {
        severity: Deny,
        relevel: true,
        config: "[ai] require_review, review_trailer, protected, capability_paths",
        summary: "An AI-assisted commit touches a protected path (policies, wasmgate.toml, keys, CI, capability-bearing source) and has no human review trailer.",
        help: "Have a person review the commit and add `Reviewed-by: Name <email>` to its message (amend or reword), or move the change out of protected paths.",
    }
    /// An AI-assisted commit does not carry the trailer form this project requires (e.g.
    AiTrailerRequired = "ai-trailer-required" {
        severity: Deny,
        relevel: true,
        config: "[ai] require_trailer",
        summary: "An AI-assisted commit does not carry the trailer form this project requires (e.g. `Assisted-by:` rather than an AI `Co-authored-by:`).",
        help: "Reword the commit message to use the required trailer.",
    }
    /// A commit attributes AI with a trailer form this project does not accept (e.g.
    AiTrailerForbidden = "ai-trailer-forbidden" {
        severity: Deny,
        relevel: true,
        config: "[ai] forbid_trailers",
        summary: "A commit attributes AI with a trailer form this project does not accept (e.g. `Co-authored-by:` naming an AI).",
        help: "Reword the commit message to use the accepted form (see [ai] require_trailer).",
    }
    /// A file that governs the gate (wasmgate.toml, a policy, the baseline) differs between the merge-base and this change.
    PolicyChanged = "policy-changed" {
        severity: Warn,
        relevel: true,
        config: "[git] trust, --trust; [rules] policy-changed = \"deny\" to forbid",
        summary: "A file that governs the gate (wasmgate.toml, a policy, the baseline) differs between the merge-base and this change.",
        help: "The gate ran with the merge-base version, so the change cannot loosen its own gate; have the change reviewed and land it first.",
    }
    /// wasmgate is not running in a git repository with commits, so git-based checks were skipped.
    GitUnavailable = "git-unavailable" {
        severity: Warn,
        relevel: true,
        config: "[git] required = true makes this exit 2",
        summary: "wasmgate is not running in a git repository with commits, so git-based checks were skipped.",
        help: "Run inside the checkout (in CI, check out with history: fetch-depth: 0).",
    }
    /// An artifact carries no signature: no embedded `signature` section and no `ARTIFACT.sig` next to it.
    SignatureMissing = "signature-missing" {
        severity: Warn,
        relevel: true,
        config: "[signatures] required (deny for matching artifacts)",
        summary: "An artifact carries no signature: no embedded `signature` section and no `ARTIFACT.sig` next to it.",
        help: "Sign release artifacts: `wasmgate sign --secret-key KEY ARTIFACT` (or wasmsign2).",
    }
    /// A signature by a trusted key no longer matches the artifact (it was modified after signing), or a signature naming a trusted key's id does not verify.
    SignatureInvalid = "signature-invalid" {
        severity: Deny,
        relevel: true,
        config: "[signatures] trusted_keys",
        summary: "A signature by a trusted key no longer matches the artifact (it was modified after signing), or a signature naming a trusted key's id does not verify.",
        help: "Rebuild and re-sign the artifact; never edit a signed artifact (wasm-opt, strip) after signing.",
    }
    /// An artifact is signed, but no signature verifies with a trusted key.
    SignatureUntrusted = "signature-untrusted" {
        severity: Deny,
        relevel: true,
        config: "[signatures] trusted_keys",
        summary: "An artifact is signed, but no signature verifies with a trusted key.",
        help: "Sign with a trusted key, or add the signer's public key to [signatures] trusted_keys in a reviewed change on the base branch.",
    }
    /// A trusted signature covers the artifact only up to a `signature_delimiter`; sections after it were added later and are not signed.
    SignaturePartial = "signature-partial" {
        severity: Deny,
        relevel: true,
        config: "[signatures] allow_partial",
        summary: "A trusted signature covers the artifact only up to a `signature_delimiter`; sections after it were added later and are not signed.",
        help: "Re-sign the whole artifact, or set [signatures] allow_partial = true if unsigned trailing sections are expected.",
    }
    /// A `signature` section with signature data is not the first section, so verifiers ignore it.
    SignatureMisplaced = "signature-misplaced" {
        severity: Deny,
        relevel: true,
        config: "always on",
        summary: "A `signature` section with signature data is not the first section, so verifiers ignore it.",
        help: "Sign with a tool that puts the signature section first (wasmgate sign, wasmsign2); do not append sections before it.",
    }
    /// The signature section or the detached signature file cannot be read as signature data.
    SignatureMalformed = "signature-malformed" {
        severity: Deny,
        relevel: true,
        config: "always on",
        summary: "The signature section or the detached signature file cannot be read as signature data.",
        help: "Re-sign the artifact; check that the .sig file belongs to it and was not truncated.",
    }
    /// An artifact is signed, but no trusted keys are configured, so its signatures were not checked.
    SignatureUnverified = "signature-unverified" {
        severity: Warn,
        relevel: true,
        config: "[signatures] trusted_keys",
        summary: "An artifact is signed, but no trusted keys are configured, so its signatures were not checked.",
        help: "List the release public keys in [signatures] trusted_keys (commit the key files, e.g. under keys/).",
    }
    /// A custom section named `signature` holds data in another tool's format; it is not a wasm signature and is ignored.
    SignatureForeignSection = "signature-foreign-section" {
        severity: Warn,
        relevel: true,
        config: "always on",
        summary: "A custom section named `signature` holds data in another tool's format; it is not a wasm signature and is ignored.",
        help: "If another signing tool wrote it, verify it with that tool; otherwise remove it.",
    }
    /// An artifact that [sbom] required matches has no SBOM.
    SbomMissing = "sbom-missing" {
        severity: Deny,
        relevel: true,
        config: "[sbom] required, files",
        summary: "An artifact that [sbom] required matches has no SBOM.",
        help: "Generate one (cargo cyclonedx, syft, …) next to the artifact as ARTIFACT.cdx.json or ARTIFACT.spdx.json, or map it in [sbom] files.",
    }
    /// The SBOM fails its official JSON schema (CycloneDX 1.3–1.6) or SPDX 2.3 structure, or the embedded .dep-v0 list cannot be read.
    SbomInvalid = "sbom-invalid" {
        severity: Deny,
        relevel: true,
        config: "always on",
        summary: "The SBOM fails its official JSON schema (CycloneDX 1.3–1.6) or SPDX 2.3 structure, or the embedded .dep-v0 list cannot be read.",
        help: "Fix the producer's output at the JSON pointer given; regenerate the SBOM with a current tool version.",
    }
    /// The SBOM's subject SHA-256 is neither the artifact's digest nor the digest of the artifact without its signature section.
    SbomDigestMismatch = "sbom-digest-mismatch" {
        severity: Deny,
        relevel: true,
        config: "always on",
        summary: "The SBOM's subject SHA-256 is neither the artifact's digest nor the digest of the artifact without its signature section.",
        help: "Generate the SBOM from the artifact that ships, after the last build step (wasm-opt, strip); record its SHA-256 in metadata.component.hashes (CycloneDX) or the described package's checksums (SPDX).",
    }
    /// A crate compiled into the artifact (its cargo-auditable .dep-v0 list) is missing from the SBOM.
    SbomDependencyUndeclared = "sbom-dependency-undeclared" {
        severity: Deny,
        relevel: true,
        config: "always on with an SBOM and a .dep-v0 section",
        summary: "A crate compiled into the artifact (its cargo-auditable .dep-v0 list) is missing from the SBOM.",
        help: "Regenerate the SBOM from the same build (same Cargo.lock, same target and features).",
    }
    /// The SBOM lists a crate that the artifact's embedded dependency list does not contain.
    SbomDependencyAbsent = "sbom-dependency-absent" {
        severity: Warn,
        relevel: true,
        config: "always on with an SBOM and a .dep-v0 section",
        summary: "The SBOM lists a crate that the artifact's embedded dependency list does not contain.",
        help: "The SBOM may describe another build (dev-dependencies, other features or targets); regenerate it for the wasm target.",
    }
    /// A component's license expression has no alternative the license policy accepts.
    LicenseDenied = "license-denied" {
        severity: Deny,
        relevel: true,
        config: "[sbom] licenses_allow, licenses_deny",
        summary: "A component's license expression has no alternative the license policy accepts.",
        help: "Replace the dependency, obtain another license, or change the license lists in a reviewed change.",
    }
    /// A machine-learning-model component lacks parts of its model card that the profile requires (datasets with provenance, fairness assessments, ethical considerations, technical limitations, energy, license).
    ModelCardIncomplete = "model-card-incomplete" {
        severity: Deny,
        relevel: true,
        config: "[sbom] model_card",
        summary: "A machine-learning-model component lacks parts of its model card that the profile requires (datasets with provenance, fairness assessments, ethical considerations, technical limitations, energy, license).",
        help: "Complete the CycloneDX modelCard of the component; the finding lists what is missing.",
    }
    /// The artifact embeds a model payload (GGUF, TFLite, safetensors, ONNX, at any offset of a data segment or custom section) that no SBOM component of type machine-learning-model declares: each payload needs its own component, matched by SHA-256 or by name and size.
    UndeclaredModel = "undeclared-model" {
        severity: Deny,
        relevel: true,
        config: "always on",
        summary: "The artifact embeds a model payload (GGUF, TFLite, safetensors, ONNX, at any offset of a data segment or custom section) that no SBOM component of type machine-learning-model declares: each payload needs its own component, matched by SHA-256 or by name and size.",
        help: "Declare each model in the SBOM (CycloneDX ML-BOM) with its model card and its SHA-256 in `hashes` (or, for a custom section, its name and a `wasmgate:size` property), or remove it from the build.",
    }
    /// The cost-risk score (monthly cost against budget, growth anomaly, trend) is above the threshold and the predicted monthly cost above the cap.
    CostRisk = "cost-risk" {
        severity: Deny,
        relevel: true,
        config: "[finops] risk_deny_above, risk_min_monthly_cost",
        summary: "The cost-risk score (monthly cost against budget, growth anomaly, trend) is above the threshold and the predicted monthly cost above the cap.",
        help: "Read the drivers in the message: shrink what grew, or take the hints (strip debug sections, serve brotli, run wasm-opt).",
    }
    /// What an artifact (or all of them) costs per month in egress is over the budget.
    CostBudgetExceeded = "cost-budget-exceeded" {
        severity: Deny,
        relevel: true,
        config: "[finops] max_monthly_cost, max_total_monthly_cost",
        summary: "What an artifact (or all of them) costs per month in egress is over the budget.",
        help: "Shrink the artifact, raise the cache hit ratio (long-lived immutable URLs), serve brotli, or raise the budget in a reviewed change.",
    }
    /// This change adds more monthly cost against the baseline than allowed.
    CostIncrease = "cost-increase" {
        severity: Deny,
        relevel: true,
        config: "[finops] max_increase, max_increase_percent",
        summary: "This change adds more monthly cost against the baseline than allowed.",
        help: "Find what grew against the baseline (`delta` in `wasmgate facts`) and shrink it.",
    }
    /// Cost, cost change, trend and anomaly were not evaluated for an artifact because its served (compressed) size was not measured.
    CostUnchecked = "cost-unchecked" {
        severity: Warn,
        relevel: true,
        config: "[finops] encoding with --no-compress",
        summary: "Cost, cost change, trend and anomaly were not evaluated for an artifact because its served (compressed) size was not measured.",
        help: "Run without --no-compress (as CI does) to evaluate the cost rules; raw bytes are never priced as if they were served.",
    }
    /// A policy asked data.ai_predictions.get_cost_risk about an image that nothing prices (bound to no checked artifact, or to one no [[finops.compute]] entry prices), so the asking rule could not decide.
    CostUnknown = "cost-unknown" {
        severity: Warn,
        relevel: true,
        config: "[[finops.compute]], [[manifests.bind]]",
        summary: "A policy asked data.ai_predictions.get_cost_risk about an image that nothing prices (bound to no checked artifact, or to one no [[finops.compute]] entry prices), so the asking rule could not decide.",
        help: "Bind the image to its artifact (annotation wasmgate.dev/artifact or [[manifests.bind]]) and price the artifact in [[finops.compute]].",
    }
    /// A [[finops.compute]] entry prices an artifact whose memory nothing states: no memory in the entry, no limit on the object that deploys it, and no maximum linear memory.
    ComputeMemoryUnknown = "compute-memory-unknown" {
        severity: Deny,
        relevel: true,
        config: "[[finops.compute]] memory",
        summary: "A [[finops.compute]] entry prices an artifact whose memory nothing states: no memory in the entry, no limit on the object that deploys it, and no maximum linear memory.",
        help: "Set memory in the [[finops.compute]] entry (a quantity such as 512Mi), or a memory limit on the object that deploys the artifact.",
    }
    /// This change's size change is far outside the repository's history of changes (robust z-score on median and MAD); warns from anomaly_warn, denies from anomaly_deny.
    GrowthAnomaly = "growth-anomaly" {
        severity: Deny,
        relevel: true,
        config: "[finops] anomaly_warn, anomaly_deny, anomaly_min_history",
        summary: "This change's size change is far outside the repository's history of changes (robust z-score on median and MAD); warns from anomaly_warn, denies from anomaly_deny.",
        help: "Check what the change pulled in (a dependency, debug info, an embedded asset); if it is intended, accept it with `wasmgate baseline` in a reviewed commit.",
    }
    /// A [[waivers]] entry is past its expiry date: it no longer waives, and the findings it accepted fail the gate again.
    WaiverExpired = "waiver-expired" {
        severity: Deny,
        relevel: true,
        config: "[[waivers]] expires",
        summary: "A [[waivers]] entry is past its expiry date: it no longer waives, and the findings it accepted fail the gate again.",
        help: "Fix what the waiver accepted and remove it, or renew it with a new expires date (and a reason) in a reviewed change.",
    }
    /// An active [[waivers]] entry matched no finding: what it accepted is gone, or it never matched.
    WaiverUnused = "waiver-unused" {
        severity: Warn,
        relevel: true,
        config: "[[waivers]]",
        summary: "An active [[waivers]] entry matched no finding: what it accepted is gone, or it never matched.",
        help: "Remove the waiver; if it was meant to match, check its code, artifact glob and object name against `wasmgate check --format json`.",
    }
    /// More waivers are active than [waiver_limits] max_active allows.
    WaiversOverLimit = "waivers-over-limit" {
        severity: Deny,
        relevel: true,
        config: "[waiver_limits] max_active",
        summary: "More waivers are active than [waiver_limits] max_active allows.",
        help: "Fix the findings behind some waivers and remove them before adding more.",
    }
    /// A user policy's package is outside the evaluated namespaces and no evaluated rule refers to it through `data` (import or reference, directly or through another helper), so its rules did not run.
    PolicyNotEvaluated = "policy-not-evaluated" {
        severity: Warn,
        relevel: true,
        config: "[policy] namespaces, all_namespaces",
        summary: "A user policy's package is outside the evaluated namespaces and no evaluated rule refers to it through `data` (import or reference, directly or through another helper), so its rules did not run.",
        help: "Rename the package (default namespace: wasmgate), pass --namespace PKG, or use --all-namespaces.",
    }
    /// A user policy rule produced a result without a `code`; deny/violation rules deny, warn rules warn.
    PolicyViolation = "policy-violation" {
        severity: Deny,
        relevel: true,
        config: "user policies",
        summary: "A user policy rule produced a result without a `code`; deny/violation rules deny, warn rules warn.",
        help: "Give the result object a stable `code` so it can be overridden in [rules] and explained.",
    }
}

/// Looks a code up.
pub fn lookup(code: &str) -> Option<&'static CodeInfo> {
    Code::parse(code).map(Code::info)
}

impl Code {
    /// The code named `name`.
    pub fn parse(name: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|code| code.as_str() == name)
    }
}

/// Codes that no `[rules]` override may change.
pub fn not_overridable() -> impl Iterator<Item = &'static str> {
    CODES
        .iter()
        .filter(|info| !info.relevel)
        .map(|info| info.code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_parses_back_and_the_fixed_ones_are_these() {
        for code in Code::ALL {
            assert_eq!(Code::parse(code.as_str()), Some(*code));
        }
        let fixed: Vec<&str> = not_overridable().collect();
        assert_eq!(
            fixed,
            [
                "wasm-malformed",
                "wasm-invalid",
                "gate-file-not-regular",
                "artifact-outside-root",
                "artifact-unreadable",
                "wasm-limits-exceeded",
                "manifest-invalid"
            ]
        );
    }

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
