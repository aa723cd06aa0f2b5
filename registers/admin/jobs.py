"""The job queue's own table is not administered: jobs are followed on the job pages
(/jobs/) and through the API (/api/v1/jobs/), under the jobs' own scoping rule."""

from django.contrib import admin
from django_tasks_db.models import DBTaskResult

if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)
