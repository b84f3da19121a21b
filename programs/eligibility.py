"""Who may apply to a call, said in plain words."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from companies.models import Company, Sector

from .models import Call


def _labels(choices: type, values: Iterable[str]) -> str:
    labels = dict(choices.choices)  # type: ignore[attr-defined]
    return ", ".join(str(labels.get(v, v)) for v in values)


def eligibility_rules(*, call: Call) -> list[str]:
    """The call's eligibility rules as sentences for the public call page."""
    rules: list[str] = []
    if call.eligible_size_classes:
        rules.append(_("기업 규모: %(sizes)s") % {"sizes": _labels(Company.SizeClass, call.eligible_size_classes)})
    if call.eligible_move_in_statuses:
        rules.append(
            _("입주 현황: %(statuses)s") % {"statuses": _labels(Company.MoveInStatus, call.eligible_move_in_statuses)}
        )
    sectors = list(call.eligible_sectors.all())
    if sectors:
        rules.append(_("업종: %(sectors)s") % {"sectors": ", ".join(s.name for s in sectors)})
    if not rules:
        rules.append(_("마곡산업단지 입주기업이면 누구나 신청할 수 있습니다."))
    return rules


def eligibility_check(*, call: Call, company: Company, sectors: Iterable[Sector] | None = None) -> list[str]:
    """Why ``company`` may not apply to ``call``, one sentence per unmet rule, in the current
    language. An empty list means the company is eligible.

    ``sectors`` may be passed when the company's sectors are already loaded.
    """
    reasons: list[str] = []
    if call.eligible_size_classes and company.size_class not in call.eligible_size_classes:
        reasons.append(
            _("이 공고는 %(allowed)s만 신청할 수 있습니다. 귀사의 기업 규모는 %(actual)s입니다.")
            % {
                "allowed": _labels(Company.SizeClass, call.eligible_size_classes),
                "actual": company.get_size_class_display(),
            }
        )
    if call.eligible_move_in_statuses and company.move_in_status not in call.eligible_move_in_statuses:
        reasons.append(
            _("이 공고는 입주 현황이 %(allowed)s인 기업만 신청할 수 있습니다. 귀사는 %(actual)s 상태입니다.")
            % {
                "allowed": _labels(Company.MoveInStatus, call.eligible_move_in_statuses),
                "actual": company.get_move_in_status_display(),
            }
        )
    required_sectors = {s.pk: s for s in call.eligible_sectors.all()}
    if required_sectors:
        company_sector_ids = {s.pk for s in (sectors if sectors is not None else company.sectors.all())}
        if not company_sector_ids & required_sectors.keys():
            reasons.append(
                _("이 공고는 %(sectors)s 업종 기업만 신청할 수 있습니다. 기업 정보에 해당 업종이 없습니다.")
                % {"sectors": ", ".join(s.name for s in required_sectors.values())}
            )
    return reasons
