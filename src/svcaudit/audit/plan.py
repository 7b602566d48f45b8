"""The audit plan: each rule of a standard as the rule loop runs it, with its questions answered once.

One plan is built per run (`AuditPlan.of(standard)`) and every way through the audit uses it: the
rule loop that judges one ticket (`engine.judge_ticket`), the columnar core that judges ticket rows
a batch at a time (`columnar`), `svcaudit report`'s grouped tallies, `--partial` and `explain`.
"""

from __future__ import annotations

from dataclasses import dataclass

from svcaudit.checks.base import AggregateCheck, Check
from svcaudit.standard.model import Rule, Standard


@dataclass(frozen=True, slots=True)
class RuleStep:
    """One rule and its check, with what the loop asks of every rule answered once."""

    index: int  # the rule's position in the standard: its result's, too
    rule: Rule
    check: Check
    aggregate: bool  # judged once over all tickets (scores), observed per ticket
    scoped: bool  # has a `where`: tickets outside it are not applicable
    conditional: bool  # has a `when`
    weight: float  # > 0 when the rule counts towards the ticket's quality score (never an aggregate)
    reads_roles: bool  # not applicable to a conversation whose messages have no author_role


@dataclass(frozen=True)
class AuditPlan:
    """A standard's rules as steps, in the standard's order."""

    standard: Standard
    steps: tuple[RuleStep, ...]

    @classmethod
    def of(cls, standard: Standard) -> AuditPlan:
        steps = tuple(
            RuleStep(
                index=index,
                rule=rule,
                check=check,
                aggregate=isinstance(check, AggregateCheck),
                scoped=bool(rule.where),
                conditional=bool(rule.when),
                weight=rule.weight
                if standard.quality and rule.weight > 0 and not isinstance(check, AggregateCheck)
                else 0.0,
                reads_roles=check.reads_roles,
            )
            for index, (rule, check) in enumerate(zip(standard.rules, standard.checks, strict=True))
        )
        return cls(standard, steps)

    @property
    def aggregates(self) -> tuple[RuleStep, ...]:
        return tuple(step for step in self.steps if step.aggregate)
