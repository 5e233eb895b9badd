from django.urls import path

from attract.transfer.views import exports, imports

app_name = "transfer"

urlpatterns = [
    path("import/", imports.import_start, name="import_start"),
    path("import/history/", imports.import_history, name="import_history"),
    path("import/settings/", imports.import_settings, name="import_settings"),
    path("import/<int:pk>/", imports.import_job, name="import_job"),
    path("import/<int:pk>/progress/", imports.import_progress, name="import_progress"),
    path("import/<int:pk>/status/", imports.import_status, name="import_status"),
    path("import/<int:pk>/undo/", imports.import_undo, name="import_undo"),
    path("import/<int:pk>/rejected.csv", imports.import_rejected, name="import_rejected"),
    path("export/people.csv", exports.export_persons, name="export_persons"),
    path("export/people.vcf", exports.export_persons_vcard, name="export_persons_vcard"),
    path("export/companies.csv", exports.export_companies, name="export_companies"),
    path("export/deals.csv", exports.export_deals, name="export_deals"),
    path("export/all.zip", exports.export_all, name="export_all"),
]
