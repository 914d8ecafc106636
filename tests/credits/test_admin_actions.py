"""The credits admin: its actions run the services, its registry rows are read-only."""

from django.urls import reverse

from credits.models import CreditBlock, MonitoringPeriod


def run_action(client, model, action, objects):
    return client.post(
        reverse(f"admin:credits_{model}_changelist"),
        {"action": action, "_selected_action": [obj.pk for obj in objects]},
        follow=True,
    )


def test_close_and_issue_actions_call_the_services(admin_client_, period):
    response = run_action(admin_client_, "monitoringperiod", "close_periods", [period])
    assert f"{period} closed." in response.content.decode()
    period.refresh_from_db()
    assert period.status == MonitoringPeriod.Status.CLOSED

    response = run_action(admin_client_, "monitoringperiod", "issue_credits", [period])
    assert f"Credits of {period} issued." in response.content.decode()
    assert CreditBlock.objects.filter(period=period).count() == 2


def test_an_action_the_service_refuses_says_why_and_writes_nothing(admin_client_, period):
    response = run_action(admin_client_, "monitoringperiod", "issue_credits", [period])
    messages = [str(m) for m in response.context["messages"]]
    assert len(messages) == 1 and messages[0].startswith(f"{period}: ")
    assert not CreditBlock.objects.exists()


def test_registry_rows_cannot_be_added_changed_or_deleted(admin_client_, issued):
    block = CreditBlock.objects.filter(period=issued).first()
    assert admin_client_.get(reverse("admin:credits_creditblock_add")).status_code == 403
    change = admin_client_.get(reverse("admin:credits_creditblock_change", args=[block.pk]))
    assert change.status_code == 200 and "Save" not in change.content.decode()  # view only
    delete = admin_client_.post(reverse("admin:credits_creditblock_delete", args=[block.pk]))
    assert delete.status_code == 403 and CreditBlock.objects.filter(pk=block.pk).exists()
    for model in ("payment", "retirement", "creditevent", "producershare"):
        assert admin_client_.get(reverse(f"admin:credits_{model}_add")).status_code == 403
    period_delete = reverse("admin:credits_monitoringperiod_delete", args=[issued.pk])
    assert admin_client_.post(period_delete).status_code == 403
