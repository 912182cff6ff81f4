from django.urls import path

from . import views

app_name = "impact"

urlpatterns = [
    path("", views.index, name="index"),
    path("<id:year>/", views.year_page, name="year"),
    path("<id:year>/zahlen.csv", views.figures_csv, name="csv"),
    path("<id:year>/zahlen.json", views.figures_json, name="json"),
    path("<id:year>/bericht.pdf", views.report_pdf, name="pdf"),
    path("<id:year>/bericht.docx", views.report_docx, name="docx"),
    path("umfrage/danke/", views.survey_thanks, name="survey_thanks"),
    path("umfrage/abmelden/<str:signed>/", views.opt_out, name="opt_out"),
    path("umfrage/<str:token>/", views.survey, name="survey"),
]
