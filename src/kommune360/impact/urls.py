from django.urls import path

from . import views

app_name = "impact"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:year>/", views.year_page, name="year"),
    path("<int:year>/zahlen.csv", views.figures_csv, name="csv"),
    path("<int:year>/zahlen.json", views.figures_json, name="json"),
    path("<int:year>/bericht.pdf", views.report_pdf, name="pdf"),
    path("<int:year>/bericht.docx", views.report_docx, name="docx"),
    path("umfrage/danke/", views.survey_thanks, name="survey_thanks"),
    path("umfrage/abmelden/<str:signed>/", views.opt_out, name="opt_out"),
    path("umfrage/<str:token>/", views.survey, name="survey"),
]
