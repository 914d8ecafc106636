"""What the pages of every app's background jobs share (the rows: core/models_jobs.py)."""

from django.http import JsonResponse

from core.models_jobs import JobRow


def status_response(job: JobRow) -> JsonResponse:
    """Where the job stands, as JSON for the progress bar of its page (static/js/job-status.js)."""
    return JsonResponse(
        {
            "status": job.status,
            "label": str(job.get_status_display()),
            "progress": job.progress_pct,
            "running": job.running,
        },
        headers={"Cache-Control": "no-store"},
    )
