//! `keygen`, `sign`, `verify` and `signatures`.

use std::path::PathBuf;

use clap::Args as ClapArgs;

/// `keygen` options.
#[derive(Debug, Clone, ClapArgs)]
pub struct KeygenArgs {
    /// Where to write the secret key (mode 0600).
    #[arg(long, short = 'k', value_name = "FILE")]
    pub secret_key: PathBuf,
    /// Where to write the public key.
    #[arg(long, short = 'K', value_name = "FILE")]
    pub public_key: PathBuf,
    /// Write PEM (PKCS#8 / SPKI) instead of wasmsign2's compact key files.
    #[arg(long)]
    pub pem: bool,

    /// Replace existing key files (a secret key is never overwritten silently).
    #[arg(long)]
    pub force: bool,
}

/// `sign` options.
#[derive(Debug, Clone, ClapArgs)]
pub struct SignArgs {
    /// The module or component to sign.
    #[arg(value_name = "IN")]
    pub input: PathBuf,
    /// Secret key file.
    #[arg(long, short = 'k', value_name = "FILE")]
    pub secret_key: PathBuf,
    /// Public key file: record its key id with the signature (as wasmsign2 -K does).
    #[arg(long, short = 'K', value_name = "FILE")]
    pub public_key: Option<PathBuf>,
    /// Write the signed module here [default: overwrite IN].
    #[arg(long, short = 'o', value_name = "OUT", conflicts_with = "detached")]
    pub output: Option<PathBuf>,
    /// Write a detached signature to SIGFILE and leave the module unchanged.
    #[arg(long, value_name = "SIGFILE")]
    pub detached: Option<PathBuf>,
}

/// `verify` options.
#[derive(Debug, Clone, ClapArgs)]
pub struct VerifyArgs {
    /// The module or component.
    #[arg(value_name = "IN")]
    pub input: PathBuf,
    /// Public key file (repeatable: any of them may have signed).
    #[arg(long, short = 'K', value_name = "FILE", required = true)]
    pub public_key: Vec<PathBuf>,
    /// Detached signature file [default: embedded, else IN.sig].
    #[arg(long, short = 'S', value_name = "SIGFILE")]
    pub signature: Option<PathBuf>,
}

/// `signatures` options.
#[derive(Debug, Clone, ClapArgs)]
pub struct ShowArgs {
    /// The module or component.
    #[arg(value_name = "IN")]
    pub input: PathBuf,
    /// Public keys to check the signatures with (repeatable).
    #[arg(long, short = 'K', value_name = "FILE")]
    pub public_key: Vec<PathBuf>,
    /// Detached signature file [default: embedded, else IN.sig].
    #[arg(long, short = 'S', value_name = "SIGFILE")]
    pub signature: Option<PathBuf>,
}
