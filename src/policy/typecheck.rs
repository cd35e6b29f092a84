//! A static check of builtin calls whose argument types are known before evaluation: OPA
//! rejects `contains({"a"}, x)` when it compiles the policy, regorus only when the call runs,
//! so without this a wrong call on a path no input reaches would pass the gate.
//!
//! The inference is deliberately small and sound: literals, comprehensions, local variables
//! bound to them, package constants written as literals, and the results of the builtins below.
//! Everything else (input, data, rule values, function arguments) is `any` and never an error.

use std::collections::BTreeMap;

use regorus::unstable::{ArithOp, AssignOp, Expr, Literal, Module, Query, Rule, RuleHead};

/// A type as far as this check can know it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Type {
    Any,
    String,
    Number,
    Boolean,
    Null,
    Set,
    Array,
    Object,
}

impl Type {
    const fn name(self) -> &'static str {
        match self {
            Self::Any => "any",
            Self::String => "string",
            Self::Number => "number",
            Self::Boolean => "boolean",
            Self::Null => "null",
            Self::Set => "set",
            Self::Array => "array",
            Self::Object => "object",
        }
    }

    const fn bit(self) -> u8 {
        match self {
            Self::Any => ANY,
            Self::String => S,
            Self::Number => N,
            Self::Boolean => B,
            Self::Null => NULL,
            Self::Set => SET,
            Self::Array => ARR,
            Self::Object => OBJ,
        }
    }
}

const S: u8 = 1;
const N: u8 = 2;
const B: u8 = 4;
const NULL: u8 = 8;
const SET: u8 = 16;
const ARR: u8 = 32;
const OBJ: u8 = 64;
const ANY: u8 = 127;

/// A builtin's parameters (name and accepted types) and result, as OPA declares them.
struct Signature {
    name: &'static str,
    params: &'static [(&'static str, u8)],
    result: Type,
}

const fn sig(name: &'static str, params: &'static [(&'static str, u8)], result: Type) -> Signature {
    Signature {
        name,
        params,
        result,
    }
}

/// The builtins checked: the string, collection and number functions policies call most.
const SIGNATURES: &[Signature] = &[
    sig("abs", &[("x", N)], Type::Number),
    sig("array.concat", &[("x", ARR), ("y", ARR)], Type::Array),
    sig(
        "array.slice",
        &[("arr", ARR), ("start", N), ("stop", N)],
        Type::Array,
    ),
    sig("base64.decode", &[("x", S)], Type::String),
    sig("base64.encode", &[("x", S)], Type::String),
    sig("ceil", &[("x", N)], Type::Number),
    sig(
        "concat",
        &[("delimiter", S), ("collection", ARR | SET)],
        Type::String,
    ),
    sig("contains", &[("haystack", S), ("needle", S)], Type::Boolean),
    sig(
        "count",
        &[("collection", S | ARR | OBJ | SET)],
        Type::Number,
    ),
    sig("endswith", &[("search", S), ("base", S)], Type::Boolean),
    sig("floor", &[("x", N)], Type::Number),
    sig("format_int", &[("number", N), ("base", N)], Type::String),
    sig(
        "glob.match",
        &[("pattern", S), ("delimiters", ARR | NULL), ("match", S)],
        Type::Boolean,
    ),
    sig("indexof", &[("haystack", S), ("needle", S)], Type::Number),
    sig("indexof_n", &[("haystack", S), ("needle", S)], Type::Array),
    sig("intersection", &[("xs", SET)], Type::Set),
    sig("json.unmarshal", &[("x", S)], Type::Any),
    sig("lower", &[("x", S)], Type::String),
    sig("max", &[("collection", ARR | SET)], Type::Any),
    sig("min", &[("collection", ARR | SET)], Type::Any),
    sig(
        "net.cidr_contains",
        &[("cidr", S), ("cidr_or_ip", S)],
        Type::Boolean,
    ),
    sig("numbers.range", &[("a", N), ("b", N)], Type::Array),
    sig(
        "object.get",
        &[("object", OBJ), ("key", ANY), ("default", ANY)],
        Type::Any,
    ),
    sig("object.keys", &[("object", OBJ)], Type::Set),
    sig(
        "object.remove",
        &[("object", OBJ), ("keys", ARR | SET | OBJ)],
        Type::Object,
    ),
    sig("object.union", &[("a", OBJ), ("b", OBJ)], Type::Object),
    sig("product", &[("collection", ARR | SET)], Type::Number),
    sig(
        "regex.find_n",
        &[("pattern", S), ("value", S), ("number", N)],
        Type::Array,
    ),
    sig(
        "regex.match",
        &[("pattern", S), ("value", S)],
        Type::Boolean,
    ),
    sig("regex.split", &[("pattern", S), ("value", S)], Type::Array),
    sig("replace", &[("x", S), ("old", S), ("new", S)], Type::String),
    sig("round", &[("x", N)], Type::Number),
    sig("semver.compare", &[("a", S), ("b", S)], Type::Number),
    sig("sort", &[("collection", ARR | SET)], Type::Array),
    sig("split", &[("x", S), ("delimiter", S)], Type::Array),
    sig("sprintf", &[("format", S), ("values", ARR)], Type::String),
    sig("startswith", &[("search", S), ("base", S)], Type::Boolean),
    sig(
        "strings.count",
        &[("search", S), ("substring", S)],
        Type::Number,
    ),
    sig(
        "strings.replace_n",
        &[("patterns", OBJ), ("value", S)],
        Type::String,
    ),
    sig("strings.reverse", &[("x", S)], Type::String),
    sig(
        "substring",
        &[("value", S), ("offset", N), ("length", N)],
        Type::String,
    ),
    sig("sum", &[("collection", ARR | SET)], Type::Number),
    sig("time.parse_rfc3339_ns", &[("value", S)], Type::Number),
    sig("to_number", &[("x", NULL | B | N | S)], Type::Number),
    sig("trim", &[("value", S), ("cutset", S)], Type::String),
    sig("trim_left", &[("value", S), ("cutset", S)], Type::String),
    sig("trim_prefix", &[("value", S), ("prefix", S)], Type::String),
    sig("trim_right", &[("value", S), ("cutset", S)], Type::String),
    sig("trim_space", &[("value", S)], Type::String),
    sig("trim_suffix", &[("value", S), ("suffix", S)], Type::String),
    sig("union", &[("xs", SET)], Type::Set),
    sig("units.parse", &[("x", S)], Type::Number),
    sig("units.parse_bytes", &[("x", S)], Type::Number),
    sig("upper", &[("x", S)], Type::String),
];

/// A call OPA would refuse to compile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct TypeError {
    /// The policy, as it was named when loaded.
    pub file: String,
    /// 1-based line and column of the call.
    pub line: u32,
    /// Column.
    pub column: u32,
    /// What is wrong, in OPA's terms.
    pub message: String,
}

/// Every type error in `modules`, sorted by file and position.
pub(super) fn check(modules: &[regorus::unstable::Ref<Module>]) -> Vec<TypeError> {
    let mut by_package: BTreeMap<String, Vec<&Module>> = BTreeMap::new();
    for module in modules {
        let package = module.package.refr.span().text().to_string();
        by_package.entry(package).or_default().push(module);
    }
    let mut errors = Vec::new();
    let packages: Vec<&String> = by_package.keys().collect();
    for modules in by_package.values() {
        let mut package = Package::of(modules);
        for module in modules {
            // What a call's first name may be besides a builtin: an import or a package.
            package.imports = module
                .imports
                .iter()
                .map(|import| match &import.r#as {
                    Some(alias) => alias.text().to_string(),
                    None => import
                        .refr
                        .span()
                        .text()
                        .rsplit('.')
                        .next()
                        .unwrap_or_default()
                        .to_string(),
                })
                .collect();
            package.packages.clone_from(&packages);
            for rule in &module.policy {
                package.rule(rule, &mut errors);
            }
        }
    }
    errors.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
    errors.dedup();
    errors
}

/// What one package defines: names that shadow builtins, and constants of known type; and,
/// for the module being checked, its imports and every loaded package.
struct Package<'m> {
    defined: Vec<String>,
    constants: BTreeMap<String, Type>,
    imports: Vec<String>,
    packages: Vec<&'m String>,
}

impl<'m> Package<'m> {
    fn of(modules: &[&Module]) -> Self {
        let mut defined = Vec::new();
        let mut definitions: BTreeMap<String, Vec<Option<Type>>> = BTreeMap::new();
        for module in modules {
            for rule in &module.policy {
                let (name, constant) = match rule.as_ref() {
                    Rule::Spec { head, bodies, .. } => match head {
                        RuleHead::Compr {
                            refr,
                            assign: Some(assign),
                            ..
                        } if bodies.is_empty() => (
                            refr.span().text().to_string(),
                            Some(literal_type(&assign.value)),
                        ),
                        RuleHead::Compr { refr, .. }
                        | RuleHead::Set { refr, .. }
                        | RuleHead::Func { refr, .. } => (refr.span().text().to_string(), None),
                    },
                    Rule::Default { refr, .. } => (refr.span().text().to_string(), None),
                };
                let first = name
                    .split(['.', '['])
                    .next()
                    .unwrap_or_default()
                    .to_string();
                defined.push(first);
                definitions.entry(name).or_default().push(constant);
            }
        }
        let constants = definitions
            .into_iter()
            .filter_map(|(name, types)| match types.as_slice() {
                [Some(kind)] if *kind != Type::Any => Some((name, *kind)),
                _ => None,
            })
            .collect();
        Self {
            defined,
            constants,
            imports: Vec::new(),
            packages: Vec::new(),
        }
    }

    fn rule(&self, rule: &Rule, errors: &mut Vec<TypeError>) {
        let Rule::Spec { head, bodies, .. } = rule else {
            return;
        };
        let (head_exprs, args): (Vec<&Expr>, &[regorus::unstable::Ref<Expr>]) = match head {
            RuleHead::Compr { assign, .. } => (assign.iter().map(|a| &*a.value).collect(), &[]),
            RuleHead::Set { key, .. } => (key.iter().map(|k| &**k).collect(), &[]),
            RuleHead::Func { args, assign, .. } => {
                (assign.iter().map(|a| &*a.value).collect(), args)
            }
        };
        let mut base = Scope::default();
        for arg in args {
            base.declare_vars_of(arg);
        }
        if bodies.is_empty() {
            let mut scope = base.clone();
            for expr in &head_exprs {
                self.expr(expr, &mut scope, errors);
            }
        }
        for body in bodies {
            let mut scope = base.clone();
            self.query(&body.query, &mut scope, errors);
            if let Some(assign) = &body.assign {
                self.expr(&assign.value, &mut scope, errors);
            }
            for expr in &head_exprs {
                self.expr(expr, &mut scope, errors);
            }
        }
    }

    fn query(&self, query: &Query, scope: &mut Scope, errors: &mut Vec<TypeError>) {
        for stmt in &query.stmts {
            match &stmt.literal {
                Literal::SomeVars { vars, .. } => {
                    for var in vars {
                        scope.set(var.text(), Type::Any);
                    }
                }
                Literal::SomeIn {
                    key,
                    value,
                    collection,
                    ..
                } => {
                    self.expr(collection, scope, errors);
                    if let Some(key) = key {
                        scope.declare_vars_of(key);
                    }
                    scope.declare_vars_of(value);
                }
                Literal::Expr { expr, .. } | Literal::NotExpr { expr, .. } => {
                    self.expr(expr, scope, errors);
                }
                Literal::Every {
                    key,
                    value,
                    domain,
                    query,
                    ..
                } => {
                    self.expr(domain, scope, errors);
                    let mut inner = scope.clone();
                    if let Some(key) = key {
                        inner.set(key.text(), Type::Any);
                    }
                    inner.set(value.text(), Type::Any);
                    self.query(query, &mut inner, errors);
                }
            }
            for with in &stmt.with_mods {
                self.expr(&with.r#as, scope, errors);
            }
        }
    }

    /// Checks every call in `expr` and returns its type.
    fn expr(&self, expr: &Expr, scope: &mut Scope, errors: &mut Vec<TypeError>) -> Type {
        match expr {
            Expr::String { .. } | Expr::RawString { .. } => Type::String,
            Expr::Number { .. } => Type::Number,
            Expr::Bool { .. } => Type::Boolean,
            Expr::Null { .. } => Type::Null,
            Expr::Var { span, .. } => scope
                .get(span.text())
                .or_else(|| self.constants.get(span.text()).copied())
                .unwrap_or(Type::Any),
            Expr::Array { items, .. } | Expr::Set { items, .. } => {
                for item in items {
                    self.expr(item, scope, errors);
                }
                if matches!(expr, Expr::Array { .. }) {
                    Type::Array
                } else {
                    Type::Set
                }
            }
            Expr::Object { fields, .. } => {
                for (_, key, value) in fields {
                    self.expr(key, scope, errors);
                    self.expr(value, scope, errors);
                }
                Type::Object
            }
            Expr::ArrayCompr { term, query, .. } | Expr::SetCompr { term, query, .. } => {
                let mut inner = scope.clone();
                self.query(query, &mut inner, errors);
                self.expr(term, &mut inner, errors);
                if matches!(expr, Expr::ArrayCompr { .. }) {
                    Type::Array
                } else {
                    Type::Set
                }
            }
            Expr::ObjectCompr {
                key, value, query, ..
            } => {
                let mut inner = scope.clone();
                self.query(query, &mut inner, errors);
                self.expr(key, &mut inner, errors);
                self.expr(value, &mut inner, errors);
                Type::Object
            }
            Expr::Call { fcn, params, .. } => {
                let types: Vec<Type> = params
                    .iter()
                    .map(|param| self.expr(param, scope, errors))
                    .collect();
                self.call(fcn.span(), &types, errors)
            }
            Expr::UnaryExpr { expr, .. } => {
                self.expr(expr, scope, errors);
                Type::Any
            }
            Expr::RefDot { refr, .. } => {
                self.expr(refr, scope, errors);
                Type::Any
            }
            Expr::RefBrack { refr, index, .. } => {
                self.expr(refr, scope, errors);
                self.expr(index, scope, errors);
                Type::Any
            }
            Expr::BinExpr { lhs, rhs, .. } => {
                let types = (self.expr(lhs, scope, errors), self.expr(rhs, scope, errors));
                if types == (Type::Set, Type::Set) {
                    Type::Set
                } else {
                    Type::Any
                }
            }
            Expr::BoolExpr { lhs, rhs, .. } => {
                self.expr(lhs, scope, errors);
                self.expr(rhs, scope, errors);
                Type::Boolean
            }
            Expr::ArithExpr { op, lhs, rhs, .. } => {
                let types = (self.expr(lhs, scope, errors), self.expr(rhs, scope, errors));
                match types {
                    (Type::Number, Type::Number) => Type::Number,
                    (Type::Set, Type::Set) if *op == ArithOp::Sub => Type::Set,
                    _ => Type::Any,
                }
            }
            Expr::AssignExpr { op, lhs, rhs, .. } => {
                let value = self.expr(rhs, scope, errors);
                if let Expr::Var { span, .. } = &**lhs {
                    let name = span.text();
                    // `x := …` declares; `x = …` binds only a variable nothing defined yet.
                    let binds = *op == AssignOp::ColEq
                        || (scope.get(name).is_none() && !self.defined.iter().any(|d| d == name));
                    if binds {
                        scope.set(name, value);
                    }
                } else {
                    scope.declare_vars_of(lhs);
                }
                Type::Boolean
            }
            Expr::Membership {
                value, collection, ..
            } => {
                self.expr(value, scope, errors);
                self.expr(collection, scope, errors);
                Type::Boolean
            }
            #[allow(unreachable_patterns)]
            _ => Type::Any,
        }
    }

    fn call(
        &self,
        span: &regorus::unstable::Span,
        args: &[Type],
        errors: &mut Vec<TypeError>,
    ) -> Type {
        let name = span.text();
        let root = name.split('.').next().unwrap_or_default();
        if self.defined.iter().any(|d| d == root) {
            return Type::Any;
        }
        let Some(signature) = SIGNATURES.iter().find(|s| s.name == name) else {
            self.known(span, name, errors);
            return Type::Any;
        };
        // One extra argument is the output variable of the call's statement form.
        let arity = signature.params.len();
        let wrong_type = args
            .iter()
            .zip(signature.params)
            .any(|(have, (_, want))| have.bit() & want == 0);
        if wrong_type || args.len() < arity || args.len() > arity + 1 {
            let have: Vec<&str> = args.iter().map(|t| t.name()).collect();
            let want: Vec<String> = signature
                .params
                .iter()
                .map(|(param, mask)| format!("{param}: {}", mask_names(*mask)))
                .collect();
            errors.push(TypeError {
                file: span.source.file().clone(),
                line: span.line,
                column: span.col,
                message: format!(
                    "`{name}` expects ({}), got ({}); OPA rejects this call when it compiles the policy (rego_type_error)",
                    want.join(", "),
                    have.join(", ")
                ),
            });
        }
        signature.result
    }
}

/// Functions wasmgate adds to the engine at evaluation time.
const EXTENSIONS: &[&str] = &["wasmgate.cost_risk", "wasmgate.predict_cost_risk"];

impl Package<'_> {
    /// A call to something that is no builtin, extension, import, package or rule of this
    /// package would fail only once evaluated: OPA refuses it when it compiles.
    fn known(&self, span: &regorus::unstable::Span, name: &str, errors: &mut Vec<TypeError>) {
        let root = name.split('.').next().unwrap_or_default();
        let builtin = regorus::unstable::BUILTINS.contains_key(name)
            || EXTENSIONS.contains(&name)
            || matches!(name, "print" | "trace");
        let reachable = root == "data"
            || root == "input"
            || self.imports.iter().any(|i| i == root)
            || self.defined.iter().any(|d| d == root)
            || self
                .packages
                .iter()
                .any(|p| p.as_str() == name.rsplit_once('.').map_or("", |(pkg, _)| pkg));
        if builtin || reachable {
            return;
        }
        let nearest = regorus::unstable::BUILTINS
            .keys()
            .map(|candidate| (crate::config::edit_distance(name, candidate), *candidate))
            .filter(|(distance, _)| *distance <= 2)
            .min();
        let hint = nearest.map_or_else(String::new, |(_, c)| format!(" (did you mean `{c}`?)"));
        errors.push(TypeError {
            file: span.source.file().clone(),
            line: span.line,
            column: span.col,
            message: format!(
                "`{name}` is not a builtin nor a function this policy defines or imports{hint}; OPA rejects this call when it compiles the policy (rego_type_error: undefined function)"
            ),
        });
    }
}

fn mask_names(mask: u8) -> String {
    if mask == ANY {
        return "any".to_string();
    }
    [
        Type::String,
        Type::Number,
        Type::Boolean,
        Type::Null,
        Type::Set,
        Type::Array,
        Type::Object,
    ]
    .iter()
    .filter(|t| mask & t.bit() != 0)
    .map(|t| t.name())
    .collect::<Vec<_>>()
    .join("|")
}

/// The type of a rule's constant value, without looking anything up.
fn literal_type(expr: &Expr) -> Type {
    match expr {
        Expr::String { .. } | Expr::RawString { .. } => Type::String,
        Expr::Number { .. } => Type::Number,
        Expr::Bool { .. } => Type::Boolean,
        Expr::Null { .. } => Type::Null,
        Expr::Array { .. } | Expr::ArrayCompr { .. } => Type::Array,
        Expr::Set { .. } | Expr::SetCompr { .. } => Type::Set,
        Expr::Object { .. } | Expr::ObjectCompr { .. } => Type::Object,
        _ => Type::Any,
    }
}

/// Local variables of one body and what is known of their types.
#[derive(Debug, Clone, Default)]
struct Scope {
    vars: BTreeMap<String, Type>,
}

impl Scope {
    fn get(&self, name: &str) -> Option<Type> {
        self.vars.get(name).copied()
    }

    fn set(&mut self, name: &str, kind: Type) {
        self.vars.insert(name.to_string(), kind);
    }

    /// Every variable in a pattern (function arguments, `some … in`, unification) is `any`.
    fn declare_vars_of(&mut self, expr: &Expr) {
        match expr {
            Expr::Var { span, .. } => self.set(span.text(), Type::Any),
            Expr::Array { items, .. } | Expr::Set { items, .. } => {
                for item in items {
                    self.declare_vars_of(item);
                }
            }
            Expr::Object { fields, .. } => {
                for (_, _, value) in fields {
                    self.declare_vars_of(value);
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(text: &str) -> Vec<TypeError> {
        let mut engine = regorus::Engine::new();
        engine
            .add_policy("p.rego".to_string(), text.to_string())
            .unwrap();
        check(engine.get_modules())
    }

    fn lines(text: &str) -> Vec<u32> {
        errors(text).iter().map(|e| e.line).collect()
    }

    #[test]
    fn literals_locals_and_constants_are_typed() {
        let text = r#"package p

k := {"a"}

deny contains msg if {
	s := {"fs_write"}
	some i
	contains(s, input.x[i].name)
	startswith(k, "a")
	y := [1]
	z := y
	lower(z)
	count(5)
	msg := sprintf("%v", "a")
}
"#;
        assert_eq!(lines(text), vec![8, 9, 12, 13, 14]);
        let first = &errors(text)[0];
        assert_eq!(first.file, "p.rego");
        assert!(
            first.message.starts_with(
                "`contains` expects (haystack: string, needle: string), got (set, any)"
            ),
            "{}",
            first.message
        );
    }

    #[test]
    fn what_is_not_known_is_never_an_error() {
        let text = r#"package p

f(x) := lower(x)

k := "abc"

deny contains msg if {
	some s in input.sets
	contains(s, "a")
	contains(input.name, k)
	contains(data.whatever, "a")
	x := concat(",", ["a", "b"])
	contains(x, "a")
	lower(f(1))
	count({1} | {2})
	v := to_number("1") + 1
	abs(v)
	contains("a", "b", out)
	msg := sprintf("%v %v", [x, out])
}
"#;
        assert_eq!(errors(text), Vec::new());
    }

    #[test]
    fn a_package_function_with_a_builtin_name_shadows_it() {
        let text = r#"package p

upper(x) := x

deny contains "x" if upper({1})
"#;
        assert_eq!(errors(text), Vec::new());
    }

    #[test]
    fn comprehensions_every_and_arity() {
        let text = r#"package p

deny contains "x" if {
	xs := [lower(1) | some i in input.a]
	every v in input.b {
		v
		trim_space(["no"])
	}
	split("a")
}
"#;
        assert_eq!(lines(text), vec![4, 7, 9]);
    }

    #[test]
    fn an_unknown_function_is_an_error_even_where_nothing_reaches_it() {
        let text = r#"package p

import data.lib
import data.other as o

f(x) := x

deny contains "x" if {
	input.never
	sprintff("%v", [1])
	lib.helper(1)
	o.helper(1)
	data.q.helper(1)
	f(1)
	p.f(1)
	time.now_ns()
	wasmgate.cost_risk("a")
	print("x")
}
"#;
        let found = errors(text);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].line, 10);
        assert!(
            found[0].message.contains("`sprintff`") && found[0].message.contains("`sprintf`"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn the_built_in_library_passes() {
        let mut engine = regorus::Engine::new();
        for (file, text) in crate::policy::builtin::POLICIES {
            engine
                .add_policy((*file).to_string(), (*text).to_string())
                .unwrap();
        }
        assert_eq!(check(engine.get_modules()), Vec::new());
    }
}
