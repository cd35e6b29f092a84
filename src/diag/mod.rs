//! Errors: the reasons wasmgate could not decide (exit 2), each with a code and a fix.
//!
//! Findings (what the gate decided) live in `report`; an `Error` means there is no verdict.

pub mod codes;

use miette::{Diagnostic, NamedSource, SourceSpan};
use thiserror::Error;

use crate::config::ConfigError;

/// Why wasmgate could not finish.
#[derive(Debug, Error, Diagnostic)]
pub enum Error {
    /// The config is unusable.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Config(#[from] ConfigError),

    /// Nothing to check.
    #[error("no wasm artifacts found in {searched}")]
    #[diagnostic(
        code(wasmgate::discover::none_found),
        help(
            "build first, pass the artifacts as PATHS (files, directories or globs), or set [artifacts] include in wasmgate.toml; an empty gate is not a pass"
        )
    )]
    NoArtifacts {
        /// Where wasmgate looked.
        searched: String,
    },

    /// A PATHS entry that does not exist.
    #[error("{path}: no such file or directory")]
    #[diagnostic(
        code(wasmgate::discover::missing_path),
        help("check the path; globs must be quoted so that the shell passes them through")
    )]
    MissingPath {
        /// The path as given.
        path: String,
    },

    /// A glob that cannot be compiled.
    #[error("invalid glob `{pattern}`: {message}")]
    #[diagnostic(code(wasmgate::discover::bad_glob))]
    BadGlob {
        /// The pattern.
        pattern: String,
        /// Why.
        message: String,
    },

    /// A file that cannot be read.
    #[error("cannot read {path}: {source}")]
    #[diagnostic(
        code(wasmgate::io::read),
        help("check that the file exists and is readable by this user")
    )]
    Read {
        /// The file.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },

    /// An artifact larger than `[artifacts] max_size`.
    #[error("{path} is {size} bytes, more than the {limit}-byte limit")]
    #[diagnostic(
        code(wasmgate::io::too_large),
        help("raise [artifacts] max_size in wasmgate.toml if this artifact is expected")
    )]
    TooLarge {
        /// The file.
        path: String,
        /// Its size.
        size: u64,
        /// The limit.
        limit: u64,
    },

    /// A policy that does not parse or compile.
    #[error("policy {file} does not compile: {message}")]
    #[diagnostic(code(wasmgate::policy::compile))]
    PolicyCompile {
        /// The file.
        file: String,
        /// The engine's message.
        message: String,
        /// The file's text.
        #[source_code]
        src: NamedSource<String>,
        /// Where.
        #[label("{message}")]
        span: Option<SourceSpan>,
        /// What to do: `--rego-v0` only when the file looks like v0.
        #[help]
        help: String,
    },

    /// A builtin called with arguments of a type it never accepts.
    #[error("policy {file} does not type-check: {message}")]
    #[diagnostic(
        code(wasmgate::policy::type_error),
        help(
            "pass the builtin the type it takes (to test membership in a set, write `x in s` or `s[x]`), or guard the value with is_string/is_set"
        )
    )]
    PolicyType {
        /// The file, line and column.
        file: String,
        /// What is wrong.
        message: String,
        /// The file's text.
        #[source_code]
        src: NamedSource<String>,
        /// Where.
        #[label("this call")]
        span: Option<SourceSpan>,
    },

    /// A policy with a variable nothing binds: a compile error OPA reports when it compiles.
    #[error("policy {file} does not compile: {message}")]
    #[diagnostic(
        code(wasmgate::policy::unsafe_var),
        help(
            "bind the variable before it is used (`x := …`, `some x in …`, or as a rule or function argument), or fix its spelling"
        )
    )]
    PolicyUnsafe {
        /// The file, line and column.
        file: String,
        /// What is wrong.
        message: String,
        /// The file's text.
        #[source_code]
        src: NamedSource<String>,
        /// Where.
        #[label("unsafe")]
        span: Option<SourceSpan>,
    },

    /// A policy that failed while evaluating.
    #[error("policy evaluation failed in {file}: {message}")]
    #[diagnostic(
        code(wasmgate::policy::eval),
        help(
            "builtin errors are strict: a wrong argument type is an error, not an undefined result; fix the policy or guard the call"
        )
    )]
    PolicyEval {
        /// The file (or the query when the engine gave no location).
        file: String,
        /// The engine's message.
        message: String,
        /// The file's text.
        #[source_code]
        src: NamedSource<String>,
        /// Where.
        #[label("{message}")]
        span: Option<SourceSpan>,
    },

    /// A policy that ran past the time limit.
    #[error("policy evaluation of {package} exceeded the {limit_ms} ms time limit")]
    #[diagnostic(
        code(wasmgate::policy::timeout),
        help(
            "look for unbounded iteration in the policy, or raise [policy] timeout_ms in wasmgate.toml"
        )
    )]
    PolicyTimeout {
        /// The package being evaluated.
        package: String,
        /// The limit.
        limit_ms: u64,
    },

    /// A policy rule whose value is not a set of strings or `{msg: ...}` objects.
    #[error("rule {rule} produced a result wasmgate cannot read: {message}")]
    #[diagnostic(
        code(wasmgate::policy::result),
        help(
            "deny/warn/violation rules must produce strings or objects with a string `msg` (and optional `code`, `artifact`, `file`, `line`, `column`, `field`, `help`, `details`)"
        )
    )]
    PolicyResult {
        /// `data.pkg.rule`.
        rule: String,
        /// What is wrong.
        message: String,
    },

    /// A policy path that does not exist or cannot be read.
    #[error("cannot load policy {path}: {message}")]
    #[diagnostic(
        code(wasmgate::policy::load),
        help("check --policy and [policy] paths in wasmgate.toml")
    )]
    PolicyLoad {
        /// The path.
        path: String,
        /// Why.
        message: String,
    },

    /// An unknown code given to `wasmgate explain`.
    #[error("unknown code `{code}`")]
    #[diagnostic(code(wasmgate::explain::unknown_code), help("known codes: {known}"))]
    UnknownCode {
        /// What was asked.
        code: String,
        /// Every code.
        known: String,
    },

    /// A repository git refuses to open because another user owns it (common in containers).
    #[error("git refuses to open the repository at {path}: {message}")]
    #[diagnostic(
        code(wasmgate::git::ownership),
        help(
            "the checkout belongs to another user (typical in containers). Mark it safe: `git config --global --add safe.directory \"$PWD\"` (GitHub Actions in a container: run that before wasmgate), or run wasmgate as the owner"
        )
    )]
    GitOwnership {
        /// Where.
        path: String,
        /// libgit2's message.
        message: String,
    },

    /// Any other libgit2 failure.
    #[error("git: cannot {doing}: {message}")]
    #[diagnostic(code(wasmgate::git::failed))]
    Git {
        /// What wasmgate was doing.
        doing: String,
        /// libgit2's message.
        message: String,
    },

    /// A base ref that does not resolve.
    #[error("base `{reference}` ({reason}) is not a commit in this repository{}", if *shallow { " (the clone is shallow)" } else { "" })]
    #[diagnostic(
        code(wasmgate::git::unknown_base),
        help(
            "fetch the base branch: `git fetch origin <branch>`; in GitHub Actions use actions/checkout with `fetch-depth: 0`; or pass --base REF / --no-base"
        )
    )]
    UnknownBase {
        /// The ref.
        reference: String,
        /// Where it came from.
        reason: String,
        /// The clone is shallow.
        shallow: bool,
    },

    /// HEAD and the base share no history that the clone holds.
    #[error("no merge-base between HEAD and `{reference}`{}", if *shallow { ": the clone is shallow, so the commit where the branch started is missing" } else { ": they share no history" })]
    #[diagnostic(
        code(wasmgate::git::no_merge_base),
        help(
            "fetch the full history: actions/checkout with `fetch-depth: 0` (GitHub), GIT_DEPTH: 0 (GitLab), or `git fetch --unshallow`; or pass --no-base to skip comparisons"
        )
    )]
    NoMergeBase {
        /// The base ref.
        reference: String,
        /// The clone is shallow.
        shallow: bool,
    },

    /// `[git] required = true` outside a repository.
    #[error("{path} is not inside a git repository, and [git] required is true")]
    #[diagnostic(
        code(wasmgate::git::not_a_repository),
        help(
            "run wasmgate inside the checkout, or set [git] required = false to skip git-based rules"
        )
    )]
    NotARepository {
        /// The directory.
        path: String,
    },

    /// A committed baseline that cannot be read.
    #[error("baseline {path} at {revision} is not a wasmgate baseline: {message}")]
    #[diagnostic(
        code(wasmgate::baseline::invalid),
        help("regenerate it with `wasmgate baseline` and commit the result")
    )]
    BadBaseline {
        /// The file.
        path: String,
        /// Where it was read (a commit or `the work tree`).
        revision: String,
        /// What is wrong.
        message: String,
    },

    /// The baseline file cannot be written.
    #[error("cannot write baseline {path}: {source}")]
    #[diagnostic(code(wasmgate::baseline::write))]
    WriteBaseline {
        /// The file.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },

    /// `cargo metadata` failed.
    #[error("cannot read the Cargo graph of {manifest}: {message}")]
    #[diagnostic(
        code(wasmgate::sbom::cargo),
        help(
            "wasmgate runs `cargo metadata --offline --filter-platform <[sbom] cargo_target>`: fetch the dependencies first (`cargo fetch`), check [sbom] cargo_manifest, or remove it"
        )
    )]
    Cargo {
        /// The manifest.
        manifest: String,
        /// cargo's message.
        message: String,
    },

    /// `init` would overwrite a file.
    #[error("{path} exists; `wasmgate init` does not overwrite it")]
    #[diagnostic(
        code(wasmgate::init::exists),
        help("pass --force to replace the starter files")
    )]
    InitExists {
        /// The file.
        path: String,
    },

    /// A key file that cannot be used.
    #[error("key {path}: {message}")]
    #[diagnostic(
        code(wasmgate::signature::key),
        help(
            "keys are Ed25519: wasmsign2 key files, PEM/DER (SPKI public, PKCS#8 secret) or OpenSSH `ssh-ed25519` public keys; `wasmgate keygen` makes a pair"
        )
    )]
    Key {
        /// The file.
        path: String,
        /// What is wrong.
        message: String,
    },

    /// An attestation that cannot be used: not a DSSE envelope, not signed by the key, not a
    /// wasmgate decision.
    #[error("attestation {path}: {message}")]
    #[diagnostic(
        code(wasmgate::attestation::unusable),
        help(
            "verify with the public key of the secret key `check --attest-key` signed with; the file must be the envelope `check --attest` wrote, unchanged"
        )
    )]
    Attestation {
        /// The file.
        path: String,
        /// What is wrong.
        message: String,
    },

    /// An SBOM `sbom bind` cannot bind.
    #[error("cannot bind SBOM {path}: {message}")]
    #[diagnostic(
        code(wasmgate::sbom::bind),
        help(
            "give a CycloneDX JSON or SPDX 2.3 JSON document, as a producer such as cargo-cyclonedx writes it"
        )
    )]
    SbomBind {
        /// The SBOM.
        path: String,
        /// What is wrong.
        message: String,
    },

    /// Shard reports that are not all the shards of one run.
    #[error("the shard reports cannot be merged: {problem}")]
    #[diagnostic(
        code(wasmgate::merge::shards),
        help(
            "merge the JSON reports of every shard of one run (`check --shard K/N --format json`, K = 1..N) with the same wasmgate, base and gate files this merge reads"
        )
    )]
    ShardsMismatch {
        /// Each reason.
        problem: String,
    },

    /// A module that cannot be signed.
    #[error("cannot sign {path}: {message}")]
    #[diagnostic(code(wasmgate::signature::sign))]
    Signing {
        /// The module.
        path: String,
        /// Why.
        message: String,
    },

    /// A file that cannot be written.
    #[error("cannot write {path}: {source}")]
    #[diagnostic(code(wasmgate::io::write))]
    Write {
        /// The file.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },

    /// A merge-base blob larger than a gate file may be.
    #[error("{path} at {commit} is {size} bytes, more than the {cap}-byte limit for it")]
    #[diagnostic(
        code(wasmgate::git::blob_too_large),
        help(
            "gate files (config, policies, keys, baseline) are small text files; check what was committed at that path"
        )
    )]
    BlobTooLarge {
        /// The path in the tree.
        path: String,
        /// The commit.
        commit: String,
        /// Its size.
        size: u64,
        /// The cap.
        cap: u64,
    },

    /// A file named on the command line (or in the environment) that is not there.
    #[error("{what} {path} {problem}")]
    #[diagnostic(code(wasmgate::input::named_missing), help("{help}"))]
    NamedInput {
        /// What it is, e.g. `config file (--config)`.
        what: String,
        /// The path as given.
        path: String,
        /// What is wrong, e.g. `does not exist`.
        problem: String,
        /// What to do.
        help: String,
    },

    /// A base was asked for, but there is no repository (or no commit) to compare in.
    #[error("a base was asked for ({reason}: `{reference}`) but {problem}")]
    #[diagnostic(
        code(wasmgate::git::base_unusable),
        help(
            "run wasmgate inside the checkout with its history (actions/checkout with `fetch-depth: 0`), repair the repository, or drop the base ({reason}) to run without comparisons"
        )
    )]
    BaseUnusable {
        /// The ref.
        reference: String,
        /// Where it came from.
        reason: String,
        /// What is wrong.
        problem: String,
    },

    /// A policy named with --policy whose rules would never run.
    #[error("policy {path} (named with --policy) evaluates no rule: {reason}")]
    #[diagnostic(
        code(wasmgate::policy::not_evaluated),
        help(
            "put its rules in a package under an evaluated namespace (--namespace, [policy] namespaces; default `wasmgate`), pass --all-namespaces, or give it deny/warn/violation rules"
        )
    )]
    NamedPolicyIdle {
        /// The file.
        path: String,
        /// Why.
        reason: String,
    },

    /// An untrusted file that could not be read safely.
    #[error("{path}: {noun} {problem}")]
    #[diagnostic(
        code(wasmgate::io::refused),
        help(
            "wasmgate reads only regular files inside the repository, within a size limit; replace the link or special file with the file itself"
        )
    )]
    Refused {
        /// The file.
        path: String,
        /// What it is.
        noun: String,
        /// Why it was refused.
        problem: String,
    },

    /// A bound on memory or work was reached.
    #[error("{what} exceeded its bound: {message}")]
    #[diagnostic(code(wasmgate::limits::exhausted), help("{help}"))]
    Exhausted {
        /// What ran out.
        what: String,
        /// The details.
        message: String,
        /// What to do.
        help: String,
    },

    /// The supervised run died (an exhausted memory bound, a panic) instead of deciding.
    #[error("wasmgate could not finish: {message}")]
    #[diagnostic(code(wasmgate::limits::crashed), help("{help}"))]
    Crashed {
        /// How it ended.
        message: String,
        /// What to do.
        help: String,
    },

    /// The working directory cannot be determined.
    #[error("cannot determine the working directory: {0}")]
    #[diagnostic(code(wasmgate::io::cwd))]
    Cwd(std::io::Error),
}

impl Error {
    /// The diagnostic code as a string, for the JSON report.
    pub fn code_string(&self) -> Option<String> {
        self.code().map(|code| code.to_string())
    }

    /// The help text as a string, for the JSON report.
    pub fn help_string(&self) -> Option<String> {
        self.help().map(|help| help.to_string())
    }
}
