app_name = "reports"

urlpatterns: list = []  # each page adds its path here
