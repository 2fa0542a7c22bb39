"""Query language and the compiled index that matches every active query at once."""

from bot.matching.errors import MatchingError, QuerySyntaxError
from bot.matching.index import Match, MatchInput, QueryIndex
from bot.matching.normalize import fold
from bot.matching.query import Query, parse_query

__all__ = [
    "Match",
    "MatchInput",
    "MatchingError",
    "Query",
    "QueryIndex",
    "QuerySyntaxError",
    "fold",
    "parse_query",
]
