"""The first/previous/next links of a list page in the web UI."""

from __future__ import annotations

from urllib.parse import parse_qs

from starlette.datastructures import QueryParams

from cardinal.api.web.pager import TRAIL, pager


def params(link: str | None) -> dict[str, list[str]]:
    return parse_qs(follow(link).__str__(), keep_blank_values=True)


def follow(link: str | None) -> QueryParams:
    """The query of the page ``link`` leads to."""
    assert link is not None
    assert link.startswith("?")
    return QueryParams(link[1:])


def test_the_first_page_links_only_to_the_next_keeping_the_filters() -> None:
    shown = pager(QueryParams("actor=ann&action=card%3Astatus"), "T1")
    assert (shown.first, shown.previous) == (None, None)
    assert params(shown.next) == {
        "actor": ["ann"], "action": ["card:status"], "next": ["T1"], "back": [""]
    }  # fmt: skip


def test_walking_forward_then_back_returns_to_each_page() -> None:
    page1 = QueryParams("q=x")
    page2 = follow(pager(page1, "T1").next)
    page3 = follow(pager(page2, "T2").next)
    assert params(pager(page3, "T3").next)["back"] == ["", "T1", "T2"]
    back_to_2 = params(pager(page3, "T3").previous)
    assert back_to_2 == {"q": ["x"], "next": ["T1"], "back": [""]}
    back_to_1 = params(pager(follow(pager(page3, None).previous), "T2").previous)
    assert back_to_1 == {"q": ["x"]}
    assert params(pager(page3, None).first) == {"q": ["x"]}
    assert pager(page3, None).next is None


def test_a_bookmarked_page_without_its_trail_still_links_to_the_first() -> None:
    shown = pager(QueryParams("next=T9"), "T10")
    assert shown.previous is None
    assert params(shown.first) == {}
    assert params(shown.next)["back"] == ["T9"]


def test_the_trail_is_bounded() -> None:
    long = "&".join(f"back=T{i}" for i in range(TRAIL + 5))
    shown = pager(QueryParams(f"next=X&{long}"), "Y")
    assert len(params(shown.next)["back"]) == TRAIL
    assert params(shown.next)["back"][-1] == "X"


def test_a_single_page_list_shows_no_pager() -> None:
    assert not pager(QueryParams(""), None).shown
