app_name = "aftercare"

urlpatterns: list = []  # each page adds its path here
