from attract.accounts.models import Role
from attract.accounts.tests.factories import UserFactory
from attract.attraction.tests.factories import ThankYouNoteFactory


def test_an_admin_sees_only_their_own_thank_you_notes_in_the_back_office(client, db):
    admin = UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True)
    author = UserFactory()
    theirs = ThankYouNoteFactory(author=author, to_whom="Secret recipient")
    mine = ThankYouNoteFactory(author=admin, to_whom="My own recipient")
    client.force_login(admin)
    listing = client.get("/admin/attraction/thankyounote/")
    assert "My own recipient" in listing.content.decode()
    assert "Secret recipient" not in listing.content.decode()
    assert client.get(f"/admin/attraction/thankyounote/{mine.pk}/change/").status_code == 200
    # Another author's note does not exist as far as the admin is concerned.
    assert client.get(f"/admin/attraction/thankyounote/{theirs.pk}/change/").status_code == 302
