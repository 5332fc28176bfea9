"""Public pages: published content only."""

from django.urls import path

from courtinfo import views

app_name = "public"

urlpatterns = [
    path("<slug:jurisdiction>/<slug:question>/", views.QuestionView.as_view(), name="question"),
]
