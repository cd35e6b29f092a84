//! The one read path for files the pull request controls: artifacts, siblings, signatures,
//! SBOMs, keys, cache entries and the work tree's copies of gate files.
//!
//! Only regular files are opened. The type is checked without following a final symlink, the
//! file is opened with `O_NOFOLLOW | O_NONBLOCK` (a FIFO swapped in between never blocks) and
//! checked again on the open handle, and no more than the cap of its kind is ever read. The
//! containment check (`inside`) decides whether a path may be read at all; this module never
//! decides what a finding is.

use std::fs::{File, Metadata};
use std::io::Read;
use std::path::{Component, Path, PathBuf};

/// What is read, each with its own size cap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A `.wasm` artifact (the cap is `[artifacts] max_size`).
    Artifact(u64),
    /// A `.gz`/`.br` sibling of an artifact (the cap is the artifact's own size plus slack).
    Sibling(u64),
    /// A public or secret key file.
    Key,
    /// A detached signature.
    Signature,
    /// An SBOM document.
    Sbom,
    /// A gate file (config, policy, baseline) read from the work tree or as a blob.
    GateFile,
    /// A size-cache entry: one decimal number.
    CacheEntry,
    /// A deployment manifest (YAML or JSON) from the work tree.
    Manifest,
    /// A decision attestation (a DSSE envelope).
    Attestation,
    /// A shard's JSON report, with its artifacts' facts.
    ShardReport,
    /// A facts-cache entry: one artifact's byte-derived facts as JSON.
    FactsCacheEntry,
}

impl Kind {
    /// The largest number of bytes read for this kind.
    pub fn cap(self) -> u64 {
        match self {
            Kind::Artifact(limit) => limit,
            Kind::Sibling(artifact) => artifact.saturating_mul(2).saturating_add(64 * 1024),
            Kind::Key => 64 * 1024,
            Kind::Signature => 1024 * 1024,
            Kind::Sbom => 64 * 1024 * 1024,
            Kind::GateFile => 16 * 1024 * 1024,
            Kind::CacheEntry => 64,
            Kind::Manifest => 8 * 1024 * 1024,
            Kind::Attestation => 64 * 1024 * 1024,
            Kind::ShardReport => 1024 * 1024 * 1024,
            Kind::FactsCacheEntry => 64 * 1024 * 1024,
        }
    }

    /// How to name the kind in a message.
    pub fn noun(self) -> &'static str {
        match self {
            Kind::Artifact(_) => "artifact",
            Kind::Sibling(_) => "compressed sibling",
            Kind::Key => "key file",
            Kind::Signature => "signature file",
            Kind::Sbom => "SBOM",
            Kind::GateFile => "gate file",
            Kind::CacheEntry => "cache entry",
            Kind::Manifest => "manifest",
            Kind::Attestation => "attestation",
            Kind::ShardReport => "shard report",
            Kind::FactsCacheEntry => "facts cache entry",
        }
    }
}

/// Why an untrusted file was not read.
#[derive(Debug)]
pub enum Refusal {
    /// Nothing is there.
    Missing,
    /// Something that is not a regular file: `symlink`, `directory`, `fifo`, `socket`,
    /// `device`.
    NotRegular(&'static str),
    /// Larger than the cap of its kind.
    TooLarge {
        /// Its size in bytes.
        size: u64,
        /// The cap.
        cap: u64,
    },
    /// Reached through a link that leaves the repository.
    OutsideRoot,
    /// The operating system refused.
    Io(std::io::Error),
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::Missing => f.write_str("no such file"),
            Refusal::NotRegular(kind) => write!(f, "is a {kind}, not a regular file"),
            Refusal::TooLarge { size, cap } => {
                write!(f, "is {size} bytes, more than the {cap}-byte limit")
            }
            Refusal::OutsideRoot => {
                f.write_str("is reached through a symlink that leaves the repository; not read")
            }
            Refusal::Io(error) => write!(f, "{}", io_message(error)),
        }
    }
}

/// An I/O error in words, without the `(os error N)` suffix.
pub fn io_message(error: &std::io::Error) -> String {
    let text = error.to_string();
    match text.find(" (os error") {
        Some(at) => text[..at].to_string(),
        None => text,
    }
}

/// The type of what `metadata` describes, when it is not a regular file.
pub fn irregular(metadata: &Metadata) -> Option<&'static str> {
    let kind = metadata.file_type();
    if kind.is_file() {
        return None;
    }
    if kind.is_symlink() {
        return Some("symlink");
    }
    if kind.is_dir() {
        return Some("directory");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return Some("fifo");
        }
        if kind.is_socket() {
            return Some("socket");
        }
        if kind.is_block_device() || kind.is_char_device() {
            return Some("device");
        }
    }
    Some("special file")
}

/// Reads `path` if it is a regular file (a final symlink is refused) within the cap of `kind`.
pub fn read(path: &Path, kind: Kind) -> Result<Vec<u8>, Refusal> {
    let metadata = match std::fs::symlink_metadata(path) {
        Ok(metadata) => metadata,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(Refusal::Missing),
        Err(e) => return Err(Refusal::Io(e)),
    };
    if let Some(what) = irregular(&metadata) {
        return Err(Refusal::NotRegular(what));
    }
    let file = open_no_follow(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => Refusal::Missing,
        _ => Refusal::Io(e),
    })?;
    // Checked again on the handle: the path may have been swapped since the first look.
    let opened = file.metadata().map_err(Refusal::Io)?;
    if let Some(what) = irregular(&opened) {
        return Err(Refusal::NotRegular(what));
    }
    let cap = kind.cap();
    if opened.len() > cap {
        return Err(Refusal::TooLarge {
            size: opened.len(),
            cap,
        });
    }
    let mut bytes = Vec::with_capacity(opened.len() as usize);
    // One byte past the cap tells a file that grew after the check from one that fits.
    file.take(cap.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(Refusal::Io)?;
    if bytes.len() as u64 > cap {
        return Err(Refusal::TooLarge {
            size: bytes.len() as u64,
            cap,
        });
    }
    Ok(bytes)
}

#[cfg(unix)]
fn open_no_follow(path: &Path) -> std::io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open_no_follow(path: &Path) -> std::io::Result<File> {
    File::open(path)
}

/// `path` with `.` and `..` resolved by text alone, never through the file system: how a
/// gate file's repository path is computed, so that no link the PR commits can redirect it.
pub fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// `path` (lexically normalised, absolute) relative to `root` with `/`, when it is below it.
pub fn relative_to(path: &Path, root: &Path) -> Option<String> {
    let relative = lexical(path).strip_prefix(root).ok()?.to_path_buf();
    Some(
        relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/"),
    )
}

/// A file the user named on the command line (`sign`, `verify`, keys): links are followed,
/// unless the name is inside the repository of the working directory and the link leaves it — a committed link must not make any command read (or print) a file elsewhere.
pub fn read_named(path: &Path, kind: Kind) -> Result<Vec<u8>, Refusal> {
    let absolute = std::env::current_dir()
        .map(|cwd| lexical(&cwd.join(path)))
        .unwrap_or_else(|_| path.to_path_buf());
    let real = absolute.canonicalize().map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => Refusal::Missing,
        _ => Refusal::Io(e),
    })?;
    if real != absolute
        && let Some(root) = repository_root()
        && absolute.starts_with(&root)
        && !real.starts_with(&root)
    {
        return Err(Refusal::OutsideRoot);
    }
    read(&real, kind)
}

/// Writes `bytes` as `dir/name`: a fresh file (never one a link points at), then a rename,
/// which replaces a link at the destination instead of writing through it; a parallel run
/// never reads half an entry.
pub fn write_entry(dir: &Path, name: &str, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let temporary = dir.join(format!("{name}.{}.tmp", std::process::id()));
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&temporary)?;
    let written = std::io::Write::write_all(&mut file, bytes);
    drop(file);
    if let Err(e) = written {
        let _ = std::fs::remove_file(&temporary);
        return Err(e);
    }
    std::fs::rename(&temporary, dir.join(name)).inspect_err(|_| {
        let _ = std::fs::remove_file(&temporary);
    })
}

/// Writes a file the user named (`--output`, the baseline): never through a link at the end
/// (a committed `wasmgate.sarif -> ~/.bashrc` is not overwritten), and never out of the
/// repository through a linked directory on the way.
pub fn write(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;
    let absolute = match std::env::current_dir() {
        Ok(cwd) => lexical(&cwd.join(path)),
        Err(_) => path.to_path_buf(),
    };
    if let Some(parent) = absolute.parent() {
        std::fs::create_dir_all(parent)?;
        let real = parent.canonicalize()?;
        if let Some(root) = repository_root()
            && absolute.starts_with(&root)
            && !real.starts_with(&root)
        {
            return Err(std::io::Error::other(
                "a directory on the path is a symlink that leaves the repository; not written",
            ));
        }
    }
    if std::fs::symlink_metadata(&absolute).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(std::io::Error::other(
            "is a symlink; wasmgate does not write through it",
        ));
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    let mut file = options.open(&absolute)?;
    if !file.metadata()?.is_file() {
        return Err(std::io::Error::other("is not a regular file; not written"));
    }
    file.write_all(bytes)
}

/// The canonical work tree of the repository that holds the working directory, if any. Not
/// of the path itself: discovering from a path would follow the very links being checked.
fn repository_root() -> Option<PathBuf> {
    let cwd = std::env::current_dir().ok()?;
    let repo = git2::Repository::discover(cwd).ok()?;
    repo.workdir()?.canonicalize().ok()
}

/// [`read_named`], refused as the error of the command that named the file (exit 2).
pub fn read_command_file(path: &Path, kind: Kind) -> Result<Vec<u8>, crate::diag::Error> {
    read_named(path, kind).map_err(|refusal| error(path, kind, refusal))
}

/// A refusal as the error of a command that could not read `path` (exit 2).
pub fn error(path: &Path, kind: Kind, refusal: Refusal) -> crate::diag::Error {
    let path = path.display().to_string();
    match refusal {
        Refusal::Io(source) => crate::diag::Error::Read { path, source },
        Refusal::TooLarge { size, cap } => crate::diag::Error::TooLarge {
            path,
            size,
            limit: cap,
        },
        other => crate::diag::Error::Refused {
            path,
            noun: kind.noun().to_string(),
            problem: other.to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexical_paths_never_touch_the_file_system() {
        assert_eq!(
            lexical(Path::new("/repo/sub/../wasmgate.toml")),
            PathBuf::from("/repo/wasmgate.toml")
        );
        assert_eq!(
            relative_to(Path::new("/repo/./a/b/../c.rego"), Path::new("/repo")),
            Some("a/c.rego".to_string())
        );
        assert_eq!(
            relative_to(Path::new("/repo/../x"), Path::new("/repo")),
            None
        );
    }

    #[test]
    fn caps_and_types_are_enforced() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("n");
        std::fs::write(
            &file,
            "123456789012345678901234567890123456789012345678901234567890123456789",
        )
        .unwrap();
        assert!(matches!(
            read(&file, Kind::CacheEntry),
            Err(Refusal::TooLarge { .. })
        ));
        assert!(matches!(
            read(dir.path(), Kind::Key),
            Err(Refusal::NotRegular("directory"))
        ));
        #[cfg(unix)]
        {
            let link = dir.path().join("link");
            std::os::unix::fs::symlink(&file, &link).unwrap();
            assert!(matches!(
                read(&link, Kind::Key),
                Err(Refusal::NotRegular("symlink"))
            ));
        }
        assert!(matches!(
            read(&dir.path().join("none"), Kind::Key),
            Err(Refusal::Missing)
        ));
    }
}
