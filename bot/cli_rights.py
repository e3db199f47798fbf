"""``python -m bot rights``: the rights for one invoice, as text or JSON.

    python -m bot rights --country fr --debtor business --amount 2400 \\
        --issued 2025-04-15 --due 2025-05-15 --on 2025-09-30 [--contract-rate 12] [--json]
        [--payment 2025-06-30:1000 ...]

A user mistake (bad date, bad amount, contradictory facts) gets one line on stderr and a
non-zero exit code, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from zoneinfo import ZoneInfo

from bot import cli, rates
from flows.i18n import t
from flows.law import InsolvencyFacts, InvalidFacts, InvoiceFacts, pack_for
from flows.law.facts import DemandChannel, Payment, Supply, TermKind
from flows.law.render import render_insolvency, render_rights
from flows.law.serialize import insolvency_to_json, rights_to_json
from flows.parsing import ParseError, parse_amount
from flows.vocabulary import DebtorKind, Jurisdiction

SPACES = re.compile(r"[\s\u00a0\u202f]")


def _amount(text: str) -> Decimal:
    """Read the way the chat reads amounts (flows.parsing): ``2400``, ``1 200,50``, ``1,200.50``."""
    try:
        return parse_amount(text).amount
    except ParseError as exc:
        raise argparse.ArgumentTypeError(f"{t('en', exc.key, **exc.params)} ({text!r})") from None


def _paid(text: str) -> Decimal:
    return Decimal(0) if text.strip() in {"0", "0.00", "0,00"} else _amount(text)


def _payment(text: str) -> Payment:
    """``2025-06-30:1000`` (or ``2025-06-30:1 000,50``): a sum received on that day."""
    day, sep, sum_text = text.partition(":")
    if not sep:
        raise argparse.ArgumentTypeError(
            f"expected DATE:AMOUNT, e.g. 2025-06-30:1000, got {text!r}"
        )
    return Payment(_date(day.strip()), _amount(sum_text))


def _rate(text: str) -> Decimal:
    try:
        rate = Decimal(SPACES.sub("", text).removesuffix("%").replace(",", "."))
    except InvalidOperation:
        raise argparse.ArgumentTypeError(f"not a rate: {text!r} (e.g. 12 or 12.5)") from None
    if not rate.is_finite() or not 0 <= rate <= 100:
        raise argparse.ArgumentTypeError(f"a yearly rate between 0 and 100 is expected: {text!r}")
    return rate


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, got {text!r}") from None


def _count(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}")
    return int(text)


def today() -> date:
    """Today where the bot runs its calendar (IMPAYES_TZ, Europe/Paris by default)."""
    return datetime.now(ZoneInfo(os.environ.get("IMPAYES_TZ", "Europe/Paris"))).date()


def build_parser() -> argparse.ArgumentParser:
    parser = cli.Parser(
        prog="python -m bot rights",
        description="Late interest, fixed indemnity, payment-term check, limitation date and "
        "court routes for one unpaid invoice.",
    )
    add = parser.add_argument
    add("--country", required=True, choices=[j.value for j in Jurisdiction])
    add("--debtor", required=True, choices=[k.value for k in DebtorKind])
    add("--amount", required=True, type=_amount, help="invoice total incl. tax: 2400, 1 200,50")
    add("--issued", required=True, type=_date, help="invoice date, YYYY-MM-DD")
    add("--due", type=_date, help="due date shown on the invoice")
    add("--term-days", type=_count, help="agreed term in days from the invoice date")
    add("--term-kind", choices=[k.value for k in TermKind], help="default: days if --term-days")
    add("--supply", choices=[s.value for s in Supply], default=Supply.SERVICES.value)
    add("--delivered", type=_date, help="delivery, performance of the services or completion "
        "of the works (FR: the default term and a consumer's limitation run from it)")
    trade = parser.add_mutually_exclusive_group()
    trade.add_argument("--trader", dest="trader", action="store_const", const=True,
                       help="FR business debtor: a trader or commercial company (commercial court)")
    trade.add_argument("--non-trader", dest="trader", action="store_const", const=False,
                       help="FR business debtor: SCI, association, liberal profession... "
                       "(tribunal judiciaire)")
    add("--debtor-postcode", default="", help="FR: the debtor's postcode, to name its court")
    add("--debtor-town", default="", help="FR: the debtor's town, to name its court")
    add("--periodic", action="store_true",
        help="BE: the invoice belongs to periodic billing (5-year limitation)")
    add("--contract-rate", type=_rate, help="agreed yearly late rate in percent, e.g. 12")
    add("--payment", type=_payment, action="append", default=[], metavar="DATE:AMOUNT",
        help="a sum received on that day, e.g. 2025-06-30:1000 (repeat for each payment): "
        "interest on it runs until that day")
    add("--paid", type=_paid, default=Decimal(0),
        help="amount received on a day not given (its interest cannot be counted)")
    add("--demand", type=_date, help="formal demand sent on (BE consumer: first reminder)")
    add("--demand-channel", choices=[c.value for c in DemandChannel], default="post")
    add("--demand-delay", type=_count, help="QC: days given in the formal demand")
    add("--default-by-term", action="store_true",
        help="QC: the contract puts the debtor in default once the due date passes (C.c.Q. 1594)")
    add("--employees", type=_count, help="QC small claims: your employees in the last 12 months")
    add("--contract-damages", type=_amount, help="BE consumer: damages your terms provide")
    add("--number", default="", help="invoice number")
    add("--currency", help="default: EUR (fr, be), CAD (qc)")
    add("--on", type=_date, help="computation date (default: today)")
    add("--insolvency-published", type=_date,
        help="insolvency: FR BODACC publication, BE bankruptcy judgment, QC bankruptcy date")
    add("--insolvency-opened", type=_date, help="FR: date of the opening judgment")
    add("--outside-metropole", action=argparse.BooleanOptionalAction, default=None,
        help="FR insolvency: your business is outside metropolitan France (4 months to file)")
    add("--lang", choices=["fr", "en"], default="fr")
    add("--json", action="store_true", help="print JSON instead of text")
    return parser


def facts_from(args: argparse.Namespace, currency: str) -> InvoiceFacts:
    term_kind = args.term_kind or (TermKind.DAYS.value if args.term_days is not None else "none")
    return InvoiceFacts(
        amount=args.amount,
        issue_date=args.issued,
        debtor_kind=DebtorKind(args.debtor),
        currency=args.currency or currency,
        due_date=args.due,
        payment_term_days=args.term_days,
        term_kind=TermKind(term_kind),
        supply=Supply(args.supply),
        delivery_date=args.delivered,
        contract_rate=args.contract_rate,
        demand_date=args.demand,
        demand_channel=DemandChannel(args.demand_channel),
        paid=args.paid,
        payments=tuple(args.payment),
        periodic=args.periodic,
        debtor_trader=args.trader,
        debtor_postcode=args.debtor_postcode,
        debtor_town=args.debtor_town,
        number=args.number,
        demand_delay_days=args.demand_delay,
        creditor_employees=args.employees,
        contract_damages=args.contract_damages,
        default_by_term=args.default_by_term,
    )


def main(argv: list[str]) -> int:
    return cli.run("rights", build_parser(), argv, rights_of)


def rights_of(args: argparse.Namespace) -> str:
    # Rates fetched by `python -m bot rates update` extend the shipped tables.
    rates.load_overrides(Path(os.environ.get("IMPAYES_DATA_DIR", "./data")))
    pack = pack_for(Jurisdiction(args.country))
    on = args.on or today()
    try:
        guide = None
        if args.insolvency_published is not None:
            guide = pack.insolvency(InsolvencyFacts(
                published_on=args.insolvency_published,
                creditor_outside_metropole=args.outside_metropole,
                opened_on=args.insolvency_opened,
            ))
            # The claim counts interest only up to the day before the judgment (L622-28).
            if guide.interest_until is not None:
                on = min(on, guide.interest_until)
        rights = pack.rights(facts_from(args, pack.currency), on)
    except InvalidFacts as exc:  # the facts contradict each other
        raise cli.InputError(str(exc)) from exc
    if args.json:
        answer = rights_to_json(rights, args.lang)
        if guide is not None:
            answer["insolvency"] = insolvency_to_json(guide, args.lang)
        return json.dumps(answer, ensure_ascii=False, indent=2)
    output = render_rights(rights, args.lang)
    if guide is not None:
        output += "\n\n" + render_insolvency(guide, args.lang)
    return output
