"""A small readable filter language for search, turned into SageMaker search expressions.

The REST API's ``?q=`` and the CLI take filters such as
``group = customer-churn and risk = High`` or ``status in (Draft, PendingReview)``;
:func:`parse_filter` turns one into an :class:`~cardinal.domain.search.Expression`, so every
door searches through the same checked query. The grammar (keywords in any case)::

    filter      := or_expr
    or_expr     := and_expr ("or" and_expr)*
    and_expr    := term ("and" term)*
    term        := "(" or_expr ")"
                 | "exists" property
                 | "not" "exists" property
                 | property "in" "(" value ("," value)* ")"
                 | property op value
    op          := "=" | "!=" | ">" | ">=" | "<" | "<=" | "~" | "contains"
    property    := a friendly alias (``name``, ``status``, ``risk``, ...), a SageMaker property
                   name (``ModelCardName``, ``ModelLifeCycle.Stage``) or ``tag.<key>``
                   (``tag."cost center"`` for a key with spaces)
    value       := a bare word (no spaces, none of ``( ) , = ! < > ~ "``) or a quoted
                   string: "..." or '...' with the escapes \\" \\' \\\\ \\n \\t \\uXXXX

``and`` binds tighter than ``or``. ``~`` means "contains". There is no general ``not``: a
SageMaker expression can only say "does not exist" and "is not equal to". Each filter is
checked against its property (operator, number, time) here, so an error names the column
where it starts: ``at column 14: expected a value after '='``. A property with a closed set of
values (``risk``, ``status``, ``approval``) takes them in any case with ``=``, ``!=`` and ``in``
and refuses a value outside the set; every other value is matched exactly as written.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import Enum

from cardinal.domain.errors import InputField, InvalidInput
from cardinal.domain.search import (
    CATALOGS,
    MAX_EXPRESSION_NODES,
    TAG_PREFIX,
    Expression,
    Filter,
    Operator,
    Property,
    Resource,
    check_filter,
)

MAX_FILTER_CHARS = 4096
MAX_DEPTH = 10

_COMMON = {
    "created": "CreationTime",
    "modified": "LastModifiedTime",
    "created_by": "CreatedBy.UserProfileName",
}
ALIASES: dict[Resource, dict[str, str]] = {
    Resource.MODEL_CARD: {
        "name": "ModelCardName",
        "arn": "ModelCardArn",
        "status": "ModelCardStatus",
        "risk": "RiskRating",
        "group": "ModelPackageGroupName",
        "model": "ModelId",
        "version": "ModelCardVersion",
        **_COMMON,
        "modified_by": "LastModifiedBy.UserProfileName",
    },
    Resource.MODEL_PACKAGE: {
        "name": "ModelPackageName",
        "arn": "ModelPackageArn",
        "group": "ModelPackageGroupName",
        "version": "ModelPackageVersion",
        "description": "ModelPackageDescription",
        "status": "ModelPackageStatus",
        "approval": "ModelApprovalStatus",
        "approval_description": "ApprovalDescription",
        "stage": "ModelLifeCycle.Stage",
        "stage_status": "ModelLifeCycle.StageStatus",
        **_COMMON,
        "modified_by": "LastModifiedBy.UserProfileName",
    },
    Resource.MODEL_PACKAGE_GROUP: {
        "name": "ModelPackageGroupName",
        "arn": "ModelPackageGroupArn",
        "description": "ModelPackageGroupDescription",
        "status": "ModelPackageGroupStatus",
        **_COMMON,
    },
}
_TAG_PREFIXES = ("tag.", "tags.")

_OPERATORS = {
    "=": Operator.EQUALS,
    "!=": Operator.NOT_EQUALS,
    ">": Operator.GREATER_THAN,
    ">=": Operator.GREATER_THAN_OR_EQUAL_TO,
    "<": Operator.LESS_THAN,
    "<=": Operator.LESS_THAN_OR_EQUAL_TO,
    "~": Operator.CONTAINS,
}
_ONE_OF_A_SET = frozenset({Operator.EQUALS, Operator.NOT_EQUALS, Operator.IN})
_PUNCTUATION = "(),"
_SYMBOL_START = "=!<>~"
_QUOTES = "\"'"
_ESCAPES = {'"': '"', "'": "'", "\\": "\\", "n": "\n", "t": "\t", "/": "/"}
_BREAKS = set(_PUNCTUATION + _SYMBOL_START + '"')  # an apostrophe inside a word is a letter


def _unprintable(char: str) -> bool:
    """A control character or a lone surrogate: no filter holds one."""
    code = ord(char)
    return code < 0x20 or code == 0x7F or 0xD800 <= code <= 0xDFFF


def _unexpected(char: str) -> str:
    what = "lone surrogate" if 0xD800 <= ord(char) <= 0xDFFF else "control character"
    return f"unexpected {what} U+{ord(char):04X}"


class _Kind(Enum):
    WORD = "word"
    STRING = "string"
    SYMBOL = "symbol"
    END = "end"


@dataclass(frozen=True)
class _Token:
    kind: _Kind
    text: str
    column: int  # 1-based
    end: int  # 0-based index just after the token

    def is_keyword(self, word: str) -> bool:
        return self.kind is _Kind.WORD and self.text.lower() == word

    def describe(self) -> str:
        if self.kind is _Kind.END:
            return "the end of the filter"
        if self.kind is _Kind.STRING:
            return f'"{self.text}"'
        return f"'{self.text}'"


def property_name(resource: Resource, name: str) -> str | None:
    """The SageMaker property an alias, a property name or ``tag.<key>`` names, or None."""
    alias = ALIASES[resource].get(name.lower())
    if alias is not None:
        return alias
    for prefix in (*_TAG_PREFIXES, TAG_PREFIX):
        if name.lower().startswith(prefix.lower()) and len(name) > len(prefix):
            return TAG_PREFIX + name[len(prefix) :]
    if name in CATALOGS[resource]:
        return name
    return None


def parse_filter(
    text: str, resource: Resource, *, field: InputField = InputField.SEARCH_FILTER
) -> Expression | None:
    """The search expression ``text`` says for ``resource``; None for an empty filter.

    Raises InvalidInput (with ``field``) naming the column where the filter goes wrong and what
    was expected there, an unknown property, or an operator or value its property does not take.
    """
    if len(text) > MAX_FILTER_CHARS:
        raise InvalidInput(
            f"A filter may be at most {MAX_FILTER_CHARS} characters long; this one is {len(text)}.",
            field=field,
        )
    tokens = _Lexer(text, field).tokens()
    if tokens[0].kind is _Kind.END:
        return None
    return _Parser(tokens, resource, field).parse()


class _Lexer:
    def __init__(self, text: str, field: InputField) -> None:
        self._text = text
        self._field = field
        self._i = 0

    def _fail(self, index: int, message: str) -> InvalidInput:
        return InvalidInput(f"at column {index + 1}: {message}", field=self._field)

    def tokens(self) -> list[_Token]:
        found: list[_Token] = []
        text = self._text
        while True:
            while self._i < len(text) and text[self._i].isspace():
                self._i += 1
            start = self._i
            if start >= len(text):
                found.append(_Token(_Kind.END, "", start + 1, start))
                return found
            char = text[start]
            if _unprintable(char):
                raise self._fail(start, _unexpected(char))
            if char in _PUNCTUATION:
                self._i += 1
                found.append(_Token(_Kind.SYMBOL, char, start + 1, self._i))
            elif char in _SYMBOL_START:
                pair = text[start : start + 2]
                symbol = pair if pair in _OPERATORS else char
                if symbol not in _OPERATORS:
                    raise self._fail(start, "expected '!=' (a lone '!' means nothing)")
                self._i += len(symbol)
                found.append(_Token(_Kind.SYMBOL, symbol, start + 1, self._i))
            elif char in _QUOTES:
                found.append(self._string(char))
            else:
                while self._i < len(text) and not (
                    text[self._i].isspace() or text[self._i] in _BREAKS
                ):
                    if _unprintable(text[self._i]):
                        raise self._fail(self._i, _unexpected(text[self._i]))
                    self._i += 1
                found.append(_Token(_Kind.WORD, text[start : self._i], start + 1, self._i))

    def _string(self, quote: str) -> _Token:
        text = self._text
        start = self._i
        self._i += 1
        out: list[str] = []
        while True:
            if self._i >= len(text):
                raise self._fail(start, f"the string that starts here has no closing {quote}")
            char = text[self._i]
            if char == quote:
                self._i += 1
                return _Token(_Kind.STRING, "".join(out), start + 1, self._i)
            if _unprintable(char):
                raise self._fail(self._i, _unexpected(char))
            if char != "\\":
                out.append(char)
                self._i += 1
                continue
            escape = text[self._i + 1 : self._i + 2]
            if escape in _ESCAPES:
                out.append(_ESCAPES[escape])
                self._i += 2
            elif escape == "u":
                digits = text[self._i + 2 : self._i + 6]
                if len(digits) != 4 or not all(c in "0123456789abcdefABCDEF" for c in digits):
                    raise self._fail(self._i, "expected four hex digits after '\\u'")
                code = int(digits, 16)
                if _unprintable(chr(code)):
                    raise self._fail(self._i, f"'\\u{digits}' is not a character a value may hold")
                out.append(chr(code))
                self._i += 6
            else:
                raise self._fail(
                    self._i,
                    "expected one of the escapes \\\" \\' \\\\ \\/ \\n \\t \\uXXXX after '\\'",
                )


class _Parser:
    def __init__(self, tokens: list[_Token], resource: Resource, field: InputField) -> None:
        self._tokens = tokens
        self._at = 0
        self._resource = resource
        self._field = field
        self._depth = 0
        self._filters = 0

    def _peek(self) -> _Token:
        return self._tokens[self._at]

    def _next(self) -> _Token:
        token = self._tokens[self._at]
        if token.kind is not _Kind.END:
            self._at += 1
        return token

    def _fail(self, token: _Token, message: str) -> InvalidInput:
        return InvalidInput(f"at column {token.column}: {message}", field=self._field)

    def _expected(self, token: _Token, what: str) -> InvalidInput:
        return self._fail(token, f"expected {what}, found {token.describe()}")

    def parse(self) -> Expression:
        expression = self._or()
        end = self._peek()
        if end.kind is not _Kind.END:
            if end.kind is _Kind.SYMBOL and end.text == ")":
                raise self._fail(end, "this ')' closes no '('")
            raise self._expected(end, "'and', 'or' or the end of the filter")
        return expression

    def _or(self) -> Expression:
        parts = [self._and()]
        while self._peek().is_keyword("or"):
            self._next()
            parts.append(self._and())
        if len(parts) == 1:
            return parts[0]
        return _combine(parts, any_of=True)

    def _and(self) -> Expression:
        parts = [self._term()]
        while self._peek().is_keyword("and"):
            self._next()
            parts.append(self._term())
        if len(parts) == 1:
            return parts[0]
        return _combine(parts, any_of=False)

    def _term(self) -> Expression:
        token = self._peek()
        if token.kind is _Kind.SYMBOL and token.text == "(":
            self._next()
            self._depth += 1
            if self._depth > MAX_DEPTH:
                raise self._fail(token, f"parentheses may nest at most {MAX_DEPTH} deep")
            inner = self._or()
            close = self._next()
            if close.text != ")" or close.kind is not _Kind.SYMBOL:
                raise self._expected(close, f"')' to close the '(' at column {token.column}")
            self._depth -= 1
            return inner
        if token.is_keyword("exists"):
            self._next()
            return self._single(self._property(), Operator.EXISTS, None, token)
        if token.is_keyword("not"):
            self._next()
            word = self._next()
            if not word.is_keyword("exists"):
                raise self._expected(
                    word, "'exists' after 'not' (write != for \"is not equal to\")"
                )
            return self._single(self._property(), Operator.NOT_EXISTS, None, token)
        name = self._property()
        operator_token = self._next()
        if operator_token.is_keyword("in"):
            return self._single(name, Operator.IN, self._list(operator_token), token)
        if operator_token.is_keyword("contains"):
            operator = Operator.CONTAINS
        elif operator_token.kind is _Kind.SYMBOL and operator_token.text in _OPERATORS:
            operator = _OPERATORS[operator_token.text]
        else:
            raise self._expected(
                operator_token,
                "an operator after the property: = != > >= < <= ~ contains in",
            )
        return self._single(name, operator, self._value(operator_token), token)

    def _property(self) -> str:
        token = self._next()
        if token.kind is not _Kind.WORD or token.text.lower() in ("and", "or", "in"):
            raise self._expected(token, "a property (such as name, status or tag.<key>)")
        text = token.text
        following = self._peek()
        if (
            text.lower() in (*_TAG_PREFIXES, TAG_PREFIX.lower())
            and following.kind is _Kind.STRING
            and following.column - 1 == token.end
        ):
            self._next()
            text += following.text
        name = property_name(self._resource, text)
        if name is None:
            aliases = ", ".join(ALIASES[self._resource])
            raise self._fail(
                token,
                f"'{text}' is not a property of {self._resource.value} "
                f"(use one of {aliases}, tag.<key>, or a SageMaker property name "
                f"such as {next(iter(CATALOGS[self._resource]))})",
            )
        return name

    def _value(self, after: _Token) -> str:
        token = self._next()
        if token.kind in (_Kind.WORD, _Kind.STRING):
            return token.text
        raise self._fail(token, f"expected a value after '{after.text}'")

    def _list(self, after: _Token) -> str:
        opening = self._next()
        if opening.text != "(" or opening.kind is not _Kind.SYMBOL:
            raise self._expected(opening, f"'(' after '{after.text}'")
        values: list[str] = []
        while True:
            before = self._tokens[self._at - 1]
            token = self._next()
            if token.kind not in (_Kind.WORD, _Kind.STRING):
                raise self._fail(token, f"expected a value after '{before.text}'")
            value = token.text.strip()
            if "," in value or not value:
                raise self._fail(token, "a value in a list may be neither empty nor hold a comma")
            values.append(value)
            separator = self._next()
            if separator.kind is _Kind.SYMBOL and separator.text == ")":
                return ",".join(values)
            if separator.kind is not _Kind.SYMBOL or separator.text != ",":
                raise self._expected(
                    separator, f"',' or ')' to close the list at column {opening.column}"
                )

    def _single(
        self, name: str, operator: Operator, value: str | None, start: _Token
    ) -> Expression:
        self._filters += 1
        if self._filters > MAX_EXPRESSION_NODES:
            raise self._fail(start, f"a filter may hold at most {MAX_EXPRESSION_NODES} conditions")
        flt = Filter(name=name, operator=operator, value=value)
        try:
            flt = _as_the_set_writes_it(check_filter(self._resource, flt), flt)
        except InvalidInput as error:
            raise self._fail(start, error.message) from None
        return Expression(filters=(flt,))


def _as_the_set_writes_it(prop: Property, flt: Filter) -> Filter:
    """``flt`` with each value of a closed set spelt as the set spells it."""
    if prop.choices is None or flt.operator not in _ONE_OF_A_SET or flt.value is None:
        return flt
    values = flt.value.split(",") if flt.operator is Operator.IN else [flt.value]
    return replace(flt, value=",".join(prop.choices.match(value) for value in values))


def _combine(parts: list[Expression], *, any_of: bool) -> Expression:
    """One expression of ``parts``: single filters inline, like groups flattened, others nested."""
    filters: list[Filter] = []
    subexpressions: list[Expression] = []
    for part in parts:
        if part.any_of == any_of or (len(part.filters) == 1 and not part.subexpressions):
            filters.extend(part.filters)
            subexpressions.extend(part.subexpressions)
        else:
            subexpressions.append(part)
    return Expression(filters=tuple(filters), subexpressions=tuple(subexpressions), any_of=any_of)
