"""Budget mails to the partner's CS team: lead approvals, 80 %/100 % used, overbooking."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import translation


def budget_after_commit(order, kind: str) -> None:
    from partnerdesk.tickets.notifications import _muted

    if _muted.get():
        return
    order_id = order.pk
    transaction.on_commit(lambda: send_budget_notification.enqueue(order_id=order_id, kind=kind))


@task()
def send_budget_notification(*, order_id: int, kind: str) -> int:
    from partnerdesk.contracts.models import Order
    from partnerdesk.efforts.budgets import engagement_budget, lead_budget
    from partnerdesk.efforts.models import BudgetEventKind

    order = Order.objects.select_related("partner__cs_team", "partner__cs_responsible").get(
        pk=order_id
    )
    team = order.partner.cs_team
    people = {p.pk: p for p in team.members.filter(is_active=True)} if team else {}
    if order.partner.cs_responsible_id:
        people[order.partner.cs_responsible_id] = order.partner.cs_responsible
    budget = lead_budget(order) if order.kind == "lead" else engagement_budget(order)
    sent = 0
    for person in people.values():
        with translation.override(person.language):
            context = {
                "order": order,
                "kind": kind,
                "kind_label": BudgetEventKind(kind).label,
                "budget": budget,
                "recipient": person,
                "vendor_name": settings.VENDOR_NAME,
                "order_url": f"{settings.PARTNERDESK_BASE_URL}/contracts/orders/{order.pk}/",
            }
            subject = render_to_string("efforts/mail/budget_subject.txt", context).strip()
            text = render_to_string("efforts/mail/budget.txt", context)
            html = render_to_string("efforts/mail/budget.html", context)
        message = EmailMultiAlternatives(subject=subject, body=text, to=[person.email])
        message.attach_alternative(html, "text/html")
        message.send()
        sent += 1
    return sent
