"""Names: what each agreement declares, and what a name in an expression refers to."""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from dsl import ast
from dsl.errors import CovenantError, NameProblem, Span
from dsl.limits import NAME_CHARACTERS
from interpreter.static import types as T

# Names every agreement can use without declaring them.
BUILTIN_VALUES = {"as_of": T.DATE, "date_hereof": T.DATE}


@dataclass(frozen=True)
class Symbol:
    """What a name refers to. `kind`: input, definition, obligation, norm, action,
    member, party, builtin or local."""

    kind: str
    agreement: str
    name: str
    node: object = field(default=None, compare=False)
    type: T.Type | None = field(default=None, compare=False)

    @property
    def qualified(self) -> str:
        return f"{self.agreement}.{self.name}"


def suggest(name: str, candidates) -> str | None:
    """A did-you-mean hint, or None when nothing is close (or the name is too long to
    be a misspelling: comparing it would take long for nothing)."""
    if len(name) > NAME_CHARACTERS:
        return None
    close = difflib.get_close_matches(name, sorted(set(candidates)), n=1, cutoff=0.6)
    return f"did you mean `{close[0]}`?" if close else None


class Scope:
    """The declarations of one agreement, indexed by name."""

    def __init__(self, agreement: ast.Agreement, errors: list[CovenantError]):
        self.agreement = agreement
        self.id = agreement.id
        self.inputs: dict[str, ast.InputDecl] = {}
        self.definitions: dict[str, ast.Definition] = {}
        self.obligations: dict[str, ast.Obligation] = {}
        self.exceptions: dict[str, list[ast.ExceptionRule]] = {}
        self.types: dict[str, T.Type] = {}
        self.parties = {p.name: p for p in agreement.parties}
        self.bodies = {b.name: b for b in agreement.bodies}
        self.actions: dict[str, ast.ActionDecl] = {}
        self.norms: dict[str, ast.Norm] = {}
        self.members: dict[str, list[T.Type]] = {}
        self._errors = errors
        seen: dict[str, Span] = {}
        for decl in (*agreement.inputs, *agreement.definitions, *agreement.obligations, *agreement.types,
                     *agreement.actions, *agreement.norms):
            if decl.name in seen:
                errors.append(NameProblem(
                    f"`{decl.name}` is declared twice in {self.id}", decl.span,
                    notes=[f"first declared at {seen[decl.name]}"],
                    hint="rename one of them, or delete the duplicate"))
                continue
            seen[decl.name] = decl.span
            if isinstance(decl, ast.InputDecl):
                self.inputs[decl.name] = decl
            elif isinstance(decl, ast.Definition):
                self.definitions[decl.name] = decl
            elif isinstance(decl, ast.Obligation):
                self.obligations[decl.name] = decl
            elif isinstance(decl, ast.ActionDecl):
                self.actions[decl.name] = decl
            elif isinstance(decl, ast.Norm):
                self.norms[decl.name] = decl
        # Enumerations first, so that a record may use one declared after it.
        for decl in sorted(agreement.types, key=lambda d: isinstance(d.body, ast.RecordDecl)):
            self._declare_type(decl)
        for decl in self.actions.values():
            self.types[decl.name] = T.Type("record", name=decl.name, fields=tuple(
                (f.name, self.resolve_type(f.type), f.optional) for f in decl.fields))
        self.declared: dict[str, T.Type] = {
            **{n: T.BOOL for n in self.norms},
            **{n: self.resolve_type(d.type) for n, d in self.inputs.items()},
            **{n: self.resolve_type(d.type) for n, d in self.definitions.items()},
            **{n: T.RECURRING if d.every is not None else T.OBLIGATION for n, d in self.obligations.items()},
        }
        for rule in agreement.exceptions:
            self.exceptions.setdefault(rule.target, []).append(rule)
        self.readings: dict[str, ast.Reading] = {}
        for reading in agreement.readings:
            if reading.name in self.readings:
                errors.append(NameProblem(f"reading `{reading.name}` is declared twice in {self.id}",
                                          reading.span, hint="give each reading its own name"))
            self.readings[reading.name] = reading

    # -- types --------------------------------------------------------------
    def _declare_type(self, decl: ast.TypeDecl) -> None:
        if decl.name in T.PRIMITIVES or decl.name in T.BUILTIN_TYPES:
            self._errors.append(NameProblem(f"`{decl.name}` is a built-in type and cannot be redeclared",
                                            decl.span, hint="choose another name"))
            return
        if isinstance(decl.body, ast.EnumDecl):
            typ = T.Type("enum", name=decl.name, members=decl.body.members, ordered=decl.body.ordered)
            for member in decl.body.members:
                self.members.setdefault(member, []).append(typ)
        else:
            fields = tuple((f.name, self.resolve_type(f.type), f.optional) for f in decl.body.fields)
            typ = T.Type("record", name=decl.name, fields=fields)
        self.types[decl.name] = typ

    def resolve_type(self, expr: ast.TypeExpr) -> T.Type:
        """The Type a written type names; unknown names are reported and read as `any`."""
        if isinstance(expr, ast.ListType):
            return T.list_of(self.resolve_type(expr.element))
        if isinstance(expr, ast.SeriesType):
            return T.series_of(self.resolve_type(expr.element))
        if expr.name in T.PRIMITIVES:
            return T.prim(expr.name)
        if expr.name in T.BUILTIN_TYPES:
            return T.BUILTIN_TYPES[expr.name]
        if expr.name in self.types:
            return self.types[expr.name]
        self._errors.append(NameProblem(
            f"unknown type `{expr.name}`", expr.span,
            hint=suggest(expr.name, [*T.PRIMITIVES, *T.BUILTIN_TYPES, *self.types]) or
            f"built-in types are {', '.join([*T.PRIMITIVES, *T.BUILTIN_TYPES])}; declare others with `type`"))
        return T.ANY

    # -- names --------------------------------------------------------------
    def symbol(self, name: str) -> Symbol | None:
        """The declaration `name` refers to inside this agreement, if any."""
        for kind, table in (("input", self.inputs), ("definition", self.definitions),
                            ("obligation", self.obligations), ("norm", self.norms)):
            if name in table:
                return Symbol(kind, self.id, name, table[name], self.declared.get(name))
        return None

    def names(self) -> list[str]:
        return [*self.inputs, *self.definitions, *self.obligations, *self.norms]


class Resolver:
    """Resolves names in expressions across every agreement of a deal."""

    def __init__(self, scopes: dict[str, Scope]):
        self.scopes = scopes

    def name(self, scope: Scope, node: ast.Name, local: dict[str, T.Type]) -> Symbol:
        """What a bare name refers to; raises NameProblem with a suggestion."""
        name = node.id
        if name in local:
            return Symbol("local", scope.id, name, type=local[name])
        found = scope.symbol(name)
        if found:
            return found
        if name in BUILTIN_VALUES:
            return Symbol("builtin", scope.id, name, type=BUILTIN_VALUES[name])
        if name in scope.actions:
            return Symbol("action", scope.id, name, type=scope.types[name])
        if name in scope.parties:
            return Symbol("party", scope.id, name, type=T.PARTY)
        owners = scope.members.get(name, [])
        if len(owners) == 1:
            return Symbol("member", scope.id, name, type=owners[0])
        if len(owners) > 1:
            raise NameProblem(f"`{name}` is a member of several enumerations "
                              f"({', '.join(t.name for t in owners)})", node.span,
                              hint=f"qualify it, e.g. `{owners[0].name}.{name}`")
        for builtin in T.BUILTIN_ENUMS:
            if name in builtin.members:
                return Symbol("member", scope.id, name, type=builtin)
        if name in self.scopes:
            raise NameProblem(f"`{name}` is an agreement, not a value", node.span,
                              hint=f"name one of its terms, e.g. `{name}.<term>`")
        candidates = [*local, *scope.names(), *BUILTIN_VALUES, *scope.parties, *scope.members, *scope.actions]
        raise NameProblem(f"unknown name `{name}` in {scope.id}", node.span,
                          hint=suggest(name, candidates) or "declare it as an `input` or define it")

    def qualified(self, scope: Scope, node: ast.Attribute, local: dict[str, T.Type]) -> Symbol | None:
        """`agreement.term` or `Enum.member`, if the attribute is one; else None (a field)."""
        base = node.base
        if not isinstance(base, ast.Name) or base.id in local or scope.symbol(base.id):
            return None
        if base.id in scope.types and scope.types[base.id].kind == "enum":
            typ = scope.types[base.id]
            if node.name in typ.members:
                return Symbol("member", scope.id, node.name, type=typ)
            raise NameProblem(f"`{typ.name}` has no member `{node.name}`", node.name_span,
                              hint=suggest(node.name, typ.members) or
                              f"its members are {', '.join(typ.members)}")
        other = self.scopes.get(base.id)
        if other is None:
            try:
                self.name(scope, base, local)
            except NameProblem:  # `x.y` where x is nothing known: an agreement not loaded
                raise NameProblem(f"`{base.id}.{node.name}` names agreement `{base.id}`, which is not loaded",
                                  base.span, hint=suggest(base.id, self.scopes)
                                  or f"load the .cov file that declares `{base.id}` too, or keep it in the "
                                     "same folder: the agreements a file refers to are loaded from its folder"
                                  ) from None
            return None
        found = other.symbol(node.name)
        if found is None:
            raise NameProblem(f"agreement `{base.id}` has no term `{node.name}`", node.name_span,
                              hint=suggest(node.name, other.names()))
        return found
