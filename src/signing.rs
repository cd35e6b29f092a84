//! The signing commands: `keygen`, `sign`, `verify` and `signatures`. Each returns text for
//! the binary to print and, for `verify`, whether the module passed; the library never prints.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::diag::Error;
use crate::untrusted::{self, Kind, Refusal};
use crate::wasmsig::{self, Coverage, Inspection, KnownKey, Source, keys};

/// Writes a new key pair in wasmsign2's compact format (or PEM).
pub fn keygen(secret: &Path, public: &Path, pem: bool, force: bool) -> Result<String, Error> {
    if !force
        && let Some(existing) = [secret, public]
            .into_iter()
            .find(|path| std::fs::symlink_metadata(path).is_ok())
    {
        return Err(Error::Key {
            path: existing.display().to_string(),
            message: "exists; keygen does not overwrite a key without --force".to_string(),
        });
    }
    let key = keys::generate().map_err(|e| Error::Key {
        path: secret.display().to_string(),
        message: e.0,
    })?;
    let verifying = key.verifying_key();
    let (secret_bytes, public_bytes) = if pem {
        use ed25519_dalek::pkcs8::{EncodePrivateKey, EncodePublicKey, spki::der::pem::LineEnding};
        let encode_error = |e: String| Error::Key {
            path: secret.display().to_string(),
            message: e,
        };
        // PKCS#8 v1, the secret key alone (RFC 8410): OpenSSL 3 and pyca/cryptography refuse
        // the v2 form with the public key embedded that ed25519-dalek writes by default.
        let v1 = ed25519_dalek::pkcs8::KeypairBytes {
            secret_key: key.to_bytes(),
            public_key: None,
        };
        (
            v1.to_pkcs8_pem(LineEnding::LF)
                .map_err(|e| encode_error(e.to_string()))?
                .as_bytes()
                .to_vec(),
            verifying
                .to_public_key_pem(LineEnding::LF)
                .map_err(|e| encode_error(e.to_string()))?
                .into_bytes(),
        )
    } else {
        (keys::compact_secret(&key), keys::compact_public(&verifying))
    };
    write_private(secret, &secret_bytes)?;
    write(public, &public_bytes)?;
    Ok(format!(
        "wrote secret key {} and public key {} (fingerprint {})\n",
        secret.display(),
        public.display(),
        keys::fingerprint(&verifying)
    ))
}

/// What `sign` does.
#[derive(Debug, Clone)]
pub struct SignOptions {
    /// The module to sign.
    pub input: PathBuf,
    /// Secret key file.
    pub secret_key: PathBuf,
    /// Public key file whose wasmsign2 key id is recorded with the signature.
    pub public_key: Option<PathBuf>,
    /// Where the signed module goes (default: in place); ignored for detached signatures.
    pub output: Option<PathBuf>,
    /// Write a detached signature here instead of embedding it.
    pub detached: Option<PathBuf>,
}

/// Signs a module.
pub fn sign(options: &SignOptions) -> Result<String, Error> {
    let key = keys::secret_key(&untrusted::read_command_file(
        &options.secret_key,
        Kind::Key,
    )?)
    .map_err(|e| Error::Key {
        path: options.secret_key.display().to_string(),
        message: e.0,
    })?;
    let key_id = match &options.public_key {
        Some(path) => {
            let public = load_public(path)?;
            if public != key.verifying_key() {
                return Err(Error::Key {
                    path: path.display().to_string(),
                    message: "this public key does not belong to the secret key".to_string(),
                });
            }
            Some(keys::key_id(&public))
        }
        None => None,
    };
    let module = untrusted::read_command_file(&options.input, Kind::Artifact(MAX_MODULE))?;
    let signed = wasmsig::sign(&module, &key, key_id, options.detached.is_some()).map_err(|e| {
        Error::Signing {
            path: options.input.display().to_string(),
            message: e.to_string(),
        }
    })?;
    let fingerprint = keys::fingerprint(&key.verifying_key());
    match &options.detached {
        Some(signature) => {
            write(signature, &signed.signature)?;
            Ok(format!(
                "wrote detached signature {} for {} (key {fingerprint})\n",
                signature.display(),
                options.input.display()
            ))
        }
        None => {
            let output = options.output.as_ref().unwrap_or(&options.input);
            write(output, &signed.module)?;
            Ok(format!(
                "signed {} (key {fingerprint}, embedded)\n",
                output.display()
            ))
        }
    }
}

/// The result of `verify`.
#[derive(Debug, Clone)]
pub struct Verdict {
    /// A signature by one of the keys covers the whole module.
    pub valid: bool,
    /// What was found, for people.
    pub text: String,
}

/// Verifies a module with public keys (embedded signature, `--signature FILE`, or the
/// `MODULE.sig` sibling).
pub fn verify(
    input: &Path,
    public_keys: &[PathBuf],
    signature: Option<&Path>,
) -> Result<Verdict, Error> {
    let (inspection, keys, mut text) = inspect_file(input, public_keys, signature)?;
    let valid = inspection.verified_by_trusted(&keys) && inspection.misplaced.is_empty();
    let _ = writeln!(
        text,
        "{}: {}",
        input.display(),
        if valid {
            "signature valid"
        } else {
            "NO valid signature by the given key covers the whole module"
        }
    );
    Ok(Verdict { valid, text })
}

/// Describes a module's signatures (`wasmgate signatures`).
pub fn show(
    input: &Path,
    public_keys: &[PathBuf],
    signature: Option<&Path>,
) -> Result<String, Error> {
    inspect_file(input, public_keys, signature).map(|(_, _, text)| text)
}

/// Reads the keys, the module and its signature, inspects, and describes what was found.
fn inspect_file(
    input: &Path,
    public_keys: &[PathBuf],
    signature: Option<&Path>,
) -> Result<(Inspection, Vec<KnownKey>, String), Error> {
    let keys = public_keys
        .iter()
        .map(|path| {
            Ok(KnownKey {
                key: load_public(path)?,
                name: path.display().to_string(),
                trusted: true,
            })
        })
        .collect::<Result<Vec<_>, Error>>()?;
    let module = untrusted::read_command_file(input, Kind::Artifact(MAX_MODULE))?;
    let detached = detached_signature(input, &module, signature)?;
    let inspection = wasmsig::inspect(&module, detached.as_ref().map(|(_, b)| b.as_slice()), &keys);
    let text = describe(
        input,
        &inspection,
        &keys,
        detached.as_ref().map(|(p, _)| p.as_path()),
    );
    Ok((inspection, keys, text))
}

/// An explicit signature file, or `MODULE.sig` when the module has no embedded signature.
pub fn detached_signature(
    input: &Path,
    module: &[u8],
    explicit: Option<&Path>,
) -> Result<Option<(PathBuf, Vec<u8>)>, Error> {
    if let Some(path) = explicit {
        return Ok(Some((
            path.to_path_buf(),
            untrusted::read_command_file(path, Kind::Signature)?,
        )));
    }
    let embedded = wasmsig::format::sections(module)
        .ok()
        .and_then(|s| {
            s.first()
                .map(|first| first.is_custom(wasmsig::format::SIGNATURE_SECTION))
        })
        .unwrap_or(false);
    let sibling = sibling(input);
    if embedded {
        return Ok(None);
    }
    // The sibling is PR data: a regular file only, never followed, capped (signature data is a
    // few hundred bytes); anything else there is an error, not "no .sig file".
    match untrusted::read(&sibling, Kind::Signature) {
        Ok(bytes) => Ok(Some((sibling, bytes))),
        Err(Refusal::Missing) => Ok(None),
        Err(refusal) => Err(untrusted::error(&sibling, Kind::Signature, refusal)),
    }
}

/// Largest module `sign`, `verify` and `signatures` read.
const MAX_MODULE: u64 = 512 * 1024 * 1024;

/// `MODULE.sig`.
pub fn sibling(input: &Path) -> PathBuf {
    let mut name = input.file_name().unwrap_or_default().to_os_string();
    name.push(".sig");
    input.with_file_name(name)
}

fn describe(
    input: &Path,
    inspection: &Inspection,
    keys: &[KnownKey],
    detached: Option<&Path>,
) -> String {
    let mut out = String::new();
    let name = input.display();
    if let Some(error) = &inspection.error {
        let _ = writeln!(out, "{name}: unreadable signature data or module: {error}");
    }
    match (inspection.source, detached) {
        (Some(Source::Detached), Some(path)) => {
            let _ = writeln!(out, "{name}: detached signature {}", path.display());
        }
        (Some(Source::Embedded), _) => {
            let _ = writeln!(out, "{name}: embedded signature section");
        }
        _ => {
            let _ = writeln!(out, "{name}: no signature");
        }
    }
    for offset in &inspection.misplaced {
        let _ = writeln!(
            out,
            "  signature section at byte {offset} is not the first section: it signs nothing"
        );
    }
    for offset in &inspection.foreign {
        let _ = writeln!(
            out,
            "  unrelated `signature` custom section at byte {offset} (another tool's format)"
        );
    }
    if inspection.delimiters > 0 {
        let _ = writeln!(
            out,
            "  {} signature_delimiter sections",
            inspection.delimiters
        );
    }
    for (index, checked) in inspection.signatures.iter().enumerate() {
        let key_id = checked
            .key_id
            .as_deref()
            .map_or_else(|| "none".to_string(), keys::hex);
        let by = match checked.key.and_then(|k| keys.get(k)) {
            Some(key) => format!(
                "verifies with {} ({})",
                key.name,
                keys::fingerprint(&key.key)
            ),
            None if keys.is_empty() => "not checked: no public key given".to_string(),
            None => "verifies with none of the given keys".to_string(),
        };
        let coverage = match checked.coverage {
            Coverage::Full => "covers the whole module".to_string(),
            Coverage::Partial { until } => format!("covers only bytes up to {until}"),
            Coverage::None if checked.key.is_some() => {
                "the module changed after signing".to_string()
            }
            Coverage::None => String::new(),
        };
        let _ = writeln!(
            out,
            "  signature {} (set {}, key id {key_id}, algorithm {}): {by}{}{coverage}",
            index + 1,
            checked.set + 1,
            if checked.algorithm == wasmsig::format::ALG_ED25519 {
                "ed25519".to_string()
            } else {
                format!("unknown {:#04x}", checked.algorithm)
            },
            if coverage.is_empty() { "" } else { "; " },
        );
    }
    out
}

/// Reads a public key file.
pub fn load_public(path: &Path) -> Result<ed25519_dalek::VerifyingKey, Error> {
    keys::public_key(&untrusted::read_command_file(path, Kind::Key)?).map_err(|e| Error::Key {
        path: path.display().to_string(),
        message: e.0,
    })
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    std::fs::write(path, bytes).map_err(|source| Error::Write {
        path: path.display().to_string(),
        source,
    })
}

/// Secret keys are written readable by their owner only.
fn write_private(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    // Removed first so that the new file is created 0600, never a link's target rewritten.
    let _ = std::fs::remove_file(path);
    #[cfg(unix)]
    {
        use std::io::Write as _;
        use std::os::unix::fs::OpenOptionsExt;
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path)
            .and_then(|mut file| file.write_all(bytes))
            .map_err(|source| Error::Write {
                path: path.display().to_string(),
                source,
            })?;
    }
    #[cfg(not(unix))]
    write(path, bytes)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).map_err(
            |source| Error::Write {
                path: path.display().to_string(),
                source,
            },
        )?;
    }
    Ok(())
}
