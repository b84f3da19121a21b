"""Template filters of the events pages (dates and money: magok's ``formatting`` library)."""

from __future__ import annotations

from django import template

from events.selectors import seats_left

register = template.Library()
register.filter("seats_left", seats_left)


@register.inclusion_tag("events/_calendar_feed.html")
def calendar_feed_box(user: object) -> dict[str, object]:
    """The private calendar feed on the profile page: its webcal: link, a copy button and rotate."""
    from events.feeds import calendar_feed_token, calendar_feed_urls

    url, webcal = calendar_feed_urls(feed=calendar_feed_token(user=user))  # type: ignore[arg-type]
    return {"feed_url": url, "webcal_url": webcal}
