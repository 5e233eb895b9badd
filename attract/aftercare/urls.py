from attract.aftercare.departure_urls import departure_urlpatterns

app_name = "aftercare"

urlpatterns: list = []  # each page adds its path here
urlpatterns += departure_urlpatterns
