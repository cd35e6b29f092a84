//! The deployment manifests kept in Git: every YAML or JSON document with `apiVersion` and
//! `kind` under `[manifests] paths` (and `--manifests`), where it is, and which artifacts it
//! deploys. Manifests are PR data: read from the work tree as regular files with a size cap,
//! parsed with a budget on depth, nodes and aliases, never trusted to decide anything here.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::config::Bind;

/// The manifests found and what they declare.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct ManifestFacts {
    /// Files read, relative to the root, sorted.
    pub files: Vec<String>,
    /// Every object (a document with `apiVersion` and `kind`), by file and line.
    pub objects: Vec<ManifestObject>,
    /// Files or documents that could not be read or parsed.
    pub problems: Vec<ManifestProblem>,
}

impl ManifestFacts {
    /// Line and column of `pointer` in the object of `file` that starts at `line`.
    pub fn field_position(&self, file: &str, line: u64, pointer: &str) -> Option<(u64, u64)> {
        self.objects
            .iter()
            .find(|o| o.file == file && o.line == line)?
            .positions
            .position(pointer)
    }
}

/// The memory an object declares for the artifact of `binding` as priced (the smallest limit;
/// a `2GB` the apiserver would reject is read as 2·10⁹ bytes), with where it is declared.
pub fn priced_memory(binding: &Binding) -> Option<(u64, String)> {
    binding
        .memory_limits
        .iter()
        .filter_map(|limit| {
            let bytes = limit.bytes.or_else(|| {
                crate::facts::quantity::memory_bytes_lenient(&limit.value)
                    .map(|b| u64::try_from(b).unwrap_or(u64::MAX))
            })?;
            Some((bytes, limit.source.clone()))
        })
        .min_by_key(|(bytes, _)| *bytes)
}

/// The images that run the artifact of `binding`: the one `[[manifests.bind]]` matched, its
/// container's, or every image of the object when it binds the whole object.
pub fn binding_images(object: &Value, binding: &Binding) -> Vec<String> {
    if let Some(image) = &binding.image {
        return vec![image.clone()];
    }
    images(object)
        .into_iter()
        .filter(|(container, _, _)| binding.container.is_none() || binding.container == *container)
        .map(|(_, image, _)| image)
        .collect()
}

/// `spec.replicas` of a workload or SpinApp.
pub fn replicas(object: &Value) -> Option<u64> {
    object.pointer("/spec/replicas").and_then(Value::as_u64)
}

/// Memory (as priced) and replicas that `object` declares for the container `container` (the
/// whole object when null): for one version of it in the history.
pub fn declared_resources(object: &Value, container: Option<&str>) -> (Option<u64>, Option<u64>) {
    let mut binding = Binding::new(
        String::new(),
        container.map(str::to_string),
        "",
        None,
        String::new(),
    );
    declare(object, &mut binding);
    (
        priced_memory(&binding).map(|(bytes, _)| bytes),
        replicas(object),
    )
}

/// The objects of another version of the manifest `file` (an unparsable one has none).
pub fn objects_in(version: &[u8], file: &str) -> Vec<ManifestObject> {
    parse(version, file, &[]).0
}

/// `a` and `b` name the same object to the apiserver.
pub fn same_object(a: &ManifestObject, b: &ManifestObject) -> bool {
    identity(a) == identity(b)
}

/// One Kubernetes-style object of a manifest.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct ManifestObject {
    /// The manifest, relative to the root.
    pub file: String,
    /// Line and column (1-based) where the document starts.
    pub line: u64,
    /// Column of that line.
    pub column: u64,
    /// `apiVersion`.
    #[serde(rename = "apiVersion")]
    pub api_version: String,
    /// `kind`.
    pub kind: String,
    /// `metadata.name`; null when absent.
    pub name: Option<String>,
    /// `metadata.namespace`; null when absent.
    pub namespace: Option<String>,
    /// The artifacts this object deploys, as its annotations or `[[manifests.bind]]` say.
    pub bindings: Vec<Binding>,
    /// The document itself.
    pub object: Value,
    /// The same object (same apiVersion group, kind, namespace and name, in the same file) at
    /// the merge-base: what a `kubectl apply` of this change updates; null when it is new or
    /// there is no base.
    pub base_object: Option<Value>,
    /// Where each field of the document is, for findings that name one.
    #[serde(skip)]
    #[schemars(skip)]
    pub positions: crate::facts::located_yaml::Positions,
}

/// An object deploys an artifact.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Binding {
    /// The artifact's path relative to the root.
    pub artifact: String,
    /// The container (or component) it runs in; null for the whole object.
    pub container: Option<String>,
    /// `annotation` (`wasmgate.dev/artifact…`) or `bind` (`[[manifests.bind]]`).
    pub via: String,
    /// The image reference that matched, for `bind`.
    pub image: Option<String>,
    /// JSON pointer (in `object`) of what binds it: the annotation, or the image field.
    pub field: String,
    /// The artifact is a regular file in the repository.
    pub exists: bool,
    /// Memory limits the object declares for it (the smallest is the one that holds).
    pub memory_limits: Vec<DeclaredMemory>,
    /// The host functions or interfaces it declares (`spec.imported_functions[].name`, or the
    /// comma-separated annotation `wasmgate.dev/capabilities`); null when it declares none.
    pub capabilities: Option<Vec<String>>,
    /// JSON pointer of the first declaration of `capabilities`; null when there is none.
    pub capabilities_field: Option<String>,
    /// The digest it declares (annotation `wasmgate.dev/sha256`, hex); null when none.
    pub sha256: Option<String>,
    /// JSON pointer of the annotation that declares `sha256`; null when there is none.
    pub sha256_field: Option<String>,
    /// Its image followed in `[manifests] oci_layouts`: `layout`, `manifest` (the OCI
    /// manifest digest the reference names) and `layer_sha256` (of its wasm layer, which is
    /// the raw `.wasm`); null when the image is in no layout.
    pub oci: Option<OciImage>,
}

impl Binding {
    /// A binding of `artifact` by `via`, before the object's declarations are read.
    fn new(
        artifact: String,
        container: Option<String>,
        via: &str,
        image: Option<String>,
        field: String,
    ) -> Self {
        Binding {
            artifact,
            container,
            via: via.to_string(),
            image,
            field,
            exists: false,
            memory_limits: Vec::new(),
            capabilities: None,
            capabilities_field: None,
            sha256: None,
            sha256_field: None,
            oci: None,
        }
    }
}

/// A bound image as an OCI layout in the repository has it.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct OciImage {
    /// The image reference.
    pub image: String,
    /// The layout, relative to the root.
    pub layout: String,
    /// The OCI manifest's digest (`sha256:…`).
    pub manifest: String,
    /// The sha256 of its wasm layer; null when it has none.
    pub layer_sha256: Option<String>,
}

/// One memory limit a manifest declares.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct DeclaredMemory {
    /// Where: `resources.limits.memory` of a container, `spec.resources.limits.memory`, an
    /// annotation, or `spec.memory_limit_mb`.
    pub source: String,
    /// The same place as a JSON pointer in `object`.
    pub field: String,
    /// The value as written.
    pub value: String,
    /// In bytes (Kubernetes quantities exactly; `…-mb` values as MiB); null when it is not a
    /// valid quantity.
    pub bytes: Option<u64>,
    /// Why the value is not a quantity the apiserver would accept; null when it is.
    pub problem: Option<String>,
}

/// A manifest that could not be used.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct ManifestProblem {
    /// The manifest, relative to the root.
    pub file: String,
    /// Where the problem is (1-based); 1 when the whole file is at fault.
    pub line: u64,
    /// Column of that line.
    pub column: u64,
    /// What is wrong.
    pub message: String,
}

/// Where to look and how to bind.
#[derive(Clone, Copy)]
pub struct Options<'a> {
    /// The repository root.
    pub root: &'a Path,
    /// `[manifests] paths`: directories or files relative to the root; missing ones skipped.
    pub configured: &'a [String],
    /// `--manifests`: named by the user, so a missing one is an error.
    pub named: &'a [PathBuf],
    /// `[[manifests.bind]]`.
    pub bind: &'a [Bind],
    /// `[manifests] oci_layouts`, relative to the root.
    pub oci_layouts: &'a [String],
    /// Reads a manifest's merge-base version (the file's path as given); None without a
    /// base, or when the file was not there.
    pub base: Option<&'a BaseReader>,
}

/// Reads the merge-base version of a manifest file.
pub type BaseReader = dyn Fn(&Path) -> Option<Vec<u8>> + Sync;

/// The annotation that binds an object (or, with `.<container>`, one container) to an artifact.
pub const ARTIFACT_ANNOTATION: &str = "wasmgate.dev/artifact";

/// Finds, reads and parses every manifest; None when there is none. `Err` is a `--manifests`
/// path, as given, that is not there.
pub fn collect(options: &Options<'_>) -> Result<Option<ManifestFacts>, String> {
    let mut files: Vec<(PathBuf, String)> = Vec::new();
    for path in options.named {
        let full = if path.is_absolute() {
            path.clone()
        } else {
            options.root.join(path)
        };
        if std::fs::symlink_metadata(&full).is_err() {
            return Err(path.display().to_string());
        }
        files.extend(search(&full, options.root));
    }
    for path in options.configured {
        let full = options.root.join(path);
        if std::fs::symlink_metadata(&full).is_ok() {
            files.extend(search(&full, options.root));
        }
    }
    files.sort_by(|a, b| a.1.cmp(&b.1));
    files.dedup_by(|a, b| a.1 == b.1);
    // The config check compiled them already; compiled once here for every object.
    let globs: Vec<(globset::GlobMatcher, &Bind)> = options
        .bind
        .iter()
        .filter_map(|b| {
            globset::Glob::new(&b.image)
                .ok()
                .map(|g| (g.compile_matcher(), b))
        })
        .collect();
    let parsed: Vec<(Vec<ManifestObject>, Vec<ManifestProblem>)> = files
        .par_iter()
        .map(|(path, display)| {
            let (mut objects, problems) = read(path, display, &globs);
            if let Some(base) = options.base.and_then(|base| base(path)) {
                with_base_objects(&mut objects, &base, display);
            }
            (objects, problems)
        })
        .collect();
    let exists = |artifact: &str| {
        let relative = Path::new(artifact);
        relative.is_relative()
            && relative
                .components()
                .all(|c| matches!(c, std::path::Component::Normal(_)))
            && std::fs::symlink_metadata(options.root.join(relative))
                .is_ok_and(|m| m.file_type().is_file())
    };
    let mut facts = ManifestFacts {
        files: files.into_iter().map(|(_, display)| display).collect(),
        ..ManifestFacts::default()
    };
    let layouts: Vec<(PathBuf, String)> = options
        .oci_layouts
        .iter()
        .map(|layout| (options.root.join(layout), layout.clone()))
        .collect();
    for (mut objects, problems) in parsed {
        for object in &mut objects {
            let images = images(&object.object);
            for binding in &mut object.bindings {
                binding.exists = exists(&binding.artifact);
                binding.oci = image_of(binding, &images).and_then(|image| {
                    let found = crate::facts::oci::resolve(&layouts, &image)?;
                    Some(OciImage {
                        image,
                        layout: found.layout,
                        manifest: found.manifest,
                        layer_sha256: found.layer,
                    })
                });
            }
        }
        facts.objects.extend(objects);
        facts.problems.extend(problems);
    }
    Ok((!facts.files.is_empty()).then_some(facts))
}

/// The manifest files at `path`: itself, or the `*.yaml`, `*.yml` and `*.json` under it
/// (links not followed), each with its name relative to the root.
fn search(path: &Path, root: &Path) -> Vec<(PathBuf, String)> {
    let display = |p: &Path| crate::discover::display_path(p, root);
    if !path.is_dir() {
        return vec![(path.to_path_buf(), display(path))];
    }
    walkdir::WalkDir::new(path)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_file())
        .filter(|entry| {
            let name = entry.file_name().to_string_lossy();
            [".yaml", ".yml", ".json"]
                .iter()
                .any(|ext| name.ends_with(ext))
        })
        .map(|entry| (entry.path().to_path_buf(), display(entry.path())))
        .collect()
}

/// The image a binding runs: the one that matched `[[manifests.bind]]`, its container's, or
/// the object's only one.
fn image_of(binding: &Binding, images: &[Image]) -> Option<String> {
    if let Some(image) = &binding.image {
        return Some(image.clone());
    }
    match &binding.container {
        Some(name) => images
            .iter()
            .find(|(container, _, _)| container.as_ref() == Some(name))
            .map(|(_, image, _)| image.clone()),
        None if images.len() == 1 => Some(images[0].1.clone()),
        None => None,
    }
}

/// The YAML budget: generous for real manifests (helm output of a large chart is a few
/// thousand nodes), small enough that a hostile document ends in well under a second.
fn yaml_options() -> serde_saphyr::Options {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_depth = 64;
    budget.max_nodes = 250_000;
    budget.max_events = 1_000_000;
    budget.max_aliases = 10_000;
    budget.max_anchors = 10_000;
    budget.max_documents = 1_024;
    budget.max_recorded_anchor_events = 100_000;
    budget.max_recorded_anchor_bytes = 8 * 1024 * 1024;
    budget.max_total_scalar_bytes = 8 * 1024 * 1024;
    let mut options = serde_saphyr::Options::default();
    options.budget = Some(budget);
    options
}

/// `[[manifests.bind]]` with its image glob compiled.
type Globs<'a> = [(globset::GlobMatcher, &'a Bind)];

fn read(
    path: &Path,
    display: &str,
    bind: &Globs<'_>,
) -> (Vec<ManifestObject>, Vec<ManifestProblem>) {
    let problem = |line: u64, column: u64, message: String| ManifestProblem {
        file: display.to_string(),
        line,
        column,
        message,
    };
    let bytes = match crate::untrusted::read(path, crate::untrusted::Kind::Manifest) {
        Ok(bytes) => bytes,
        Err(refusal) => {
            let error = crate::untrusted::error(
                Path::new(display),
                crate::untrusted::Kind::Manifest,
                refusal,
            );
            return (Vec::new(), vec![problem(1, 1, error.to_string())]);
        }
    };
    parse(&bytes, display, bind)
}

/// The objects of a manifest's merge-base version joined to today's by identity. A base
/// version that does not parse leaves them new: that is judged on today's file.
fn with_base_objects(objects: &mut [ManifestObject], base: &[u8], display: &str) {
    let before = objects_in(base, display);
    for object in objects {
        object.base_object = before
            .iter()
            .find(|old| same_object(old, object))
            .map(|old| old.object.clone());
    }
}

/// What names an object to the apiserver: API group, kind, namespace, name.
fn identity(object: &ManifestObject) -> (&str, &str, Option<&str>, Option<&str>) {
    let group = object
        .api_version
        .split_once('/')
        .map_or("", |(group, _)| group);
    (
        group,
        object.kind.as_str(),
        object.namespace.as_deref(),
        object.name.as_deref(),
    )
}

fn parse(
    bytes: &[u8],
    display: &str,
    bind: &Globs<'_>,
) -> (Vec<ManifestObject>, Vec<ManifestProblem>) {
    let problem = |line: u64, column: u64, message: String| ManifestProblem {
        file: display.to_string(),
        line,
        column,
        message,
    };
    let Ok(text) = std::str::from_utf8(bytes) else {
        return (
            Vec::new(),
            vec![problem(1, 1, "it is not UTF-8 text".to_string())],
        );
    };
    let documents = match crate::facts::located_yaml::documents(text, yaml_options()) {
        Ok(documents) => documents,
        Err(error) => {
            let (line, column) = error
                .location()
                .map_or((1, 1), |at| (at.line().max(1), at.column().max(1)));
            let message = error.to_string();
            let first = message.lines().next().unwrap_or("it does not parse");
            let first = first.strip_prefix("error: ").unwrap_or(first);
            // The location is the finding's; the message need not repeat it.
            let first = first
                .split_once(": ")
                .filter(|(at, _)| at.starts_with("line "))
                .map_or(first, |(_, rest)| rest)
                .to_string();
            return (Vec::new(), vec![problem(line, column, first)]);
        }
    };
    let objects = documents
        .into_iter()
        .filter_map(|(line, column, document)| object(display, line, column, document, bind))
        .collect();
    (objects, Vec::new())
}

fn object(
    file: &str,
    line: u64,
    column: u64,
    document: crate::facts::located_yaml::Located,
    bind: &Globs<'_>,
) -> Option<ManifestObject> {
    let crate::facts::located_yaml::Located { value, positions } = document;
    let text = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_string);
    let api_version = text(value.get("apiVersion"))?;
    let kind = text(value.get("kind"))?;
    let metadata = value.get("metadata");
    let name = text(metadata.and_then(|m| m.get("name")));
    let namespace = text(metadata.and_then(|m| m.get("namespace")));
    let bindings = bindings(&value, bind);
    Some(ManifestObject {
        file: file.to_string(),
        line,
        column,
        api_version,
        kind,
        name,
        namespace,
        bindings,
        object: value,
        base_object: None,
        positions,
    })
}

/// The artifacts an object deploys: its annotations first, then `[[manifests.bind]]` by image.
fn bindings(value: &Value, globs: &Globs<'_>) -> Vec<Binding> {
    let mut found = Vec::new();
    if let Some(annotations) = value
        .pointer("/metadata/annotations")
        .and_then(Value::as_object)
    {
        for (key, artifact) in annotations {
            let Some(artifact) = artifact.as_str() else {
                continue;
            };
            let container = if key == ARTIFACT_ANNOTATION {
                None
            } else if let Some(name) = key
                .strip_prefix(ARTIFACT_ANNOTATION)
                .and_then(|rest| rest.strip_prefix('.'))
            {
                Some(name.to_string())
            } else {
                continue;
            };
            found.push(Binding::new(
                artifact.to_string(),
                container,
                "annotation",
                None,
                annotation_pointer(key),
            ));
        }
    }
    for (container, image, pointer) in images(value) {
        for (glob, entry) in globs {
            if glob.is_match(&image) {
                found.push(Binding::new(
                    entry.artifact.clone(),
                    container.clone(),
                    "bind",
                    Some(image.clone()),
                    pointer.clone(),
                ));
            }
        }
    }
    for binding in &mut found {
        declare(value, binding);
    }
    found
}

/// What the object declares about the artifact a binding names.
fn declare(value: &Value, binding: &mut Binding) {
    let annotations = value
        .pointer("/metadata/annotations")
        .and_then(Value::as_object);
    let annotation = |key: &str| annotations.and_then(|a| a.get(key)).and_then(Value::as_str);
    let mut limits = Vec::new();
    let mut quantity = |source: String, field: String, value: &Value| {
        let Some(written) = written(value) else {
            return;
        };
        let (bytes, problem) = match crate::facts::quantity::memory_bytes(&written) {
            Ok(bytes) => (Some(u64::try_from(bytes).unwrap_or(u64::MAX)), None),
            Err(problem) => (None, Some(problem)),
        };
        limits.push(DeclaredMemory {
            source,
            field,
            value: written,
            bytes,
            problem,
        });
    };
    for (container, field, limit) in container_limits(value) {
        if binding.container.is_none() || binding.container == container {
            let name = container.as_deref().unwrap_or("(unnamed)");
            quantity(
                format!("container {name} resources.limits.memory"),
                field,
                limit,
            );
        }
    }
    let spec_limit = "/spec/resources/limits/memory";
    if let Some(limit) = value.pointer(spec_limit) {
        quantity(
            "spec.resources.limits.memory".to_string(),
            spec_limit.to_string(),
            limit,
        );
    }
    if let Some(limit) = annotations.and_then(|a| a.get("wasmgate.dev/max-memory")) {
        quantity(
            "annotation wasmgate.dev/max-memory".to_string(),
            annotation_pointer("wasmgate.dev/max-memory"),
            limit,
        );
    }
    let mebibytes =
        |source: String, field: String, value: &Value, limits: &mut Vec<DeclaredMemory>| {
            let Some(written) = written(value) else {
                return;
            };
            let parsed = written.trim().parse::<u64>().ok();
            limits.push(DeclaredMemory {
                source,
                field,
                bytes: parsed.map(|mb| mb.saturating_mul(1 << 20)),
                problem: parsed
                    .is_none()
                    .then(|| format!("`{written}` is not a whole number of MiB")),
                value: written,
            });
        };
    for (key, limit) in annotations.into_iter().flatten() {
        if key.ends_with("/max-memory-mb") {
            mebibytes(
                format!("annotation {key}"),
                annotation_pointer(key),
                limit,
                &mut limits,
            );
        }
    }
    if let Some(limit) = value.pointer("/spec/memory_limit_mb") {
        mebibytes(
            "spec.memory_limit_mb".to_string(),
            "/spec/memory_limit_mb".to_string(),
            limit,
            &mut limits,
        );
    }
    binding.memory_limits = limits;
    let mut capabilities: Option<Vec<String>> = None;
    if let Some(functions) = value
        .pointer("/spec/imported_functions")
        .and_then(Value::as_array)
    {
        let names = functions
            .iter()
            .filter_map(|f| f.get("name").and_then(Value::as_str))
            .map(str::to_string);
        capabilities.get_or_insert_with(Vec::new).extend(names);
        binding.capabilities_field = Some("/spec/imported_functions".to_string());
    }
    if let Some(list) = annotation("wasmgate.dev/capabilities") {
        let names = list
            .split(',')
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_string);
        capabilities.get_or_insert_with(Vec::new).extend(names);
        binding
            .capabilities_field
            .get_or_insert_with(|| annotation_pointer("wasmgate.dev/capabilities"));
    }
    if let Some(names) = capabilities.as_mut() {
        names.sort();
        names.dedup();
    }
    binding.capabilities = capabilities;
    binding.sha256 = annotation("wasmgate.dev/sha256").map(|digest| {
        digest
            .trim()
            .trim_start_matches("sha256:")
            .to_ascii_lowercase()
    });
    binding.sha256_field = binding
        .sha256
        .as_ref()
        .map(|_| annotation_pointer("wasmgate.dev/sha256"));
}

/// The JSON pointer of an annotation (`/` in its key escaped as RFC 6901 says).
fn annotation_pointer(key: &str) -> String {
    format!(
        "/metadata/annotations/{}",
        crate::facts::located_yaml::segment(key)
    )
}

/// A limit as written: YAML gives `64Mi` as a string and `128` as a number.
fn written(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        _ => None,
    }
}

/// Every container of the object's pod specs: its name, its JSON pointer, and itself.
fn containers(value: &Value) -> Vec<(Option<String>, String, &Value)> {
    let mut found = Vec::new();
    for spec_pointer in POD_SPECS {
        let Some(spec) = value.pointer(spec_pointer) else {
            continue;
        };
        for list in ["containers", "initContainers"] {
            let items = spec.get(list).and_then(Value::as_array);
            for (i, container) in items.into_iter().flatten().enumerate() {
                let name = container
                    .get("name")
                    .and_then(Value::as_str)
                    .map(str::to_string);
                found.push((name, format!("{spec_pointer}/{list}/{i}"), container));
            }
        }
    }
    found
}

/// `resources.limits.memory` of every container of the object's pod specs: container name,
/// JSON pointer of the limit, and the limit.
fn container_limits(value: &Value) -> Vec<(Option<String>, String, &Value)> {
    containers(value)
        .into_iter()
        .filter_map(|(name, pointer, container)| {
            let limit = container.pointer("/resources/limits/memory")?;
            Some((name, format!("{pointer}/resources/limits/memory"), limit))
        })
        .collect()
}

/// Where Kubernetes workloads keep their pod spec: Pods (`spec`), Deployments, StatefulSets,
/// DaemonSets, Jobs and Knative Services (`spec.template.spec`), CronJobs.
const POD_SPECS: [&str; 3] = [
    "/spec",
    "/spec/template/spec",
    "/spec/jobTemplate/spec/template/spec",
];

/// An image an object runs: the container (or component) name, the reference, and the JSON
/// pointer of the field that names it.
type Image = (Option<String>, String, String);

/// Every image an object runs: Kubernetes workloads (pod templates, jobs, cron jobs), Knative
/// services, SpinKube `SpinApp` (`spec.image`) and wasmCloud components.
fn images(value: &Value) -> Vec<Image> {
    let mut found: Vec<Image> = containers(value)
        .into_iter()
        .filter_map(|(name, pointer, container)| {
            let image = container.get("image").and_then(Value::as_str)?;
            Some((name, image.to_string(), format!("{pointer}/image")))
        })
        .collect();
    if let Some(image) = value.pointer("/spec/image").and_then(Value::as_str) {
        found.push((None, image.to_string(), "/spec/image".to_string()));
    }
    let components = value.pointer("/spec/components").and_then(Value::as_array);
    for (i, component) in components.into_iter().flatten().enumerate() {
        if let Some(image) = component
            .pointer("/properties/image")
            .and_then(Value::as_str)
        {
            let name = component
                .get("name")
                .and_then(Value::as_str)
                .map(str::to_string);
            found.push((
                name,
                image.to_string(),
                format!("/spec/components/{i}/properties/image"),
            ));
        }
    }
    found
}
