from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "attract.people"
    label = "people"
    verbose_name = "People and companies"
