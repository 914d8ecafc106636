"""Admin pieces shared by the domain apps' admins (registered in their own admin.py)."""


class RecordedByMixin:
    """A record added in the admin is recorded by the user who adds it (`recorded_by`)."""

    def save_model(self, request, obj, form, change):
        if not change:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)
