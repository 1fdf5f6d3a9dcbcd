from django.apps import AppConfig


class InterviewPageConfig(AppConfig):
    name = "interviewpage"
    default_auto_field = "django.db.models.BigAutoField"
