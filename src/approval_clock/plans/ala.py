"""The Administrative Licensing Law's own time limits, as data and as building blocks.

The Administrative Licensing Law of the PRC (中华人民共和国行政许可法, 2003,
revised 2019) fixes the periods an office has for a licence; art. 82 says they
are counted in working days, statutory holidays excluded. Each period here is a
:class:`StatutoryPeriod` (article, limit, the extension the law allows, what it
is for) with a :meth:`~StatutoryPeriod.stage` method that makes a plan
:class:`~approval_clock.Stage` of it, so that a plan can be written from the law
and checked against it:

* :data:`ART_42_DECISION` — a decision within **20 working days** of acceptance,
  **extendable by 10** with the approval of the head of the office (art. 42(1));
* :data:`ART_42_JOINT` — handled jointly, centrally or by several offices
  together (统一办理、联合办理、集中办理, art. 26): **45 working days**,
  **extendable by 15** with the approval of the head of the people's
  government at that level (art. 42(2));
* :data:`ART_43_PRELIMINARY` — a lower office's preliminary review, **20 working
  days**, before the higher office decides (art. 43);
* :data:`ART_44_CERTIFICATE` — the licence issued and served within **10 working
  days** of the decision (art. 44);
* :data:`ART_32_CORRECTIONS` — missing documents to be named at once or within
  **5 working days** of receiving the application (art. 32(4)); past that, the
  application counts as accepted on receipt;
* :data:`ART_45_SPECIAL` — hearings, tendering, auctions, inspection, testing,
  quarantine, appraisal and expert review are **not counted** in these limits
  (art. 45): :func:`special_procedure` makes a ``special`` stage, which the
  approval clock does not count; :data:`ART_47_HEARING` is the hearing's own
  period (organised within 20 working days of the request, art. 47).

"Within 20 days of acceptance" is, in the library's counting, a stage of 20
working days starting on the day after acceptance; a plan stage of
``WorkingDays(20)`` that starts on the acceptance day ends one working day
earlier than the statutory deadline ``cal.deadline(accepted, WorkingDays(20))``.
The periods are upper limits: a reform shortens them (承诺时限), and
:meth:`StatutoryPeriod.check` says whether a committed limit stays within the law.

>>> from approval_clock import ala
>>> ala.ART_42_DECISION.limit, ala.ART_42_DECISION.extension, ala.ART_42_DECISION.maximum
(WorkingDays(20), WorkingDays(10), WorkingDays(30))
>>> ala.ART_42_DECISION.stage("planning_permit", name="建设工程规划许可证")
Stage('planning_permit', 20, name='建设工程规划许可证')
>>> ala.ART_42_JOINT.stage("joint_review", extended=True)
Stage('joint_review', 60)
>>> ala.special_procedure("expert_review", 15, what="expert review")
Stage('expert_review', 15, name='expert review (ALA art. 45: not counted)', kind='special')
"""

from __future__ import annotations

from typing import Final

import attrs

from approval_clock.durations import Duration, WorkingDays
from approval_clock.errors import PlanError
from approval_clock.plans.model import Stage, StageKind

__all__ = [
    "ART_32_CORRECTIONS",
    "ART_42_DECISION",
    "ART_42_JOINT",
    "ART_43_PRELIMINARY",
    "ART_44_CERTIFICATE",
    "ART_45_SPECIAL",
    "ART_47_HEARING",
    "PERIODS",
    "StatutoryPeriod",
    "special_procedure",
]


@attrs.frozen
class StatutoryPeriod:
    """One time limit of the Administrative Licensing Law.

    Attributes:
        article: the article (and paragraph), ``"42(1)"``.
        key: a short name, ``"decision"``.
        title: what the period is for, in English.
        title_zh: the same in Chinese.
        limit: the period, in working days (art. 82), or ``None`` for a period the
            law does not count (art. 45).
        extension: the extension the law allows, with whose approval (``None``: none).
        extension_by: who approves the extension.
        kind: the kind of plan stage it makes: ``"work"``, or ``"special"`` for
            what the approval clock does not count.
        quote: the words of the law that fix it (an excerpt).
    """

    article: str
    key: str
    title: str
    title_zh: str
    limit: WorkingDays | None
    extension: WorkingDays | None = None
    extension_by: str = ""
    kind: StageKind = "work"
    quote: str = ""

    @property
    def maximum(self) -> WorkingDays | None:
        """The longest the law allows: the limit plus the extension."""
        if self.limit is None:
            return None
        return WorkingDays(self.limit.n + (self.extension.n if self.extension else 0))

    def stage(
        self,
        id: str,
        *,
        extended: bool = False,
        duration: int | Duration | str | None = None,
        name: str = "",
    ) -> Stage:
        """A plan stage of this period: the limit, the maximum when ``extended``,
        or a ``duration`` of your own (a committed limit, checked to be within it).

        Raises:
            PlanError: ``extended`` for a period without an extension, a
                ``duration`` over the law's maximum, or a period that is not
                counted (use :func:`special_procedure`).

        >>> ART_44_CERTIFICATE.stage("certificate")
        Stage('certificate', 10)
        >>> ART_42_DECISION.stage("permit", duration=5)   # a committed 5 working days
        Stage('permit', 5)
        >>> ART_42_DECISION.stage("permit", duration=31)
        Traceback (most recent call last):
        ...
        approval_clock.errors.PlanError: ALA art. 42(1) (decision): a duration of 31wd exceeds the law's 30wd (20wd, extendable by 10wd)
        """
        if self.limit is None:
            raise PlanError(
                f"ALA art. {self.article} ({self.key}): the law does not count this time; "
                f"make the stage with special_procedure(id, duration)"
            )
        if extended and self.extension is None:
            raise PlanError(f"ALA art. {self.article} ({self.key}): the law allows no extension")
        if duration is None:
            days: Duration = self.maximum if extended and self.maximum else self.limit
        else:
            days = Stage(id, duration).duration
            self.check(days)
        return Stage(id, days, name=name, kind=self.kind)

    def check(self, duration: Duration) -> None:
        """Raise :class:`~approval_clock.errors.PlanError` if ``duration`` is over the law's maximum.

        Only working days can be compared with the law's working days.
        """
        top = self.maximum
        if top is None:
            return
        if not isinstance(duration, WorkingDays):
            raise PlanError(
                f"ALA art. {self.article} ({self.key}): the law counts working days (art. 82); "
                f"got {duration}"
            )
        if duration.n > top.n:
            ext = f", extendable by {self.extension}" if self.extension else ""
            raise PlanError(
                f"ALA art. {self.article} ({self.key}): a duration of {duration} exceeds the "
                f"law's {top} ({self.limit}{ext})"
            )


ART_32_CORRECTIONS: Final = StatutoryPeriod(
    "32(4)",
    "corrections",
    "name every missing document, at once or within 5 working days of receipt",
    "一次告知需要补正的全部内容",
    WorkingDays(5),
    quote="应当当场或者在五日内一次告知申请人需要补正的全部内容，逾期不告知的，自收到申请材料之日起即为受理",
)
"""Art. 32(4): within 5 working days of receipt the office names every missing
document; if it does not, the application counts as accepted on receipt."""

ART_42_DECISION: Final = StatutoryPeriod(
    "42(1)",
    "decision",
    "decide within 20 working days of acceptance",
    "作出行政许可决定",
    WorkingDays(20),
    WorkingDays(10),
    "the head of the office",
    quote="二十日内不能作出决定的，经本行政机关负责人批准，可以延长十日",
)
"""Art. 42(1): a decision within 20 working days, extendable by 10 with the
approval of the head of the office (the reason told to the applicant)."""

ART_42_JOINT: Final = StatutoryPeriod(
    "42(2)",
    "joint",
    "joint, unified or central handling (art. 26): within 45 working days",
    "统一办理、联合办理、集中办理",
    WorkingDays(45),
    WorkingDays(15),
    "the head of the people's government at that level",
    quote="办理的时间不得超过四十五日；四十五日内不能办结的，经本级人民政府负责人批准，可以延长十五日",
)
"""Art. 42(2): handled jointly, in one place or by one office for several (art. 26):
within 45 working days, extendable by 15 with the approval of the head of the
people's government at that level."""

ART_43_PRELIMINARY: Final = StatutoryPeriod(
    "43",
    "preliminary",
    "a lower office's preliminary review, within 20 working days of acceptance",
    "下级行政机关初步审查",
    WorkingDays(20),
    quote="下级行政机关应当自其受理行政许可申请之日起二十日内审查完毕",
)
"""Art. 43: where a lower office reviews first and a higher office decides, the
lower office finishes within 20 working days of accepting the application."""

ART_44_CERTIFICATE: Final = StatutoryPeriod(
    "44",
    "certificate",
    "issue and serve the licence within 10 working days of the decision",
    "颁发、送达行政许可证件",
    WorkingDays(10),
    quote="应当自作出决定之日起十日内向申请人颁发、送达行政许可证件",
)
"""Art. 44: the licence (certificate, label or seal) issued and served within 10
working days of the decision to grant it."""

ART_45_SPECIAL: Final = StatutoryPeriod(
    "45",
    "special",
    "hearings, tendering, auctions, inspection, testing, quarantine, appraisal, "
    "expert review: not counted in the limits",
    "听证、招标、拍卖、检验、检测、检疫、鉴定和专家评审",
    None,
    kind="special",
    quote="所需时间不计算在本节规定的期限内",
)
"""Art. 45: the time of hearings, tendering, auctions, inspection, testing,
quarantine, appraisal and expert review is not counted in the section's limits
(the office tells the applicant in writing how long they take). Make such a
stage with :func:`special_procedure`."""

ART_47_HEARING: Final = StatutoryPeriod(
    "47",
    "hearing",
    "organise a requested hearing within 20 working days (its time not counted, art. 45)",
    "组织听证",
    WorkingDays(20),
    kind="special",
    quote="行政机关应当在二十日内组织听证",
)
"""Art. 47: a hearing requested within 5 working days of being told of the right
to one is organised within 20 working days; as a hearing (art. 45) its time is
not counted, so the stage is ``special``."""

PERIODS: Final = (
    ART_32_CORRECTIONS,
    ART_42_DECISION,
    ART_42_JOINT,
    ART_43_PRELIMINARY,
    ART_44_CERTIFICATE,
    ART_45_SPECIAL,
    ART_47_HEARING,
)
"""Every period of this module, in the law's order."""


def special_procedure(
    id: str, duration: int | Duration | str, *, what: str = "special procedure", name: str = ""
) -> Stage:
    """A stage the approval clock does not count (ALA art. 45): a hearing, an expert review.

    Its name says so unless ``name`` is given.

    >>> special_procedure("hearing", 10, what="hearing").counts
    False
    """
    return Stage(
        id,
        duration,
        name=name or f"{what} (ALA art. 45: not counted)",
        kind="special",
    )
