from django.db import models


class Ticket(models.Model):
    """A row that moves: open → running → closed, with a handling clock while it runs."""

    state = models.CharField(max_length=12, default="open")
    version = models.PositiveIntegerField(default=1)
    owner = models.CharField(max_length=30)  # the username that may move it
    updated_at = models.DateTimeField(null=True)
    closed_at = models.DateTimeField(null=True)
    due_at = models.DateTimeField(null=True)
    warn_at = models.DateTimeField(null=True)
    supervised_for = models.DateTimeField(null=True)

    def get_state_display(self) -> str:
        return self.state


class TicketEvent(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=16)
    from_state = models.CharField(max_length=12, blank=True)
    to_state = models.CharField(max_length=12)
    at = models.DateTimeField()
    note = models.CharField(max_length=100, blank=True)
