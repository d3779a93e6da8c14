"""What a follow-up step charges beyond the invoices: dunning fee, late interest, flat fee.

One rule for every place that charges, shows or plans interest (the step's charge document, the
collection case's claim statement, the payment plan's interest):
- § 286 BGB: a claim is in default from the first day that ``policy.interest.default_start``
  gives for its facts: an agreed due date, the receipt of the invoice, a reminder
  (``claim_default_start``); interest and the flat fee start that day.
- § 288(1), (2) BGB: statutory late interest at base rate + 5 points (consumer) or + 9 points
  (no consumer); a contract may fix its own rate, or exclude late interest (``late_interest``).
- A step charges the level's dunning fee on the overdue principal of the items in default (shared
  among them by what is open of each), the interest of every such item over the days not charged
  yet, and the § 288(5) BGB flat fee of every such item once (``step_charges``).
- § 288(5) sentence 3 BGB: a debtor who is not a consumer owes the flat fee and the dunning costs
  of a claim only up to the larger of the two: the claim's dunning fees are credited against its
  flat fee, the charged ones when the flat fee comes, later ones as they come
  (``FLAT_FEE_CREDIT``, a negative charge). A step whose fee is credited in full and that
  charges nothing else charges nothing at all.

Pure: ``Decimal`` amounts and dates in, frozen dataclasses out; the caller passes the day.
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, Decimal

from . import fees, interest

ZERO = Decimal("0")
NO_FEE = fees.FeeRule()

FEE = "fee"
INTEREST = "interest"
FLAT_FEE = "flat_fee"
FLAT_FEE_CREDIT = "flat_fee_credit"

STATUTORY = "statutory"
CONTRACTUAL = "contractual"
NO_INTEREST = "none"


@dataclass(frozen=True)
class Claim:
    """One overdue item as the charges see it; ``key`` identifies it for the caller."""

    key: object
    amount: Decimal  # the claim itself (principal when it fell due)
    open: Decimal  # what is still open on the day of the step
    due_date: date
    payments: tuple = ()  # ((date, Decimal), ...) paid or credited on it
    charged_through: date | None = None  # last day whose interest was charged already
    flat_fee_charged: bool = False
    fees_charged: Decimal = ZERO  # its share of the dunning fees charged so far
    fees_credited: Decimal = ZERO  # of those, credited against its flat fee so far
    reminded: bool = False  # an earlier reminder after the due date listed it
    # The facts of § 286 BGB (see ``policy.interest.default_start``):
    agreed: bool = True  # the due date comes from payment terms the debtor agreed to
    invoice_received: date | None = None
    reminder_received: date | None = None  # the first reminder after the due date
    notice_on_invoice: bool = False  # the invoice carried the § 286(3) notice


@dataclass(frozen=True)
class Terms:
    """How a step charges: the level's rules and the customer's interest terms."""

    fee_rule: fees.FeeRule = NO_FEE
    charge_interest: bool = False
    charge_flat_fee: bool = False
    consumer: bool = False
    regime: str = STATUTORY
    contract_rate: Decimal | None = None  # percent per year, with ``regime`` CONTRACTUAL


@dataclass(frozen=True)
class Charge:
    """One charge of a step: the fee, one interest period of one claim, or one flat fee."""

    kind: str
    amount: Decimal
    key: object = None  # the claim (interest, flat fee)
    date_from: date | None = None
    date_to: date | None = None
    days: int = 0
    rate: Decimal = ZERO
    principal: Decimal = ZERO


def claim_default_start(claim, *, consumer, holidays=()):
    """The first day of default, and of late interest, of ``claim``; None: not in default on
    any rule yet (``policy.interest.default_start``)."""
    return interest.default_start(
        claim.due_date,
        agreed=claim.agreed,
        invoice_received=claim.invoice_received,
        consumer=consumer,
        notice_on_invoice=claim.notice_on_invoice,
        reminder_received=claim.reminder_received,
        holidays=holidays,
    )


def in_default(claim, day, *, consumer, holidays=()):
    """True when ``claim`` is in default on ``day``."""
    start = claim_default_start(claim, consumer=consumer, holidays=holidays)
    return start is not None and day >= start


def late_interest(
    principal,
    due_date,
    end_date,
    *,
    consumer,
    base_rates,
    regime=STATUTORY,
    contract_rate=None,
    payments=(),
    holidays=(),
    charged_through=None,
    default_from=None,
):
    """The late interest of one claim under the customer's terms, or None when the terms
    exclude late interest (``regime`` NO_INTEREST). See ``policy.interest.late_interest``.

    :raises policy.base_rate.MissingBaseRate: when a half-year in the period has no rate
    """
    if regime == NO_INTEREST:
        return None
    if regime not in (STATUTORY, CONTRACTUAL):
        raise ValueError(f"unknown interest regime {regime!r}")
    return interest.late_interest(
        Decimal(principal),
        due_date,
        end_date,
        b2b=not consumer,
        base_rates=base_rates,
        payments=payments,
        holidays=holidays,
        charged_through=charged_through,
        fixed_rate=Decimal(contract_rate) if regime == CONTRACTUAL else None,
        default_from=default_from,
    )


def split(amount, claims):
    """``amount`` shared among ``claims`` by what is open of each, to the cent; the cents left
    by rounding go to the largest shares first, so the shares add up to ``amount``.

    :returns: ``[Decimal]`` in the order of ``claims``
    """
    total = sum((Decimal(claim.open) for claim in claims), ZERO)
    if not claims or total <= 0:
        return [ZERO] * len(claims)
    exact = [amount * Decimal(claim.open) / total for claim in claims]
    shares = [share.quantize(fees.CENT, rounding=ROUND_DOWN) for share in exact]
    left = int((amount - sum(shares, ZERO)) / fees.CENT)
    by_remainder = sorted(range(len(claims)), key=lambda i: (shares[i] - exact[i], i))
    for index in by_remainder[:left]:
        shares[index] += fees.CENT
    return shares


def flat_fee_credit(claim, fee_share, flat_fee_amount):
    """What is credited now against the flat fee of ``claim`` (§ 288(5) sentence 3 BGB), when
    it has one (charged before or now) and the step charges it ``fee_share`` of a dunning fee:
    up to the flat fee, the claim's dunning fees less what was credited already."""
    credit = min(flat_fee_amount, claim.fees_charged + fee_share) - claim.fees_credited
    return max(credit, ZERO)


def step_charges(claims, day, terms, *, base_rates, holidays=(), flat_fee_amount=None):
    """The charges of a step on ``day`` over ``claims``: the dunning fee first (a share per
    claim in default, in the order of ``claims``), then the interest periods of each claim in
    default, then the flat fees, then what is credited against them. Zero amounts are left out.

    :param flat_fee_amount: the § 288(5) BGB flat fee in the company currency (default EUR 40)
    :raises policy.base_rate.MissingBaseRate: when a half-year in a period has no rate
    """
    starts = {
        id(claim): claim_default_start(claim, consumer=terms.consumer, holidays=holidays)
        for claim in claims
    }
    due = [claim for claim in claims if starts[id(claim)] and day >= starts[id(claim)]]
    result = []
    fee = fees.dunning_fee(
        terms.fee_rule,
        sum((Decimal(claim.open) for claim in due), ZERO),
        consumer=terms.consumer,
        first_reminder=not any(claim.reminded for claim in due),
    )
    shares = split(fee, due) if fee else [ZERO] * len(due)
    result += [
        Charge(FEE, share, key=claim.key)
        for claim, share in zip(due, shares, strict=True)
        if share > 0
    ]
    if terms.charge_interest:
        for claim in due:
            accrued = late_interest(
                claim.amount,
                claim.due_date,
                day,
                consumer=terms.consumer,
                base_rates=base_rates,
                regime=terms.regime,
                contract_rate=terms.contract_rate,
                payments=claim.payments,
                holidays=holidays,
                charged_through=claim.charged_through,
                default_from=starts[id(claim)],
            )
            if accrued is None:
                break
            result += [
                Charge(
                    INTEREST,
                    period.interest,
                    key=claim.key,
                    date_from=period.start,
                    date_to=period.end,
                    days=period.days,
                    rate=period.rate,
                    principal=period.principal,
                )
                for period in accrued.periods
                if period.interest > 0
            ]
    amount = fees.FLAT_FEE_EUR if flat_fee_amount is None else Decimal(flat_fee_amount)
    credited = []
    for claim, share in zip(due, shares, strict=True):
        charged_now = terms.charge_flat_fee and fees.flat_fee(
            consumer=terms.consumer, in_default=True, already_charged=claim.flat_fee_charged
        )
        if charged_now:
            result.append(Charge(FLAT_FEE, amount, key=claim.key))
        if not terms.consumer and (charged_now or claim.flat_fee_charged):
            credit = flat_fee_credit(claim, share, amount)
            if credit > 0:
                credited.append(Charge(FLAT_FEE_CREDIT, -credit, key=claim.key))
    result += credited
    if result and not sum((charge.amount for charge in result), ZERO):
        return ()  # a fee credited in full, nothing else: nothing to charge
    return tuple(result)


@dataclass(frozen=True)
class Allocation:
    """What payments paid of a claim, by § 367(1) BGB."""

    costs: Decimal
    interest: Decimal
    principal: Decimal


def allocate(paid, *, costs, interest):
    """§ 367(1) BGB: ``paid`` goes to the ``costs`` (dunning fees, flat fees) first, then to
    the ``interest``, the rest to the principal."""
    paid = Decimal(paid)
    to_costs = min(paid, max(Decimal(costs), ZERO))
    to_interest = min(paid - to_costs, max(Decimal(interest), ZERO))
    return Allocation(to_costs, to_interest, paid - to_costs - to_interest)


def plan_in_default(claims, agreed_on, *, consumer, holidays=()):
    """Whether the debt a payment plan covers is in default on the day of the agreement
    (``in_default`` of any of its ``claims``): only then does the plan charge late interest; a
    plan agreed before the debtor is in default defers the debt without interest."""
    return any(
        in_default(claim, agreed_on, consumer=consumer, holidays=holidays) for claim in claims
    )


def plan_interest_by_instalment(
    instalments,
    agreed_on,
    *,
    consumer,
    base_rates,
    regime=STATUTORY,
    contract_rate=None,
    holidays=(),
):
    """The interest of each instalment ``(date, Decimal)`` of a payment plan agreed on
    ``agreed_on``: an instalment due after that day bears the customer's late interest rate from
    the agreement to its date (the plan defers the debt; its interest is charged as each
    instalment falls due). Zero for an instalment due on the day of the agreement, and for all
    when the customer's terms exclude interest.

    :returns: ``(Decimal, ...)`` in the order of ``instalments``
    :raises policy.base_rate.MissingBaseRate: when a half-year in a period has no rate
    """
    result = []
    for day, amount in instalments:
        if day <= agreed_on:
            result.append(ZERO)
            continue
        accrued = late_interest(
            amount,
            agreed_on,
            day,
            consumer=consumer,
            base_rates=base_rates,
            regime=regime,
            contract_rate=contract_rate,
            holidays=holidays,
        )
        if accrued is None:
            return tuple(ZERO for _instalment in instalments)
        result.append(accrued.total)
    return tuple(result)


def plan_interest(instalments, agreed_on, **terms):
    """The interest of a payment plan: the sum of ``plan_interest_by_instalment``."""
    return sum(plan_interest_by_instalment(instalments, agreed_on, **terms), ZERO)
