# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A syntax check of the domains users type (segment rules, aggregate
indicators) before Odoo's ``safe_eval`` evaluates them.

Pure Python: imports nothing from Odoo, so that it is tested without a server.

``safe_eval`` refuses what is unsafe, but only after compiling and running the
expression: ``9**9**7`` is computed (seconds, during which the threaded server
serves nobody else) before anything refuses it, and ``'a' * 10**12`` asks for
a terabyte. :func:`check` reads the expression's syntax tree first and
refuses, in well under a millisecond, everything a domain has no use for and
everything whose result could be huge, while accepting what Odoo's domain
editor writes, relative dates included::

    [("create_date", ">=", datetime.datetime.combine(context_today()
        + relativedelta(days=-30), datetime.time(0, 0, 0)).to_utc()
        .strftime("%Y-%m-%d %H:%M:%S"))]

What is allowed:

- literals: numbers (integers up to :data:`MAX_INTEGER` in size), strings,
  ``True``/``False``/``None``, lists, tuples and sets of them;
- the names of :data:`NAMES` (``uid``, ``user``, ``context_today``,
  ``relativedelta``, ``datetime``, ``time``, ``company_id``, ``company_ids``,
  ``timedelta``); attributes of :data:`ATTRIBUTES` only;
- calls of the functions in :data:`FUNCTIONS` and of the methods in
  :data:`METHODS` (``replace`` with keyword arguments only, so a string's
  ``replace`` cannot grow a text), no ``*`` or ``**`` arguments;
- ``+ - / // %`` and ``*`` between numbers only (not on texts or lists);
  ``%`` formatting of a text with widths and precisions up to
  :data:`MAX_FORMAT_WIDTH`; comparisons, ``and``/``or``/``not``,
  ``a if c else b``, subscripts with a constant index;

and nothing else: no ``**``, no shifts or bitwise operators, no lambdas,
comprehensions, f-strings, dicts, ``:=``, or starred items; an expression
longer than :data:`MAX_LENGTH` characters, with more than :data:`MAX_NODES`
parts, or nested deeper than :data:`MAX_DEPTH` levels is refused too.

:func:`eval_context` gives the names above their values for the server: the
user's today, ``relativedelta``, and a ``datetime`` whose datetimes have the
domain editor's ``to_utc()`` (from the user's time zone to UTC).
"""

import ast
import datetime as _datetime
import re
import types

import pytz
from dateutil.relativedelta import relativedelta as _relativedelta

MAX_LENGTH = 100_000
MAX_NODES = 50_000
MAX_DEPTH = 60
MAX_INTEGER = 10**18
MAX_FORMAT_WIDTH = 100

NAMES = frozenset(
    {
        "uid",
        "user",
        "context_today",
        "relativedelta",
        "datetime",
        "time",
        "timedelta",
        "company_id",
        "company_ids",
    }
)
FUNCTIONS = frozenset(
    {
        "context_today",
        "relativedelta",
        "timedelta",
        "str",
        "int",
        "float",
        "bool",
        "abs",
        "min",
        "max",
        "round",
        "len",
    }
)
METHODS = frozenset(
    {
        "combine",
        "date",
        "datetime",
        "time",
        "timedelta",
        "now",
        "today",
        "utcnow",
        "to_utc",
        "strftime",
        "isoformat",
        "replace",
        "weekday",
        "isoweekday",
        "relativedelta",
    }
)
ATTRIBUTES = METHODS | frozenset(
    {
        "id",
        "ids",
        "company_id",
        "company_ids",
        "partner_id",
        "year",
        "month",
        "day",
        "hour",
        "minute",
        "second",
        "min",
        "max",
    }
)
# a %-format directive: flags, width, precision, conversion
_FORMAT = re.compile(
    r"%(?:\((?P<key>[^)]*)\))?[-+ #0]*(?P<width>\*|\d+)?(?:\.(?P<precision>\*|\d+))?"
)

_LABELS = {
    ast.Pow: "the power operator **",
    ast.LShift: "the shift operator <<",
    ast.RShift: "the shift operator >>",
    ast.BitAnd: "the bitwise operator &",
    ast.BitOr: "the bitwise operator |",
    ast.BitXor: "the bitwise operator ^",
    ast.MatMult: "the operator @",
    ast.Invert: "the operator ~",
    ast.Lambda: "lambda",
    ast.ListComp: "a comprehension",
    ast.SetComp: "a comprehension",
    ast.DictComp: "a comprehension",
    ast.GeneratorExp: "a comprehension",
    ast.NamedExpr: "an assignment expression (:=)",
    ast.Starred: "a starred item",
    ast.JoinedStr: "an f-string",
    ast.Dict: "a dict",
    ast.Await: "await",
    ast.Yield: "yield",
    ast.YieldFrom: "yield",
}


class DomainError(ValueError):
    """A domain refused before it is evaluated; ``reason`` says why."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


def check(text):
    """Refuse (:class:`DomainError`) a domain source that is not safe and
    quick to evaluate; return its syntax tree otherwise."""
    if not isinstance(text, str):
        raise DomainError("a domain is a text")
    if len(text) > MAX_LENGTH:
        raise DomainError(f"the domain is longer than {MAX_LENGTH} characters")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except (SyntaxError, ValueError) as error:
        raise DomainError(f"it is not a valid expression ({error})") from None
    except (RecursionError, MemoryError):
        raise DomainError(f"it is nested deeper than {MAX_DEPTH} levels") from None
    _Checker().check(tree)
    return tree


def _numeric(node):
    """Whether ``node`` surely computes a number (or a boolean)."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, int | float) and not isinstance(node.value, bool)
    if isinstance(node, ast.Name):
        return node.id == "uid"
    if isinstance(node, ast.UnaryOp):
        return isinstance(node.op, ast.UAdd | ast.USub) and _numeric(node.operand)
    if isinstance(node, ast.BinOp):
        return isinstance(
            node.op, ast.Add | ast.Sub | ast.Mult | ast.Div | ast.FloorDiv | ast.Mod
        ) and (_numeric(node.left) and _numeric(node.right))
    return False


class _Checker:
    def __init__(self):
        self.nodes = 0

    def check(self, tree):
        self.visit(tree.body, 1)

    def visit(self, node, depth):
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise DomainError(f"the domain has more than {MAX_NODES} parts")
        if depth > MAX_DEPTH:
            raise DomainError(f"it is nested deeper than {MAX_DEPTH} levels")
        method = getattr(self, f"visit_{type(node).__name__}", None)
        if method is None:
            label = _LABELS.get(type(node), type(node).__name__)
            raise DomainError(f"{label} is not allowed in a domain")
        method(node, depth)

    def children(self, nodes, depth):
        for child in nodes:
            self.visit(child, depth + 1)

    # literals and names
    def visit_Constant(self, node, depth):
        value = node.value
        if isinstance(value, bool) or value is None or isinstance(value, str | float):
            return
        if isinstance(value, int):
            if abs(value) > MAX_INTEGER:
                raise DomainError(f"the number {value} is too large for a domain")
            return
        raise DomainError(f"the constant {value!r} is not allowed in a domain")

    def visit_List(self, node, depth):
        self.children(node.elts, depth)

    visit_Tuple = visit_List
    visit_Set = visit_List

    def visit_Name(self, node, depth):
        if node.id not in NAMES:
            raise DomainError(f"the name {node.id!r} is unknown in a domain")

    def visit_Attribute(self, node, depth):
        if node.attr not in ATTRIBUTES:
            raise DomainError(f"the attribute {node.attr!r} is not allowed in a domain")
        self.visit(node.value, depth + 1)

    def visit_Subscript(self, node, depth):
        index = node.slice
        if not (
            isinstance(index, ast.Constant)
            and isinstance(index.value, int)
            and not isinstance(index.value, bool)
        ) and not (
            isinstance(index, ast.UnaryOp)
            and isinstance(index.op, ast.USub)
            and isinstance(index.operand, ast.Constant)
            and isinstance(index.operand.value, int)
        ):
            raise DomainError("a subscript of a domain takes a constant integer index")
        self.visit(node.value, depth + 1)
        self.visit(index, depth + 1)

    # calls
    def visit_Call(self, node, depth):
        func = node.func
        if isinstance(func, ast.Name):
            if func.id not in FUNCTIONS:
                raise DomainError(
                    f"the function {func.id!r} is not allowed in a domain"
                )
        elif isinstance(func, ast.Attribute):
            if func.attr not in METHODS:
                raise DomainError(
                    f"the method {func.attr!r} is not allowed in a domain"
                )
            if func.attr == "replace" and node.args:
                raise DomainError(
                    "replace() takes keyword arguments only in a domain "
                    "(datetime.replace(hour=0))"
                )
            self.visit(func.value, depth + 1)
        else:
            raise DomainError("only named functions can be called in a domain")
        for keyword in node.keywords:
            if keyword.arg is None:
                raise DomainError("** arguments are not allowed in a domain")
            self.visit(keyword.value, depth + 1)
        self.children(node.args, depth)

    # operators
    def visit_BinOp(self, node, depth):
        op = node.op
        if isinstance(op, ast.Mult):
            if not (_numeric(node.left) and _numeric(node.right)):
                raise DomainError("* multiplies numbers only in a domain")
        elif isinstance(op, ast.Mod):
            if isinstance(node.left, ast.Constant) and isinstance(node.left.value, str):
                self._check_format(node.left.value)
            elif not (_numeric(node.left) and _numeric(node.right)):
                raise DomainError("% formats a text or divides numbers in a domain")
        elif not isinstance(op, ast.Add | ast.Sub | ast.Div | ast.FloorDiv):
            label = _LABELS.get(type(op), type(op).__name__)
            raise DomainError(f"{label} is not allowed in a domain")
        self.visit(node.left, depth + 1)
        self.visit(node.right, depth + 1)

    @staticmethod
    def _check_format(template):
        for match in _FORMAT.finditer(template):
            for part in ("width", "precision"):
                size = match.group(part)
                if size == "*":
                    raise DomainError("a * width is not allowed in a domain's format")
                if size and int(size) > MAX_FORMAT_WIDTH:
                    raise DomainError(
                        f"a format width above {MAX_FORMAT_WIDTH} is not allowed "
                        "in a domain"
                    )

    def visit_UnaryOp(self, node, depth):
        if isinstance(node.op, ast.Invert):
            raise DomainError("the operator ~ is not allowed in a domain")
        self.visit(node.operand, depth + 1)

    def visit_BoolOp(self, node, depth):
        self.children(node.values, depth)

    def visit_Compare(self, node, depth):
        self.visit(node.left, depth + 1)
        self.children(node.comparators, depth)

    def visit_IfExp(self, node, depth):
        self.children((node.test, node.body, node.orelse), depth)


def eval_context(today, tz_name=None, uid=None, **extra):
    """The names a domain may use, for ``safe_eval``.

    ``today`` is the user's date; ``tz_name`` the user's time zone (UTC when
    empty or unknown), from which the ``to_utc()`` of the domain editor's
    datetimes converts. ``extra`` adds names (``user``, ``company_id``...).
    """
    try:
        zone = pytz.timezone(tz_name or "UTC")
    except pytz.UnknownTimeZoneError:
        zone = pytz.utc

    class DomainDatetime(_datetime.datetime):
        """A datetime with the domain editor's ``to_utc()``."""

        def to_utc(self):
            local = self if self.tzinfo else zone.localize(self)
            moment = local.astimezone(pytz.utc).replace(tzinfo=None)
            return DomainDatetime.combine(moment.date(), moment.time())

    namespace = types.SimpleNamespace(
        datetime=DomainDatetime,
        date=_datetime.date,
        time=_datetime.time,
        timedelta=_datetime.timedelta,
    )
    context = {
        "uid": uid,
        "context_today": lambda: today,
        "relativedelta": _relativedelta,
        "datetime": namespace,
        "timedelta": _datetime.timedelta,
        "time": types.SimpleNamespace(
            strftime=lambda fmt: today.strftime(fmt),
        ),
    }
    context.update(extra)
    return context
