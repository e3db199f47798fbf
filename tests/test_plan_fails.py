"""A payment plan that fails (issue 13, item 4), played through the journey as a user would,
the clock moved from the plan to the signed copy, the first instalment paid, the second missed.

The formal demand that follows cites the signed plan, the missed instalment and the plan's
acceleration clause with the notice it requires, counts the sums due on the dated payments, and
the case has one next check, the day after that notice ends. The letter is the real PDF, read
back with pdftotext.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

from bot.files import write_all
from flows import followup
from flows.debtor import answers
from flows.debtor.answers import Side
from flows.documents.drawing import draw, render_html
from flows.documents.to_text import html_to_text
from flows.followup import StepKind
from testing.driver import Driver, plain
from tests.followup_cases import (
    FORMAL_DEMAND,
    NOW,
    followed,
    press_reminder,
    reminder,
    reminders,
    with_remedy,
)
from tests.pdf import pdf_text

PARIS = NOW.tzinfo
FIVE_MONTHLY = with_remedy("payment_plan", ("plan_count", "5"),
                           ("plan_first_date", "15/12/2026"),
                           ("plan_interval", "press:monthly"))


def at(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 9, 5, tzinfo=PARIS)


def letter_texts(d: Driver, tmp_path: Path) -> tuple[str, str]:
    """The letter as the PDF reads (pdftotext) and as its text version for e-mail (tables in
    rows), both drawn from the same document."""
    job = d.last.documents[0]
    assert job.kind == "plan_default_demand"
    files = {p.suffix: p for p in write_all(tmp_path, draw(job))}
    return (plain(pdf_text(files[".pdf"])),
            " ".join(plain(files[".txt"].read_text(encoding="utf-8")).split()))


def test_the_second_of_five_instalments_missed(tmp_path: Path) -> None:
    # 23/11/2026: invoice F-2026-042, 1 200,50 € due 15/10/2026, spread over 5 monthly
    # instalments of 240,10 € from 15/12/2026; penalties not waived (the default).
    d = followed(FIVE_MONTHLY)
    assert d.case.answers["plan_waive"] is False
    agreement = next(j for r in d.replies for j in r.documents if j.kind == "plan_agreement")
    kept = plain(html_to_text(render_html(agreement)))
    assert "le créancier n'y renonce pas" in kept  # not waived unless the user says so
    assert "renonce aux pénalités" not in kept
    assert "Prochain point prévu le 30 novembre 2026" in d.text_of_last()
    # A week later: has the signed agreement come back? Yes, signed on 28/11.
    d.now = at(2026, 11, 30)
    press_reminder(d, "signed", reminder(d, "plan_signed"))
    assert d.prompt.key == "plan_signed_date"
    d.say("28/11/2026")
    assert "accord d'échéancier signé le 28 novembre 2026" in d.text_of_last()
    assert next(r["kind"] for r in reminders(d) if r["status"] == "pending") == "instalment"
    # 16/12: instalment 1 arrived (recorded with its day).
    d.now = at(2026, 12, 16)
    press_reminder(d, "paid", reminder(d, "instalment"))
    assert "Reste dû : 960,40 €" in d.text_of_last()
    # 16/01/2027: instalment 2, due 15/01, did not.
    d.now = at(2027, 1, 16)
    press_reminder(d, "unpaid", reminder(d, "instalment"))
    said = d.text_of_last()
    assert "Échéance 2 manquée" in said
    assert "devient exigible 8 jours après une mise en demeure restée sans effet" in said
    assert d.prompt.key == "review"  # the delay is the plan's: no question about it
    d.press("generate")
    advice = d.text_of_last()
    text, rows = letter_texts(d, tmp_path)

    # The plan, signed, and the instalment missed.
    assert "Par l'accord de règlement échelonné signé le 28 novembre 2026" in text
    assert "en 5 échéances mensuelles" in text
    assert ("L'échéance n° 2, d'un montant de 240,10 €, due le 15 janvier 2027, n'a pas été "
            "payée.") in text
    assert "16 décembre 2026 240,10 €" in text  # the payment received, dated
    # The acceleration clause, quoted as the agreement prints it, with its 8 days' notice.
    assert ("« À défaut de paiement d'une seule échéance à sa date, et 8 jours après l'envoi au "
            "débiteur d'une mise en demeure par lettre recommandée restée sans effet, la "
            "totalité du solde restant dû deviendra immédiatement exigible") in text
    assert "dans un délai de 8 jours" in text
    assert "soit au plus tard le 24 janvier 2027" in text
    # The amount, on the dated payments (C. com. L441-10: ECB 2.15 % + 10 = 12.15 %, simple
    # interest, actual days / 365, due day excluded, the 2026 H2 rate carried forward):
    #   1 200,50 € from 16/10/2026 to 16/12/2026 (payment day), 62 days:
    #       1 200,50 × 12,15 % × 62 / 365 = 24,776… → 24,78 €
    #   960,40 € from 17/12/2026 to 16/01/2027, 31 days:
    #       960,40 × 12,15 % × 31 / 365 = 9,910… → 9,91 €
    #   penalties 34,69 € + indemnity 40,00 € (D441-5) + principal 960,40 € = 1 035,09 €
    assert ("du 16 octobre 2026 au 16 décembre 2026 62 12,15 % taux BCE 2,15 % + 10 points "
            "24,78 €") in rows
    assert ("du 17 décembre 2026 au 16 janvier 2027 31 12,15 % taux BCE 2,15 % + 10 points "
            "9,91 €") in rows
    assert "Pénalités de retard arrêtées au 16 janvier 2027 34,69 €" in text
    assert "Total dû à ce jour 1 035,09 €" in text

    # One next check, the day after the 8 days: in the chat, the reminders and /reminders.
    assert "Le délai expire le 24 janvier 2027" in advice
    assert "Prochain point prévu le 25 janvier 2027" in advice
    pending = [(r["kind"], r["day"]) for r in reminders(d) if r["status"] == "pending"]
    assert pending[0] == ("demand_ended", "2027-01-25")
    assert not [kind for kind, _ in pending if kind in {"instalment", "plan_signed"}]
    d.command("reminders")
    listed = d.text_of_last()
    assert listed.count("2027") == listed.count("25 janvier 2027") + listed.count(
        "24 janvier 2027")
    assert "Échéance 3" not in listed


def test_an_unsigned_plan_is_chased_then_fails_with_the_caveat_stated(tmp_path: Path) -> None:
    d = followed(FIVE_MONTHLY)
    d.now = at(2026, 11, 30)
    press_reminder(d, "unsigned", reminder(d, "plan_signed"))
    said = d.text_of_last()
    assert "Relancez ACME Rénovation SARL pour obtenir l'accord signé" in said
    assert "le 7 décembre 2026" in said  # asked again a week later
    assert reminder(d, "plan_signed")["day"] == "2026-12-07"
    # 16/12: instalment 1 missed, the agreement still unsigned.
    d.now = at(2026, 12, 16)
    press_reminder(d, "unpaid", reminder(d, "instalment"))
    said = d.text_of_last()
    assert "L'accord d'échéancier ne vous est pas revenu signé" in said
    assert "vous ne pouvez pas vous prévaloir de sa clause de déchéance du terme" in said
    d.press("generate")
    assert "Sans accord d'échéancier signé" in d.text_of_last()
    text, _rows = letter_texts(d, tmp_path)
    assert "Par ma lettre du 23 novembre 2026, je vous ai proposé" in text
    assert "L'accord joint ne m'a pas été retourné signé" in text
    assert "L'échéance n° 1, d'un montant de 240,10 €, due le 15 décembre 2026" in text
    assert "me régler la totalité du solde dans un délai de 8 jours" in text
    assert "signé le" not in text


def test_penalties_waived_only_when_the_user_says_so_come_back_in_the_clause() -> None:
    script = [step if step[0] != "review" else ("plan_waive", "press:yes")
              for step in FIVE_MONTHLY] + [("review", "press:generate")]
    d = Driver(now=NOW)
    d.command("start")
    for key, step in script:
        while d.prompt.key != key and d.prompt.key in {"supply_description", "creditor_id",
                                                        "signatory", "payment_details",
                                                        "last_reminder_date"}:
            d.answer({"supply_description": "Refonte du site", "creditor_id": "press:none",
                      "signatory": "press:self", "payment_details": "press:invoice",
                      "last_reminder_date": "02/11/2026"}[d.prompt.key])
        d.answer(step)
    agreement = next(j for j in d.last.documents if j.kind == "plan_agreement")
    assert agreement.context["plan"]["waives"] is True
    # What the debtor signs: the waiver, conditional on every instalment paid on time.
    signed = plain(html_to_text(render_html(agreement)))
    assert ("Sous réserve du paiement intégral de toutes les échéances à leur date, le "
            "créancier renonce aux pénalités de retard et à l'indemnité forfaitaire de "
            "recouvrement") in signed
    assert "Cette renonciation est non avenue si l'échéancier n'est pas respecté." in signed
    d.now = at(2026, 12, 16)
    press_reminder(d, "unpaid", reminder(d, "instalment"))
    d.press("generate")
    assert d.last.documents[0].context["plan_default"]["waived"] is True


def test_a_plan_agreed_through_the_debtors_link_counts_as_signed(tmp_path: Path) -> None:
    # The debtor proposes 3 instalments from 7/12/2026 through their link on 23/11; the
    # creditor accepts two hours later: no signed copy to chase, and the demand cites that day.
    d = followed(FORMAL_DEMAND)
    answers.propose_plan(d.case, Side.DEBTOR, 3, date(2026, 12, 7), NOW.date(), NOW)
    answers.accept_plan(d.case, Side.CREDITOR, NOW + timedelta(hours=2))
    followup.refresh(d.account, d.now)
    assert [s.kind for s in followup.timeline(d.case) if s.kind is StepKind.PLAN_SIGNED] == []
    d.now = at(2026, 12, 8)
    press_reminder(d, "unpaid", reminder(d, "instalment"))
    assert "Selon la clause de déchéance du terme de l'accord conclu" in d.text_of_last()
    d.press("generate")
    text, _rows = letter_texts(d, tmp_path)
    assert ("Par l'accord de règlement échelonné accepté en ligne, par le lien personnel qui "
            "vous a été adressé, le 23 novembre 2026") in text
    assert "L'échéance n° 1, d'un montant de 400,16 €, due le 7 décembre 2026" in text
