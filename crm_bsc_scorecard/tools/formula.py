# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A small restricted evaluator for the formulas of formula indicators.

Pure Python: imports nothing from Odoo, so that it is tested without a server.

A formula is an arithmetic expression over other indicators' codes::

    won_amount / max(lead_count, 1)
    round(100 * (churned / customers), 1) if customers > 0 else 0

It is parsed with Python's own parser (``ast``) and then checked against a
whitelist; it is never handed to ``eval``. What is allowed:

- numbers (``int`` and ``float`` literals; every number is computed as a float,
  so ``7 / 2`` is 3.5 and ``9 ** 9 ** 9 ** 9`` overflows quickly instead of
  building a huge integer);
- ``+ - * / **`` and unary ``+``/``-``, with Python's precedence (``**`` is
  right-associative and binds tighter than a unary minus on its left);
- indicator codes: identifiers (``[A-Za-z_][A-Za-z0-9_]*``), not Python
  keywords, not the function names below, not starting with two underscores;
- calls of the bare names ``min`` and ``max`` (two arguments or more), ``abs``
  (one) and ``round`` (one, or two when the second is an integer literal such
  as ``2`` or ``-3``), positional arguments only;
- ``a if condition else b``, where the condition is a comparison
  (``< <= > >= == !=``, chained like ``0 < x <= 1``), or such conditions
  combined with ``and``, ``or`` and ``not``. A bare value is no condition:
  ``a if a else b`` is refused (write ``a if a != 0 else b``).

Everything else is refused with :class:`FormulaError`: characters outside
ASCII (Python would read some of them as other letters), quotes (strings),
comments, backslashes, attributes, subscripts, booleans, ``None``, lambdas,
comprehensions, ``:=``, starred or keyword arguments, calls of anything else,
``%``, ``//`` and the bitwise operators, formulas longer than
:data:`MAX_LENGTH` characters or nested deeper than :data:`MAX_DEPTH` levels.

Evaluation follows Python's float arithmetic. A value that cannot be computed
raises :class:`NoData` with its reason, like a spreadsheet cell showing
``#DIV/0``: a needed code without a value, a division by zero, a power that
overflows or has no real value, a result that is not a finite number. Only the
codes that the evaluation actually reads must have a value: the branch of an
``if``/``else`` that is not taken, and the operands that ``and``/``or`` or a
chained comparison skip, are not evaluated.
"""

import ast
import keyword
import math
import numbers
import operator
import re

MAX_LENGTH = 2000
# Depth of the syntax tree. A sum of n codes is a chain of n - 1 nested
# additions, so this also bounds flat sums to about a hundred terms.
MAX_DEPTH = 100

REASON_DIVISION_BY_ZERO = "division_by_zero"
REASON_MISSING = "missing_value"
REASON_OVERFLOW = "overflow"
REASON_DOMAIN = "math_domain"

CODE_PATTERN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# Function name -> (fewest arguments, most arguments or None for no limit).
FUNCTIONS = {"min": (2, None), "max": (2, None), "abs": (1, 1), "round": (1, 2)}

_BINARY = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Pow: operator.pow,
}
_UNARY = {ast.UAdd: operator.pos, ast.USub: operator.neg}
_COMPARE = {
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
}
# Characters refused before parsing: a formula has no use for strings (whose
# escapes Python would warn about), comments or line continuations.
_CHARACTERS = {
    "'": "text is not allowed in a formula, only numbers",
    '"': "text is not allowed in a formula, only numbers",
    "#": "comments are not allowed",
    "\\": "backslashes are not allowed",
}
# Friendlier names for the constructs people are most likely to try.
_LABELS = {
    ast.Attribute: "attribute access",
    ast.Subscript: "a subscript",
    ast.Slice: "a slice",
    ast.Lambda: "lambda",
    ast.ListComp: "a comprehension",
    ast.SetComp: "a comprehension",
    ast.DictComp: "a comprehension",
    ast.GeneratorExp: "a comprehension",
    ast.NamedExpr: "an assignment expression (:=)",
    ast.Starred: "a starred argument",
    ast.List: "a list",
    ast.Tuple: "a tuple",
    ast.Set: "a set",
    ast.Dict: "a dict",
}


class FormulaError(ValueError):
    """A formula refused when it is parsed.

    ``reason`` is a short English message, ``position`` the 0-based character
    column of the offending part on its line of the formula (with the blanks
    around the formula removed), or None when there is no single place.
    """

    def __init__(self, expression, reason, position=None):
        where = "" if position is None else f" (at character {position + 1})"
        super().__init__(f"{reason}{where}")
        self.expression = expression
        self.reason = reason
        self.position = position


class NoData(Exception):
    """A formula whose value cannot be computed from the given values.

    ``reason`` is one of the ``REASON_*`` constants; ``detail`` says more when
    there is more to say (the code without a value for REASON_MISSING).
    """

    def __init__(self, reason, detail=None):
        super().__init__(reason if detail is None else f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


class Formula:
    """A parsed and checked formula; build it with :func:`parse`.

    ``expression`` is the source text, ``names`` the frozenset of the codes it
    reads in any branch (its dependencies), without the function names.
    """

    def __init__(self, expression, tree, names):
        self.expression = expression
        self.names = frozenset(names)
        self._body = tree.body

    def __repr__(self):
        return f"Formula({self.expression!r})"

    def evaluate(self, values):
        """Compute the formula from ``values``, a mapping of code to number.

        A code that is absent or None is a missing value. Raises
        :class:`NoData` when the value cannot be computed.
        """
        result = _value(self._body, values)
        if not math.isfinite(result):
            raise NoData(REASON_OVERFLOW, repr(result))
        return result


def parse(expression):
    """Parse and check ``expression``; return a :class:`Formula`.

    Raises :class:`FormulaError` for an empty or too long formula, a syntax
    error, or anything outside the whitelist described in the module.
    """
    if not isinstance(expression, str):
        if expression not in (None, False):  # an empty Odoo field is False
            raise TypeError(f"a formula is a string, not {type(expression)!r}")
        expression = ""
    text = expression.strip()
    if not text:
        raise FormulaError(expression, "the formula is empty")
    if len(text) > MAX_LENGTH:
        raise FormulaError(
            expression, f"the formula is longer than {MAX_LENGTH} characters"
        )
    for index, char in enumerate(text):
        # Python reads "º" as the name "o" (NFKC): only plain ASCII is taken.
        reason = _CHARACTERS.get(char)
        if reason or not char.isascii():
            reason = reason or f"the character {char!r} is not allowed"
            position = index - text.rfind("\n", 0, index) - 1
            raise FormulaError(expression, reason, position)
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as error:
        position = error.offset - 1 if error.offset else None
        raise FormulaError(expression, f"syntax error: {error.msg}", position) from None
    except (ValueError, RecursionError, MemoryError) as error:
        raise FormulaError(expression, f"the formula cannot be read: {error}") from None
    if _depth(tree) > MAX_DEPTH:
        raise FormulaError(
            expression, f"the formula is nested deeper than {MAX_DEPTH} levels"
        )
    checker = _Checker(expression)
    checker.visit(tree)
    return Formula(expression, tree, checker.names)


def check_constants(formula):
    """Refuse (:class:`FormulaError`) a parsed formula with a part that reads
    no code and has no finite value (``9 ** 9 ** 9``, ``1 / 0``): such a part
    is the same for every period, so it is evaluated once, when the formula
    is saved, instead of being stored as "no data" every time."""
    stack = [formula._body]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Name):
            continue
        reads = any(isinstance(child, ast.Name) for child in ast.walk(node))
        if reads or isinstance(node, ast.Compare | ast.BoolOp):
            stack.extend(
                child
                for child in ast.iter_child_nodes(node)
                if not isinstance(child, ast.expr_context | ast.operator | ast.cmpop)
                and not (isinstance(node, ast.Call) and child is node.func)
            )
            continue
        try:
            value = _value(node, {})
        except NoData as error:
            raise FormulaError(
                formula.expression,
                f"the part {ast.unparse(node)} has no value ({error.reason})",
                getattr(node, "col_offset", None),
            ) from None
        if not math.isfinite(value):
            raise FormulaError(
                formula.expression,
                f"the part {ast.unparse(node)} has no finite value",
                getattr(node, "col_offset", None),
            )


def names_of(expression):
    """The codes that ``expression`` reads (raises :class:`FormulaError`)."""
    return parse(expression).names


def evaluate(expression, values):
    """Parse ``expression`` and evaluate it on ``values`` in one go."""
    return parse(expression).evaluate(values)


def _depth(tree):
    """Depth of a syntax tree, computed without recursion."""
    deepest = 0
    stack = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    return deepest


class _Checker(ast.NodeVisitor):
    """Refuse every node outside the whitelist; collect the codes read.

    ``visit`` handles nodes that stand for a number, ``condition`` the tests
    of ``if``/``else``. Any node type without a ``visit_`` method is refused.
    """

    def __init__(self, expression):
        self.expression = expression
        self.names = set()

    def refuse(self, node, reason):
        # The text is ASCII, so the column in bytes is the column in characters.
        raise FormulaError(self.expression, reason, getattr(node, "col_offset", None))

    def generic_visit(self, node):
        label = _LABELS.get(type(node), type(node).__name__)
        self.refuse(node, f"{label} is not allowed in a formula")

    def visit_Expression(self, node):
        self.visit(node.body)

    def visit_Constant(self, node):
        value = node.value
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.refuse(node, f"{value!r} is not allowed in a formula, only numbers")
        try:
            finite = math.isfinite(float(value))
        except OverflowError:
            finite = False
        if not finite:
            self.refuse(node, "the number is too large")

    def visit_Name(self, node):
        code = node.id
        if code in FUNCTIONS:
            self.refuse(node, f"{code} is a function: call it, as in {code}(...)")
        if (
            not CODE_PATTERN.match(code)
            or keyword.iskeyword(code)
            or code.startswith("__")
        ):
            self.refuse(node, f"{code!r} is not a valid indicator code")
        self.names.add(code)

    def visit_BinOp(self, node):
        if type(node.op) not in _BINARY:
            self.refuse(node, "only the operators + - * / ** are allowed")
        self.visit(node.left)
        self.visit(node.right)

    def visit_UnaryOp(self, node):
        if isinstance(node.op, ast.Not):
            self.refuse(node, "'not' is only allowed in the condition of an if/else")
        if type(node.op) not in _UNARY:
            self.refuse(node, "only the unary operators + and - are allowed")
        self.visit(node.operand)

    def visit_Call(self, node):
        name = node.func.id if isinstance(node.func, ast.Name) else None
        if name not in FUNCTIONS:
            self.refuse(node, "only min, max, abs and round can be called")
        if node.keywords or any(isinstance(a, ast.Starred) for a in node.args):
            self.refuse(node, f"{name} takes positional arguments only")
        fewest, most = FUNCTIONS[name]
        count = len(node.args)
        if count < fewest or (most is not None and count > most):
            wanted = {"abs": "one argument", "round": "one or two arguments"}
            self.refuse(
                node, f"{name} takes {wanted.get(name, 'two arguments or more')}"
            )
        args = node.args
        if name == "round" and count == 2:
            if _ndigits(args[1]) is None:
                self.refuse(args[1], "the digits of round must be a whole number")
            args = args[:1]
        for arg in args:
            self.visit(arg)

    def visit_IfExp(self, node):
        self.condition(node.test)
        self.visit(node.body)
        self.visit(node.orelse)

    def visit_Compare(self, node):
        self.refuse(node, "a comparison is only allowed as the condition of an if/else")

    def visit_BoolOp(self, node):
        self.refuse(node, "and/or are only allowed in the condition of an if/else")

    def condition(self, node):
        """Check the test of an if/else: comparisons, and/or/not of them."""
        if isinstance(node, ast.Compare):
            if any(type(op) not in _COMPARE for op in node.ops):
                self.refuse(node, "only the comparisons < <= > >= == != are allowed")
            self.visit(node.left)
            for comparator in node.comparators:
                self.visit(comparator)
        elif isinstance(node, ast.BoolOp):
            for value in node.values:
                self.condition(value)
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            self.condition(node.operand)
        else:
            self.refuse(
                node, "the condition of an if/else must be a comparison, like a > 0"
            )


def _ndigits(node):
    """The integer that ``node`` spells (``2``, ``-1``, ``+3``), or None."""
    sign = 1
    if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
        sign = -1 if isinstance(node.op, ast.USub) else 1
        node = node.operand
    if (
        isinstance(node, ast.Constant)
        and isinstance(node.value, int)
        and not isinstance(node.value, bool)
    ):
        return sign * node.value
    return None


# Evaluation of a checked tree: its depth is bounded, so plain recursion is safe.


def _value(node, values):
    """The float value of a checked node."""
    return _EVALUATORS[type(node)](node, values)


def _constant(node, values):
    try:
        return float(node.value)
    except OverflowError:  # an integer literal beyond the floats
        raise NoData(REASON_OVERFLOW, "a number too large") from None


def _name(node, values):
    value = values.get(node.id)
    if value is None:
        raise NoData(REASON_MISSING, node.id)
    if not isinstance(value, numbers.Real):
        raise TypeError(f"the value of {node.id} is not a number: {value!r}")
    return float(value)


def _binop(node, values):
    left = _value(node.left, values)
    right = _value(node.right, values)
    is_pow = isinstance(node.op, ast.Pow)
    try:
        result = _BINARY[type(node.op)](left, right)
    except ZeroDivisionError:
        # Only 0 ** negative raises it among powers: it has no value.
        raise NoData(REASON_DOMAIN if is_pow else REASON_DIVISION_BY_ZERO) from None
    except OverflowError:
        raise NoData(REASON_OVERFLOW) from None
    if isinstance(result, complex):  # a negative number ** a fraction
        raise NoData(REASON_DOMAIN, f"{left!r} ** {right!r}")
    return result


def _unaryop(node, values):
    return _UNARY[type(node.op)](_value(node.operand, values))


def _call(node, values):
    name = node.func.id
    if name == "round":
        number = _value(node.args[0], values)
        try:
            if len(node.args) == 1:
                return float(round(number))
            return round(number, _ndigits(node.args[1]))
        except (OverflowError, ValueError):  # round(inf), round(nan)
            raise NoData(REASON_OVERFLOW) from None
    args = [_value(arg, values) for arg in node.args]
    return {"min": min, "max": max, "abs": abs}[name](*args)


def _ifexp(node, values):
    branch = node.body if _test(node.test, values) else node.orelse
    return _value(branch, values)


def _test(node, values):
    """The truth of a checked condition, short-circuited as in Python."""
    if isinstance(node, ast.UnaryOp):  # not
        return not _test(node.operand, values)
    if isinstance(node, ast.BoolOp):
        tests = (_test(value, values) for value in node.values)
        return all(tests) if isinstance(node.op, ast.And) else any(tests)
    left = _value(node.left, values)
    for op, comparator in zip(node.ops, node.comparators, strict=True):
        right = _value(comparator, values)
        if not _COMPARE[type(op)](left, right):
            return False
        left = right
    return True


_EVALUATORS = {
    ast.Constant: _constant,
    ast.Name: _name,
    ast.BinOp: _binop,
    ast.UnaryOp: _unaryop,
    ast.Call: _call,
    ast.IfExp: _ifexp,
}
